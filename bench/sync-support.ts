import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../shared/config';
import { openDataSource } from '../shared/db/data-source';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { createAccountsDataSource } from '../subgraphs/accounts/src/data-source';
import { seedAccounts } from '../subgraphs/accounts/src/seed';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/**
 * Runs a sync benchmark against a fresh database with demo data: on DATABASE_URL's server
 * when set, otherwise on a throwaway embedded Postgres. Prints the result as JSON.
 */
export async function runSyncBench(name: string, fn: (db: DataSource, url: string) => Promise<Record<string, unknown>>): Promise<void> {
  const config = loadConfig();
  let adminUrl = config.databaseUrl;
  let stopPg: (() => Promise<void>) | undefined;
  let dir: string | undefined;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'hub-bench-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), persistent: false });
    adminUrl = pg.url;
    stopPg = () => pg.stop();
  }
  const dbName = `hub_bench_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const db = await openDataSource(createAccountsDataSource(url.toString(), 10));
  try {
    await seedAccounts(db);
    const result = await fn(db, url.toString());
    console.log(JSON.stringify({ bench: name, node: process.version, ...result }, null, 2));
  } finally {
    await db.destroy();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
    await stopPg?.();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

export const seconds = (startedMs: number) => (performance.now() - startedMs) / 1000;
