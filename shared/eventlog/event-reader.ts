import { Client, Pool } from 'pg';
import type { Logger } from '../logger';
import { statementName } from '../db/prepared-statements';
import { BACKGROUND } from '../db/query-counter';
import { LAG_COUNT_CAP, registerLagSource, type ConsumerLag } from '../observability/metrics';
import {
  comparePositions,
  EVENTS_CHANNEL,
  headPosition,
  newestCommitted,
  notifiedTypes,
  readSlice,
  START_POSITION,
  type EventPosition,
  type HubEvent,
} from './event-log';

/**
 * What the reader hands slices of the log to: a durable consumer (one at a time across
 * instances, see {@link ReaderConsumer.owned}) or a live listener (every instance: GraphQL
 * subscriptions).
 */
export interface ReaderClient {
  /** The event types it wants; undefined = every type. Read again on {@link EventReader.interestChanged}. */
  types(): readonly string[] | undefined;
  /**
   * A slice of the log: every event of the wanted types after the previous slice, up to
   * `until` (the reader's position; no event of a wanted type at or before it is still to
   * come). `complete` is false when the slice was read without some of the types it wants
   * now (they were added meanwhile): the client must not take it for the whole range.
   */
  receive(events: HubEvent[], until: EventPosition, complete: boolean): void;
}

/** A durable consumer as the reader sees it: it runs in the instance that owns it. */
export interface ReaderConsumer extends ReaderClient {
  readonly name: string;
  /** Called when this instance starts or stops owning the consumer. */
  setOwned(owned: boolean): void;
  /** A position the reader may store for it (it has nothing of its types to apply before it), or undefined. */
  idlePosition(): EventPosition | undefined;
  /** The reader stored that position. */
  storedIdle(position: EventPosition): void;
  /** What it was handed and has not applied yet (the lag gauges; no SQL). */
  backlog(): ConsumerBacklog;
}

/** What a durable consumer was handed and has not applied yet (see {@link EventReader.consumerLag}). */
export interface ConsumerBacklog {
  /** Handed events after its stored position. */
  pending: number;
  /** The oldest of them (occurred_at). */
  oldest: Date | undefined;
  /**
   * Set while it catches up a backlog it reads itself: its stored position may be before
   * this point, and the log between the two, of its types, is still to apply.
   */
  behindUntil: EventPosition | undefined;
}

/** Options for {@link EventReader}. */
export interface EventReaderOptions {
  /** Connection string (the services' app role); the reader opens its own connections as the hub. */
  url: string;
  log: Logger;
  /** Safety net for a missed notification: one statement per poll. Default 5000. */
  pollMs?: number;
  /** The least time between the starts of two reads ({@link DEFAULT_READ_GAP_MS}). */
  readGapMs?: number;
  batchSize?: number;
}

const DEFAULT_POLL_MS = 5000;
/**
 * The least time between the starts of two reads of one reader. A read right after a quiet
 * spell starts at once; under load, the commits of those milliseconds are read, and applied by
 * each consumer, together. On P6 (bench layout, 10 workers) that took 15 transactions and 66
 * statements per handoff to 10 and 56, with consumer lag at the same p50 and p99.
 */
const DEFAULT_READ_GAP_MS = 25;

/**
 * How many rows of the log after the reader's head one lag scrape reads at most, of any
 * type (the head moves only when an event of interest is read, so it trails the log over
 * the others). Past it the counts are lower bounds; the next scrape goes on from there.
 */
export const LAG_SCAN_ROWS = 50_000;

/**
 * The lag gauges' one statement per scrape (see {@link EventReader.consumerLag}):
 * - `ahead`: the log after the reader's head ($1, $2) in log order, at most $5 rows,
 *   readable or held back behind an open transaction, by type: how many, the oldest and the
 *   first transaction; and the last row read. With the snapshot's xmin (every older
 *   transaction has ended) they let the next scrape start further on.
 * - `behind`: for each consumer catching up a backlog ($3), the events of its types between
 *   its stored position and where its handed events start, at most $4: the range its own
 *   catch-up reads.
 */
