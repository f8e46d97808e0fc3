import { loadConfig, type ServiceName } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { startHub, type RunningHub } from '../../scripts/hub';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { codes, firstError, gql, Subscription, wsClient } from '../support/graphql-client';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const A = partner('acme');
const B = partner('northwind');

/**
 * One "machine": its own gateway and subgraph instances, sharing nothing with the others
 * but Postgres. Its gateway talks only to its own subgraph instances.
 */
async function startInstance(databaseUrl: string, services: ServiceName[], env: Record<string, string> = {}): Promise<RunningHub & { gatewayUrl: string }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    HUB_SERVICES: services.join(','),
    GATEWAY_PORT: '0',
    ACCOUNTS_PORT: '0',
    HANDOFFS_PORT: '0',
    SLAS_PORT: '0',
    SCORECARDS_PORT: '0',
    HUB_DB_POOL_SIZE: '4',
    HUB_AUTH_CACHE_MS: '0',
    ...env,
  });
  const hub = await startHub(config, databaseUrl, createLogger('test', (process.env.HUB_TEST_LOG as 'info') ?? 'silent'));
  return Object.assign(hub, { gatewayUrl: hub.gatewayUrl ?? '' });
}

const services: ServiceName[] = ['accounts', 'handoffs', 'gateway'];

describe('scale-out: two gateways and two instances of accounts and handoffs on one database', () => {
  let db: TestDatabase;
  let one: RunningHub & { gatewayUrl: string };
  let two: RunningHub & { gatewayUrl: string };
  const clients: { dispose(): Promise<void> | void }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    one = await startInstance(db.url, services);
    two = await startInstance(db.url, services);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await two?.stop();
    await one?.stop();
    await db?.drop();
  });

  const subscribe = (gatewayUrl: string, apiKey: string, query: string, variables: Record<string, unknown> = {}) => {
    const client = wsClient(gatewayUrl, { authorization: `Bearer ${apiKey}` });
    clients.push(client);
    return new Subscription(client, query, variables);
  };

  it('runs every instance on its own ports against the same data', async () => {
    expect(one.gatewayUrl).not.toBe(two.gatewayUrl);
    expect(one.subgraphUrls.accounts).not.toBe(two.subgraphUrls.accounts);
    const q = `{ customers(first: 100) { edges { node { id } } } }`;
    const [r1, r2] = await Promise.all([gql(one.gatewayUrl, q, {}, A.apiKey), gql(two.gatewayUrl, q, {}, A.apiKey)]);
    expect(r1.errors).toBeUndefined();
    expect(r1.data).toEqual(r2.data);
  });

  it('a subscriber on gateway 1 receives customerUpdated committed through gateway 2 (and vice versa)', async () => {
    const customer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === A.id)!;
    const QUERY = `subscription($id: ID) { customerUpdated(customerId: $id) { id name version } }`;
    const on1 = subscribe(one.gatewayUrl, A.apiKey, QUERY, { id: customer.id });
    const on2 = subscribe(two.gatewayUrl, A.apiKey, QUERY, { id: customer.id });
    await Subscription.settle(500);

    const update = (url: string, version: number, name: string) =>
      gql(
        url,
        `mutation($id: ID!, $v: Int!, $name: String!) { updateCustomer(id: $id, expectedVersion: $v, input: { name: $name }) { version } }`,
        { id: customer.id, v: version, name },
        A.apiKey,
      );
    const current = await gql(one.gatewayUrl, `query($id: ID!) { customer(id: $id) { version } }`, { id: customer.id }, A.apiKey);
    const v = current.data!.customer.version as number;

    expect((await update(two.gatewayUrl, v, 'Written via instance 2')).errors).toBeUndefined();
    expect((await on1.waitFor(1)).data!.customerUpdated).toEqual({ id: customer.id, name: 'Written via instance 2', version: v + 1 });
    expect((await on2.waitFor(1)).data!.customerUpdated).toEqual({ id: customer.id, name: 'Written via instance 2', version: v + 1 });

    expect((await update(one.gatewayUrl, v + 1, 'Written via instance 1')).errors).toBeUndefined();
    expect((await on2.waitFor(2)).data!.customerUpdated.name).toBe('Written via instance 1');
    expect((await on1.waitFor(2)).data!.customerUpdated.name).toBe('Written via instance 1');

    // Optimistic concurrency holds across instances: the stale version fails on either one.
    const stale = await update(two.gatewayUrl, v, 'Lost update');
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    on1.close();
    on2.close();
  });

  it('a subscriber on gateway 1 receives ownershipChanged for a handoff proposed and accepted through gateway 2', async () => {
    // Acme's first customer: the demo handoffs leave it alone.
    const customer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === A.id)!;
    const OWNERSHIP = `subscription($p: ID) { ownershipChanged(partnerId: $p) { customer { id } from { id } to { id } handoff { id state } } }`;
    const ownerOn1 = subscribe(one.gatewayUrl, A.apiKey, OWNERSHIP, { p: A.id });
    const receiverOn1 = subscribe(one.gatewayUrl, B.apiKey, OWNERSHIP, { p: B.id });
    await Subscription.settle(500);

    const proposed = await gql(
      two.gatewayUrl,
      `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id state } }`,
      {
        input: {
          customerId: customer.id,
          toPartnerId: B.id,
          moment: 'CLOSED_WON_TO_ONBOARDING',
          contextPackage: { summary: 'Scale-out test', customerSaid: ['Keep it simple'], goals: ['Live soon'] },
          customerMessage: 'Northwind Services will onboard you from here.',
          data: {
            contractValue: 1000,
            startDate: '2026-04-01',
            successCriteria: ['Live'],
            executiveSponsor: 'cio@example.com',
            contractUrl: 'https://contracts.example.com/scale-out',
          },
        },
      },
      A.apiKey,
    );
    expect(proposed.errors).toBeUndefined();
    const id = proposed.data!.proposeHandoff.id;
    // Every write goes through gateway 2 (and its handoffs instance); subscribers sit on gateway 1.
    const accepted = await gql(two.gatewayUrl, `mutation($id: ID!) { acceptHandoff(id: $id) { state } }`, { id }, B.apiKey);
    expect(accepted.errors).toBeUndefined();

    const expected = { customer: { id: customer.id }, from: { id: A.id }, to: { id: B.id }, handoff: { id, state: 'ACCEPTED' } };
    expect((await ownerOn1.waitFor(1)).data!.ownershipChanged).toEqual(expected);
    expect((await receiverOn1.waitFor(1)).data!.ownershipChanged).toEqual(expected);
    // Both instances now agree on the new owner.
    const owner = `query($id: ID!) { customer(id: $id) { owner { id } } }`;
    expect((await gql(one.gatewayUrl, owner, { id: customer.id }, B.apiKey)).data!.customer.owner).toEqual({ id: B.id });
    ownerOn1.close();
    receiverOn1.close();
  });
});

