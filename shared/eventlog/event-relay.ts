import { Client } from 'pg';
import { withSystem } from '../db/tenant-context';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { BACKGROUND } from '../db/query-counter';
import { EVENTS_CHANNEL, readEvents, START_POSITION, type EventPosition, type HubEvent } from './event-log';

/** Options for {@link EventRelay}. */
export interface EventRelayOptions {
  /** Connection string for the dedicated LISTEN connection. */
  url: string;
  dataSource: DataSource;
  log: Logger;
  /** Safety-net poll for a missed or dropped notification. */
  pollMs?: number;
  batchSize?: number;
}

/**
 * Live fan-out of committed events to this process (GraphQL subscriptions, wake-ups of
 * durable consumers). Every instance of every service runs its own relay, so an event
 * committed through any instance reaches subscribers on all of them. Its position lives
 * in memory and starts at the head: live subscribers only want what happens from now on,
 * and nothing can be lost between commit and publish because the relay reads the log.
 */
export class EventRelay {
  private position: EventPosition | undefined;
  /** Events already committed at start but ordered after the start position: not news. */
  private alreadyCommitted = new Set<string>();
  private readonly listeners = new Set<(event: HubEvent) => void>();
  private readonly wakeListeners = new Set<() => void>();
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;

  constructor(private readonly opts: EventRelayOptions) {}

  /** Calls `listener` with every event committed after {@link start}. */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` whenever new events may be waiting (notification or poll). */
  onWake(listener: () => void): () => void {
    this.wakeListeners.add(listener);
    return () => this.wakeListeners.delete(listener);
  }

  async start(): Promise<void> {
    // The gap-free head stops before any transaction still open, so events committed by
    // newer transactions may already be visible behind it: note them (same snapshot, one
    // statement) so that the relay does not announce them as new.
    const [row]: { tx: string | null; seq: string | null; ids: string[] }[] = await this.opts.dataSource.query(
      `${BACKGROUND}SELECT h.tx, h.seq, ARRAY(SELECT e.id::text FROM eventlog.events e WHERE e.tx >= pg_snapshot_xmin(pg_current_snapshot())) AS ids
         FROM (SELECT NULL) AS one
         LEFT JOIN LATERAL (SELECT e.tx::text AS tx, e.seq FROM eventlog.events e
                             WHERE e.tx < pg_snapshot_xmin(pg_current_snapshot())
                             ORDER BY e.tx DESC, e.seq DESC LIMIT 1) h ON true`,
    );
    this.position = row.tx ? { tx: String(row.tx), seq: String(row.seq) } : START_POSITION;
    this.alreadyCommitted = new Set(row.ids);
    await this.listen();
    this.timer = setInterval(() => this.wake(), this.opts.pollMs ?? 1000);
    this.timer.unref();
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.opts.url, application_name: 'hub-event-relay' });
    client.on('error', (err) => {
      this.opts.log.warn({ err: err.message }, 'event relay connection lost; reconnecting');
      this.client = undefined;
      client.end().catch(() => undefined);
      setTimeout(() => this.listen().catch(() => undefined), 1000).unref();
    });
    client.on('notification', () => this.wake());
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      this.client = client;
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'event relay cannot listen yet; retrying');
      client.end().catch(() => undefined);
      setTimeout(() => this.listen().catch(() => undefined), 1000).unref();
    }
  }

  /** Reads and publishes whatever has committed since the last read. */
  wake(): void {
    // As the hub even when a request asks for it: the relay publishes every event, and
    // each subscriber filters with its own tenant.
    withSystem(() => this.wakeAsHub());
  }

  private wakeAsHub(): void {
    if (this.stopped) return;
    for (const l of this.wakeListeners) l();
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((err) => this.opts.log.warn({ err: (err as Error).message }, 'event relay read failed; will retry'))
      .finally(() => {
        this.draining = undefined;
        if (this.again) {
          this.again = false;
          this.wakeAsHub();
        }
      });
  }

  /** Resolves once every event committed before the call has been published here. */
  async flush(): Promise<void> {
    this.wake();
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    if (!this.position) return;
    const batchSize = this.opts.batchSize ?? 500;
    for (;;) {
      const events = await readEvents(this.opts.dataSource.manager, { after: this.position, limit: batchSize, background: true });
      for (const event of events) {
        this.position = event.position;
        if (this.alreadyCommitted.delete(event.id)) continue;
        for (const listener of this.listeners) {
          try {
            listener(event);
          } catch (err) {
            this.opts.log.error({ err: (err as Error).message, event: event.id }, 'event listener failed');
          }
        }
      }
      if (events.length < batchSize) return;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    while (this.draining) await this.draining;
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
