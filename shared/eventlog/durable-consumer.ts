import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import { BACKGROUND } from '../db/query-counter';
import { withSystem } from '../db/tenant-context';
import { consumerApplyLag } from '../observability/metrics';
import { comparePositions, headPosition, newestCommitted, readEvents, START_POSITION, type EventPosition, type HubEvent } from './event-log';
import type { ConsumerBacklog, EventReader, ReaderConsumer } from './event-reader';
import { DEMO_EVENT_SOURCE } from './events';

/** Options for {@link DurableConsumer}. */
export interface DurableConsumerOptions {
  /** Unique and stable: the position is stored under it. */
  name: string;
  dataSource: DataSource;
  log: Logger;
  /** Only these event types reach `handle`; undefined = every type. See also {@link DurableConsumer.setTypes}. */
  types?: string[];
  batchSize?: number;
  /**
   * Applies a batch inside the transaction that also advances the position, so each
   * event's effects commit exactly once even with several instances running.
   */
  handle(events: HubEvent[], manager: EntityManager): Promise<void>;
  /** After a batch committed (e.g. to wake a worker that acts on what `handle` wrote). */
  onApplied?(events: HubEvent[]): void;
  /**
   * Types that depend on data (the webhook fan-out: what the webhooks subscribe to): loaded
   * at start and again whenever a transaction sends `signal` ({@link signalPayload}).
   */
  dynamicTypes?: { signal: string; load(): Promise<string[] | undefined> };
  /**
   * Also apply the demo history the scorecards seed writes (source `demo`). Off by default:
   * that history is figures for the dashboard, not work to act on (no clocks, escalations,
   * webhooks or access changes come from it).
   */
  includeDemoHistory?: boolean;
}

/** Events a consumer holds in memory at most; past that it drops them and reads the log itself. */
const MAX_QUEUE = 10_000;

/** How long a catch-up waits at most for what was committed before it (then answers from what it has). */
const DRAIN_TIMEOUT_MS = 5000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A consumer of the event log with a durable position in `eventlog.consumers`.
 *
 * Attached to the process's {@link EventReader} ({@link start}), it is handed the events of
 * its types as the reader reads them and applies each burst in one transaction: lock the
 * position row (`FOR UPDATE SKIP LOCKED`), apply the events after the stored position,
 * move the position, commit. With nothing handed to it, it issues no SQL at all; its
 * stored position then lags behind the log over events of other types, and the reader
 * moves idle positions forward now and then in one statement for the whole process.
 *
 * It holds what it was handed only from the position where the reader started handing
 * (or where it last had to drop them: a reader slice that lacked its types, a queue over
 * {@link MAX_QUEUE}); whenever the stored position is behind that, it reads the log itself,
 * from the stored position, in batches, until it meets the handed events — at start-up
 * after being down, and after taking over from another instance.
 *
 * Without a reader (tests, tools), {@link drain} reads the log itself the same way.
 */
export class DurableConsumer implements ReaderConsumer {
  private typeList: string[] | undefined;
  private reader: EventReader | undefined;
  private owned = false;
  /** Handed events after `from`, in log order, up to `upTo`. */
  private queue: HubEvent[] = [];
  private from: EventPosition = START_POSITION;
  private upTo: EventPosition = START_POSITION;
  /** Bumped by every reset of the queue (positions may repeat, so they cannot tell). */
  private generation = 0;
  /** The stored position may be before `from`: read the log from it before applying `queue`. */
  private behind = true;
  /** The position this instance last knew stored (to tell whether an idle position moved). */
  private stored: EventPosition | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;
  private rowReady = false;
  private offSignal: (() => void) | undefined;

  constructor(private readonly opts: DurableConsumerOptions) {
    this.typeList = opts.types ? [...opts.types] : undefined;
  }

  get name(): string {
    return this.opts.name;
  }

  types(): readonly string[] | undefined {
    return this.typeList;
  }