const LAG_SQL = `${BACKGROUND}WITH a AS (
    SELECT e.tx, e.seq, e.type, e.occurred_at FROM eventlog.events e
     WHERE (e.tx, e.seq) > ($1::xid8, $2::bigint)
     ORDER BY e.tx, e.seq LIMIT $5)
  SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
    (SELECT json_agg(json_build_object('type', g.type, 'n', g.n, 'oldest', g.oldest, 'first', g.first))
       FROM (SELECT a.type, count(*) AS n, extract(epoch FROM min(a.occurred_at)) * 1000 AS oldest, min(a.tx)::text AS first
               FROM a GROUP BY a.type) g) AS ahead,
    (SELECT json_build_object('tx', a.tx::text, 'seq', a.seq::text) FROM a ORDER BY a.tx DESC, a.seq DESC LIMIT 1) AS last,
    (SELECT json_agg(json_build_object('name', b.name, 'n', l.n, 'oldest', l.oldest))
       FROM jsonb_to_recordset($3::jsonb) AS b(name text, tx text, seq bigint, types text[])
       CROSS JOIN LATERAL (
         SELECT count(*) AS n, extract(epoch FROM min(x.occurred_at)) * 1000 AS oldest
           FROM eventlog.consumers c
           CROSS JOIN LATERAL (
             SELECT e.occurred_at FROM eventlog.events e
              WHERE (e.tx, e.seq) > (c.tx, c.seq) AND (e.tx, e.seq) <= (b.tx::xid8, b.seq) AND (b.types IS NULL OR e.type = ANY(b.types))
              ORDER BY e.tx, e.seq LIMIT $4) x
          WHERE c.name = b.name) l) AS behind`;

interface LagCount {
  n: number;
  /** Epoch milliseconds of the oldest event counted. */
  oldest: number | null;
}

/** Idle positions are stored every this many polls (a minute at the default poll). */
const IDLE_POSITIONS_EVERY = 12;
/** Advisory-lock namespace of consumer ownership (the second key is the name's hash). */
const OWNERSHIP_LOCK = 7_243_001;
/**
 * A signal rides on {@link EVENTS_CHANNEL} as a payload starting with `~` (event types never
 * do): `SELECT pg_notify('hub_events', signalPayload(name))` in a transaction reaches every
 * reader's {@link EventReader.onSignal} listeners for `name` when it commits.
 */
export const signalPayload = (name: string) => `~${name}`;
/** An instance let consumers go: try to take them. */
const CONSUMERS_RELEASED = signalPayload('consumers-released');

/**
 * Reads the event log once per process and hands each client only the events of the types
 * it declared. It follows the log by LISTEN/NOTIFY: a notification names the types its
 * transaction appended, and one that names no type of interest here costs nothing. A
 * consumer with nothing to do therefore issues no SQL, and adding one adds no statement to
 * the events it does not handle.
 *
 * Reads are gap-free: they stop below `pg_snapshot_xmin`, so a transaction that commits
 * after a newer one cannot land behind the reader's position; when events wait behind such
 * a transaction the reader looks again shortly (its commit may notify nothing).
 *
 * Each durable consumer runs in one instance at a time: the instance whose reader holds the
 * consumer's advisory lock on its LISTEN session. The others try to take it at every poll
 * and at once when an instance lets go (a stop notifies), so a dead instance's consumers
 * move to a live one. Exactly-once effects do not depend on this (the consumer locks its
 * position row in its own transaction); it keeps a second instance from paying for every
 * wake-up a second time.
 */
export class EventReader {
  private position: EventPosition = START_POSITION;
  /** Events already committed at start but ordered after the start position: not news. */
  private alreadyCommitted = new Set<string>();
  private readonly consumers = new Map<string, ConsumerGroup>();
  private readonly listeners = new Set<ReaderClient>();
  private readonly signals = new Map<string, Set<() => void>>();
  private pool: Pool;
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private heldTimer: NodeJS.Timeout | undefined;
  /** The last read found committed events of interest behind an open transaction. */
  private heldBack = false;
  private heldDelay = 10;
  private reading: Promise<void> | undefined;
  /**
   * A wake-up came during the read under way: read again after it, once the gap is out
   * (`gap`), or at once when a caller waits for that read (`now`).
   */
  private again: 'gap' | 'now' | undefined;
  /**
   * When the last read started (monotonic: a wall clock stepped back must not hold reads up),
   * and the wake-up that waits out the gap after it ({@link DEFAULT_READ_GAP_MS}).
   */
  private lastReadAt = -Infinity;
  private gapTimer: NodeJS.Timeout | undefined;
  private started = false;
  private stopped = false;
  private interest: Set<string> | 'all' = new Set();
  private polls = 0;
  private pollMs: number;
  /**
   * Where the lag scrape may start reading instead of the head, for the owned consumers'
   * types `key`: no event of those types at or before `at` is left unread after the head,
   * nor can one still commit there. The head trails the log over events of other types (it
   * moves only when an event of interest is read); this keeps a scrape's read to what
   * committed since the last one.
   */
  private lagMark: { key: string; at: EventPosition } | undefined;
  private unregisterLag: (() => void) | undefined;

