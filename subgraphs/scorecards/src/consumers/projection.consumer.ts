import type { DataSource } from 'typeorm';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { readEvents, START_POSITION } from '../../../../shared/eventlog/event-log';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import type { Logger } from '../../../../shared/logger';
import { PROJECTED_EVENT_TYPES, PROJECTION_CONSUMER, projectEvents } from '../services/projection';

/**
 * The most events folded in one transaction. The coarse cells (a partner's week, month,
 * quarter) are shared by many of a batch's facts, so a larger batch writes fewer cell rows per
 * event: on the scorecards bench 8,000 folded 1.5 times the events/s of 2,000. A live hub's
 * batches are what arrived since the last one, far fewer; this bounds a backlog's (a consumer
 * catching up, a rebuild).
 */
export const PROJECTION_BATCH = 8000;

/** Options for {@link createProjectionConsumer}. */
export interface ProjectionConsumerOptions {
  dataSource: DataSource;
  log: Logger;
  /** Events per transaction at most; {@link PROJECTION_BATCH} unless given. */
  batchSize?: number;
}

/** The incremental path: a durable, idempotent consumer of handoff, SLA, feedback, due and customer events. */
export function createProjectionConsumer(opts: ProjectionConsumerOptions): DurableConsumer {
  return new DurableConsumer({
    name: PROJECTION_CONSUMER,
    dataSource: opts.dataSource,
    log: opts.log,
    types: PROJECTED_EVENT_TYPES,
    batchSize: opts.batchSize ?? PROJECTION_BATCH,
    includeDemoHistory: true,
    handle: (events, manager) => projectEvents(events, manager),
  });
}

/**
 * Rebuilds the projection from the whole log in one transaction: readers keep seeing the
 * old figures until it commits, and the live consumer (which needs the same position row)
 * waits instead of racing it. The exchange rates are not part of it (their own consumer keeps
 * them); the value rollups are rebuilt converted at the rates in force. Returns how many events were replayed.
 */
export async function rebuildProjection(dataSource: DataSource, opts: { batchSize?: number } = {}): Promise<number> {
  await dataSource.query(`INSERT INTO eventlog.consumers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [PROJECTION_CONSUMER]);
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT 1 FROM eventlog.consumers WHERE name = $1 FOR UPDATE`, [PROJECTION_CONSUMER]);
    // DELETE rather than TRUNCATE: TRUNCATE would lock readers out for the whole replay.
    await manager.query(`DELETE FROM scorecards.rollups`);
    await manager.query(`DELETE FROM scorecards.value_cells`);
    await manager.query(`DELETE FROM scorecards.value_rollups`);
    await manager.query(`DELETE FROM scorecards.handoff_facts`);
    await manager.query(`DELETE FROM scorecards.due_facts`);
    await manager.query(`DELETE FROM scorecards.customers`);
    let position = START_POSITION;
    let replayed = 0;
    for (;;) {
      const events = await readEvents(manager, { after: position, limit: opts.batchSize ?? PROJECTION_BATCH, types: PROJECTED_EVENT_TYPES, background: true });
      const last = events.at(-1);
      if (!last) break;
      await projectEvents(events, manager);
      position = last.position;
      replayed += events.length;
    }
    await manager.query(`${BACKGROUND}UPDATE eventlog.consumers SET tx = $2::xid8, seq = $3, updated_at = now() WHERE name = $1`, [
      PROJECTION_CONSUMER,
      position.tx,
      position.seq,
    ]);
    return replayed;
  });
}
