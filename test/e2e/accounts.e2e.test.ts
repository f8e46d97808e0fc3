import { ALL_DEMO_CUSTOMERS, DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { codes, firstError, gql, type GraphQLResponse, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const key = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.apiKey;
const INTERNAL = key('revops');
const ACME = key('acme');
const GLOBEX = key('globex');
const acmeId = DEMO_PARTNERS.find((p) => p.apiKey === ACME)!.id;
const acmeCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === acmeId)!;

describe('accounts through the gateway', () => {
  let hub: TestHub;
  const clients: { dispose(): Promise<void> | void }[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'gateway'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await hub?.stop();
  });

  it('answers a query with the caller’s identity and only its customers', async () => {
    const res = await gql(hub.gatewayUrl, `{ me { role partner { id name } } customers(first: 100) { edges { node { id name } } } }`, {}, ACME);
    expect(res.errors).toBeUndefined();
    expect(res.data!.me).toEqual({ role: 'PARTNER', partner: { id: acmeId, name: 'Acme Reseller' } });
    const ids = res.data!.customers.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(ALL_DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === acmeId).map((c) => c.id));
  });

  it('pushes customerUpdated over WebSocket after a committed update', async () => {
    const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${ACME}` });
    clients.push(client);
    const sub = new Subscription(client, `subscription($id: ID) { customerUpdated(customerId: $id) { id name version } }`, { id: acmeCustomer.id });
    await Subscription.settle();
    const res = await gql(
      hub.gatewayUrl,
      `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { name: "Renamed Pharma" }) { version } }`,
      { id: acmeCustomer.id },
      ACME,
    );
    expect(res.errors).toBeUndefined();
    const event = await sub.waitFor(1);
    expect(event.data!.customerUpdated).toEqual({ id: acmeCustomer.id, name: 'Renamed Pharma', version: 2 });
    sub.close();
  });

  it('refuses an unknown key on HTTP and WebSocket alike', async () => {
    const res = await gql(hub.gatewayUrl, `{ me { role } }`, {}, 'hub_not_a_key');
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    let closed: number | undefined;
    const client = wsClient(hub.gatewayUrl, { authorization: 'Bearer hub_not_a_key' }, (code) => (closed = code));
    clients.push(client);
    const sub = new Subscription(client, `subscription { customerUpdated { id } }`);
    await expect(sub.waitFor(1, 3000)).rejects.toBeDefined();
    expect(closed).toBe(4401);
  });

  it('refuses a request with no key, and a WebSocket that never says who it is', async () => {
    expect(codes(await gql(hub.gatewayUrl, `{ me { role } }`))).toEqual(['UNAUTHENTICATED']);
    let closed: number | undefined;
    const client = wsClient(hub.gatewayUrl, {}, (code) => (closed = code));
    clients.push(client);
    const sub = new Subscription(client, `subscription { customerUpdated { id } }`);
    await expect(sub.waitFor(1, 3000)).rejects.toBeDefined();
    expect(closed).toBe(4401);
  });

  it('hides other partners’ customers behind NOT_FOUND, in lists and by external id too', async () => {
    const res = await gql(hub.gatewayUrl, `query($id: ID!) { customer(id: $id) { name } }`, { id: acmeCustomer.id }, GLOBEX);
    expect(res.data!.customer).toBeNull();
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const list = await gql(hub.gatewayUrl, `{ customers(first: 100) { edges { node { id } } } }`, {}, GLOBEX);
    expect(list.data!.customers.edges.map((e: any) => e.node.id)).not.toContain(acmeCustomer.id);
    const idx = DEMO_CUSTOMERS.indexOf(acmeCustomer);
    const ext = await gql(hub.gatewayUrl, `{ customerByExternalId(system: "demo-crm", externalId: "CRM-${1000 + idx}") { id } }`, {}, GLOBEX);
    expect(codes(ext)).toEqual(['NOT_FOUND']);
  });

  it('passes BAD_USER_INPUT, CONFLICT and idempotent replays through to the client', async () => {
    const bad = await gql(hub.gatewayUrl, `mutation { createCustomer(input: { name: "", segment: SMB, region: NA }) { id } }`, {}, ACME);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(firstError(bad).extensions!.fields).toEqual([{ field: 'input.name', message: expect.any(String) }]);
    const stale = await gql(
      hub.gatewayUrl,
      `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { name: "Late" }) { id } }`,
      { id: acmeCustomer.id },
      ACME,
    );
    expect(codes(stale)).toEqual(['CONFLICT']);
    expect(firstError(stale).extensions!.currentVersion).toBe(2);
    const create = `mutation { createCustomer(input: { name: "Gateway Idem", segment: SMB, region: NA }, idempotencyKey: "gw-1") { id } }`;
    const [one, two] = [await gql(hub.gatewayUrl, create, {}, INTERNAL), await gql(hub.gatewayUrl, create, {}, INTERNAL)];
    expect(two.data!.createCustomer.id).toBe(one.data!.createCustomer.id);
  });

  it('codes variable errors BAD_USER_INPUT and document errors GRAPHQL_VALIDATION_FAILED, over HTTP and WebSocket', async () => {
    const LIST = 'query($n: Int!, $f: CustomerFilter) { customers(first: $n, filter: $f) { edges { node { id } } } }';
    const variableErrors = [
      { n: 'many' }, // wrong type
      { n: 5, f: { nope: 1 } }, // unknown input field
      {}, // required and missing
      { n: null }, // non-null given null
      { n: 'many', f: { nope: 1 } }, // several at once
    ];
    for (const variables of variableErrors) {
      const res = await gql(hub.gatewayUrl, LIST, variables, ACME);
      expect(res.data ?? null).toBeNull();
      expect(res.errors!.length).toBeGreaterThan(0);
      expect(res.errors!.every((e) => e.extensions?.code === 'BAD_USER_INPUT' && e.message.startsWith('Variable "$'))).toBe(true);
    }
    const CREATE = 'mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }';
    const bad = await gql(hub.gatewayUrl, CREATE, { i: { name: 'Never Created', segment: 'HUGE', region: 'NA' } }, ACME);
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(firstError(bad)!.message).toMatch(/\$i.*i\.segment.*HUGE/);
    const search = await gql(hub.gatewayUrl, '{ customers(first: 100, filter: { search: "Never Created" }) { edges { node { id } } } }', {}, INTERNAL);
    expect(search.data!.customers.edges).toEqual([]);
    // The same value written in the document is a document error.
    expect(codes(await gql(hub.gatewayUrl, '{ customers(first: "many") { edges { node { id } } } }', {}, ACME))).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${ACME}` });
    clients.push(client);
    const overWs = new Subscription(client, LIST, { n: 'many' });
    const received = await overWs.waitFor(1).catch((errors: unknown) => ({ errors: errors as GraphQLResponse['errors'] }));
    overWs.close();
    expect(received.errors!.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('serves GraphiQL from the package itself (no CDN), pre-filled with a demo key', async () => {
    const res = await fetch(hub.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Partner Handoff Hub');
    expect(html).toContain('hub_demo_internal_revops');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/i);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/i);
  });

  it('reports liveness and readiness', async () => {
    const base = hub.gatewayUrl.replace('/graphql', '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // This hub runs accounts alone, so the gateway is truthfully not ready: it names who is missing.
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'unavailable',
      supergraph: 'loaded',
      subgraphs: { accounts: 'ready', handoffs: 'unavailable', slas: 'unavailable', scorecards: 'unavailable' },
    });
  });
});
