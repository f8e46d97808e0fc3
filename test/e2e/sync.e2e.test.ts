import { totalQueryCount } from '../../shared/db/query-counter';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { verifyDelivery } from '../../subgraphs/accounts/src/webhooks/signature';
import { TestReceiver, until } from '../../subgraphs/accounts/test/webhook-receiver';
import { codes, firstError, gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { realisticCustomerRow } from '../support/sync-rows';
import { present } from '../support/present';

const key = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.apiKey;
const INTERNAL = key('revops');
const ACME = key('acme');
const GLOBEX = key('globex');
const acmeId = DEMO_PARTNERS.find((p) => p.apiKey === ACME)!.id;
const acmeCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === acmeId)!;

const UPSERT = `mutation($system: String!, $input: [UpsertCustomerInput!]!) {
  upsertCustomers(system: $system, input: $input) {
    created updated matched unchanged conflicts invalid
    rows { index externalId outcome customerId version matchedBy changedFields ignoredFields invalidFields reasonCode reason current { id version } }
  }
}`;
const CHANGES = `query($after: String, $first: Int) { changes(after: $after, first: $first) { truncated pageInfo { endCursor hasNextPage } edges { cursor node { id type aggregateId payload } } } }`;

describe('partner data sync through the gateway', () => {
  let hub: TestHub;
  const rx = new TestReceiver();

  beforeAll(async () => {
    await rx.up();
    hub = await startTestHub({
      services: ['accounts', 'gateway'],
      env: { HUB_WEBHOOK_ALLOW_LOOPBACK: 'true', HUB_WEBHOOK_RETRY_BASE_MS: '50', HUB_WEBHOOK_POLL_MS: '50' },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await rx.down();
  });

  it('upserts a batch with per-row outcomes, and replays it as UNCHANGED', async () => {
    const input = [
      { externalId: 'E2E-1', name: 'Northwind Traders', domain: 'northwind-traders.example', segment: 'SMB', region: 'NA' },
      { externalId: 'E2E-2', domain: acmeCustomer.domain },
      { externalId: 'E2E-3', name: 'No segment' },
    ];
    const res = await gql(hub.gatewayUrl, UPSERT, { system: 'acme-crm', input }, ACME);
    expect(res.errors).toBeUndefined();
    const result = res.data!.upsertCustomers;
    expect(result.rows.map((r: any) => r.outcome)).toEqual(['CREATED', 'MATCHED', 'INVALID']);
    expect(result.rows[2].invalidFields).toEqual(['input[2].segment', 'input[2].region']);
    expect(result.rows[1].customerId).toBe(acmeCustomer.id);
    const again = await gql(hub.gatewayUrl, UPSERT, { system: 'acme-crm', input: input.slice(0, 2) }, ACME);
    expect(again.data!.upsertCustomers.rows.map((r: any) => r.outcome)).toEqual(['UNCHANGED', 'UNCHANGED']);
    const found = await gql(hub.gatewayUrl, `{ customerByExternalId(system: "acme-crm", externalId: "E2E-1") { id name } }`, {}, ACME);
    expect(found.data!.customerByExternalId).toEqual({ id: result.rows[0].customerId, name: 'Northwind Traders' });
  });

  it('records a claim (not an overwrite) when another partner syncs the same company; only internal teams see claims', async () => {
    const res = await gql(
      hub.gatewayUrl,
      UPSERT,
      { system: 'globex-crm', input: [{ externalId: 'G-9', name: 'Mine', domain: 'northwind-traders.example', segment: 'SMB', region: 'EMEA' }] },
      GLOBEX,
    );
    expect(res.data!.upsertCustomers.rows[0]).toMatchObject({ outcome: 'CONFLICT', reasonCode: 'OWNERSHIP_CLAIMED', customerId: null, current: null });
    const claims = await gql(hub.gatewayUrl, `{ ownershipClaims { nodes { claimantPartnerId system externalId status } } }`, {}, INTERNAL);
    expect(claims.data!.ownershipClaims.nodes).toEqual([
      { claimantPartnerId: DEMO_PARTNERS.find((p) => p.apiKey === GLOBEX)!.id, system: 'globex-crm', externalId: 'G-9', status: 'OPEN' },
    ]);
    expect(codes(await gql(hub.gatewayUrl, `{ ownershipClaims { nodes { id } } }`, {}, GLOBEX))).toEqual(['FORBIDDEN']);
  });

  it('refuses more than 1,000 rows as BAD_USER_INPUT', async () => {
    const input = Array.from({ length: 1001 }, (_, i) => ({ externalId: `X-${i}` }));
    const res = await gql(hub.gatewayUrl, UPSERT, { system: 'acme-crm', input }, ACME);
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('serves each partner its own change feed, resumable from its cursor', async () => {
    const acme = await gql(hub.gatewayUrl, CHANGES, { first: 100 }, ACME);
    expect(acme.errors).toBeUndefined();
    const types = acme.data!.changes.edges.map((e: any) => e.node.type);
    expect(types).toContain('CustomerCreated');
    const globex = await gql(hub.gatewayUrl, CHANGES, { first: 100 }, GLOBEX);
    const acmeIds = new Set(acme.data!.changes.edges.map((e: any) => e.node.id));
    expect(globex.data!.changes.edges.filter((e: any) => acmeIds.has(e.node.id))).toEqual([]);
    const cursor = acme.data!.changes.pageInfo.endCursor;
    await gql(hub.gatewayUrl, UPSERT, { system: 'acme-crm', input: [{ externalId: 'E2E-1', name: 'Northwind Traders Ltd' }] }, ACME);
    // The feed never reads past a transaction still open anywhere on the server (that is what
    // keeps it gap-free), so a change can take a moment to appear while others are writing.
    let next = await gql(hub.gatewayUrl, CHANGES, { after: cursor }, ACME);
    for (let i = 0; i < 50 && next.data!.changes.edges.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      next = await gql(hub.gatewayUrl, CHANGES, { after: cursor }, ACME);
    }
    expect(next.data!.changes.edges.map((e: any) => [e.node.type, e.node.payload.changed])).toEqual([['CustomerUpdated', ['name']]]);
    expect(codes(await gql(hub.gatewayUrl, CHANGES, { after: 'garbage' }, ACME))).toEqual(['BAD_USER_INPUT']);
  });

  it('manages webhooks and delivers signed events to them; refuses private targets and other partners', async () => {
    const created = await gql(
      hub.gatewayUrl,
      `mutation($url: String!) { createWebhook(url: $url, events: ["CustomerUpdated"]) { secret standardWebhooksSecret webhook { id url events status } } }`,
      { url: rx.url },
      ACME,
    );
    expect(created.errors).toBeUndefined();
    const { secret, standardWebhooksSecret, webhook } = created.data!.createWebhook;
    // The receiver verifies as a partner would, with the standardwebhooks library (401 otherwise).
    rx.standardWebhooksSecret = standardWebhooksSecret;
    expect(webhook).toMatchObject({ url: rx.url, events: ['CustomerUpdated'], status: 'ACTIVE' });
    const ssrf = await gql(hub.gatewayUrl, `mutation { createWebhook(url: "http://169.254.169.254/latest", events: ["*"]) { secret } }`, {}, ACME);
    expect(codes(ssrf)).toEqual(['BAD_USER_INPUT']);
    expect(firstError(ssrf).extensions!.fields).toEqual([{ field: 'url', message: expect.stringMatching(/private address/) }]);

    await gql(hub.gatewayUrl, UPSERT, { system: 'acme-crm', input: [{ externalId: 'E2E-1', name: 'Northwind (hooked)' }] }, ACME);
    await until(() => rx.received.length >= 1, 15000, 'webhook delivery');
    const delivery = present(rx.received[0], 'the webhook delivery');
    expect(delivery.json.type).toBe('CustomerUpdated');
    expect((delivery.json.payload as any).customer.name).toBe('Northwind (hooked)');
    expect(
      verifyDelivery(
        secret,
        { timestamp: delivery.headers['x-hub-timestamp'] as string, signature: delivery.headers['x-hub-signature'] as string },
        delivery.body,
      ),
    ).toBe(true);
    expect(rx.refused).toEqual([]);

    const LOG = `query { webhooks { nodes { id status deliveries(first: 5) { nodes { id eventId status attempts lastStatusCode attemptLog { statusCode latencyMs } } } } } }`;
    await until(
      async () => (await gql(hub.gatewayUrl, LOG, {}, ACME)).data!.webhooks.nodes[0].deliveries.nodes[0]?.status === 'SUCCEEDED',
      10000,
      'delivery log',
    );
    const logRes = await gql(hub.gatewayUrl, LOG, {}, ACME);
    const [entry] = logRes.data!.webhooks.nodes[0].deliveries.nodes;
    expect(entry).toMatchObject({ eventId: delivery.json.id, status: 'SUCCEEDED', attempts: 1, lastStatusCode: 200, attemptLog: [{ statusCode: 200 }] });

    expect((await gql(hub.gatewayUrl, LOG, {}, GLOBEX)).data!.webhooks.nodes).toEqual([]);
    const foreign = await gql(hub.gatewayUrl, `mutation($id: ID!) { pauseWebhook(id: $id) { id } }`, { id: webhook.id }, GLOBEX);
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    const paused = await gql(hub.gatewayUrl, `mutation($id: ID!) { pauseWebhook(id: $id) { status } }`, { id: webhook.id }, ACME);
    expect(paused.data!.pauseWebhook.status).toBe('PAUSED');
    const redelivered = await gql(hub.gatewayUrl, `mutation($id: ID!) { redeliver(deliveryId: $id) { status } }`, { id: entry.id }, ACME);
    expect(redelivered.data!.redeliver.status).toBe('PENDING');
    const resumed = await gql(hub.gatewayUrl, `mutation($id: ID!) { resumeWebhook(id: $id) { status } }`, { id: webhook.id }, ACME);
    expect(resumed.data!.resumeWebhook.status).toBe('ACTIVE');
    await until(() => rx.received.length >= 2, 15000, 'redelivery');
    expect(rx.received[1]?.json.id).toBe(delivery.json.id);
    const deleted = await gql(hub.gatewayUrl, `mutation($id: ID!) { deleteWebhook(id: $id) }`, { id: webhook.id }, ACME);
    expect(deleted.data!.deleteWebhook).toBe(webhook.id);
  });

  describe('bulk bodies: upsertCustomers at the size it promises, every other operation tight', () => {
    const COUNTS = `mutation($system: String!, $input: [UpsertCustomerInput!]!) { upsertCustomers(system: $system, input: $input) { created updated unchanged invalid conflicts } }`;
    const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;

    /** POSTs a raw body; `sql` is what the hub ran meanwhile (background work excluded). */
    async function send(body: string, apiKey = ACME) {
      const before = totalQueryCount();
      const res = await fetch(hub.gatewayUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` }, body });
      const json = (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, any> }[]; extensions?: Record<string, any> };
      return { status: res.status, json, sql: totalQueryCount() - before };
    }
    const rowsIn = async (system: string) =>
      (await hub.db.asAdmin<{ n: number }>(`SELECT count(*)::int AS n FROM accounts.customer_external_ids WHERE system = $1`, [system]))[0]!.n;

    it('applies 1,000 rows of about 1 KB in one call, within the default cost budget', async () => {
      const input = Array.from({ length: 1000 }, (_, i) => realisticCustomerRow('BULK', i));
      const body = JSON.stringify({ query: COUNTS, variables: { system: 'acme-bulk', input } });
      expect(Buffer.byteLength(body)).toBeGreaterThan(1000 * 1024);
      const res = await send(body);
      expect(res.json.errors).toBeUndefined();
      expect(res.status).toBe(200);
      expect(res.json.data.upsertCustomers).toEqual({ created: 1000, updated: 0, unchanged: 0, invalid: 0, conflicts: 0 });
      expect(res.json.extensions!.cost.requestedQueryCost).toBeLessThanOrEqual(1000);
      expect(await rowsIn('acme-bulk')).toBe(1000);
      const row = input[999]!;
      const last = await gql(
        hub.gatewayUrl,
        `{ customerByExternalId(system: "acme-bulk", externalId: "${row.externalId}") { name contacts { email } context { notes } } }`,
        {},
        ACME,
      );
      expect(last.data!.customerByExternalId).toEqual({
        name: row.name,
        contacts: row.contacts.map((c) => ({ email: c.email })),
        context: { notes: row.context.notes },
      });
    });

    it('refuses any other operation over the normal limit with 413 before anything runs, even beside a bulk field', async () => {
      const input = { name: 'Too big', segment: 'SMB', region: 'NA', context: { goals: [], painPoints: [], notes: 'x'.repeat(150 * 1024) } };
      const alone = await send(JSON.stringify({ query: CREATE, variables: { input } }));
      const mixed = await send(
        JSON.stringify({
          query: `mutation($system: String!, $rows: [UpsertCustomerInput!]!, $input: CreateCustomerInput!) { upsertCustomers(system: $system, input: $rows) { created } createCustomer(input: $input) { id } }`,
          variables: { system: 'acme-mixed', rows: [realisticCustomerRow('MIXED', 1)], input },
        }),
      );
      const picked = await send(
        JSON.stringify({
          query: `${COUNTS.replace('mutation', 'mutation Bulk')} query Other { me { role } }`,
          operationName: 'Other',
          variables: { system: 'acme-mixed', input: [], pad: 'x'.repeat(150 * 1024) },
        }),
      );
      for (const res of [alone, mixed, picked]) {
        expect(res.status).toBe(413);
        expect(res.json.errors!.map((e) => e.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);
        expect(firstError(res.json)!.message).toMatch(/larger than 102400 bytes.*upsertCustomers/);
        expect(res.json.data ?? null).toBeNull();
        expect(res.sql).toBe(0);
      }
      expect(await rowsIn('acme-mixed')).toBe(0);
    });

    it('refuses a body over the bulk limit from its Content-Length, unread', async () => {
      const input = Array.from({ length: 1000 }, (_, i) => ({
        ...realisticCustomerRow('HUGE', i),
        context: { goals: [], painPoints: [], notes: 'x'.repeat(2200) },
      }));
      const body = JSON.stringify({ query: COUNTS, variables: { system: 'acme-huge', input } });
      expect(Buffer.byteLength(body)).toBeGreaterThan(2 * 1024 * 1024);
      const res = await send(body);
      expect(res.status).toBe(413);
      expect(res.json.errors!.map((e) => e.extensions?.code)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(firstError(res.json)!.message).toMatch(/larger than 2097152 bytes/);
      expect(res.sql).toBe(0);
      expect(await rowsIn('acme-huge')).toBe(0);
    });
  });
});
