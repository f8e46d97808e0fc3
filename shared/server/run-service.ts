import 'reflect-metadata';
import { loadConfig, type HubConfig, type ServiceName } from '../config';
import { createLogger, type Logger } from '../logger';
import { startTracing, stopTracing, tracingServiceName } from '../observability/tracing';
import { formatStartupFailure, StartupError } from './startup-failure';

/** Starts one service once configuration is loaded and tracing runs. */
export type StartService = (config: HubConfig, databaseUrl: string, log: Logger) => Promise<{ url: string; stop(): Promise<void> }>;

/** How long a stop may take before the process exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

/**
 * The process around one service (each subgraph's and the gateway's main.ts): loads the
 * configuration, starts tracing, then calls `load` for the service's start function —
 * so that pg, express and http are first required after tracing patched them — starts it
 * against DATABASE_URL (a lone service never embeds a Postgres), and stops it on
 * SIGTERM or SIGINT. A failure prints what failed and what to do, and exits 1.
 */
export function runService(name: ServiceName, load: () => StartService): void {
  let config: HubConfig | undefined;
  let log: Logger | undefined;
  const run = async () => {
    config = { ...loadConfig(), services: [name] };
    const serviceLog = (log = createLogger(name, config.logLevel));
    if (!config.databaseUrl) {
      throw new StartupError(
        `DATABASE_URL is not set; ${name} run on its own needs a PostgreSQL`,
        'set DATABASE_URL=postgres://user:password@host:5432/db, or run the whole hub with `npm start`, which embeds one',
      );
    }
    startTracing(config.tracing, tracingServiceName(config.tracing, config.services));
    const service = await load()(config, config.databaseUrl, serviceLog.child({ service: name }));
    serviceLog.info({ service: name, url: service.url }, 'started');
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      serviceLog.info({ signal }, 'stopping');
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS).unref());
      await Promise.race([service.stop(), timeout]).catch((err) => serviceLog.error({ err: (err as Error).message }, 'stop failed'));
      await stopTracing();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop('SIGINT'));
    process.on('SIGTERM', () => void stop('SIGTERM'));
  };
  run().catch((err: unknown) => {
    const text = formatStartupFailure(err, config);
    if (log) log.fatal({ service: name }, text);
    else console.error(text);
    process.exit(1);
  });
}
