import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from 'jest';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { freePort } from '../shared/free-port';
import { ensureDashboardBuilt } from './support/dashboard-build';

/**
 * Real PostgreSQL for the run: DATABASE_URL when given (one cluster, so jest.config.js runs
 * one file at a time), otherwise one embedded cluster per jest worker (fresh data directories,
 * deleted on teardown). Transaction ids are cluster-wide and the event readers never read past
 * a transaction open anywhere in their cluster, so files that run at the same time must not
 * share one (docs/testing.md). Each test file creates its own database on its worker's cluster,
 * empty or copied from a template database the run builds there on first use.
 */
export default async function globalSetup(globalConfig: { maxWorkers: Config['maxWorkers'] }) {
  // Names this run's template databases (test/support/database.ts), which the teardown drops.
  process.env.HUB_TEST_RUN_ID = randomBytes(4).toString('hex');
  // The browser tests' pages: built here, once, never while one of them serves it.
  ensureDashboardBuilt();
  if (process.env.DATABASE_URL) {
    process.env.HUB_TEST_ADMIN_URLS = JSON.stringify([process.env.DATABASE_URL]);
    return;
  }
  const workers = Math.max(1, Number(globalConfig.maxWorkers) || 1);
  const clusters = await Promise.all(
    Array.from({ length: workers }, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'hub-test-pg-'));
      return startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), persistent: false });
    }),
  );
  process.env.HUB_TEST_ADMIN_URLS = JSON.stringify(clusters.map((pg) => pg.url));
  (globalThis as { __HUB_PG__?: typeof clusters }).__HUB_PG__ = clusters;
}
