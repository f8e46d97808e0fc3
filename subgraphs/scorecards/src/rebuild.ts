import 'reflect-metadata';
import { loadConfig } from '../../../shared/config';
import { openDataSource } from '../../../shared/db/data-source';
import { startEmbeddedPostgres, type RunningPostgres } from '../../../shared/db/embedded-postgres';
import { createLogger } from '../../../shared/logger';
import { createScorecardsDataSource } from './data-source';
import { rebuildProjection } from './consumers/projection.consumer';
import { rebuildRetention } from './consumers/retention.consumer';

/**
 * `npm run scorecards:rebuild`: empties the projection tables and replays the whole event
 * log into them, in one transaction (readers see the old figures until it commits), then
 * the same for the retention facts and cells. Feedback, tokens and gross margins are this
 * subgraph's own records and are left alone.
 */
async function main() {
  const config = loadConfig();
  const log = createLogger('scorecards-rebuild', config.logLevel);
  let pg: RunningPostgres | undefined;
  let url = config.databaseUrl;
  if (!url) {
    pg = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, persistent: true });
    url = pg.url;
  }
  const db = await openDataSource(createScorecardsDataSource(url, 2));
  try {
    const started = Date.now();
    const replayed = await rebuildProjection(db);
    const seconds = (Date.now() - started) / 1000;
    log.info({ replayed, seconds, eventsPerSecond: Math.round(replayed / Math.max(seconds, 0.001)) }, 'scorecards projection rebuilt');
    const retentionStarted = Date.now();
    const retention = await rebuildRetention(db);
    log.info({ replayed: retention, seconds: (Date.now() - retentionStarted) / 1000 }, 'scorecards retention facts rebuilt');
  } finally {
    await db.destroy();
    await pg?.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
