import { loadConfig, SUBGRAPH_NAMES, type HubConfig, type ServiceName } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { startHub, type RunningHub } from '../../scripts/hub';
import { SUBGRAPHS } from '../../scripts/registry';
import { adminUrl, createTestDatabase, reportTiming, type TestDatabase, type TestDatabaseState } from './database';

export interface TestHub extends RunningHub {
  gatewayUrl: string;
  db: TestDatabase;
  databaseUrl: string;
}

/** The whole hub (or the named services) on free ports, a fresh database, demo data loaded. */
export async function startTestHub(
  opts: {
    services?: ServiceName[];
    env?: Record<string, string>;
    /** Rewrites the database URL the services connect to (e.g. through a TCP proxy). */
    connectVia?: (url: string) => string;
  } = {},
): Promise<TestHub> {
  const env = (databaseUrl: string) => ({
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    HUB_SERVICES: (opts.services ?? ['all']).join(','),
    GATEWAY_PORT: '0',
    ACCOUNTS_PORT: '0',
    HANDOFFS_PORT: '0',
    SLAS_PORT: '0',
    SCORECARDS_PORT: '0',
    HUB_DB_POOL_SIZE: '5',
    HUB_AUTH_CACHE_MS: '0',
    ...opts.env,
  });
  const started = Date.now();
  const db = await createTestDatabase(startingState(loadConfig(env(adminUrl()))));
  const connectUrl = opts.connectVia ? opts.connectVia(db.url) : db.url;
  const config = loadConfig(env(connectUrl));
  const copied = Date.now();
  const hub = await startHub(config, connectUrl, createLogger('test', (process.env.HUB_TEST_LOG as 'info') ?? 'silent'));
  reportTiming(`hub ${config.services.join(',')} started (database ${copied - started} ms)`, copied);
  const stop = hub.stop;
  return Object.assign(hub, {
    gatewayUrl: hub.gatewayUrl ?? '',
    db,
    databaseUrl: db.url,
    stop: async () => {
      await stop();
      await db.drop();
    },
  });
}

/**
 * What startHub leaves in the database before its servers start: the subgraphs it runs migrated
 * and, with HUB_SEED_DEMO, seeded. A copy of the template in that state (test/support/database.ts)
 * saves the migrations and seeds; with a role of its own (DATABASE_APP_URL) the hub grants that
 * role itself, on an empty database as before.
 */
function startingState(config: HubConfig): TestDatabaseState | undefined {
  if (config.databaseAppUrl) return undefined;
  return { migrated: SUBGRAPH_NAMES.filter((name) => config.services.includes(name)).map((name) => SUBGRAPHS[name]), seeded: config.seedDemo };
}
