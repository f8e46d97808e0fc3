import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { BACKGROUND } from '../db/query-counter';
import { withSystem } from '../db/tenant-context';
import { headPosition, readEvents, type HubEvent } from './event-log';
import { DEMO_EVENT_SOURCE } from './events';

/** Options for {@link DurableConsumer}. */
export interface DurableConsumerOptions {
  /** Unique and stable: the position is stored under it. */
  name: string;
  dataSource: DataSource;
  log: Logger;
  /** Only these event types reach `handle`. */
  types?: string[];
  batchSize?: number;
  /**
   * Applies a batch inside the transaction that also advances the position, so each
   * event's effects commit exactly once even with several instances running.
   */
  handle(events: HubEvent[], manager: EntityManager): Promise<void>;
  /**
   * Also apply the demo history the scorecards seed writes (source `demo`). Off by default:
   * that history is figures for the dashboard, not work to act on (no clocks, escalations,
   * webhooks or access changes come from it).
   */
  includeDemoHistory?: boolean;
}

/**
 * A consumer of the event log with a durable position in `eventlog.consumers`. One
 * instance at a time holds the position row (`FOR UPDATE SKIP LOCKED`); the others skip.
 */
export class DurableConsumer {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly opts: DurableConsumerOptions) {}

  get name(): string {
    return this.opts.name;
  }

  /** Processes one batch; returns how many events it applied (0 when idle or busy elsewhere). */
  async runOnce(): Promise<number> {
    const { dataSource, name } = this.opts;
    await dataSource.query(`${BACKGROUND}INSERT INTO eventlog.consumers (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, [name]);
    return dataSource.transaction(async (manager) => {
      const rows: { tx: string; seq: string }[] = await manager.query(
        `${BACKGROUND}SELECT tx::text AS tx, seq FROM eventlog.consumers WHERE name = $1 FOR UPDATE SKIP LOCKED`,
        [name],
      );
      if (rows.length === 0) return 0;
      const after = { tx: String(rows[0].tx), seq: String(rows[0].seq) };
      const events = await readEvents(manager, { after, limit: this.opts.batchSize ?? 200, types: this.opts.types, background: true });
      if (events.length === 0) return 0;
      const applicable = this.opts.includeDemoHistory ? events : events.filter((e) => e.source !== DEMO_EVENT_SOURCE);
      if (applicable.length > 0) await this.opts.handle(applicable, manager);
      const last = events[events.length - 1].position;
      await manager.query(`${BACKGROUND}UPDATE eventlog.consumers SET tx = $2::xid8, seq = $3, updated_at = now() WHERE name = $1`, [name, last.tx, last.seq]);
      return events.length;
    });
  }

  /** Runs batches until the log is drained; concurrent calls coalesce. */
  drain(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    // As the hub, whoever triggered it: a request's catch-up must not apply only the events
    // its caller may see (row-level security) and move the position past the rest.
    this.running = withSystem(async () => {
      do {
        this.again = false;
        while (!this.stopped && (await this.runOnce()) > 0);
      } while (this.again && !this.stopped);
    })
      .catch((err) => this.opts.log.error({ err: (err as Error).message, consumer: this.opts.name }, 'consumer batch failed; will retry'))
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /**
   * Resolves once every event of this consumer's types committed before the call has been
   * applied — also when another instance holds the position (then `drain()` alone returns at
   * once, SKIP LOCKED), by waiting for it. Gives up after `timeoutMs` (the caller then answers
   * from what it has).
   */
  catchUp(timeoutMs = 2000): Promise<void> {
    return withSystem(() => this.waitForHead(timeoutMs));
  }

  private async waitForHead(timeoutMs: number): Promise<void> {
    const { dataSource, name, types } = this.opts;
    const head = await headPosition(dataSource.manager);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.drain();
      const [{ behind }]: { behind: boolean }[] = await dataSource.query(
        `${BACKGROUND}SELECT EXISTS (
           SELECT 1 FROM eventlog.events e, eventlog.consumers c
            WHERE c.name = $1 AND (e.tx, e.seq) > (c.tx, c.seq) AND (e.tx, e.seq) <= ($2::xid8, $3::bigint)
              AND ($4::text[] IS NULL OR e.type = ANY($4::text[]))
         ) AS behind`,
        [name, head.tx, head.seq, types?.length ? types : null],
      );
      if (!behind || this.stopped || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}
