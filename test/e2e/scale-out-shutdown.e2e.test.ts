import { Client } from 'pg';
import { loadConfig, type ServiceName } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { startHub, type RunningHub } from '../../scripts/hub';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { gql, Subscription, wsClient } from '../support/graphql-client';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

async function startInstance(databaseUrl: string, services: ServiceName[]): Promise<RunningHub & { gatewayUrl: string }> {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    HUB_SERVICES: services.join(','),
    GATEWAY_PORT: '0',
    ACCOUNTS_PORT: '0',
    HUB_DB_POOL_SIZE: '4',
    HUB_AUTH_CACHE_MS: '0',
  });
  const hub = await startHub(config, databaseUrl, createLogger('test', (process.env.HUB_TEST_LOG as 'info') ?? 'silent'));
  return Object.assign(hub, { gatewayUrl: hub.gatewayUrl ?? '' });
}

/** Resolves once some backend of this database waits on a lock (our request is parked). */
async function waitForLockWait(admin: Client, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('no request ever waited on the lock');
}

describe('graceful shutdown of a gateway instance', () => {
  let db: TestDatabase;
  let staying: RunningHub & { gatewayUrl: string };
  const clients: { dispose(): Promise<void> | void }[] = [];
  const leaving: RunningHub[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    staying = await startInstance(db.url, ['accounts', 'gateway']);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    for (const h of leaving) await h.stop();
    await staying?.stop();
    await db?.drop();
  });

  it('closes client WebSockets with 1001 (going away) and the client carries on through another instance', async () => {
    const going = await startInstance(db.url, ['accounts', 'gateway']);
    leaving.push(going);
    const closes: number[] = [];
    const client = wsClient(going.gatewayUrl, { authorization: `Bearer ${ACME.apiKey}` }, (code) => closes.push(code));
    clients.push(client);
    const sub = new Subscription(client, `subscription { customerUpdated { id name } }`);
    await Subscription.settle();

    await going.gateway!.stop();
    const deadline = Date.now() + 5000;
    while (closes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(closes).toEqual([1001]);
    expect(sub.error ?? sub.completed).toBeTruthy();

    // What a graphql-ws client does on 1001: reconnect (here: to the instance that stays) and resubscribe.
    const again = wsClient(staying.gatewayUrl, { authorization: `Bearer ${ACME.apiKey}` });
    clients.push(again);
    const resumed = new Subscription(again, `subscription($id: ID) { customerUpdated(customerId: $id) { id name } }`, {
      id: DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === ACME.id)!.id,
    });
    await Subscription.settle();
    const customer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === ACME.id)!;
    const current = await gql(staying.gatewayUrl, `query($id: ID!) { customer(id: $id) { version } }`, { id: customer.id }, ACME.apiKey);
    const res = await gql(
      staying.gatewayUrl,
      `mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, expectedVersion: $v, input: { name: "After failover" }) { version } }`,
      { id: customer.id, v: current.data!.customer.version },
      ACME.apiKey,
    );
    expect(res.errors).toBeUndefined();
    expect((await resumed.waitFor(1)).data!.customerUpdated).toEqual({ id: customer.id, name: 'After failover' });
    resumed.close();
  });

  it('stops accepting at once but finishes a request already in flight', async () => {
    const going = await startInstance(db.url, ['accounts', 'gateway']);
    leaving.push(going);
    const admin = new Client({ connectionString: db.url });
    await admin.connect();
    try {
      // Park the next read of customers behind a lock we hold, so the request is in flight for sure.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE accounts.customers IN ACCESS EXCLUSIVE MODE');
      const inFlight = gql(going.gatewayUrl, `{ customers(first: 3) { edges { node { id } } } }`, {}, ACME.apiKey);
      const watcher = new Client({ connectionString: db.url });
      await watcher.connect();
      await waitForLockWait(watcher).finally(() => watcher.end());

      let stopped = false;
      const stopping = going.gateway!.stop().then(() => (stopped = true));
      await new Promise((r) => setTimeout(r, 100));
      // New connections are refused while the old request is still running.
      await expect(fetch(going.gatewayUrl.replace('/graphql', '/healthz'))).rejects.toThrow();
      expect(stopped).toBe(false);

      await admin.query('COMMIT');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect(res.errors).toBeUndefined();
      expect(res.data!.customers.edges.length).toBeGreaterThan(0);
      await stopping;
      expect(stopped).toBe(true);
    } finally {
      await admin.query('ROLLBACK').catch(() => undefined);
      await admin.end();
    }
  });
});
