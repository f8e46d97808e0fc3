import { createServer, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HubGateway } from '../../gateway/gateway';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startGateway } from '../support/gateway';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
const QUERY = '{ customers(first: 3) { nodes { id handoffs { id state slaClocks { state } } } } }';

/** A subgraph stand-in answering `_entities` with `answer(representation)`, counting its calls. */
async function entitiesStandIn(answer: (rep: { id: string }) => unknown, hold?: (res: ServerResponse, reply: () => void) => void) {
  const standIn = { calls: 0, server: undefined as unknown as Server, url: '' };
  standIn.server = createServer((req, res) => {
    // The gateway's readiness probe GETs every subgraph; only operations count.
    if (req.method !== 'POST') {
      res.end('{}');
      return;
    }
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      standIn.calls++;
      const reps = ((JSON.parse(raw) as { variables?: { representations?: { id: string }[] } }).variables?.representations ?? []) as { id: string }[];
      const reply = () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { _entities: reps.map(answer) } }));
      };
      if (hold) hold(res, reply);
      else reply();
    });
  });
  await new Promise<void>((r) => standIn.server.listen(0, '127.0.0.1', r));
  standIn.url = `http://127.0.0.1:${(standIn.server.address() as AddressInfo).port}/graphql`;
  return standIn;
}

const until = async (what: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!what()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
};

/**
 * A client that goes away stops the work its request would still cause: once its connection
 * has closed, no further subgraph call of its plan leaves the gateway (calls already in flight
 * finish; with upstream deduplication another caller may be sharing them).
 */
describe('client disconnect: the rest of the plan is not fetched', () => {
  let hub: TestHub;
  let gateway: HubGateway;
  let gatewayUrl: string;
  let handoffs: Awaited<ReturnType<typeof entitiesStandIn>>;
  let slas: Awaited<ReturnType<typeof entitiesStandIn>>;
  let holding = false;
  const held: (() => void)[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts'] });
    handoffs = await entitiesStandIn(
      (rep) => ({ __typename: 'Customer', handoffs: [{ __typename: 'Handoff', id: `h-${rep.id}`, state: 'PROPOSED' }] }),
      (_res, reply) => (holding ? held.push(reply) : reply()),
    );
    slas = await entitiesStandIn(() => ({ __typename: 'Handoff', slaClocks: [] }));
    ({ gateway, url: gatewayUrl } = await startGateway({
      subgraphUrls: { accounts: hub.subgraphUrls.accounts!, handoffs: handoffs.url, slas: slas.url, scorecards: slas.url },
      authCacheMs: 60_000,
    }));
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const standIn of [handoffs, slas]) {
      standIn?.server.closeAllConnections();
      await new Promise((r) => standIn?.server.close(r));
    }
    await hub?.stop();
  });

  /** Sends the query on a connection the test will cut: nothing of its answer is read. */
  const sendAndForget = () => {
    const body = JSON.stringify({ query: QUERY });
    const req = request(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${ACME.apiKey}` },
    });
    req.on('error', () => undefined);
    req.end(body);
    return req;
  };

  /** Cuts the connection and waits until the gateway has seen it close. */
  const cut = async (req: ReturnType<typeof request>) => {
    req.destroy();
    // The close reached the gateway before this next request did, and it has served that one.
    await new Promise((r) => setTimeout(r, 100));
    expect((await gql(gatewayUrl, '{ __typename }', {}, ACME.apiKey)).errors).toBeUndefined();
  };

  it('a client that stays gets every subgraph’s part (the plan does reach slas)', async () => {
    const before = slas.calls;
    const res = await gql<{ customers: { nodes: { handoffs: { slaClocks: unknown[] }[] }[] } }>(gatewayUrl, QUERY, {}, ACME.apiKey);
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers.nodes.every((n) => n.handoffs.every((h) => Array.isArray(h.slaClocks)))).toBe(true);
    expect(slas.calls).toBe(before + 1);
  });

  it('a client gone while handoffs answers causes no call to slas', async () => {
    const before = { handoffs: handoffs.calls, slas: slas.calls };
    holding = true;
    const req = sendAndForget();
    await until(() => held.length === 1 && handoffs.calls === before.handoffs + 1);
    await cut(req);
    holding = false;
    held.shift()!();
    await new Promise((r) => setTimeout(r, 500));
    expect(slas.calls).toBe(before.slas);
  });

  it('a client gone does not fail another caller sharing its call in flight', async () => {
    const before = { handoffs: handoffs.calls, slas: slas.calls };
    holding = true;
    const gone = sendAndForget();
    await until(() => held.length === 1);
    const stays = gql<{ customers: { nodes: { handoffs: { slaClocks: unknown[] }[] }[] } }>(gatewayUrl, QUERY, {}, ACME.apiKey);
    // Long enough for the second read's accounts call to return and its handoffs call to join
    // the one held (checked below: handoffs is called once for both).
    await new Promise((r) => setTimeout(r, 500));
    await cut(gone);
    holding = false;
    held.shift()!();
    const res = await stays;
    expect(res.errors).toBeUndefined();
    expect(res.data!.customers.nodes.length).toBeGreaterThan(0);
    expect(res.data!.customers.nodes.every((n) => n.handoffs.length === 1 && Array.isArray(n.handoffs[0]!.slaClocks))).toBe(true);
    expect(handoffs.calls).toBe(before.handoffs + 1);
    expect(slas.calls).toBe(before.slas + 1);
  });
});
