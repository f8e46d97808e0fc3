import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * The admin URL of this jest worker's own cluster (test/global-setup.ts starts one per worker):
 * files running at the same time never share a cluster's transaction ids.
 */
export const adminUrl = () => {
  const urls = process.env.HUB_TEST_ADMIN_URLS;
  if (!urls) throw new Error('HUB_TEST_ADMIN_URLS is not set: run tests through jest (test/global-setup.ts)');
  const list = JSON.parse(urls) as string[];
  const worker = Math.max(1, Number(process.env.JEST_WORKER_ID ?? '1'));
  const url = list[(worker - 1) % list.length];
  if (!url) throw new Error('HUB_TEST_ADMIN_URLS is empty');
  return url;
};

export interface TestDatabase {
  /** The admin (owner) URL: openDataSource migrates with it and connects as the app role. */
  url: string;
  /**
   * Runs one statement as the cluster's superuser, past row-level security: for fixtures
   * the services themselves may never do (backdating the append-only event log, test tables).
   */
  asAdmin<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A fresh, empty database on the run's Postgres; drop it in afterAll. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async asAdmin<T>(sql: string, params: unknown[] = []) {
      const c = new Client({ connectionString: url.toString() });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