  /**
   * Changes the types it handles (a consumer whose interest depends on data, like the
   * webhook fan-out). Events of the new types since its stored position are read from the
   * log; none is lost.
   */
  setTypes(types: string[] | undefined): void {
    const same =
      types === undefined
        ? this.typeList === undefined
        : this.typeList !== undefined && types.length === this.typeList.length && types.every((t) => this.typeList!.includes(t));
    if (same) return;
    this.typeList = types ? [...types] : undefined;
    this.rowReady = false;
    this.resetQueue(this.reader?.head ?? this.upTo);
    this.reader?.interestChanged();
    this.schedule();
  }

  /** Attaches to the process's reader; resolves once what was committed while it was down is applied (when it runs here). */
  async start(reader: EventReader): Promise<void> {
    const dynamic = this.opts.dynamicTypes;
    if (dynamic) {
      this.offSignal = reader.onSignal(dynamic.signal, () => {
        withSystem(() => dynamic.load())
          .then((types) => this.setTypes(types))
          .catch((err) => this.opts.log.error({ err: (err as Error).message, consumer: this.opts.name }, 'consumer could not reload its types'));
      });
      this.setTypes(await withSystem(() => dynamic.load()));
    }
    await this.ensureRow();
    this.reader = reader;
    await reader.addConsumer(this);
    // What was committed before it started, up to now: the log from its stored position, and
    // what the reader reads now that it wants these types too.
    if (this.owned) await this.drain();
  }

  setOwned(owned: boolean): void {
    if (owned === this.owned) return;
    this.owned = owned;
    this.resetQueue(this.reader?.head ?? START_POSITION);
    if (owned) this.schedule();
  }

  receive(events: HubEvent[], until: EventPosition, complete: boolean): void {
    if (!this.owned || this.stopped) return;
    if (!complete) {
      this.resetQueue(until);
    } else {
      for (const e of events) if (comparePositions(e.position, this.upTo) > 0) this.queue.push(e);
      if (comparePositions(until, this.upTo) > 0) this.upTo = until;
      if (this.queue.length > MAX_QUEUE) this.resetQueue(this.upTo);
    }
    if (this.queue.length > 0 || this.behind) this.schedule();
  }

  /** A position the reader may store for it now: nothing of its types is waiting before it. */
  idlePosition(): EventPosition | undefined {
    if (!this.owned || this.behind || this.running || this.queue.length > 0) return undefined;
    if (this.stored && comparePositions(this.upTo, this.stored) <= 0) return undefined;
    return this.upTo;
  }

  /**
   * What it has been handed and not applied yet, from memory (no SQL): the lag gauges add
   * what the reader has not read yet, and, while `behindUntil` is set, the log between the
   * stored position and it (a backlog it reads itself, at start-up or after taking over).
   */
  backlog(): ConsumerBacklog {
    const after = this.stored;
    let pending = 0;
    let oldest: Date | undefined;
    for (const e of this.queue) {
      if (after && comparePositions(e.position, after) <= 0) continue;
      pending++;
      if (!oldest || e.occurredAt < oldest) oldest = e.occurredAt;
    }
    return { pending, oldest, behindUntil: this.behind ? this.from : undefined };
  }

  /** The reader stored {@link idlePosition}. */
  storedIdle(position: EventPosition): void {
    if (!this.stored || comparePositions(position, this.stored) > 0) this.stored = position;
  }

  private resetQueue(at: EventPosition): void {
    this.generation++;
    this.queue = [];
    this.from = at;
    this.upTo = at;
    this.behind = true;
  }

  /** The position row exists from start-up, with the types it handles (for an operator's hub-wide lag query: docs/operations.md). */
  private async ensureRow(): Promise<void> {
    if (this.rowReady) return;
    await this.opts.dataSource.query(
      `${BACKGROUND}INSERT INTO eventlog.consumers (name, types) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET types = EXCLUDED.types WHERE consumers.types IS DISTINCT FROM EXCLUDED.types`,
      [this.opts.name, this.typeList ?? null],
    );
    this.rowReady = true;
  }