  /**
   * The reader's pool as the log helpers want it (rows, not pg results). Its statements are
   * the log helpers' few fixed texts, each run at every wake-up: prepared on the reader's
   * connection, planned once (shared/db/prepared-statements.ts).
   */
  private readonly rows = {
    query: async (sql: string, params?: unknown[]) =>
      (await this.pool.query(params?.length ? { name: statementName(sql), text: sql, values: params } : sql)).rows,
  };

  constructor(private readonly opts: EventReaderOptions) {
    this.pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
    // As the hub (row-level security): the reader reads every event; clients filter.
    this.pool = new Pool({
      connectionString: opts.url,
      max: 1,
      idleTimeoutMillis: 60_000,
      application_name: 'hub-event-reader',
      options: '-c hub.tenant=system',
    });
    this.pool.on('error', () => undefined);
  }

  /** Where the reader has read up to (every event of interest at or before it has been handed out). */
  get head(): EventPosition {
    return this.position;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    // The gap-free head stops before any transaction still open, so events committed by
    // newer transactions may already be visible behind it: note them (same snapshot, one
    // statement) so that they are not announced as new.
    const { rows } = await this.pool.query<{ tx: string | null; seq: string | null; ids: string[] }>(
      `${BACKGROUND}SELECT h.tx, h.seq, ARRAY(SELECT e.id::text FROM eventlog.events e WHERE e.tx >= pg_snapshot_xmin(pg_current_snapshot())) AS ids
         FROM (SELECT NULL) AS one
         LEFT JOIN LATERAL (SELECT e.tx::text AS tx, e.seq FROM eventlog.events e
                             WHERE e.tx < pg_snapshot_xmin(pg_current_snapshot())
                             ORDER BY e.tx DESC, e.seq DESC LIMIT 1) h ON true`,
    );
    const row = rows[0];
    this.position = row?.tx ? { tx: String(row.tx), seq: String(row.seq) } : START_POSITION;
    this.alreadyCommitted = new Set(row?.ids ?? []);
    await this.listen();
    this.armPoll();
    this.unregisterLag = registerLagSource(() => this.consumerLag());
  }

