import { Client } from 'pg';
import { TEMPLATE_PREFIX } from './support/database';

/**
 * Stops the embedded clusters (their data directories go with them); on a given DATABASE_URL,
 * drops the template databases this run built there (test/support/database.ts).
 */
export default async function globalTeardown() {
  const clusters = (globalThis as { __HUB_PG__?: { stop(): Promise<void> }[] }).__HUB_PG__ ?? [];
  await Promise.all(clusters.map((pg) => pg.stop()));
  const given = process.env.DATABASE_URL;
  const run = process.env.HUB_TEST_RUN_ID;
  if (clusters.length > 0 || !given || !run) return;
  const admin = new Client({ connectionString: given });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [`${TEMPLATE_PREFIX}${run}_`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
