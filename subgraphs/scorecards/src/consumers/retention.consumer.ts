import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { readEvents, START_POSITION } from '../../../../shared/eventlog/event-log';
import type { Logger } from '../../../../shared/logger';
import { projectRetention, RETENTION_CONSUMER, RETENTION_EVENT_TYPES } from '../services/retention-facts';

/** The retention facts' incremental path: a durable, idempotent consumer of customer, ownership, renewal and proposal events. */
export function createRetentionConsumer(opts: { dataSource: DataSource; log: Logger; batchSize?: number }): DurableConsumer {
  return new DurableConsumer({
    name: RETENTION_CONSUMER,
    dataSource: opts.dataSource,
    log: opts.log,
    types: RETENTION_EVENT_TYPES,
    batchSize: opts.batchSize ?? 2000,
    // The demo history's proposals count in the share of handoffs with a value, as they count in the scorecards.
    includeDemoHistory: true,
    handle: (events, manager) => projectRetention(events, manager),
  });
}

/** Every table the retention consumer writes (gross_margins is a source of truth and stays). */
const RETENTION_TABLES = [
  'retention_cells',
  'retention_horizon',
  'retention_customers',
  'retention_owners',
  'retention_ownership',
  'retention_arr',
  'renewal_outcomes',
  'handoff_values',
];

/**
 * Rebuilds the retention facts and cells from the whole log in one transaction, as
 * {@link rebuildProjection} does for the scorecards (readers see the old figures until it
 * commits; the live consumer waits on the same position row). Returns how many events were
 * replayed.
 */
export async function rebuildRetention(dataSource: DataSource, opts: { batchSize?: number } = {}): Promise<number> {
  await dataSource.query(`INSERT INTO eventlog.consumers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [RETENTION_CONSUMER]);
  return dataSource.transaction(async (manager) => {
    await manager.query(`SELECT 1 FROM eventlog.consumers WHERE name = $1 FOR UPDATE`, [RETENTION_CONSUMER]);
    for (const t of RETENTION_TABLES) await manager.query(`DELETE FROM scorecards.${t}`);
    let position = START_POSITION;
    let replayed = 0;
    for (;;) {
      const events = await readEvents(manager, { after: position, limit: opts.batchSize ?? 5000, types: RETENTION_EVENT_TYPES, background: true });
      const last = events.at(-1);
      if (!last) break;
      await projectRetention(events, manager);
      position = last.position;
      replayed += events.length;
    }
    await manager.query(`${BACKGROUND}UPDATE eventlog.consumers SET tx = $2::xid8, seq = $3, updated_at = now() WHERE name = $1`, [
      RETENTION_CONSUMER,
      position.tx,
      position.seq,
    ]);
    return replayed;
  });
}
