import { BACKGROUND } from '../../../shared/db/query-counter';
import { codes, firstError } from '../../../test/support/graphql-client';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { internalIdentity, partnerIdentity, subgraphGql } from '../../../test/support/subgraph-client';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../src/seed';
import { present } from '../../../test/support/present';

const partnerId = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!.id;
const ACME = partnerIdentity(partnerId('acme'));
const GLOBEX = partnerIdentity(partnerId('globex'));
const INTERNAL = internalIdentity(partnerId('revops'));
const acmeCustomers = DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === ACME.partnerId);

const CREATE = `mutation($input: CreateCustomerInput!, $key: String) { createCustomer(input: $input, idempotencyKey: $key) { id name domain version externalIds { system externalId } } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, expectedVersion: $v, input: $input) { id name version segment } }`;

describe('accounts subgraph: customers', () => {
  let a: AccountsUnderTest;
  const q = (query: string, variables: Record<string, unknown> = {}, who = ACME) => subgraphGql(a.url, query, variables, who);
  const TRANSACTION_CONTROL = /^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN|SAVEPOINT|RELEASE)/i;
  /**
   * SQL statements the subgraph's code sends while `fn` runs, counted from its query log as
   * totalQueryCount() counts them (no background work, no transaction control) but without
   * the row-level security tenant switch a pooled connection needs when the hub's own
   * background work (the webhook worker) used it last: whether it does depends on timing.
   */
  async function resolverStatements<T>(fn: () => Promise<T>): Promise<{ result: T; count: number }> {
    const logger = a.db.logger;
    const logQuery = logger.logQuery.bind(logger);
    let count = 0;
    logger.logQuery = (query, ...rest) => {
      if (!query.startsWith(BACKGROUND) && !TRANSACTION_CONTROL.test(query)) count++;
      return logQuery(query, ...rest);
    };
    try {
      return { result: await fn(), count };
    } finally {
      logger.logQuery = logQuery;
    }
  }
  const customerCount = async () => Number((await a.db.query(`SELECT count(*) FROM accounts.customers`))[0].count);

  beforeAll(async () => {
    a = await startAccounts();
  });
  afterAll(async () => {
    await a?.stop();
  });

  describe('createCustomer', () => {
    it('creates a customer owned by the calling partner, with its external ids and an event in the log', async () => {
      const res = await q(CREATE, {
        input: {
          name: ' Zeta Corp ',
          domain: 'https://www.Zeta.example.com/about',
          segment: 'SMB',
          region: 'NA',
          externalIds: [{ system: 'acme-crm', externalId: 'Z-1' }],
        },
      });
      expect(res.errors).toBeUndefined();
      const created = res.data!.createCustomer;
      expect(created).toMatchObject({ name: 'Zeta Corp', domain: 'zeta.example.com', version: 1, externalIds: [{ system: 'acme-crm', externalId: 'Z-1' }] });
      const [access] = await a.db.query(`SELECT partner_id, kind FROM accounts.customer_access WHERE customer_id = $1`, [created.id]);
      expect(access).toEqual({ partner_id: ACME.partnerId, kind: 'OWNER' });
      const events = await a.db.query(`SELECT type, visible_to FROM eventlog.events WHERE aggregate_id = $1`, [created.id]);
      expect(events).toEqual([{ type: 'CustomerCreated', visible_to: [ACME.partnerId] }]);
    });

    it.each([
      ['an empty name', { name: '   ' }, 'input.name'],
      ['a bad domain', { domain: 'not a domain' }, 'input.domain'],
      ['a bad contact email', { contacts: [{ name: 'X', email: 'nope' }] }, 'input.contacts.0.email'],
    ])('refuses %s with BAD_USER_INPUT naming the field, writing nothing', async (_label, patch, field) => {
      const before = await customerCount();
      const res = await q(CREATE, { input: { name: 'Valid', segment: 'SMB', region: 'NA', ...patch } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(firstError(res).extensions!.fields)).toContain(field);
      expect(await customerCount()).toBe(before);
    });

    it('refuses an unknown enum value with BAD_USER_INPUT', async () => {
      const res = await q(CREATE, { input: { name: 'Valid', segment: 'GIANT', region: 'NA' } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(firstError(res).message).toContain('segment');
    });

    it('replays an idempotency key to the same customer, and refuses the key with another payload', async () => {
      const input = { name: 'Idem Co', domain: 'idem.example.com', segment: 'SMB', region: 'EMEA' };
      const first = await q(CREATE, { input, key: 'k-1' });
      const again = await q(CREATE, { input, key: 'k-1' });
      expect(again.data!.createCustomer.id).toBe(first.data!.createCustomer.id);
      const other = await q(CREATE, { input: { ...input, name: 'Other Co' }, key: 'k-1' });
      expect(codes(other)).toEqual(['BAD_USER_INPUT']);
      expect(firstError(other).message).toMatch(/idempotencyKey "k-1" was already used/);
      const rows = await a.db.query(`SELECT count(*) FROM accounts.customers WHERE domain = 'idem.example.com'`);
      expect(Number(rows[0].count)).toBe(1);
    });

    it('creates once when the same key races in parallel', async () => {
      const input = { name: 'Race Co', domain: 'race.example.com', segment: 'SMB', region: 'NA' };
      const results = await Promise.all([1, 2, 3, 4].map(() => q(CREATE, { input, key: 'race-key' })));
      const ids = new Set(results.map((r) => r.data?.createCustomer.id));
      expect(results.every((r) => !r.errors)).toBe(true);
      expect(ids.size).toBe(1);
    });

    it('keeps idempotency keys per caller', async () => {
      const input = { name: 'Shared Key Co', segment: 'SMB', region: 'NA' };
      const mine = await q(CREATE, { input, key: 'same' }, ACME);
      const theirs = await q(CREATE, { input, key: 'same' }, GLOBEX);
      expect(mine.data!.createCustomer.id).not.toBe(theirs.data!.createCustomer.id);
    });

    it('lets only internal callers choose the owner', async () => {
      const forbidden = await q(CREATE, { input: { name: 'X', segment: 'SMB', region: 'NA', ownerPartnerId: GLOBEX.partnerId } }, ACME);
      expect(codes(forbidden)).toEqual(['FORBIDDEN']);
      const ok = await q(CREATE, { input: { name: 'Owned By Globex', segment: 'SMB', region: 'NA', ownerPartnerId: GLOBEX.partnerId } }, INTERNAL);
      expect(ok.errors).toBeUndefined();
      const unknown = await q(CREATE, { input: { name: 'X', segment: 'SMB', region: 'NA', ownerPartnerId: '00000000-0000-4000-8000-0000000000ff' } }, INTERNAL);
      expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    });

    it('refuses a second customer with the same domain with CONFLICT', async () => {
      const res = await q(CREATE, { input: { name: 'Dup', domain: DEMO_CUSTOMERS[1]!.domain, segment: 'SMB', region: 'NA' } });
      expect(codes(res)).toEqual(['CONFLICT']);
    });
  });

  describe('updateCustomer', () => {
    const target = present(acmeCustomers[0], 'a demo customer of Acme');

    it('applies the change, bumps the version and logs an event naming the changed fields', async () => {
      const res = await q(UPDATE, { id: target.id, v: 1, input: { name: 'Contoso Pharma Global', segment: 'STRATEGIC' } });
      expect(res.data!.updateCustomer).toEqual({ id: target.id, name: 'Contoso Pharma Global', version: 2, segment: 'STRATEGIC' });
      const [event] = await a.db.query(`SELECT payload FROM eventlog.events WHERE aggregate_id = $1 AND type = 'CustomerUpdated' ORDER BY seq DESC LIMIT 1`, [
        target.id,
      ]);
      expect(event.payload.changed.sort()).toEqual(['name', 'segment']);
    });

    it('refuses a stale expectedVersion with CONFLICT carrying the current version, changing nothing', async () => {
      const res = await q(UPDATE, { id: target.id, v: 1, input: { name: 'Stale Write' } });
      expect(codes(res)).toEqual(['CONFLICT']);
      expect(firstError(res).extensions!.currentVersion).toBe(2);
      const [row] = await a.db.query(`SELECT name, version FROM accounts.customers WHERE id = $1`, [target.id]);
      expect(row).toEqual({ name: 'Contoso Pharma Global', version: 2 });
    });

    it('gives exactly one of two racing writers the new version', async () => {
      const results = await Promise.all(['A', 'B'].map((n) => q(UPDATE, { id: target.id, v: 2, input: { name: `Racer ${n}` } })));
      expect(results.map((r) => (r.errors ? r.errors[0]!.extensions!.code : 'OK')).sort()).toEqual(['CONFLICT', 'OK']);
    });

    it('answers NOT_FOUND to a partner without access, and changes nothing', async () => {
      const res = await q(UPDATE, { id: target.id, v: 3, input: { name: 'Hijack' } }, GLOBEX);
      expect(codes(res)).toEqual(['NOT_FOUND']);
    });

    it('refuses an empty change and a malformed id with BAD_USER_INPUT', async () => {
      expect(codes(await q(UPDATE, { id: target.id, v: 3, input: {} }))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await q(UPDATE, { id: 'not-a-uuid', v: 1, input: { name: 'x' } }))).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('reads', () => {
    it('pages through every visible customer with stable cursors', async () => {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const res: any = await q(`query($after: String) { customers(first: 2, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } } }`, {
          after,
        });
        seen.push(...res.data.customers.edges.map((e: any) => e.node.id));
        if (!res.data.customers.pageInfo.hasNextPage) break;
        after = res.data.customers.pageInfo.endCursor;
      }
      const [{ count }] = await a.db.query(`SELECT count(*) FROM accounts.customer_access WHERE partner_id = $1`, [ACME.partnerId]);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBe(Number(count));
    });

    it('refuses `first` over the cap and a malformed cursor with BAD_USER_INPUT naming the argument', async () => {
      const over = await q(`{ customers(first: 1000) { edges { cursor } } }`);
      expect(codes(over)).toEqual(['BAD_USER_INPUT']);
      expect(firstError(over).extensions!.fields).toEqual([{ field: 'first', message: expect.any(String) }]);
      const bad = await q(`{ customers(after: "garbage") { edges { cursor } } }`);
      expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
      expect(firstError(bad).extensions!.fields[0].field).toBe('after');
    });

    it('filters by segment, region and search, within what the caller may see', async () => {
      // Matches the domain too: the record was renamed by the tests above.
      const res = await q(`{ customers(first: 100, filter: { search: "PHARMA" }) { edges { node { domain } } } }`, {}, INTERNAL);
      expect(res.data!.customers.edges.map((e: any) => e.node.domain)).toEqual(['contoso-pharma.com']);
      const emea = await q(`{ customers(first: 100, filter: { region: EMEA, segment: MID_MARKET }) { edges { node { region segment } } } }`, {}, INTERNAL);
      expect(emea.data!.customers.edges.length).toBeGreaterThan(0);
      expect(emea.data!.customers.edges.every((e: any) => e.node.region === 'EMEA' && e.node.segment === 'MID_MARKET')).toBe(true);
      const hidden = await q(`{ customers(first: 100, filter: { ownerPartnerId: "${GLOBEX.partnerId}" }) { edges { node { id } } } }`, {}, ACME);
      expect(hidden.data!.customers.edges).toEqual([]);
    });

    it('answers customer() and customerByExternalId() with NOT_FOUND for what the caller may not see', async () => {
      const globexCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === GLOBEX.partnerId)!;
      const direct = await q(`query($id: ID!) { customer(id: $id) { name } }`, { id: globexCustomer.id });
      expect(direct.data!.customer).toBeNull();
      expect(codes(direct)).toEqual(['NOT_FOUND']);
      const idx = DEMO_CUSTOMERS.indexOf(globexCustomer);
      const byExt = await q(`{ customerByExternalId(system: "demo-crm", externalId: "CRM-${1000 + idx}") { name } }`);
      expect(codes(byExt)).toEqual(['NOT_FOUND']);
      const own = await q(`{ customerByExternalId(system: "demo-crm", externalId: "CRM-1000") { id } }`);
      expect(own.data!.customerByExternalId.id).toBe(DEMO_CUSTOMERS[0]!.id);
    });

    it('resolves _entities in one statement, null for hidden and missing customers', async () => {
      const visible = acmeCustomers.slice(0, 3).map((c) => c.id);
      const hidden = DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === GLOBEX.partnerId).map((c) => c.id);
      const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id } } }`;
      const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Customer', id }));

      const hits = await resolverStatements(() => q(entities, { r: reps(visible) }));
      expect(hits.result.data!._entities).toEqual(visible.map((id) => ({ id })));
      expect(hits.count).toBe(1);

      // A miss catches accounts' ownership projection up once and retries once (a receiver may
      // have just been handed the customer): two statements for the batch, however many rows.
      const mixed = await resolverStatements(() => q(entities, { r: reps([...visible, ...hidden, '00000000-0000-4000-9000-0000000000ff', 'nonsense']) }));
      expect(mixed.result.data!._entities).toEqual([...visible.map((id) => ({ id })), ...hidden.map(() => null), null, null]);
      expect(mixed.count).toBeLessThanOrEqual(2);
    });
  });

  describe('partners and me', () => {
    it('tells the caller who it is', async () => {
      const res = await q(`{ me { role scopes partner { name kind } } }`);
      expect(res.data!.me).toMatchObject({ role: 'PARTNER', partner: { name: 'Acme Reseller', kind: 'RESELLER' } });
    });

    it('lets only internal callers create partners, and logs PartnerCreated', async () => {
      const input = { name: 'New Reseller', kind: 'RESELLER', tier: 'SILVER', region: 'APAC' };
      const denied = await q(`mutation($input: CreatePartnerInput!) { createPartner(input: $input) { id } }`, { input });
      expect(codes(denied)).toEqual(['FORBIDDEN']);
      const ok = await q(`mutation($input: CreatePartnerInput!) { createPartner(input: $input) { id name kind } }`, { input }, INTERNAL);
      expect(ok.data!.createPartner).toMatchObject({ name: 'New Reseller', kind: 'RESELLER' });
      const events = await a.db.query(`SELECT type FROM eventlog.events WHERE aggregate_id = $1`, [ok.data!.createPartner.id]);
      expect(events).toEqual([{ type: 'PartnerCreated' }]);
    });

    it('exposes Prometheus metrics: requests, errors by code, latency, event-log lag', async () => {
      const text = await (await fetch(a.url.replace('/graphql', '/metrics'))).text();
      expect(text).toMatch(/hub_graphql_requests_total\{service="accounts",operation="mutation",outcome="ok"\} \d+/);
      expect(text).toMatch(/hub_graphql_errors_total\{service="accounts",code="BAD_USER_INPUT"\} \d+/);
      expect(text).toContain('hub_graphql_request_duration_seconds_bucket');
      // Lag of the consumers this server runs (it runs all of accounts' here): one series each.
      for (const consumer of ['accounts.notification-fanout', 'accounts.ownership', 'accounts.renewal-outcomes', 'accounts.webhook-fanout']) {
        expect(text).toMatch(new RegExp(`hub_eventlog_consumer_lag_events\\{consumer="${consumer.replace('.', '\\.')}"\\} \\d+`));
        expect(text).toMatch(new RegExp(`hub_eventlog_consumer_lag_seconds\\{consumer="${consumer.replace('.', '\\.')}"\\} [\\d.e+-]+`));
      }
      expect(text).toContain('# TYPE hub_webhook_backlog gauge');
    });

    it('refuses a call without the gateway’s signature', async () => {
      const res = await subgraphGql(a.url, `{ me { role } }`, {}, null);
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    });
  });
});
