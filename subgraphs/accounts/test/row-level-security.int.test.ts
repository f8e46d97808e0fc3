import type { Identity } from '../../../shared/auth/identity';
import { asHub, withTenant } from '../../../shared/db/tenant-context';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { codes, firstError } from '../../../test/support/graphql-client';
import { internalIdentity, partnerIdentity, subgraphGql } from '../../../test/support/subgraph-client';
import { DEMO_CUSTOMERS, DEMO_PARTNERS, DEMO_PEOPLE } from '../src/seed';
import { present } from '../../../test/support/present';

/**
 * Partner isolation in Postgres itself: with the caller's tenant on the
 * connection, a bare SELECT with no WHERE clause returns only what the resolvers would
 * show, and writes a partner may not make fail — even if a resolver forgot its check.
 * Fixtures hold rows of two partners (and an internal team) in every table, so a leak shows.
 */
const partnerId = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!.id;
const A = partnerId('acme');
const B = partnerId('globex');
const HQ = partnerId('revops');
const AS_A = partnerIdentity(A);
const AS_B = partnerIdentity(B);
const INTERNAL = internalIdentity(HQ);
const NO_ONE: Identity = { role: 'PARTNER', scopes: ['customers:read'] };

const aCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === A)!;
const bOwns = DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === B);
const bCustomer = present(bOwns[0], "B's first demo customer");
const bShared = present(bOwns[1], "B's second demo customer");

const WEBHOOK = { a: '00000000-0000-4000-a000-00000000000a', b: '00000000-0000-4000-a000-00000000000b', hq: '00000000-0000-4000-a000-0000000000ff' };
const DELIVERY = { a: '00000000-0000-4000-b000-00000000000a', b: '00000000-0000-4000-b000-00000000000b', hq: '00000000-0000-4000-b000-0000000000ff' };
const CLAIM = '00000000-0000-4000-c000-00000000000b';
/**
 * The money fixtures' own customers (the demo's have figures of their own): one of A's, one of
 * B's, and one of B's that A collaborates on.
 */
const MONEY = { a: '00000000-0000-4000-d000-00000000000a', b: '00000000-0000-4000-d000-00000000000b', shared: '00000000-0000-4000-d000-0000000000ab' };
const MONEY_IDS = Object.values(MONEY);
const CHANNEL = { a: '00000000-0000-4000-c000-00000000000a', b: '00000000-0000-4000-c000-00000000000b', hq: '00000000-0000-4000-c000-0000000000ff' };
const personOf = (partner: string) =>
  present(
    DEMO_PEOPLE.find((p) => p.partnerId === partner),
    'a demo person',
  ).id;

/** Commercial figures are the owner's: a grant (collaborator) is not enough to see them. */
const ownedBy = (table: string) =>
  `EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = ${table}.customer_id AND a.partner_id = $1 AND a.kind = 'OWNER')`;

/**
 * Each tenant table: how a row is named, and which rows partner $1 may see, written as the
 * resolvers decide it (their WHERE clauses and checks, not the policies).
 */
const TABLES: { table: string; key: string; seenBy: string }[] = [
  { table: 'partners', key: 'id::text', seenBy: 'true' },
  {
    table: 'customers',
    key: 'id::text',
    seenBy: 'EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = customers.id AND a.partner_id = $1)',
  },
  { table: 'customer_access', key: `customer_id || '/' || partner_id`, seenBy: 'partner_id = $1' },
  {
    table: 'customer_external_ids',
    key: `system || '/' || external_id`,
    seenBy: 'EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = customer_external_ids.customer_id AND a.partner_id = $1)',
  },
  { table: 'api_keys', key: 'id::text', seenBy: 'partner_id = $1' },
  { table: 'people', key: 'id::text', seenBy: 'partner_id = $1' },
  { table: 'sessions', key: 'id::text', seenBy: 'partner_id = $1' },
  { table: 'idempotency_keys', key: `caller || '/' || key`, seenBy: 'caller = $1::text' },
  { table: 'customer_ownership_claims', key: 'id::text', seenBy: 'false' },
  { table: 'webhooks', key: 'id::text', seenBy: 'partner_id = $1' },
  {
    table: 'webhook_deliveries',
    key: 'id::text',
    seenBy: 'EXISTS (SELECT 1 FROM accounts.webhooks w WHERE w.id = webhook_deliveries.webhook_id AND w.partner_id = $1)',
  },
  { table: 'customer_commercials', key: 'customer_id::text', seenBy: ownedBy('customer_commercials') },
  { table: 'customer_commercials_history', key: 'id::text', seenBy: ownedBy('customer_commercials_history') },
  { table: 'renewal_outcomes', key: 'id::text', seenBy: ownedBy('renewal_outcomes') },
  { table: 'exchange_rate_versions', key: 'version::text', seenBy: 'true' },
  { table: 'exchange_rates', key: `version || '/' || currency || '/' || day`, seenBy: 'false' },
  { table: 'notification_channels', key: 'id::text', seenBy: 'partner_id = $1' },
  { table: 'notification_preferences', key: 'id::text', seenBy: 'partner_id = $1' },
  { table: 'notifications', key: 'id::text', seenBy: 'partner_id = $1' },
  {
    table: 'webhook_attempts',
    key: 'id::text',
    seenBy: `EXISTS (SELECT 1 FROM accounts.webhook_deliveries d JOIN accounts.webhooks w ON w.id = d.webhook_id
                      WHERE d.id = webhook_attempts.delivery_id AND w.partner_id = $1)`,
  },
];

