import 'reflect-metadata';
import type { ServiceName } from '../shared/config';
import { loadConfig } from '../shared/config';
import { createLogger } from '../shared/logger';
import { startTracing, stopTracing, tracingServiceName } from '../shared/observability/tracing';

/**
 * Runs one service on its own (one process per service in production). The database comes
 * from DATABASE_URL: a lone service never starts an embedded Postgres.
 */
export function runService(name: ServiceName): void {
  const base = loadConfig();
  const config = { ...base, services: [name] as ServiceName[] };
  const log = createLogger(name, config.logLevel);
  if (!config.databaseUrl) {
    log.fatal('DATABASE_URL is required to run a single service (npm start embeds Postgres for the whole hub)');
    process.exit(1);
  }
  // Tracing patches pg, express and http as they load, so it starts before the hub is required.
  startTracing(config.tracing, tracingServiceName(config.tracing, config.services));
  const { startHub } = require('./hub') as typeof import('./hub');
  startHub(config, config.databaseUrl, log)
    .then((hub) => {
      const stop = async (signal: string) => {
        log.info({ signal }, 'stopping');
        await hub.stop();
        await stopTracing();
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
    })
    .catch((err) => {
      log.fatal({ err: (err as Error).message }, 'failed to start');
      process.exit(1);
    });
}
