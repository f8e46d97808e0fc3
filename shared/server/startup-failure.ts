import { ConfigError, SUBGRAPH_NAMES, type HubConfig } from '../config';

/** A start-up failure that already says what failed and what to do about it. */
export class StartupError extends Error {
  constructor(
    message: string,
    /** What to do about it, for the person starting the process. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** What failed and what to do, in words a person starting the hub can act on. */
export interface StartupFailure {
  what: string;
  todo: string;
}

interface SystemError {
  code?: string;
  syscall?: string;
  address?: string;
  port?: number;
  path?: string;
  message?: string;
}

/** The configuration variable that set `port`, to name it in the advice. */
function portVariable(port: number | undefined, config: HubConfig | undefined): string | undefined {
  if (port === undefined || !config) return undefined;
  if (config.gatewayPort === port) return 'GATEWAY_PORT';
  if (!config.databaseUrl && config.embeddedPgPort === port) return 'HUB_EMBEDDED_PG_PORT';
  const subgraph = SUBGRAPH_NAMES.find((n) => config.subgraphs[n].port === port);
  return subgraph ? `${subgraph.toUpperCase()}_PORT` : undefined;
}

/**
 * Explains why a service could not start. Anything may be thrown on the way (a library
 * once rejected with nothing at all), so this never returns an empty description.
 */
export function describeStartupFailure(err: unknown, config?: HubConfig): StartupFailure {
  if (err instanceof StartupError) return { what: err.message, todo: err.hint };
  if (err instanceof ConfigError) return { what: err.message, todo: 'fix the variables named above (see shared/config.ts for each one)' };
  const e = (typeof err === 'object' && err !== null ? err : {}) as SystemError;
  if (e.code === 'EADDRINUSE' || (e.code === 'EACCES' && e.syscall === 'listen')) {
    const where = `${e.address ?? config?.host ?? ''}:${e.port ?? '?'}`;
    const variable = portVariable(e.port, config);
    return {
      what: e.code === 'EADDRINUSE' ? `port ${where} is already in use` : `not allowed to listen on ${where}`,
      todo: `stop the process that holds it (an earlier start still running? \`lsof -i :${e.port ?? ''}\` names it) or choose another port${variable ? ` with ${variable}` : ''}`,
    };
  }
  if ((e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS') && e.path) {
    return { what: `no permission to write ${e.path} (${e.code})`, todo: 'fix its permissions, or point HUB_DATA_DIR at a directory this user can write' };
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || e.code === '28P01' || e.code === '3D000') {
    return {
      what: `cannot use the database: ${e.message ?? e.code}`,
      todo: 'check that PostgreSQL is running and that DATABASE_URL (and DATABASE_APP_URL, when set) point at it with valid credentials',
    };
  }
  const message = err instanceof Error ? err.message : err === undefined || err === null ? '' : String(err);
  return {
    what: message.trim() || `an unexplained failure (${err === undefined ? 'nothing' : Object.prototype.toString.call(err)} was thrown)`,
    todo: 'see the log lines above for the step that failed; rerun with HUB_LOG_LEVEL=debug for more',
  };
}

/** The two lines a start-up failure prints. */
export function formatStartupFailure(err: unknown, config?: HubConfig): string {
  const { what, todo } = describeStartupFailure(err, config);
  return `Start-up failed: ${what}\n  What to do: ${todo}`;
}