describe('scale-out: one cost budget per partner, whichever gateway serves it', () => {
  let db: TestDatabase;
  let one: RunningHub & { gatewayUrl: string };
  let two: RunningHub & { gatewayUrl: string };
  // Settled by hand (a long interval), so the test decides when gateways compare notes.
  const env = { HUB_COST_BUCKET_SIZE: '120', HUB_COST_RESTORE_RATE: '0.001', HUB_COST_SYNC_MS: '3600000' };
  const Q = `{ customers(first: 50) { edges { node { id } } } }`;

  beforeAll(async () => {
    db = await createTestDatabase();
    one = await startInstance(db.url, ['accounts', 'gateway'], env);
    two = await startInstance(db.url, ['accounts', 'gateway'], env);
  });
  afterAll(async () => {
    await two?.stop();
    await one?.stop();
    await db?.drop();
  });

  it('counts what a partner spent through gateway 1 on gateway 2 after one settlement; other partners are untouched', async () => {
    expect((await gql(two.gatewayUrl, Q, {}, A.apiKey)).errors).toBeUndefined();
    await two.gateway!.costSync!.settle();

    let spent = 0;
    for (; spent < 100; spent++) {
      const res = await gql(one.gatewayUrl, Q, {}, A.apiKey);
      if (res.errors) {
        expect(codes(res)).toEqual(['RATE_LIMITED']);
        break;
      }
    }
    expect(spent).toBeGreaterThan(0);
    expect(spent).toBeLessThan(100);
    // Before settling, gateway 2 still decides from its own copy.
    expect((await gql(two.gatewayUrl, Q, {}, A.apiKey)).errors).toBeUndefined();

    await one.gateway!.costSync!.settle();
    await two.gateway!.costSync!.settle();
    const refused = await gql(two.gatewayUrl, Q, {}, A.apiKey);
    expect(codes(refused)).toEqual(['RATE_LIMITED']);
    expect(firstError(refused).extensions).toMatchObject({ retryAfter: expect.any(Number) });
    expect((await gql(two.gatewayUrl, Q, {}, B.apiKey)).errors).toBeUndefined();
    expect((await gql(one.gatewayUrl, Q, {}, B.apiKey)).errors).toBeUndefined();
  });
});
