import { mainReadQuery } from '../../bench/main-read';
import type { HubGateway } from '../../gateway/gateway';
import { loadConfig, SUBGRAPH_NAMES } from '../../shared/config';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startGateway } from '../support/gateway';
import { gql, Subscription, wsClient, type GraphQLResponse } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
const GLOBEX = DEMO_PARTNERS.find((p) => p.apiKey.includes('globex'))!;
const REVOPS = DEMO_PARTNERS.find((p) => p.apiKey.includes('revops'))!;

/**
 * The hub runs the native (Rust) query planner by default and keeps the runtime's
 * JavaScript planner as a fallback (HUB_QUERY_PLANNER=javascript). Both must answer every
 * operation alike — data, errors, codes and paths — over HTTP and WebSocket.
 */
describe('query planners: native (default) and JavaScript answer alike', () => {
  let hub: TestHub;
  let javascript: HubGateway;
  let javascriptUrl: string;
  const clients: { dispose(): Promise<void> | void }[] = [];

  beforeAll(async () => {
    hub = await startTestHub();
    expect(loadConfig({ NODE_ENV: 'test' }).security.queryPlanner).toBe('native');
    ({ gateway: javascript, url: javascriptUrl } = await startGateway({
      subgraphUrls: Object.fromEntries(SUBGRAPH_NAMES.map((n) => [n, hub.subgraphUrls[n]!])),
      env: { HUB_QUERY_PLANNER: 'javascript' },
    }));
    // CI starts this hub in its niced Node 24 run, beside the whole suite under Node 20: there
    // the start alone has taken longer than jest's default 30 s.
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await javascript?.stop();
    await hub?.stop();
  });

  const both = async (query: string, variables: Record<string, unknown>, apiKey: string) => {
    const [native, js] = await Promise.all([gql(hub.gatewayUrl, query, variables, apiKey), gql(javascriptUrl, query, variables, apiKey)]);
    // extensions.cost reports each gateway's own budget, which the other's spending does not
    // share; a clock's remaining time is read at each request and may tick between the two.
    const ticking = (key: string, value: unknown) => (key === 'businessTimeRemaining' && typeof value === 'string' ? 'ticking' : value);
    const answer = ({ status, data, errors }: GraphQLResponse) => JSON.parse(JSON.stringify({ status, data, errors }, ticking)) as GraphQLResponse;
    return { native: answer(native), js: answer(js) };
  };

  it('the main read across all four subgraphs, as a reseller and as an internal team', async () => {
    const { query } = mainReadQuery(SUBGRAPH_NAMES);
    for (const caller of [ACME, REVOPS]) {
      const { native, js } = await both(query, { first: 20 }, caller.apiKey);
      expect(native.errors).toBeUndefined();
      expect((native.data as { customers: { nodes: unknown[] } }).customers.nodes.length).toBeGreaterThan(0);
      expect(native).toEqual(js);
    }
  });

  it('errors: a record the caller may not see, a field-level refusal inside data, bad input', async () => {
    const { data } = await gql<{ customers: { nodes: { id: string }[] } }>(hub.gatewayUrl, '{ customers(first: 1) { nodes { id } } }', {}, GLOBEX.apiKey);
    const foreign = data!.customers.nodes[0]!.id;
    const cases: [string, Record<string, unknown>][] = [
      ['query($id: ID!) { customer(id: $id) { id name owner { id name } } }', { id: foreign }],
      ['query($id: ID!) { customer(id: $id) { id } }', { id: 'not-a-uuid' }],
      ['query { customers(first: -1) { nodes { id } } }', {}],
      ['query { customers(first: 2) { nodes { id owner { id name apiKeys { id } } } } }', {}],
      // Variable coercion: the native planner's runtime throws these, graphql-js returns them.
      ['query($n: Int) { customers(first: $n) { nodes { id } } }', { n: 'many' }],
      ['query($f: CustomerFilter, $n: Int!) { customers(first: $n, filter: $f) { nodes { id } } }', { f: { nope: 1 } }],
    ];
    for (const [query, variables] of cases) {
      const { native, js } = await both(query, variables, ACME.apiKey);
      expect(native.errors?.length).toBeGreaterThan(0);
      expect(native.errors!.every((e) => typeof e.extensions?.code === 'string' && e.extensions.code !== 'INTERNAL_SERVER_ERROR')).toBe(true);
      expect(native).toEqual(js);
    }
  });

  it('a subscription the subgraph refuses ends with its code, not INTERNAL_SERVER_ERROR', async () => {
    const refusal = async (url: string) => {
      const client = wsClient(url, { authorization: `Bearer ${ACME.apiKey}` });
      clients.push(client);
      const sub = new Subscription(client, 'subscription($p: ID) { ownershipChanged(partnerId: $p) { customer { id } } }', { p: GLOBEX.id });
      const result: GraphQLResponse = await sub.waitFor(1, 5000);
      sub.close();
      return (result.errors ?? []).map((e) => ({ code: e.extensions?.code, path: e.path }));
    };
    const native = await refusal(hub.gatewayUrl);
    expect(native).toEqual([{ code: 'FORBIDDEN', path: ['ownershipChanged'] }]);
    expect(await refusal(javascriptUrl)).toEqual(native);
  });
});
