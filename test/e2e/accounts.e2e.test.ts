import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { codes, gql, Subscription, wsClient } from '../support/graphql-client';
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
    expect(ids).toEqual(DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === acmeId).map((c) => c.id));
  });

  it('pushes customerUpdated over WebSocket after a committed update', async () => {
    const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${ACME}` });
    clients.push(client);
    const sub = new Subscription(client, `subscription($id: ID) { customerUpdated(customerId: $id) { id name version } }`, { id: acmeCustomer.id });
    await Subscription.settle();
    const res = await gql(hub.gatewayUrl, `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { name: "Renamed Pharma" }) { version } }`, { id: acmeCustomer.id }, ACME);
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
    void GLOBEX;
    void INTERNAL;
  });
});
