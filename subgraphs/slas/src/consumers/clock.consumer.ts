import type { DataSource, EntityManager } from 'typeorm';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { HANDOFF_EVENT_TYPES, PLAYBOOK_PUBLISHED } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { applyHandoffEvent } from '../services/clock.service';

/** The durable position name of the clock consumer (the scheduler checks it too). */
export const CLOCK_CONSUMER = 'slas.clocks';

/** PlaybookPublished: `{ playbook: { id, moment, ... } }`; slas only needs which moment a playbook serves. */
async function projectPlaybook(manager: EntityManager, event: HubEvent): Promise<void> {
  const playbook = (event.payload.playbook ?? {}) as { id?: string; moment?: string };
  if (!playbook.id || !playbook.moment) return;
  await manager.query(`INSERT INTO slas.playbooks (id, moment) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET moment = EXCLUDED.moment, updated_at = now()`, [
    playbook.id,
    playbook.moment,
  ]);
}

/** The handoff and playbook events slas applies. */
export const CLOCK_CONSUMER_TYPES = [...HANDOFF_EVENT_TYPES, PLAYBOOK_PUBLISHED];

/**
 * Applies handoff and playbook events to slas' projections and clocks, exactly once each,
 * and tells `onNextDue` when the earliest clock is now due (read in the same transaction),
 * so the breach scheduler sleeps until then without a query of its own.
 */
export function createClockConsumer(dataSource: DataSource, log: Logger, opts: { onNextDue?(at: Date | null): void } = {}): DurableConsumer {
  let nextDue: Date | null = null;
  return new DurableConsumer({
    name: CLOCK_CONSUMER,
    dataSource,
    log,
    types: CLOCK_CONSUMER_TYPES,
    onApplied: () => opts.onNextDue?.(nextDue),
    handle: async (events, manager) => {
      // The position makes delivery exactly-once in principle; the event-id ledger makes it so
      // even if an event comes round again (a reset position, a reordering read).
      const fresh: { event_id: string }[] = await manager.query(
        `INSERT INTO slas.applied_events (event_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING RETURNING event_id`,
        [events.map((e) => e.id)],
      );
      const todo = new Set(fresh.map((r) => r.event_id));
      for (const event of events) {
        if (!todo.has(event.id)) continue;
        if (event.type === PLAYBOOK_PUBLISHED) await projectPlaybook(manager, event);
        else await applyHandoffEvent(manager, event);
      }
      if (opts.onNextDue) {
        const [row]: { at: Date | null }[] = await manager.query(`SELECT min(next_action_at) AS at FROM slas.clocks WHERE next_action_at IS NOT NULL`);
        nextDue = row?.at ?? null;
      }
    },
  });
}