describe('accounts row-level security', () => {
  let a: AccountsUnderTest;
  /** Runs SQL as `who` (null: as the hub itself, like the fixtures). */
  const sql = (who: Identity | null, text: string, params: unknown[] = []): Promise<any> =>
    who ? withTenant(who, () => a.db.query(text, params)) : a.db.query(text, params);
  const keys = async (who: Identity | null, table: string, key: string, where = 'true', params: unknown[] = []) =>
    ((await sql(who, `SELECT ${key} AS k FROM accounts.${table} WHERE ${where}`, where.includes('$1') ? params : [])) as { k: string }[])
      .map((r) => r.k)
      .sort();
  /** Rows an UPDATE or DELETE touched (TypeORM answers them with [rows, affected]). */
  const affected = async (who: Identity, text: string, params: unknown[] = []) => ((await sql(who, text, params)) as [unknown[], number])[1];
  const refused = (who: Identity, text: string, params: unknown[] = []) => expect(sql(who, text, params)).rejects.toMatchObject({ code: '42501' });

  /** The fixtures' version of the exchange rates. */
  let ratesVersion: number;

  beforeAll(async () => {
    a = await startAccounts();
    // As the hub, like the seed: A collaborates on one of B's customers; each partner (and an
    // internal team) has idempotency keys and a webhook with a delivery and an attempt; B has
    // claimed one of A's customers. Webhooks are paused and want no real event type, so the
    // running fan-out and delivery worker leave them alone.
    await sql(null, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')`, [bShared.id, A]);
    for (const caller of [A, B, 'internal']) {
      await sql(null, `INSERT INTO accounts.idempotency_keys (caller, operation, key, request_hash, result_id) VALUES ($1, 'createCustomer', 'k1', 'h', 'r')`, [
        caller,
      ]);
    }
    await sql(
      null,
      `INSERT INTO accounts.customer_ownership_claims (id, customer_id, claimant_partner_id, owner_partner_id, system, external_id) VALUES ($1, $2, $3, $4, 'globex-crm', 'G-9')`,
      [CLAIM, aCustomer.id, B, A],
    );
    for (const [who, owner, internal] of [
      ['a', A, false],
      ['b', B, false],
      ['hq', HQ, true],
    ] as const) {
      await sql(
        null,
        `INSERT INTO accounts.webhooks (id, partner_id, owner_internal, url, events, secret, status, start_tx, start_seq)
         VALUES ($1::uuid, $2, $3, 'https://hooks.example.com/' || $1::text, '{TestOnly}', 'secret-secret-secret-secret', 'PAUSED', '0', 0)`,
        [WEBHOOK[who], owner, internal],
      );
      await sql(
        null,
        `INSERT INTO accounts.webhook_deliveries (id, webhook_id, event_id, event_tx, event_seq, event_type, status)
         VALUES ($1, $2, gen_random_uuid(), '1', 1, 'TestOnly', 'SUCCEEDED')`,
        [DELIVERY[who], WEBHOOK[who]],
      );
      await sql(null, `INSERT INTO accounts.webhook_attempts (delivery_id, status_code) VALUES ($1, 200)`, [DELIVERY[who]]);
      // Notifications: a team channel, a preference of it and of one person, one sent
      // notification each (SENT: the running sender leaves it alone).
      await sql(
        null,
        `INSERT INTO accounts.notification_channels (id, partner_id, kind, label, url) VALUES ($1::uuid, $2, 'SLACK', '#rls', 'https://hooks.example.com/' || $1::text)`,
        [CHANNEL[who], owner],
      );
      await sql(
        null,
        `INSERT INTO accounts.notification_preferences (partner_id, person_id, channel_id, event_type, enabled) VALUES ($1, $2, NULL, 'HandoffProposed', false), ($1, NULL, $3, 'HandoffProposed', false)`,
        [owner, personOf(owner), CHANNEL[who]],
      );
      await sql(
        null,
        `INSERT INTO accounts.notifications (partner_id, person_id, channel_kind, recipient_key, recipient, event_id, event_type, status, content)
         VALUES ($1, $2::uuid, 'EMAIL', 'person:' || $2::text, 'x@example.com', gen_random_uuid(), 'HandoffProposed', 'SENT', '{}')`,
        [owner, personOf(owner)],
      );
    }
    // Money: figures, a revision and a renewal outcome of A's customer, of B's and of the one
    // B shares with A; one version of exchange rates (internal), after any already on record.
    for (const [customer, owner] of [
      [MONEY.a, A],
      [MONEY.b, B],
      [MONEY.shared, B],
    ] as const) {
      await sql(
        null,
        `INSERT INTO accounts.customers (id, name, segment, region, lifecycle_stage, owner_partner_id) VALUES ($1::uuid, 'Money ' || $1::text, 'SMB', 'NA', 'ACTIVE', $2)`,
        [customer, owner],
      );
      await sql(null, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')`, [customer, owner]);
      await sql(null, `INSERT INTO accounts.customer_commercials (customer_id, currency, arr, customer_version) VALUES ($1, 'EUR', 1000, 1)`, [customer]);
      await sql(
        null,
        `INSERT INTO accounts.customer_commercials_history (customer_id, customer_version, currency, arr, source, changed_by_partner_id) VALUES ($1, 1, 'EUR', 1000, 'UPDATE', $2)`,
        [customer, owner],
      );
      await sql(
        null,
        `INSERT INTO accounts.renewal_outcomes (customer_id, owner_partner_id, kind, previous_arr, new_arr, currency, effective_date, recorded_by_partner_id)
         VALUES ($1, $2, 'RENEWED', 1000, 1000, 'EUR', '2027-01-01', $2)`,
        [customer, owner],
      );
    }
    await sql(null, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')`, [MONEY.shared, A]);
    [{ v: ratesVersion }] = await sql(null, `SELECT coalesce(max(version), 0)::int + 1 AS v FROM accounts.exchange_rate_versions`);
    await sql(null, `INSERT INTO accounts.exchange_rate_versions (version, reporting_currency, set_by_partner_id) VALUES ($1, 'EUR', $2)`, [ratesVersion, HQ]);
    await sql(
      null,
      `INSERT INTO accounts.exchange_rates (version, currency, day, rate) VALUES ($1, 'USD', '2026-11-02', 0.92), ($1, 'GBP', '2026-11-02', 1.15)`,
      [ratesVersion],
    );
    // A sign-in session of a person of A, of B and of the internal team (started by the hub).
    for (const partner of [A, B, HQ]) {
      await sql(
        null,
        `INSERT INTO accounts.sessions (partner_id, person_id, secret_hash, expires_at)
         SELECT partner_id, id, md5(random()::text), now() + interval '1 hour' FROM accounts.people WHERE partner_id = $1 ORDER BY created_at, id LIMIT 1`,
        [partner],
      );
    }
  });
  afterAll(async () => {
    await a?.stop();
  });

  // cost_budgets is the hub's alone (no request tenant sees it): cost-budget.int.test.ts.
  it('is enabled, forced and has policies on every accounts table, each one covered below', async () => {
    const tables: { name: string; enabled: boolean; forced: boolean; policies: number }[] = await sql(
      null,
      `SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'accounts' AND c.relkind IN ('r', 'p') AND c.relname NOT IN ('migrations', 'cost_budgets')
        ORDER BY 1`,
    );
    expect(tables.map((t) => t.name)).toEqual(TABLES.map((t) => t.table).sort());
    expect(tables.filter((t) => !t.enabled || !t.forced || t.policies === 0)).toEqual([]);
  });

  describe.each(TABLES)('$table', ({ table, key, seenBy }) => {
    it('shows each partner, with no WHERE clause, exactly what the resolvers would; internal all; no tenant nothing', async () => {
      const all = await keys(null, table, key);
      expect(all.length).toBeGreaterThan(0);
      for (const [who, id] of [
        [AS_A, A],
        [AS_B, B],
      ] as const) {
        const expected = await keys(null, table, key, seenBy, [id]);
        expect(await keys(who, table, key)).toEqual(expected);
      }
      expect(await keys(INTERNAL, table, key)).toEqual(all);
      expect(await keys(NO_ONE, table, key)).toEqual([]);
    });
  });

  it('keeps each partner to its own rows: the two see different sets, and neither sees the other’s private rows', async () => {
    const aSees = await keys(AS_A, 'customers', 'id::text');
    const bSees = await keys(AS_B, 'customers', 'id::text');
    expect(aSees).toContain(aCustomer.id);
    expect(aSees).toContain(bShared.id);
    expect(aSees).not.toContain(bCustomer.id);
    expect(bSees).not.toContain(aCustomer.id);
    expect(await keys(AS_A, 'webhooks', 'id::text')).toEqual([WEBHOOK.a]);
    expect(await keys(AS_B, 'webhook_attempts', 'delivery_id::text')).toEqual([DELIVERY.b]);
    expect(await keys(AS_B, 'customer_ownership_claims', 'id::text')).toEqual([]);
    // A collaborates on MONEY.shared, yet sees none of its figures; B, its owner, does.
    for (const table of ['customer_commercials', 'customer_commercials_history', 'renewal_outcomes']) {
      expect(await keys(AS_A, table, 'customer_id::text', 'customer_id = ANY($1)', [MONEY_IDS])).toEqual([MONEY.a]);
      expect(await keys(AS_B, table, 'customer_id::text', 'customer_id = ANY($1)', [MONEY_IDS])).toEqual([MONEY.b, MONEY.shared].sort());
    }
  });

  describe('writes a partner may not make', () => {
    it('notifications: channels and preferences only for itself, the log written only by the hub', async () => {
      await refused(
        AS_A,
        `INSERT INTO accounts.notification_channels (partner_id, kind, label, url) VALUES ($1, 'SLACK', 'x', 'https://hooks.example.com/x')`,
        [B],
      );
      await refused(
        AS_A,
        `INSERT INTO accounts.notification_preferences (partner_id, channel_id, event_type, enabled) VALUES ($1, $2, 'HandoffProposed', true)`,
        [B, CHANNEL.b],
      );
      expect(await affected(AS_A, `UPDATE accounts.notification_channels SET url = 'https://evil.example.com/' WHERE id = $1`, [CHANNEL.b])).toBe(0);
      expect(await affected(AS_A, `UPDATE accounts.notification_preferences SET enabled = true WHERE partner_id = $1`, [B])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.notification_channels WHERE id = $1`, [CHANNEL.b])).toBe(0);
      // Moving its own channel to another partner is refused by the policy's check.
      await refused(AS_A, `UPDATE accounts.notification_channels SET partner_id = $2 WHERE id = $1`, [CHANNEL.a, B]);
      await refused(
        AS_A,
        `INSERT INTO accounts.notifications (partner_id, channel_kind, recipient_key, recipient, event_type, status, content) VALUES ($1, 'EMAIL', 'k', 'x', 'X', 'PENDING', '{}')`,
        [A],
      );
      expect(await affected(AS_A, `UPDATE accounts.notifications SET status = 'PENDING'`)).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.notifications`)).toBe(0);
      expect(await keys(null, 'notification_channels', 'url', 'id = $1', [CHANNEL.b])).toEqual([`https://hooks.example.com/${CHANNEL.b}`]);
      // What it may do: manage its own.
      expect(await affected(AS_A, `UPDATE accounts.notification_preferences SET digest = true WHERE partner_id = $1`, [A])).toBe(2);
    });

    it('partners: no partner creates, edits or deletes one, its own included', async () => {
      await refused(AS_A, `INSERT INTO accounts.partners (name, kind, tier, region) VALUES ('Rogue', 'RESELLER', 'GOLD', 'NA')`);
      await refused(AS_A, `UPDATE accounts.partners SET tier = 'PLATINUM' WHERE id = $1`, [A]);
      expect(await affected(AS_A, `UPDATE accounts.partners SET tier = 'PLATINUM' WHERE id = $1`, [B])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.partners WHERE id = $1`, [B])).toBe(0);
      // Locking its own row is allowed: createApiKey does it to serialise the key cap.
      const locked = await withTenant(AS_A, () => a.db.transaction((m) => m.query(`SELECT id FROM accounts.partners WHERE id = ANY($1) FOR UPDATE`, [[A, B]])));
      expect(locked).toEqual([{ id: A }]);
    });

    it('customers: no creating one for another owner, touching another’s, moving ownership or deleting', async () => {
      await refused(
        AS_A,
        `INSERT INTO accounts.customers (name, segment, region, lifecycle_stage, owner_partner_id) VALUES ('Planted', 'SMB', 'NA', 'LEAD', $1)`,
        [B],
      );
      await refused(AS_A, `INSERT INTO accounts.customers (name, segment, region, lifecycle_stage) VALUES ('Unowned', 'SMB', 'NA', 'LEAD')`);
      expect(await affected(AS_A, `UPDATE accounts.customers SET name = 'Hijacked' WHERE id = $1`, [bCustomer.id])).toBe(0);
      // Ownership moves only through a handoff (the ownership consumer runs as the hub).
      await refused(AS_A, `UPDATE accounts.customers SET owner_partner_id = $2 WHERE id = $1`, [aCustomer.id, B]);
      await refused(AS_A, `UPDATE accounts.customers SET owner_partner_id = $2 WHERE id = $1`, [bShared.id, A]);
      expect(await affected(AS_A, `DELETE FROM accounts.customers WHERE id = $1`, [aCustomer.id])).toBe(0);
      // What it may do: edit a customer it owns or collaborates on.
      expect(await affected(AS_A, `UPDATE accounts.customers SET updated_at = now() WHERE id = ANY($1)`, [[aCustomer.id, bShared.id]])).toBe(2);
      expect((await sql(null, `SELECT name, owner_partner_id FROM accounts.customers WHERE id = $1`, [bCustomer.id]))[0]).toEqual({
        name: bCustomer.name,
        owner_partner_id: B,
      });
    });

    it('customer_access: no granting itself another’s customer, no grants for others, no editing or revoking', async () => {
      await refused(AS_A, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')`, [bCustomer.id, A]);
      await refused(AS_A, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')`, [bCustomer.id, A]);
      await refused(AS_A, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')`, [aCustomer.id, B]);
      // Collaborating on bShared does not make A its owner.
      await refused(AS_A, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER') ON CONFLICT DO NOTHING`, [
        bShared.id,
        A,
      ]);
      expect(await affected(AS_A, `UPDATE accounts.customer_access SET kind = 'OWNER' WHERE customer_id = $1`, [bShared.id])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.customer_access WHERE customer_id = $1`, [bShared.id])).toBe(0);
      expect(await affected(AS_B, `DELETE FROM accounts.customer_access WHERE customer_id = $1`, [bShared.id])).toBe(0);
      expect(await keys(null, 'customer_access', `partner_id || '/' || kind`, 'customer_id = $1', [bShared.id])).toEqual([`${A}/COLLABORATOR`, `${B}/OWNER`]);
    });

    it('customer_external_ids: links only its own system’s ids, only to customers it holds, and never rewrites them', async () => {
      await refused(AS_A, `INSERT INTO accounts.customer_external_ids (system, external_id, customer_id, partner_id) VALUES ('acme-crm', 'X-1', $1, $2)`, [
        bCustomer.id,
        A,
      ]);
      await refused(AS_A, `INSERT INTO accounts.customer_external_ids (system, external_id, customer_id, partner_id) VALUES ('globex-crm', 'X-2', $1, $2)`, [
        aCustomer.id,
        B,
      ]);
      expect(await affected(AS_A, `UPDATE accounts.customer_external_ids SET customer_id = $1 WHERE customer_id = $2`, [aCustomer.id, bCustomer.id])).toBe(0);
      expect(await affected(AS_A, `UPDATE accounts.customer_external_ids SET external_id = external_id || '!' WHERE customer_id = $1`, [aCustomer.id])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.customer_external_ids`)).toBe(0);
    });

    it('api_keys: no keys for another partner, never the admin scope, no touching another’s', async () => {
      const bKey: string = (await sql(null, `SELECT id FROM accounts.api_keys WHERE partner_id = $1`, [B]))[0].id;
      const aKey: string = (await sql(null, `SELECT id FROM accounts.api_keys WHERE partner_id = $1`, [A]))[0].id;
      const insert = `INSERT INTO accounts.api_keys (partner_id, label, prefix, hash, scopes) VALUES ($1, 'rogue', 'hub_rogue', md5(random()::text), $2)`;
      await refused(AS_A, insert, [B, ['customers:read']]);
      await refused(AS_A, insert, [A, ['customers:read', 'admin']]);
      await refused(AS_A, `UPDATE accounts.api_keys SET scopes = scopes || '{admin}' WHERE id = $1`, [aKey]);
      await refused(AS_A, `UPDATE accounts.api_keys SET partner_id = $2 WHERE id = $1`, [aKey, B]);
      expect(await affected(AS_A, `UPDATE accounts.api_keys SET revoked_at = now() WHERE id = $1`, [bKey])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.api_keys`)).toBe(0);
      expect((await sql(null, `SELECT revoked_at FROM accounts.api_keys WHERE id = $1`, [bKey]))[0].revoked_at).toBeNull();
    });

    it('sessions: only the hub starts one; a partner ends only its own people’s, never moves or deletes one, and a revoked one stays revoked', async () => {
      const aPerson: string = (await sql(null, `SELECT id FROM accounts.people WHERE partner_id = $1 ORDER BY created_at, id LIMIT 1`, [A]))[0].id;
      const bSession: string = (await sql(null, `SELECT id FROM accounts.sessions WHERE partner_id = $1`, [B]))[0].id;
      // Not even for its own person: a session is started by the sign-in, as the hub.
      await refused(AS_A, `INSERT INTO accounts.sessions (partner_id, person_id, secret_hash, expires_at) VALUES ($1, $2, 'h-a', now() + interval '1 hour')`, [
        A,
        aPerson,
      ]);
      expect(await affected(AS_A, `UPDATE accounts.sessions SET revoked_at = now() WHERE id = $1`, [bSession])).toBe(0);
      expect(await affected(AS_A, `UPDATE accounts.sessions SET expires_at = now() + interval '1 year' WHERE partner_id = $1`, [B])).toBe(0);
      await refused(AS_A, `UPDATE accounts.sessions SET partner_id = $1 WHERE partner_id = $2`, [B, A]);
      expect(await affected(AS_A, `DELETE FROM accounts.sessions`)).toBe(0);
      expect((await sql(null, `SELECT revoked_at FROM accounts.sessions WHERE id = $1`, [bSession]))[0].revoked_at).toBeNull();
      // Its own people's sessions it may end (deactivatePerson does), for good.
      const aSession: string = (await sql(null, `SELECT id FROM accounts.sessions WHERE partner_id = $1`, [A]))[0].id;
      expect(await affected(AS_A, `UPDATE accounts.sessions SET revoked_at = now() WHERE id = $1`, [aSession])).toBe(1);
      await refused(AS_A, `UPDATE accounts.sessions SET revoked_at = NULL WHERE id = $1`, [aSession]);
      // A session of A's partner cannot name B's person, whatever the policies: the composite foreign key.
      const bPerson: string = (await sql(null, `SELECT id FROM accounts.people WHERE partner_id = $1`, [B]))[0].id;
      await expect(
        sql(null, `INSERT INTO accounts.sessions (partner_id, person_id, secret_hash, expires_at) VALUES ($1, $2, 'h-x', now() + interval '1 hour')`, [
          A,
          bPerson,
        ]),
      ).rejects.toMatchObject({ code: '23503' });
    });

    it('people: no person for another partner, no moving one, no touching or deleting another’s', async () => {
      const bPerson: string = (await sql(null, `SELECT id FROM accounts.people WHERE partner_id = $1`, [B]))[0].id;
      const aPerson: string = (await sql(null, `SELECT id FROM accounts.people WHERE partner_id = $1`, [A]))[0].id;
      await refused(AS_A, `INSERT INTO accounts.people (partner_id, name, email, role) VALUES ($1, 'Rogue', 'rogue@x.example.com', 'ADMIN')`, [B]);
      await refused(AS_A, `UPDATE accounts.people SET partner_id = $2 WHERE id = $1`, [aPerson, B]);
      expect(await affected(AS_A, `UPDATE accounts.people SET status = 'DEACTIVATED' WHERE id = $1`, [bPerson])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.people`)).toBe(0);
      expect((await sql(null, `SELECT status FROM accounts.people WHERE id = $1`, [bPerson]))[0].status).toBe('ACTIVE');
      // A key of A cannot be bound to B's person, whatever the policies: the composite foreign key.
      await expect(
        sql(
          null,
          `INSERT INTO accounts.api_keys (partner_id, label, prefix, hash, scopes, person_id) VALUES ($1, 'x', 'hub_x', md5(random()::text), '{}', $2)`,
          [A, bPerson],
        ),
      ).rejects.toMatchObject({ code: '23503' });
    });

    it('api_keys: a revoked key stays revoked, even for the hub itself', async () => {
      const [{ id }] = await sql(
        null,
        `INSERT INTO accounts.api_keys (partner_id, label, prefix, hash, scopes, revoked_at) VALUES ($1, 'gone', 'hub_gone', md5(random()::text), '{customers:read}', now()) RETURNING id`,
        [A],
      );
      await refused(AS_A, `UPDATE accounts.api_keys SET revoked_at = NULL WHERE id = $1`, [id]);
      await expect(sql(null, `UPDATE accounts.api_keys SET revoked_at = NULL WHERE id = $1`, [id])).rejects.toMatchObject({ code: '42501' });
      expect((await sql(null, `SELECT revoked_at FROM accounts.api_keys WHERE id = $1`, [id]))[0].revoked_at).not.toBeNull();
    });

    it('idempotency_keys: no keys in another caller’s name, no touching another’s', async () => {
      await refused(
        AS_A,
        `INSERT INTO accounts.idempotency_keys (caller, operation, key, request_hash, result_id) VALUES ($1, 'createCustomer', 'k2', 'h', 'r')`,
        [B],
      );
      expect(await affected(AS_A, `UPDATE accounts.idempotency_keys SET result_id = 'x' WHERE caller = $1`, [B])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.idempotency_keys WHERE caller <> $1`, [A])).toBe(0);
    });

    it('customer_ownership_claims: internal only, even the claimant’s own', async () => {
      await refused(
        AS_B,
        `INSERT INTO accounts.customer_ownership_claims (customer_id, claimant_partner_id, system, external_id) VALUES ($1, $2, 'globex-crm', 'G-10')`,
        [bCustomer.id, B],
      );
      expect(await affected(AS_B, `UPDATE accounts.customer_ownership_claims SET status = 'RESOLVED'`)).toBe(0);
      expect(await affected(AS_B, `DELETE FROM accounts.customer_ownership_claims`)).toBe(0);
    });

    it('webhooks: no endpoints for another partner or with the internal flag, no touching another’s', async () => {
      const insert = `INSERT INTO accounts.webhooks (partner_id, owner_internal, url, events, secret, start_tx, start_seq)
                      VALUES ($1, $2, 'https://evil.example.com', '{*}', 'secret-secret-secret-secret', '0', 0)`;
      await refused(AS_A, insert, [B, false]);
      // owner_internal makes the fan-out deliver every event of the hub.
      await refused(AS_A, insert, [A, true]);
      await refused(AS_A, `UPDATE accounts.webhooks SET owner_internal = true WHERE id = $1`, [WEBHOOK.a]);
      await refused(AS_A, `UPDATE accounts.webhooks SET partner_id = $2 WHERE id = $1`, [WEBHOOK.a, B]);
      expect(await affected(AS_A, `UPDATE accounts.webhooks SET url = 'https://evil.example.com' WHERE id = $1`, [WEBHOOK.b])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.webhooks WHERE id <> $1`, [WEBHOOK.a])).toBe(0);
      expect(await affected(AS_A, `UPDATE accounts.webhooks SET status = 'PAUSED', updated_at = now() WHERE id = $1`, [WEBHOOK.a])).toBe(1);
    });

    it('webhook_deliveries and webhook_attempts: only the hub writes them; a partner re-queues only its own deliveries', async () => {
      await refused(
        AS_A,
        `INSERT INTO accounts.webhook_deliveries (webhook_id, event_id, event_tx, event_seq, event_type) VALUES ($1, gen_random_uuid(), '1', 2, 'TestOnly')`,
        [WEBHOOK.a],
      );
      expect(await affected(AS_A, `UPDATE accounts.webhook_deliveries SET status = 'PENDING' WHERE id = $1`, [DELIVERY.b])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.webhook_deliveries`)).toBe(0);
      await refused(AS_A, `INSERT INTO accounts.webhook_attempts (delivery_id, status_code) VALUES ($1, 200)`, [DELIVERY.a]);
      expect(await affected(AS_A, `UPDATE accounts.webhook_attempts SET status_code = 500`)).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.webhook_attempts`)).toBe(0);
      // redeliver: the endpoint's owner may re-queue its own (still paused, so nothing is sent).
      expect(await affected(AS_A, `UPDATE accounts.webhook_deliveries SET next_attempt_at = now() WHERE id = $1`, [DELIVERY.a])).toBe(1);
    });
  });

  describe('money: writes a partner may not make', () => {
    it('customer_commercials: only the owner writes them, a collaborator not at all; no one deletes them', async () => {
      const c = await sql(
        null,
        `INSERT INTO accounts.customers (name, segment, region, lifecycle_stage, owner_partner_id) VALUES ('Fresh', 'SMB', 'NA', 'LEAD', $1) RETURNING id`,
        [B],
      );
      await sql(null, `INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER'), ($1, $3, 'COLLABORATOR')`, [
        c[0].id,
        B,
        A,
      ]);
      const insert = `INSERT INTO accounts.customer_commercials (customer_id, currency, arr, customer_version) VALUES ($1, 'EUR', 1, 1)`;
      await refused(AS_A, insert, [c[0].id]);
      expect(await affected(AS_A, `UPDATE accounts.customer_commercials SET arr = 1 WHERE customer_id = ANY($1)`, [[MONEY.shared, MONEY.b]])).toBe(0);
      expect(await affected(AS_A, `DELETE FROM accounts.customer_commercials WHERE customer_id = $1`, [MONEY.a])).toBe(0);
      // What it may do: write the figures of a customer it owns.
      expect(await affected(AS_A, `UPDATE accounts.customer_commercials SET arr = 1100 WHERE customer_id = $1`, [MONEY.a])).toBe(1);
      await withTenant(AS_B, () => a.db.query(insert, [c[0].id]));
      expect((await sql(null, `SELECT arr::text AS arr FROM accounts.customer_commercials WHERE customer_id = $1`, [MONEY.shared]))[0].arr).toBe('1000.000000');
    });

    it('customer_commercials_history and renewal_outcomes: appended by the owner only, never rewritten', async () => {
      await refused(
        AS_A,
        `INSERT INTO accounts.customer_commercials_history (customer_id, customer_version, currency, source) VALUES ($1, 9, 'EUR', 'UPDATE')`,
        [MONEY.shared],
      );
      await refused(
        AS_A,
        `INSERT INTO accounts.renewal_outcomes (customer_id, kind, new_arr, currency, effective_date) VALUES ($1, 'CHURNED', 0, 'EUR', '2027-01-01')`,
        [MONEY.shared],
      );
      for (const table of ['customer_commercials_history', 'renewal_outcomes']) {
        expect(await affected(AS_A, `UPDATE accounts.${table} SET currency = 'USD' WHERE customer_id = $1`, [MONEY.a])).toBe(0);
        expect(await affected(AS_A, `DELETE FROM accounts.${table}`)).toBe(0);
        expect(await affected(INTERNAL, `UPDATE accounts.${table} SET currency = 'USD'`)).toBe(0);
      }
    });

    it('exchange rates: internal teams only, and versions are never rewritten', async () => {
      const rates = () => sql(null, `SELECT version, currency, day::text AS day, rate::text AS rate FROM accounts.exchange_rates ORDER BY 1, 2, 3`);
      const before: { version: number }[] = await rates();
      expect(before.filter((r) => r.version === ratesVersion)).toHaveLength(2);
      await refused(AS_A, `INSERT INTO accounts.exchange_rate_versions (version, reporting_currency) VALUES ($1, 'USD')`, [ratesVersion + 1]);
      await refused(AS_A, `INSERT INTO accounts.exchange_rates (version, currency, day, rate) VALUES ($1, 'JPY', '2026-11-02', 0.006)`, [ratesVersion]);
      expect(await affected(AS_A, `UPDATE accounts.exchange_rate_versions SET reporting_currency = 'USD'`)).toBe(0);
      expect(await affected(INTERNAL, `UPDATE accounts.exchange_rates SET rate = 2`)).toBe(0);
      expect(await affected(INTERNAL, `DELETE FROM accounts.exchange_rates`)).toBe(0);
      expect(await rates()).toEqual(before);
    });
  });

  describe('what a request still does as the hub', () => {
    const q = (query: string, variables: Record<string, unknown>, who: Identity) => subgraphGql(a.url, query, variables, who);
    const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, expectedVersion: $v, input: $input) { id version } }`;

    it('asHub lifts the caller’s limits for its statements only, inside a transaction, and after a failed one', async () => {
      const count = (m: { query(q: string): Promise<{ n: number }[]> }) => m.query(`SELECT count(*)::int AS n FROM accounts.customers`).then((r) => r[0]!.n);
      const total = await count(a.db);
      const own = await withTenant(AS_A, () => count(a.db));
      expect(own).toBeLessThan(total);
      const seen = await withTenant(AS_A, () =>
        a.db.transaction(async (m) => {
          const before = await count(m);
          const during = await asHub(m, () => count(m));
          const after = await count(m);
          await m.query('SAVEPOINT s');
          await expect(asHub(m, () => m.query(`SELECT 1/0`))).rejects.toMatchObject({ code: '22012' });
          await m.query('ROLLBACK TO SAVEPOINT s');
          return { before, during, after, afterFailure: await count(m) };
        }),
      );
      expect(seen).toEqual({ before: own, during: total, after: own, afterFailure: own });
      // Outside a transaction it runs on a connection checked out as the hub.
      expect(await withTenant(AS_A, () => asHub(a.db.manager, () => count(a.db)))).toBe(total);
      expect(await withTenant(AS_A, () => count(a.db))).toBe(own);
    });

    it('refuses a domain another partner’s customer holds with CONFLICT, not a duplicate', async () => {
      const res = await q(
        `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
        { input: { name: 'Copycat', domain: bCustomer.domain, segment: 'SMB', region: 'NA' } },
        AS_A,
      );
      expect(codes(res)).toEqual(['CONFLICT']);
      expect(firstError(res).message).toContain(`already has the domain "${bCustomer.domain}"`);
      expect(await keys(null, 'customers', 'id::text', 'domain = $1', [bCustomer.domain])).toEqual([bCustomer.id]);
    });

    it('tells every partner with access about a collaborator’s change, not only the collaborator', async () => {
      const [{ version }] = await sql(null, `SELECT version FROM accounts.customers WHERE id = $1`, [bShared.id]);
      const res = await q(UPDATE, { id: bShared.id, v: version, input: { lifecycleStage: 'ACTIVE' } }, AS_A);
      expect(res.errors).toBeUndefined();
      const [event] = await sql(null, `SELECT visible_to FROM eventlog.events WHERE aggregate_id = $1 AND type = 'CustomerUpdated' ORDER BY seq DESC LIMIT 1`, [
        bShared.id,
      ]);
      expect([...event.visible_to].sort()).toEqual([A, B].sort());
    });

    it('still answers NOT_FOUND for another partner’s customer', async () => {
      const res = await q(UPDATE, { id: bCustomer.id, v: 1, input: { name: 'Hijacked' } }, AS_A);
      expect(codes(res)).toEqual(['NOT_FOUND']);
    });
  });
});
