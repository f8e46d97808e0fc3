import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema, type QueryRunner } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { appDatabaseUrl, assertAppRoleIsRestricted, grantAppRole } from './app-role';
import { CountingLogger } from './query-counter';
import { currentTenant, tenantKey, TENANT_SETTINGS_SQL, tenantSettingsParams } from './tenant-context';
import { migrateEventLog } from '../eventlog/event-log.migration';
import { prepareRepeatedStatements, type QueryFn } from './prepared-statements';

/** Options for {@link createHubDataSource}. */
export interface HubDataSourceOptions {
  /** The admin (table owner) URL: migrations run with it; services connect as the app role. */
  url: string;
  /** The subgraph's own Postgres schema; its tables live only there. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  poolSize?: number;
  /** Shown in pg_stat_activity. */
  applicationName?: string;
}

export function createHubDataSource(options: HubDataSourceOptions): DataSource {
  const config: DataSourceOptions = {
    type: 'postgres',
    url: options.url,
    schema: options.schema,
    entities: options.entities,
    migrations: options.migrations,
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    uuidExtension: 'pgcrypto',
    applicationName: options.applicationName ?? `hub-${options.schema}`,
    logger: new CountingLogger(),
    logging: ['query'],
    extra: { max: options.poolSize ?? 10, connectionTimeoutMillis: 5000 },
  };
  return new DataSource(config);
}

const MIGRATION_LOCK = 424242;

/**
 * Creates the subgraph's schema and the shared event log, then runs pending migrations,
 * under an advisory lock so that instances starting together don't race.
 */
export async function migrate(dataSource: DataSource, afterMigrations?: (runner: QueryRunner) => Promise<void>): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const schema = (dataSource.options as { schema?: string }).schema;
    if (schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await migrateEventLog(runner);
    await dataSource.runMigrations({ transaction: 'each' });
    await afterMigrations?.(runner);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Options for {@link openDataSource}. */
export interface OpenDataSourceOptions {
  /**
   * The URL of the role services connect as (DATABASE_APP_URL). Default: the `hub_app`
   * role on the admin URL's server, created and granted here (see shared/db/app-role.ts).
   */
  appUrl?: string;
}

/**
 * Brings the schema up to date as the admin (the DataSource's URL), grants the app role,
 * then opens the pool as the app role: a role that owns no table and cannot bypass
 * row-level security, with the caller's tenant set on every connection it checks out.
 */
export async function openDataSource(dataSource: DataSource, opts: OpenDataSourceOptions = {}): Promise<DataSource> {
  if (dataSource.isInitialized) return dataSource;
  const options = dataSource.options as DataSourceOptions & { url: string; schema: string };
  const appUrl = appDatabaseUrl(options.url, opts.appUrl);
  // Two connections: migrate() holds one for the advisory lock while migrations take another.
  // As the hub: FORCE ROW LEVEL SECURITY binds the tables' owner too, and a data migration
  // must see every row.
  const admin = new DataSource({
    ...options,
    logging: false,
    logger: undefined,
    extra: { max: 2, connectionTimeoutMillis: 5000, options: '-c hub.tenant=system' },
  } as DataSourceOptions);
  await admin.initialize();
  try {
    await migrate(admin, async (runner) => grantAppRole(runner, appUrl, [options.schema, 'eventlog']));
  } finally {
    await admin.destroy();
  }
  dataSource.setOptions({ url: appUrl, installExtensions: false } as Partial<DataSourceOptions>);
  setTenantOnCheckout(dataSource);
  await dataSource.initialize();
  const runner = dataSource.createQueryRunner();
  try {
    await assertAppRoleIsRestricted(runner);
  } finally {
    await runner.release();
  }
  return dataSource;
}

type PooledClient = {
  query: QueryFn;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeListener(event: 'error', listener: (err: Error) => void): unknown;
};

// pg emits 'error' on a client whose socket ends, even when the statement in flight has
// already failed with it. The pool stops listening to a connection when it hands it out, and
// TypeORM starts only once checkout is over, after the tenant is set: a connection lost in
// between crashed the process with an unheard 'error'. Heard, it costs nothing more: the
// statement failed, and the pool drops the broken connection when it is released.
const ignoreConnectionLoss = () => undefined;

/** Where a pooled connection's tenant settings stand (see {@link setTenantOnCheckout}). */
interface TenantState {
  /** The tenant key the session carries. */
  applied?: string;
  /** To be set before (or, for a transaction, right after the BEGIN of) the next statement. */
  pending?: { key: string; params: [string, string] };
  /** Set inside the open transaction: the session carries it once that commits. */
  inTransaction?: string;
}

const BEGINS = /^\s*(START\s+TRANSACTION|BEGIN)\b/i;
const COMMITS = /^\s*(COMMIT|END)\b/i;
const ROLLS_BACK = /^\s*ROLLBACK\b(?!\s+TO\b)/i;

/**
 * Sends the tenant settings with the connection's next statement: inside its transaction
 * when that statement opens one (no transaction of their own), before it otherwise. A
 * rollback undoes settings made in the transaction, so the session's tenant is then unknown
 * and set again on next use.
 */
function deferTenantSettings(client: PooledClient, state: TenantState): void {
  const original = client.query.bind(client);
  client.query = async (sql, params) => {
    const pending = state.pending;
    if (pending) {
      state.pending = undefined;
      if (typeof sql === 'string' && BEGINS.test(sql)) {
        const result = await original(sql, params);
        await original(TENANT_SETTINGS_SQL, pending.params);
        state.inTransaction = pending.key;
        return result;
      }
      state.applied = undefined;
      await original(TENANT_SETTINGS_SQL, pending.params);
      state.applied = pending.key;
      return original(sql, params);
    }
    if (state.inTransaction !== undefined && typeof sql === 'string') {
      if (COMMITS.test(sql)) {
        const result = await original(sql, params);
        state.applied = state.inTransaction;
        state.inTransaction = undefined;
        return result;
      }
      if (ROLLS_BACK.test(sql)) {
        state.inTransaction = undefined;
        state.applied = undefined;
      }
    }
    return original(sql, params);
  };
}

/**
 * Every connection a hub pool hands out carries the tenant of the code that asked for it
 * (hub.tenant / hub.partner_id, read by the RLS policies). Set when the connection is next
 * used rather than per statement, and skipped when the connection already carries that
 * tenant: one round trip per change of tenant, not per query, and no transaction of its
 * own when the connection opens one (the settings go in right after BEGIN). A connection's
 * loss is heard for as long as it is out.
 */
function setTenantOnCheckout(dataSource: DataSource): void {
  const driver = dataSource.driver as PostgresDriver;
  const obtain = driver.obtainMasterConnection.bind(driver);
  const states = new WeakMap<object, TenantState>();
  driver.obtainMasterConnection = async () => {
    const [client, poolRelease] = (await obtain()) as [PooledClient, (err?: unknown) => void];
    client.on('error', ignoreConnectionLoss);
    const release = (err?: unknown) => {
      client.removeListener('error', ignoreConnectionLoss);
      return poolRelease(err);
    };
    let state = states.get(client);
    if (!state) {
      states.set(client, (state = {}));
      prepareRepeatedStatements(client);
      deferTenantSettings(client, state);
    }
    const tenant = currentTenant();
    const key = tenantKey(tenant);
    // Connection setup, like BEGIN: not counted as one of the request's statements.
    state.pending = state.applied === key && state.inTransaction === undefined ? undefined : { key, params: tenantSettingsParams(tenant) };
    return [client, release];
  };
}
