import type { DataSource } from 'typeorm';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { HANDOFF_DUE_EVENT_TYPES } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { applyDueEvents, DUE_CLOCK_CONSUMER } from '../services/due-clock.service';

export { DUE_CLOCK_CONSUMER };

/** The HandoffDue* events that start and stop PROPOSE clocks. */
export const DUE_CLOCK_CONSUMER_TYPES = HANDOFF_DUE_EVENT_TYPES;

/**
 * Starts and stops the PROPOSE clocks of handoffs that came due (services/due-clock.service),
 * a whole batch in a constant number of statements, exactly once with the position; then
 * tells `onNextDue` when the earliest PROPOSE clock is due (read in the same transaction), so
 * the breach scheduler wakes then without a query of its own.
 */
export function createDueClockConsumer(
  dataSource: DataSource,
  log: Logger,
  opts: { onNextDue?(at: Date | null): void; batchSize?: number } = {},
): DurableConsumer {
  let nextDue: Date | null = null;
  return new DurableConsumer({
    name: DUE_CLOCK_CONSUMER,
    dataSource,
    log,
    types: DUE_CLOCK_CONSUMER_TYPES,
    batchSize: opts.batchSize,
    onApplied: () => opts.onNextDue?.(nextDue),
    handle: async (events, manager) => {
      await applyDueEvents(manager, events);
      if (opts.onNextDue) {
        const [row]: { at: Date | null }[] = await manager.query(`SELECT min(next_action_at) AS at FROM slas.due_clocks WHERE next_action_at IS NOT NULL`);
        nextDue = row?.at ?? null;
      }
    },
  });
}
