import { DataSource, type DataSourceOptions, type MixedList, type EntitySchema } from 'typeorm';
import { CountingLogger } from './query-counter';
import { migrateEventLog } from '../eventlog/event-log.migration';
import { watchEventLog } from '../observability/metrics';

/** Options for {@link createHubDataSource}. */
export interface HubDataSourceOptions {
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
export async function migrate(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const schema = (dataSource.options as { schema?: string }).schema;
    if (schema) await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await migrateEventLog(runner);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}

/** Opens the pool and brings the schema up to date. */
export async function openDataSource(dataSource: DataSource): Promise<DataSource> {
  if (!dataSource.isInitialized) await dataSource.initialize();
  await migrate(dataSource);
  watchEventLog(dataSource);
  return dataSource;
}
