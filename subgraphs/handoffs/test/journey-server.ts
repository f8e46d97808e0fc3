import type { DataSource } from 'typeorm';
import { TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import { silentLog } from './fixture';

/** A handoffs server for the journey tests: links at https://hub.example, 30 days by default, 90 at most. */
export async function startJourneyServer(db: DataSource): Promise<{ server: HandoffsServer; url: string; base: string }> {
  const server = await createHandoffsServer({
    dataSource: db,
    identitySecret: TEST_IDENTITY_SECRET,
    log: silentLog,
    config: { eventPollMs: 1000, customerJourney: { publicUrl: 'https://hub.example', defaultDays: 30, maxDays: 90 } },
    taskOverduePollMs: 3_600_000,
  });
  const url = await server.listen(0);
  return { server, url, base: url.replace(/\/graphql$/, '') };
}
