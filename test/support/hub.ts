import { loadConfig, type ServiceName } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { startHub, type RunningHub } from '../../scripts/hub';
import { createTestDatabase, type TestDatabase } from './database';

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
  const db = await createTestDatabase();
  const connectUrl = opts.connectVia ? opts.connectVia(db.url) : db.url;
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: connectUrl,
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
  const hub = await startHub(config, connectUrl, createLogger('test', (process.env.HUB_TEST_LOG as 'info') ?? 'silent'));
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