  /**
   * The lag of each durable consumer this instance runs; the others report nothing here
   * (the instance that runs them does). From memory, what each was handed and has not
   * applied, plus at most one statement (none when they want no type): the events of their
   * types committed after the reader's head, readable or held back behind an open
   * transaction — a short read from the head, or from where the previous scrape found
   * nothing left, never from the consumers' stored positions — and, only for a consumer
   * catching up a backlog (after start-up, taking over, new types), the log from its stored
   * position. A consumer's count stops at {@link LAG_COUNT_CAP}.
   */
  async consumerLag(): Promise<ConsumerLag[]> {
    if (!this.started || this.stopped) return [];
    // One snapshot before the statement: what the reader hands out while it runs is counted
    // by the statement (after `head`), not by the consumers' queues as well.
    const head = this.position;
    const states = [...this.consumers.values()]
      .filter((g) => g.owned)
      .map((g) => ({ name: g.consumer.name, types: g.consumer.types(), ...g.consumer.backlog() }));
    if (states.length === 0) return [];
    let all = false;
    const wanted = new Set<string>();
    for (const s of states) {
      if (s.types === undefined) all = true;
      else for (const t of s.types) wanted.add(t);
    }
    const ahead = new Map<string, LagCount>();
    const behind = new Map<string, LagCount>();
    if (all || wanted.size > 0) {
      const key = all ? '*' : [...wanted].sort().join(',');
      const mark = this.lagMark?.key === key ? this.lagMark.at : undefined;
      const from = mark && comparePositions(mark, head) > 0 ? mark : head;
      const catchingUp = states
        .filter((s) => s.behindUntil && s.types?.length !== 0)
        .map((s) => ({ name: s.name, tx: s.behindUntil!.tx, seq: s.behindUntil!.seq, types: s.types ?? null }));
      const rows = (await this.rows.query(LAG_SQL, [from.tx, from.seq, JSON.stringify(catchingUp), LAG_COUNT_CAP, LAG_SCAN_ROWS])) as {
        xmin: string;
        ahead: (LagCount & { type: string; first: string })[] | null;
        last: EventPosition | null;
        behind: (LagCount & { name: string })[] | null;
      }[];
      const row = rows[0];
      if (row) {
        // No event of these types is left unread after the head, nor can one still come:
        // before the snapshot's xmin (every older transaction has ended), before the first
        // transaction with one, and, when the scan stopped at its limit, up to the last row read.
        let next: EventPosition = { tx: row.xmin, seq: '0' };
        const before = (p: EventPosition) => {
          if (comparePositions(p, next) < 0) next = p;
        };
        let scanned = 0;
        for (const a of row.ahead ?? []) {
          scanned += a.n;
          if (!all && !wanted.has(a.type)) continue;
          ahead.set(a.type, a);
          before({ tx: a.first, seq: '0' });
        }
        if (scanned >= LAG_SCAN_ROWS && row.last) before(row.last);
        for (const b of row.behind ?? []) behind.set(b.name, b);
        if (!mark || comparePositions(next, mark) > 0) this.lagMark = { key, at: next };
      }
    }
    const now = Date.now();
    return states.map((s) => {
      let events = s.pending;
      let oldest = s.oldest?.getTime();
      const add = (c: LagCount | undefined) => {
        if (!c || c.n === 0) return;
        events += c.n;
        if (c.oldest !== null && (oldest === undefined || c.oldest < oldest)) oldest = c.oldest;
      };
      if (s.types === undefined) for (const a of ahead.values()) add(a);
      else for (const t of new Set(s.types)) add(ahead.get(t));
      add(behind.get(s.name));
      return { consumer: s.name, events: Math.min(events, LAG_COUNT_CAP), seconds: oldest === undefined ? 0 : Math.max(0, now - oldest) / 1000 };
    });
  }

  private armPoll(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref();
  }

  /** The newest gap-free position in the log now (one statement). */
  logHead(): Promise<EventPosition> {
    return headPosition(this.rows);
  }

  /** Sets the safety-net poll (the process's services share the reader: an explicit setting wins over the default). */
  setPollMs(ms: number): void {
    if (ms === this.pollMs) return;
    this.pollMs = ms;
    if (this.started && !this.stopped) this.armPoll();
  }

  /** A live listener (subscriptions): every instance gets every event of its types after start. */
  addListener(listener: ReaderClient): () => void {
    this.listeners.add(listener);
    this.interestChanged();
    return () => {
      this.listeners.delete(listener);
      this.interestChanged();
    };
  }

