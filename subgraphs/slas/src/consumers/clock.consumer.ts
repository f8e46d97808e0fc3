import type { DataSource, EntityManager } from 'typeorm';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { HANDOFF_EVENT_TYPES, PLAYBOOK_PUBLISHED } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { applyHandoffEvents } from '../services/clock.service';

/** The durable position name of the clock consumer (the scheduler checks it too). */
export const CLOCK_CONSUMER = 'slas.clocks';

/**
 * PlaybookPublished: `{ playbook: { id, moment, ... } }`; slas only needs which moment a
 * playbook serves. One upsert for the batch, the last event of each playbook winning.
 */
async function projectPlaybooks(manager: EntityManager, events: HubEvent[]): Promise<void> {
  const moments = new Map<string, string>();
  for (const event of events) {
    const playbook = (event.payload.playbook ?? {}) as { id?: string; moment?: string };
    if (playbook.id && playbook.moment) moments.set(playbook.id, playbook.moment);
  }
  if (moments.size === 0) return;
  await manager.query(
    `INSERT INTO slas.playbooks (id, moment) SELECT * FROM unnest($1::uuid[], $2::text[])
     ON CONFLICT (id) DO UPDATE SET moment = EXCLUDED.moment, updated_at = now()`,
    [[...moments.keys()], [...moments.values()]],
  );
}

/** The handoff and playbook events slas applies. */
export const CLOCK_CONSUMER_TYPES = [...HANDOFF_EVENT_TYPES, PLAYBOOK_PUBLISHED];

/**
 * Applies handoff and playbook events to slas' projections and clocks, exactly once each,
 * a whole batch in a constant number of statements (see applyHandoffEvents), and tells
 * `onNextDue` when the earliest clock is now due (read in the same transaction), so the
 * breach scheduler sleeps until then without a query of its own.
 */
export function createClockConsumer(
  dataSource: DataSource,
  log: Logger,
  opts: { onNextDue?(at: Date | null): void; batchSize?: number } = {},
): DurableConsumer {
  let nextDue: Date | null = null;
  return new DurableConsumer({
    name: CLOCK_CONSUMER,
    dataSource,
    log,
    types: CLOCK_CONSUMER_TYPES,
    batchSize: opts.batchSize,
    onApplied: () => opts.onNextDue?.(nextDue),
    handle: async (events, manager) => {
      // The position makes delivery exactly-once in principle; the event-id ledger makes it so
      // even if an event comes round again (a reset position, a reordering read).
      const fresh: { event_id: string }[] = await manager.query(
        `INSERT INTO slas.applied_events (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [events.map((e) => e.id)],
      );
      const todo = new Set(fresh.map((r) => r.event_id));
      const playbooks = events.filter((e) => todo.has(e.id) && e.type === PLAYBOOK_PUBLISHED);
      if (playbooks.length > 0) await projectPlaybooks(manager, playbooks);
      // In log order: the order of events within each handoff is what the clocks follow.
      await applyHandoffEvents(
        manager,
        events.filter((e) => todo.has(e.id) && e.type !== PLAYBOOK_PUBLISHED),
      );
      if (opts.onNextDue) {
        const [row]: { at: Date | null }[] = await manager.query(`SELECT min(next_action_at) AS at FROM slas.clocks WHERE next_action_at IS NOT NULL`);
        nextDue = row?.at ?? null;
      }
    },
  });
}