  private schedule(): void {
    if (this.stopped || !this.owned || this.retryTimer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = withSystem(() => this.pump()).finally(() => {
      this.running = undefined;
      if (this.again) {
        this.again = false;
        if (this.queue.length > 0 || this.behind) this.schedule();
      }
    });
  }

  /** Applies batches until nothing handed is left; stops on a failure (retried later) or a lock held elsewhere. */
  private async pump(): Promise<void> {
    while (!this.stopped && this.owned && (this.queue.length > 0 || this.behind)) {
      let outcome: 'done' | 'locked';
      try {
        outcome = await this.runBatch();
        this.failures = 0;
      } catch (err) {
        this.failures++;
        this.opts.log.error({ err: (err as Error).message, consumer: this.opts.name }, 'consumer batch failed; will retry');
        this.retryLater(Math.min(30_000, 500 * 2 ** Math.min(this.failures - 1, 6)));
        return;
      }
      // Another transaction holds the position (a rebuild, an instance taking over): look again shortly.
      if (outcome === 'locked') return this.retryLater(200);
    }
  }

  private retryLater(ms: number): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.schedule();
    }, ms);
    this.retryTimer.unref();
  }

  /** One transaction: the stored position, then either the log from it (behind) or the handed events after it. */
  private async runBatch(): Promise<'done' | 'locked'> {
    await this.ensureRow();
    const batchSize = this.opts.batchSize ?? 500;
    const from = this.from;
    const upTo = this.upTo;
    // A copy: `receive` appends to the live queue while the transaction runs, and an event
    // appended after `upTo` was read must not be applied under a position that excludes it
    // (the position would not move past it, and the next batch would apply it again).
    const queued = [...this.queue];
    const generation = this.generation;
    const known = this.stored;
    const result = await this.opts.dataSource.transaction(async (manager) => {
      // The common case, in one statement: this instance wrote the position last and has the
      // handed events after it. Moving the row (if nobody else moved it) locks it as well.
      if (known && comparePositions(known, from) >= 0 && queued.length > 0) {
        const events = queued.filter((e) => comparePositions(e.position, known) > 0).slice(0, batchSize);
        const pending = queued.filter((e) => comparePositions(e.position, known) > 0).length;
        const next = events.length === pending ? upTo : events[events.length - 1]!.position;
        if (await this.movePosition(manager, known, next)) {
          await this.apply(events, manager);
          return { events, next, caughtUp: true };
        }
      }
      const stored = await this.lockPosition(manager);
      if (!stored) return undefined;
      let events: HubEvent[];
      let next: EventPosition;
      let caughtUp = true;
      if (comparePositions(stored, from) < 0) {
        events = await this.readLog(manager, stored, batchSize, from);
        caughtUp = events.length < batchSize;
        next = caughtUp ? from : events[events.length - 1]!.position;
      } else {
        const pending = queued.filter((e) => comparePositions(e.position, stored) > 0);
        events = pending.slice(0, batchSize);
        next = events.length === pending.length ? upTo : events[events.length - 1]!.position;
      }
      await this.apply(events, manager);
      if (comparePositions(next, stored) > 0) await this.savePosition(manager, next);
      else next = stored;
      return { events, next, caughtUp };
    });
    if (!result) return 'locked';
    this.stored = result.next;
    // The queue may have grown meanwhile, or been reset (then this is moot: the reset set
    // `behind`, and the next batch reads the log from the stored position).
    if (this.generation === generation) {
      if (result.caughtUp) this.behind = comparePositions(result.next, from) < 0;
      this.queue = this.queue.filter((e) => comparePositions(e.position, result.next) > 0);
    }
    const applied = result.events;
    if (applied.length > 0) {
      const now = Date.now();
      for (const e of applied) consumerApplyLag.observe({ consumer: this.opts.name }, Math.max(0, now - new Date(e.occurredAt).getTime()) / 1000);
      this.opts.onApplied?.(applied);
    }
    return 'done';
  }

  /** Its own read of the log (behind, or without a reader); a consumer of no type reads nothing. */
  private readLog(manager: EntityManager, after: EventPosition, limit: number, until?: EventPosition): Promise<HubEvent[]> {
    if (this.typeList?.length === 0) return Promise.resolve([]);
    return readEvents(manager, { after, until, limit, types: this.typeList, background: true });
  }

  private async lockPosition(manager: EntityManager): Promise<EventPosition | undefined> {
    const rows: { tx: string; seq: string }[] = await manager.query(
      `${BACKGROUND}SELECT tx::text AS tx, seq FROM eventlog.consumers WHERE name = $1 FOR UPDATE SKIP LOCKED`,
      [this.opts.name],
    );
    return rows[0] ? { tx: String(rows[0].tx), seq: String(rows[0].seq) } : undefined;
  }

  /** Moves the position from `expected` to `next` unless another transaction moved or holds it; true when moved. */
  private async movePosition(manager: EntityManager, expected: EventPosition, next: EventPosition): Promise<boolean> {
    // A SELECT around the UPDATE: TypeORM returns an UPDATE's rows as [rows, count].
    const [row]: { n: number }[] = await manager.query(
      `${BACKGROUND}WITH mine AS (
         SELECT name FROM eventlog.consumers WHERE name = $1 AND (tx, seq) = ($2::xid8, $3::bigint) FOR UPDATE SKIP LOCKED
       ), moved AS (
         UPDATE eventlog.consumers c SET tx = $4::xid8, seq = $5, updated_at = now() FROM mine WHERE c.name = mine.name RETURNING 1)
       SELECT count(*)::int AS n FROM moved`,
      [this.opts.name, expected.tx, expected.seq, next.tx, next.seq],
    );
    return row?.n === 1;
  }

  private async savePosition(manager: EntityManager, p: EventPosition): Promise<void> {
    await manager.query(`${BACKGROUND}UPDATE eventlog.consumers SET tx = $2::xid8, seq = $3, updated_at = now() WHERE name = $1`, [
      this.opts.name,
      p.tx,
      p.seq,
    ]);
  }

  private async apply(events: HubEvent[], manager: EntityManager): Promise<void> {
    const applicable = this.opts.includeDemoHistory ? events : events.filter((e) => e.source !== DEMO_EVENT_SOURCE);
    if (applicable.length > 0) await this.opts.handle(applicable, manager);
  }

  /**
   * Waits until nothing handed to it is left, or it stopped, failed or lost ownership, or
   * `deadline` passed. A batch put off because its position row was locked a moment
   * elsewhere (the reader storing idle positions, an instance taking over) is waited for:
   * returning then would let a caller read what it has just written before it is applied.
   */
  private async settle(deadline: number): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      else if (!this.owned || this.stopped || (this.queue.length === 0 && !this.behind)) return;
      else if (!this.retryTimer) this.schedule();
      else if (this.failures > 0 || Date.now() > deadline) return;
      else await pause(20);
    }
  }

  /**
   * Without a reader: one batch read from the log after the stored position; returns how
   * many events it covered (0 when idle or busy elsewhere).
   */
  async runOnce(): Promise<number> {
    const n = await this.runAlone();
    return n === 'locked' ? 0 : n;
  }

  private async runAlone(): Promise<number | 'locked'> {
    await this.ensureRow();
    return this.opts.dataSource.transaction(async (manager) => {
      const stored = await this.lockPosition(manager);
      if (!stored) return 'locked';
      this.stored = stored;
      const events = await this.readLog(manager, stored, this.opts.batchSize ?? 500);
      if (events.length === 0) return 0;
      await this.apply(events, manager);
      const next = events[events.length - 1]!.position;
      await this.savePosition(manager, next);
      this.stored = next;
      return events.length;
    });
  }

  /**
   * Applies everything of its types committed before the call, also what a transaction
   * still open elsewhere in the cluster holds back from the log's readers, and also when
   * its position row is locked a moment elsewhere; gives up after `timeoutMs` (the caller
   * then answers from what it has). Attached and running here: the reader reads up to now
   * (one statement) and the consumer applies what it was handed. Without a reader: reads
   * the log itself until drained. Errors are logged, not thrown.
   */
  async drain(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.stopped) return;
    const deadline = Date.now() + timeoutMs;
    if (this.reader) {
      if (!this.owned) return this.catchUp(timeoutMs);
      await this.reader.flush(timeoutMs);
      return this.settle(deadline);
    }
    // As the hub, whoever triggered it: a request's catch-up must not apply only the events
    // its caller may see (row-level security) and move the position past the rest.
    await withSystem(async () => {
      try {
        if (this.opts.dynamicTypes) this.setTypes(await this.opts.dynamicTypes.load());
        if (this.typeList?.length === 0) return;
        // Committed already but behind an open transaction: not readable yet, still to apply.
        const heldBack = await newestCommitted(this.opts.dataSource.manager, this.typeList);
        for (;;) {
          const n = await this.runAlone();
          if (this.stopped) return;
          if (n !== 'locked' && n > 0) continue;
          const done = n === 0 && (!heldBack || (this.stored !== undefined && comparePositions(this.stored, heldBack) >= 0));
          if (done || Date.now() > deadline) return;
          await pause(20);
        }
      } catch (err) {
        this.opts.log.error({ err: (err as Error).message, consumer: this.opts.name }, 'consumer batch failed; will retry');
      }
    });
  }

  /**
   * Resolves once every event of this consumer's types committed before the call has been
   * applied — also when another instance runs the consumer, by waiting for it. Gives up
   * after `timeoutMs` (the caller then answers from what it has).
   */
  catchUp(timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
    if (this.reader && this.owned) return withSystem(() => this.drain(timeoutMs));
    if (!this.reader) return this.drain(timeoutMs);
    return withSystem(() => this.waitForOwner(timeoutMs));
  }

  private async waitForOwner(timeoutMs: number): Promise<void> {
    const { dataSource, name } = this.opts;
    const types = this.typeList;
    // Up to the newest event committed, readable or still held back.
    const head = (await newestCommitted(dataSource.manager, types)) ?? (await headPosition(dataSource.manager));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row]: { behind: boolean }[] = await dataSource.query(
        `${BACKGROUND}SELECT EXISTS (
           SELECT 1 FROM eventlog.events e, eventlog.consumers c
            WHERE c.name = $1 AND (e.tx, e.seq) > (c.tx, c.seq) AND (e.tx, e.seq) <= ($2::xid8, $3::bigint)
              AND ($4::text[] IS NULL OR e.type = ANY($4::text[]))
         ) AS behind`,
        [name, head.tx, head.seq, types ?? null],
      );
      if (!row?.behind || this.stopped || this.owned || Date.now() > deadline) break;
      await pause(20);
    }
    // Taken over meanwhile: apply here.
    if (this.owned && !this.stopped) await this.drain(Math.max(0, deadline - Date.now()));
  }

  async stop(): Promise<void> {
    const idle = this.idlePosition();
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.running;
    // An idle position stored on the way out: the next start need not read past it again.
    if (idle) {
      await this.opts.dataSource
        .query(
          `${BACKGROUND}UPDATE eventlog.consumers SET tx = $2::xid8, seq = $3, updated_at = now() WHERE name = $1 AND (tx, seq) < ($2::xid8, $3::bigint)`,
          [this.opts.name, idle.tx, idle.seq],
        )
        .catch(() => undefined);
    }
    this.offSignal?.();
    await this.reader?.removeConsumer(this);
  }
}