  /** Calls `fn` whenever a committed transaction sends the signal `name` (see {@link signalPayload}). */
  onSignal(name: string, fn: () => void): () => void {
    let set = this.signals.get(name);
    if (!set) this.signals.set(name, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  /**
   * A durable consumer. Resolves once this instance knows whether it owns the consumer
   * (then the consumer's `setOwned` has been called).
   */
  async addConsumer(consumer: ReaderConsumer): Promise<void> {
    const group = this.consumers.get(consumer.name);
    // Two instances of a service in one process (tests): the first runs it, the other stands by.
    if (group) return void group.members.push(consumer);
    this.consumers.set(consumer.name, new ConsumerGroup(consumer));
    await this.claim([consumer.name]);
  }

  async removeConsumer(consumer: ReaderConsumer): Promise<void> {
    const entry = this.consumers.get(consumer.name);
    if (!entry || !entry.members.includes(consumer)) return;
    if (entry.members.length > 1) {
      const wasRunning = entry.consumer === consumer;
      entry.members.splice(entry.members.indexOf(consumer), 1);
      if (wasRunning && entry.owned) {
        consumer.setOwned(false);
        entry.consumer.setOwned(true);
      }
      return;
    }
    this.consumers.delete(consumer.name);
    if (entry.owned) {
      entry.owned = false;
      consumer.setOwned(false);
      const client = this.client;
      if (client) {
        await client.query(`${BACKGROUND}SELECT pg_advisory_unlock($1, hashtext($2))`, [OWNERSHIP_LOCK, consumer.name]).catch(() => undefined);
        await client.query(`${BACKGROUND}SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, CONSUMERS_RELEASED]).catch(() => undefined);
      }
    }
    this.interestChanged();
  }

  /** Whether this instance runs `name` now. */
  owns(name: string): boolean {
    return this.consumers.get(name)?.owned ?? false;
  }

  /**
   * Recomputes which types this process reads (a client's `types()` changed). When it
   * grew, reads at once: events of the new types may already be committed after the
   * reader's position (their notifications came while nobody here wanted them).
   */
  interestChanged(): void {
    const before = this.interest;
    this.interest = this.computeInterest();
    const grew = this.interest === 'all' ? before !== 'all' : before !== 'all' && [...this.interest].some((t) => !before.has(t));
    if (grew) this.wake();
  }

  private computeInterest(): Set<string> | 'all' {
    const all: string[] = [];
    const clients: ReaderClient[] = [...this.listeners, ...[...this.consumers.values()].filter((c) => c.owned).map((c) => c.consumer)];
    for (const c of clients) {
      const t = c.types();
      if (t === undefined) return 'all';
      all.push(...t);
    }
    return new Set(all);
  }

  /**
   * Reads whatever has committed since the last read and hands it out; resolves when done.
   * Committed events that wait behind an older transaction still open (anywhere in the
   * cluster: a consumer's batch, another request) are waited for too, up to `timeoutMs`: a
   * caller catching up to read its own write (a receiver reading the customer it has just
   * accepted) must not get the state from before it. That wait costs one statement more,
   * and only when the read said events were held back.
   */
  async flush(timeoutMs = 2000): Promise<void> {
    await this.readNow();
    if (!this.heldBack || this.stopped) return;
    const interest = this.interest;
    if (interest !== 'all' && interest.size === 0) return;
    const target = await newestCommitted(this.rows, interest === 'all' ? undefined : [...interest]);
    // Nothing waits any more: what held the events back ended meanwhile, and they are readable
    // now. Read them here; the wake-up their notification or the held-back timer gives may be
    // a gap away (DEFAULT_READ_GAP_MS).
    if (!target) return this.readNow();
    const deadline = Date.now() + timeoutMs;
    for (let pause = 5; comparePositions(this.position, target) < 0 && !this.stopped && Date.now() < deadline; pause = Math.min(pause * 2, 50)) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      await this.readNow();
    }
  }

  /** A read that starts now (or right after the one under way), awaited. */
  private async readNow(): Promise<void> {
    this.wake(true);
    while (this.reading) await this.reading;
  }

  /**
   * New events may be waiting (a notification of interest, a poll, a local commit). `now`
   * (a caller waiting to read its own write) reads without waiting out the gap after the last
   * read ({@link DEFAULT_READ_GAP_MS}).
   */
  wake(now = false): void {
    if (this.stopped || !this.started) return;
    if (this.reading) {
      // The read under way may have started before what the caller waits for committed.
      if (now) this.again = 'now';
      else this.again ??= 'gap';
      return;
    }
    const wait = now ? 0 : (this.opts.readGapMs ?? DEFAULT_READ_GAP_MS) - (performance.now() - this.lastReadAt);
    if (wait > 0) {
      this.gapTimer ??= setTimeout(() => {
        this.gapTimer = undefined;
        this.wake();
      }, wait);
      return;
    }
    if (this.gapTimer) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.lastReadAt = performance.now();
    this.reading = this.drain()
      .catch((err) => this.opts.log.warn({ err: (err as Error).message }, 'event reader read failed; will retry'))
      .finally(() => {
        this.reading = undefined;
        const again = this.again;
        this.again = undefined;
        if (again) this.wake(again === 'now');
      });
  }

  private interested(types: string[] | undefined): boolean {
    if (types === undefined || this.interest === 'all') return true;
    for (const t of types) if (this.interest.has(t)) return true;
    return false;
  }

  private poll(): void {
    const unowned = [...this.consumers.entries()].filter(([, c]) => !c.owned).map(([name]) => name);
    if (unowned.length > 0) void this.claim(unowned);
    if (++this.polls % IDLE_POSITIONS_EVERY === 0) void this.storeIdlePositions();
    if (this.interest === 'all' || this.interest.size > 0) this.wake();
  }

  /**
   * Moves the stored positions of idle consumers up to what the reader has read, in one
   * statement: a consumer with nothing of its types to do writes nothing per event, but its
   * position should not trail the log for ever (a restart reads the log from it).
   */
  private async storeIdlePositions(): Promise<void> {
    const idle: { consumer: ReaderConsumer; at: EventPosition }[] = [];
    for (const { consumer, owned } of this.consumers.values()) {
      const at = owned ? consumer.idlePosition() : undefined;
      if (at) idle.push({ consumer, at });
    }
    if (idle.length === 0) return;
    try {
      await this.pool.query(
        `${BACKGROUND}UPDATE eventlog.consumers c SET tx = u.tx::xid8, seq = u.seq, updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(name, tx, seq)
          WHERE c.name = u.name AND (c.tx, c.seq) < (u.tx::xid8, u.seq)`,
        [idle.map((i) => i.consumer.name), idle.map((i) => i.at.tx), idle.map((i) => i.at.seq)],
      );
      for (const i of idle) i.consumer.storedIdle(i.at);
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'event reader could not store idle positions; will retry');
    }
  }

  /** Tries to take ownership of `names` on the LISTEN session (one statement). */
  private async claim(names: string[]): Promise<void> {
    const client = this.client;
    if (!client || this.stopped) return;
    try {
      const { rows } = await client.query<{ name: string; got: boolean }>(
        `${BACKGROUND}SELECT n AS name, pg_try_advisory_lock($1, hashtext(n)) AS got FROM unnest($2::text[]) AS n`,
        [OWNERSHIP_LOCK, names],
      );
      let changed = false;
      for (const r of rows) {
        const entry = this.consumers.get(r.name);
        if (!entry) continue;
        if (r.got && entry.owned) {
          // Already held: the lock is re-entrant, so let the extra hold go.
          await client.query(`${BACKGROUND}SELECT pg_advisory_unlock($1, hashtext($2))`, [OWNERSHIP_LOCK, r.name]);
          continue;
        }
        if (r.got) {
          entry.owned = true;
          changed = true;
        }
      }
      if (changed) {
        this.interestChanged();
        for (const r of rows) {
          const entry = this.consumers.get(r.name);
          if (r.got && entry?.owned) entry.consumer.setOwned(true);
        }
      }
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'event reader could not claim consumers; will retry');
    }
  }

  private async drain(): Promise<void> {
    const batchSize = this.opts.batchSize ?? 500;
    for (;;) {
      if (this.interest !== 'all' && this.interest.size === 0) return;
      const interest = this.interest;
      const types = interest === 'all' ? undefined : [...interest];
      const from = this.position;
      const slice = await readSlice(this.rows, from, batchSize, types);
      const last = slice.events[slice.events.length - 1];
      if (last) this.position = last.position;
      this.hand(slice.events, this.position, interest);
      if (slice.events.length < batchSize) {
        this.scheduleHeldBack(slice.heldBack);
        return;
      }
    }
  }

  /** Hands a slice to every client; each takes the events of its own types. */
  private hand(events: HubEvent[], until: EventPosition, readWith: Set<string> | 'all'): void {
    // Consumers take everything after the start position; live listeners only what is news.
    const news = this.alreadyCommitted.size > 0 ? events.filter((e) => !this.alreadyCommitted.delete(e.id)) : events;
    const clients: [ReaderClient, HubEvent[]][] = [
      ...[...this.listeners].map((l): [ReaderClient, HubEvent[]] => [l, news]),
      ...[...this.consumers.values()].filter((c) => c.owned).map((c): [ReaderClient, HubEvent[]] => [c.consumer, events]),
    ];
    for (const [client, events] of clients) {
      const t = client.types();
      const wanted = t === undefined ? undefined : new Set(t);
      const complete = readWith === 'all' || (wanted !== undefined && [...wanted].every((x) => readWith.has(x)));
      const mine = wanted === undefined ? events : events.filter((e) => wanted.has(e.type));
      try {
        client.receive(mine, until, complete);
      } catch (err) {
        this.opts.log.error({ err: (err as Error).message }, 'event reader client failed');
      }
    }
  }

  /** Committed events wait behind an open transaction: look again soon, then less and less often. */
  private scheduleHeldBack(held: boolean): void {
    if (this.heldTimer) clearTimeout(this.heldTimer);
    this.heldTimer = undefined;
    this.heldBack = held;
    if (!held) {
      this.heldDelay = 10;
      return;
    }
    this.heldTimer = setTimeout(() => this.wake(), this.heldDelay);
    this.heldTimer.unref();
    this.heldDelay = Math.min(this.heldDelay * 2, 1000);
  }

  private async listen(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.opts.url, application_name: 'hub-event-listen', options: '-c hub.tenant=system' });
    const retry = () => {
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      // The session's advisory locks went with it: another instance may take the consumers now.
      for (const entry of this.consumers.values()) {
        if (!entry.owned) continue;
        entry.owned = false;
        entry.consumer.setOwned(false);
      }
      this.interestChanged();
      if (!this.stopped) setTimeout(() => void this.reconnect(), 1000).unref();
    };
    client.on('error', (err) => {
      this.opts.log.warn({ err: err.message }, 'event reader connection lost; reconnecting');
      retry();
    });
    client.on('notification', (n) => {
      if (n.payload === CONSUMERS_RELEASED) {
        const unowned = [...this.consumers.entries()].filter(([, c]) => !c.owned).map(([name]) => name);
        if (unowned.length > 0) void this.claim(unowned);
        return;
      }
      if (n.payload?.startsWith('~')) {
        for (const fn of this.signals.get(n.payload.slice(1)) ?? []) fn();
        return;
      }
      if (this.interested(notifiedTypes(n.payload))) this.wake();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      this.client = client;
    } catch (err) {
      this.opts.log.warn({ err: (err as Error).message }, 'event reader cannot listen yet; retrying');
      retry();
    }
  }

  private async reconnect(): Promise<void> {
    await this.listen();
    if (!this.client) return;
    // What committed while no notification could arrive; then take back what is free.
    this.wake();
    await this.claim([...this.consumers.keys()]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unregisterLag?.();
    if (this.timer) clearInterval(this.timer);
    if (this.heldTimer) clearTimeout(this.heldTimer);
    if (this.gapTimer) clearTimeout(this.gapTimer);
    while (this.reading) await this.reading;
    const client = this.client;
    this.client = undefined;
    if (client) {
      // Let go of the consumers first and say so, so that another instance takes them now.
      if ([...this.consumers.values()].some((c) => c.owned)) {
        await client.query(`${BACKGROUND}SELECT pg_advisory_unlock_all()`).catch(() => undefined);
        await client.query(`${BACKGROUND}SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, CONSUMERS_RELEASED]).catch(() => undefined);
      }
      await client.end().catch(() => undefined);
    }
    await this.pool.end().catch(() => undefined);
  }
}

/** The consumers of one name in this process: the first runs when the group is owned, the others stand by. */
class ConsumerGroup {
  readonly members: ReaderConsumer[];
  owned = false;
  constructor(first: ReaderConsumer) {
    this.members = [first];
  }
  get consumer(): ReaderConsumer {
    return this.members[0]!;
  }
}

const shared = new Map<string, { reader: EventReader; users: number; started: Promise<void> }>();

/**
 * The process's reader for a database: every subgraph of a process shares it (`npm start`
 * runs them all in one). Call the returned `release` once when done; the last one stops it.
 */
export async function acquireEventReader(opts: EventReaderOptions): Promise<{ reader: EventReader; release: () => Promise<void> }> {
  let entry = shared.get(opts.url);
  if (!entry) {
    const reader = new EventReader(opts);
    entry = { reader, users: 0, started: reader.start() };
    shared.set(opts.url, entry);
  }
  entry.users++;
  const mine = entry;
  if (opts.pollMs !== undefined) mine.reader.setPollMs(opts.pollMs);
  try {
    await mine.started;
  } catch (err) {
    if (--mine.users === 0 && shared.get(opts.url) === mine) shared.delete(opts.url);
    throw err;
  }
  let released = false;
  return {
    reader: mine.reader,
    release: async () => {
      if (released) return;
      released = true;
      if (--mine.users > 0) return;
      if (shared.get(opts.url) === mine) shared.delete(opts.url);
      await mine.reader.stop();
    },
  };
}
