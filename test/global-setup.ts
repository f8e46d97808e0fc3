import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { freePort } from '../shared/free-port';

/**
 * One real PostgreSQL for the whole run: DATABASE_URL when given, otherwise embedded
 * (fresh data directory, deleted on teardown). Each test file creates its own database.
 */
export default async function globalSetup() {
  if (process.env.DATABASE_URL) {
    process.env.HUB_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'hub-test-pg-'));
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), persistent: false });
  process.env.HUB_TEST_ADMIN_URL = pg.url;
  (globalThis as { __HUB_PG__?: typeof pg }).__HUB_PG__ = pg;
}
