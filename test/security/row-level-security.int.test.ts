import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { SUBGRAPH_NAMES } from '../../shared/config';
import { appDatabaseUrl, DEFAULT_APP_ROLE } from '../../shared/db/app-role';
import { openDataSource } from '../../shared/db/data-source';
import { withSystem, withTenant } from '../../shared/db/tenant-context';
import { appendEvents } from '../../shared/eventlog/event-log';
import { SUBGRAPHS } from '../../scripts/registry';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { internalIdentity, partnerIdentity } from '../support/subgraph-client';
import { present } from '../support/present';

/**
 * The database half of partner isolation: every table that holds partner data has RLS
 * enabled AND forced, the services' role can neither own nor bypass it, and each pooled
 * connection carries exactly the tenant of the code that checked it out.
 */
const TENANT_SCHEMAS = [...SUBGRAPH_NAMES, 'eventlog'];
/** Tables that hold no partner data: which migrations ran. */
const NOT_TENANT_TABLES = new Set(SUBGRAPH_NAMES.map((s) => `${s}.migrations`));

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

describe('row-level security', () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];
  let accounts: DataSource;
  let admin: Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    for (const name of SUBGRAPH_NAMES) {
      const module = SUBGRAPHS[name]!;
      // One connection: every checkout below reuses the same session, so a tenant left
      // behind by the previous checkout would show.
      dataSources.push(await openDataSource(module.createDataSource(database.url, 1)));
    }
    accounts = present(dataSources[0], "the accounts subgraph's data source");
    await SUBGRAPHS.accounts!.seed!(accounts);
    admin = new Client({ connectionString: database.url });
    await admin.connect();
    await accounts.transaction((m) =>
      appendEvents(m, [
        { type: 'TestEvent', source: 'test', aggregateType: 'Test', aggregateId: 'a', payload: {}, visibleTo: [A] },
        { type: 'TestEvent', source: 'test', aggregateType: 'Test', aggregateId: 'b', payload: {}, visibleTo: [B] },
        { type: 'TestEvent', source: 'test', aggregateType: 'Test', aggregateId: 'ab', payload: {}, visibleTo: [A, B] },
      ]),
    );
  });

  afterAll(async () => {
    await admin?.end();
    for (const ds of dataSources) await ds.destroy();
    await database?.drop();
  });

  it('is enabled and forced, with policies, on every table of every subgraph schema and the event log', async () => {
    const { rows } = await admin.query<{ name: string; enabled: boolean; forced: boolean; policies: number }>(
      `SELECT n.nspname || '.' || c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY($1)
        ORDER BY 1`,
      [TENANT_SCHEMAS],
    );
    const tenantTables = rows.filter((r) => !NOT_TENANT_TABLES.has(r.name));
    // Every subgraph has tables, so a schema missing here would mean the query is wrong.
    for (const schema of TENANT_SCHEMAS) expect(tenantTables.some((r) => r.name.startsWith(`${schema}.`))).toBe(true);
    const unprotected = tenantTables.filter((r) => !r.enabled || !r.forced || r.policies === 0).map((r) => r.name);
    expect(unprotected).toEqual([]);
  });

  it('connects as a role that owns nothing, cannot bypass RLS, create objects or switch RLS off', async () => {
    const [me] = await accounts.query(
      `SELECT current_user AS role, r.rolsuper, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_tables t WHERE t.tableowner = current_user) AS owned,
              has_schema_privilege('accounts', 'CREATE') AS can_create
         FROM pg_roles r WHERE r.rolname = current_user`,
    );
    expect(me).toEqual({ role: DEFAULT_APP_ROLE, rolsuper: false, rolbypassrls: false, owned: 0, can_create: false });
    await expect(accounts.query('ALTER TABLE accounts.customers DISABLE ROW LEVEL SECURITY')).rejects.toMatchObject({ code: '42501' });
    await expect(accounts.query('ALTER TABLE accounts.customers NO FORCE ROW LEVEL SECURITY')).rejects.toMatchObject({ code: '42501' });
  });

  it('sets the tenant of whoever checks a connection out, and never leaves the previous one behind', async () => {
    const setting = `SELECT current_setting('hub.tenant') AS tenant, current_setting('hub.partner_id') AS partner`;
    expect(await withTenant(partnerIdentity(A), () => accounts.query(setting))).toEqual([{ tenant: 'partner', partner: A }]);
    expect(await withTenant(partnerIdentity(B), () => accounts.query(setting))).toEqual([{ tenant: 'partner', partner: B }]);
    expect(await withTenant(internalIdentity(A), () => accounts.query(setting))).toEqual([{ tenant: 'internal', partner: '' }]);
    expect(await accounts.query(setting)).toEqual([{ tenant: 'system', partner: '' }]);
    expect(await withTenant({ role: 'PARTNER', scopes: [] }, () => accounts.query(setting))).toEqual([{ tenant: 'none', partner: '' }]);
    expect(await withTenant(partnerIdentity(A), () => withSystem(() => accounts.query(setting)))).toEqual([{ tenant: 'system', partner: '' }]);
  });

  it('shows a partner only the events addressed to it, even with no WHERE clause', async () => {
    const aggregates = async () =>
      ((await accounts.query(`SELECT aggregate_id FROM eventlog.events WHERE type = 'TestEvent' ORDER BY aggregate_id`)) as { aggregate_id: string }[]).map(
        (r) => r.aggregate_id,
      );
    expect(await withTenant(partnerIdentity(A), aggregates)).toEqual(['a', 'ab']);
    expect(await withTenant(partnerIdentity(B), aggregates)).toEqual(['ab', 'b']);
    expect(await withTenant(internalIdentity(A), aggregates)).toEqual(['a', 'ab', 'b']);
    expect(await withTenant({ role: 'PARTNER', scopes: [] }, aggregates)).toEqual([]);
    // A partner can neither rewrite history nor touch the consumers' positions.
    await withTenant(partnerIdentity(A), async () => {
      expect((await accounts.query(`DELETE FROM eventlog.events WHERE type = 'TestEvent'`))[1]).toBe(0);
      await expect(accounts.query(`UPDATE eventlog.events SET payload = '{}' WHERE type = 'TestEvent'`)).rejects.toMatchObject({ code: '42501' });
      expect(await accounts.query(`SELECT * FROM eventlog.consumers`)).toEqual([]);
      await expect(accounts.query(`INSERT INTO eventlog.consumers (name) VALUES ('rogue')`)).rejects.toMatchObject({ code: '42501' });
    });
  });

  it('plans a policy-guarded write with the tenant functions as calls, never inlined into the plan', async () => {
    // Inlined, each `(SELECT hubsec.partner())` of a policy became a query the planner
    // planned on its own at every statement: 4–9 ms to plan a one-row write on customers.
    const handoffs = present(dataSources[SUBGRAPH_NAMES.indexOf('handoffs')], "the handoffs subgraph's data source");
    const plan = await withTenant(partnerIdentity(A), () =>
      handoffs.transaction(async (m) => {
        const rows = (await m.query(`EXPLAIN (VERBOSE, COSTS OFF) UPDATE handoffs.customers SET owner_partner_id = $2, updated_at = now() WHERE id = $1`, [
          B,
          A,
        ])) as { 'QUERY PLAN': string }[];
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      }),
    );
    // The policies reach customer_access and handoffs, each calling the tenant functions.
    expect(plan).toMatch(/hubsec\.partner\(\)/);
    expect(plan).toMatch(/hubsec\.sees_all\(\)/);
    expect(plan).not.toMatch(/current_setting/);
    const { rows } = await admin.query<{ name: string; lang: string }>(
      `SELECT p.proname AS name, l.lanname AS lang FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
        WHERE n.nspname = 'hubsec' ORDER BY 1`,
    );
    expect(rows).toEqual(['is_system', 'partner', 'sees_all', 'tenant'].map((name) => ({ name, lang: 'plpgsql' })));
  });

  it('treats a connection that never got a tenant (a raw client) as no one', async () => {
    const [{ n: customers }] = await accounts.query('SELECT count(*)::int AS n FROM accounts.customers');
    expect(customers).toBeGreaterThan(0);
    const raw = new Client({ connectionString: appDatabaseUrl(database.url) });
    await raw.connect();
    try {
      expect((await raw.query('SELECT count(*)::int AS n FROM eventlog.events')).rows).toEqual([{ n: 0 }]);
      expect((await raw.query('SELECT count(*)::int AS n FROM accounts.customers')).rows).toEqual([{ n: 0 }]);
    } finally {
      await raw.end();
    }
  });

  it('refuses to serve as a role that bypasses row-level security', async () => {
    const module = SUBGRAPHS.accounts!;
    // The test cluster's admin is a superuser: exactly what the services must never run as.
    await expect(openDataSource(module.createDataSource(database.url, 1), { appUrl: database.url })).rejects.toThrow(/bypasses row-level security/);
  });
});
