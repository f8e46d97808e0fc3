import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { appendEvents } from '../../../../shared/eventlog/event-log';
import { TASK_OVERDUE } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { TASK_COLUMNS, toTask } from './handoff-store';
import { returned } from './sql';
import { taskEvent } from './task.service';

/**
 * Records each OPEN task that passed its due time, once: one TaskOverdue event per task.
 * The work queue is the tasks table itself (`overdue_at IS NULL`, partially indexed); each
 * batch claims due rows with `FOR UPDATE SKIP LOCKED`, stamps them and appends their events
 * in one transaction, so with any number of instances each task is recorded exactly once,
 * and what came due while every instance was down is recorded by the first sweep after start.
 * Returns how many tasks it recorded.
 */
export async function sweepOverdueTasks(db: DataSource, opts: { batchSize?: number; now?: Date } = {}): Promise<number> {
  const batchSize = opts.batchSize ?? 500;
  let total = 0;
  for (;;) {
    const n = await db.transaction(async (manager) => {
      const rows = returned<object>(
        await manager.query(
          `${BACKGROUND}WITH due AS (
             SELECT id FROM handoffs.tasks
              WHERE status = 'OPEN' AND overdue_at IS NULL AND due_at IS NOT NULL AND due_at <= $1
              ORDER BY due_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
           UPDATE handoffs.tasks t SET overdue_at = $1 FROM due WHERE t.id = due.id RETURNING ${TASK_COLUMNS}`,
          [opts.now ?? new Date(), batchSize],
        ),
      );
      if (rows.length)
        await appendEvents(
          manager,
          rows.map(toTask).map((t) => taskEvent(TASK_OVERDUE, t, null)),
        );
      return rows.length;
    });
    total += n;
    if (n < batchSize) return total;
  }
}

/** Runs {@link sweepOverdueTasks} every `pollMs` (default one minute) until stopped. */
export class TaskOverdueSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly opts: { db: DataSource; log: Logger; pollMs?: number }) {}

  start(): void {
    if (this.timer) return;
    const tick = () => {
      if (this.running) return;
      this.running = sweepOverdueTasks(this.opts.db)
        .catch((err: Error) => this.opts.log.warn({ err: err.message }, 'task overdue sweep failed; will retry'))
        .finally(() => {
          this.running = undefined;
        });
    };
    tick();
    this.timer = setInterval(tick, this.opts.pollMs ?? 60_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
