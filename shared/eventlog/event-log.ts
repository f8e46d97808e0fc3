import type { EntityManager } from 'typeorm';
import type { Identity } from '../auth/identity';
import { planOnce, planOnceArray } from '../db/prepared-statements';
import { BACKGROUND } from '../db/query-counter';
import { badUserInput } from '../errors';

/**
 * The transactional outbox. Writers append inside the transaction that changes state, so
 * an event exists exactly when its change committed. Order is (tx, seq): the writing
 * transaction's id, then the row's sequence. Readers only read events of transactions
 * older than every transaction still running (`pg_snapshot_xmin`), so a slow transaction
 * can never commit "behind" a position a reader has already passed.
 */
export const EVENTS_CHANNEL = 'hub_events';

/**
 * A notification's payload: the distinct event types the transaction appended, so that a
 * process whose consumers and subscribers want none of them does not read the log at all.
 * Postgres caps a payload at 8000 bytes; a longer list is sent empty, which means "read".
 */
export function notificationPayload(types: Iterable<string>): string {
  const payload = [...new Set(types)].sort().join(',');
  return payload.length < 7900 ? payload : '';
}

/** The types a notification names; undefined when it names none (read whatever is of interest). */
export const notifiedTypes = (payload: string | undefined): string[] | undefined => (payload ? payload.split(',') : undefined);

export interface NewEvent {
  type: string;
  source: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  /** Partners that may see this event; internal callers see every event. */
  visibleTo: string[];
  actor?: Identity | null;
}

export interface HubEvent extends NewEvent {
  id: string;
  position: EventPosition;
  occurredAt: Date;
}

export interface EventPosition {
  tx: string;
  seq: string;
}

export const START_POSITION: EventPosition = { tx: '0', seq: '0' };

export async function appendEvents(manager: EntityManager, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  const values: unknown[] = [];
  const rows = events.map((e, i) => {
    values.push(e.type, e.source, e.aggregateType, e.aggregateId, JSON.stringify(e.payload), e.visibleTo, e.actor ? JSON.stringify(e.actor) : null);
    const o = i * 7;
    return `($${o + 1}, $${o + 2}, $${o + 3}, $${o + 4}, $${o + 5}::jsonb, $${o + 6}::uuid[], $${o + 7}::jsonb)`;
  });
  await manager.query(`INSERT INTO eventlog.events (type, source, aggregate_type, aggregate_id, payload, visible_to, actor) VALUES ${rows.join(', ')}`, values);
  // Delivered on commit only; names the types, not the rows: listeners read the rows.
  await manager.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, notificationPayload(events.map((e) => e.type))]);
}

export const appendEvent = (manager: EntityManager, event: NewEvent) => appendEvents(manager, [event]);

interface EventRow {
  seq: string;
  tx: string;
  id: string;
  type: string;
  source: string;
  aggregate_type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  visible_to: string[];
  actor: Identity | null;
  occurred_at: Date;
}

const toEvent = (r: EventRow): HubEvent => ({
  id: r.id,
  position: { tx: String(r.tx), seq: String(r.seq) },
  type: r.type,
  source: r.source,
  aggregateType: r.aggregate_type,
  aggregateId: r.aggregate_id,
  payload: r.payload,
  visibleTo: r.visible_to,
  actor: r.actor,
  occurredAt: r.occurred_at,
});

/** Options for {@link readEvents}. */
export interface ReadEventsOptions {
  after: EventPosition;
  limit: number;
  /** Only these event types. */
  types?: string[];
  /** Only up to this position (inclusive). */
  until?: EventPosition;
  /** Only events this partner may see. */
  visibleToPartner?: string;
  /** Background work (relay, consumers): left out of request query counts. */
  background?: boolean;
}

/** Reads committed events after a position, in log order, never past a still-open transaction. */
export async function readEvents(manager: Pick<EntityManager, 'query'>, opts: ReadEventsOptions): Promise<HubEvent[]> {
  const params: unknown[] = [opts.after.tx, opts.after.seq, opts.limit];
  let where = '';
  if (opts.types?.length) {
    params.push(opts.types);
    where += ` AND e.type = ANY($${params.length}::text[])`;
  }
  if (opts.visibleToPartner) {
    params.push(opts.visibleToPartner);
    where += ` AND e.visible_to @> ARRAY[$${params.length}::uuid]`;
  }
  if (opts.until) {
    params.push(opts.until.tx, opts.until.seq);
    where += ` AND (e.tx, e.seq) <= ($${params.length - 1}::xid8, $${params.length}::bigint)`;
  }
  const rows: EventRow[] = await manager.query(
    `${opts.background ? BACKGROUND : ''}SELECT e.seq, e.tx::text AS tx, e.id, e.type, e.source, e.aggregate_type, e.aggregate_id, e.payload, e.visible_to, e.actor, e.occurred_at
       FROM eventlog.events e
      WHERE (e.tx, e.seq) > ($1::xid8, $2::bigint)
        AND e.tx < pg_snapshot_xmin(pg_current_snapshot())${where}
      -- e.tx, not the text alias "tx": as text, transaction 1000 would sort before 999.
      ORDER BY e.tx, e.seq
      LIMIT $3`,
    params,
  );
  return rows.map(toEvent);
}

/** One read of the process's event reader: the events, and whether newer ones are held back. */
export interface EventSlice {
  events: HubEvent[];
  /**
   * Events of these types are committed but not readable yet: an older transaction is still
   * open (see `pg_snapshot_xmin`). Its commit may notify nothing, so the reader looks again.
   */
  heldBack: boolean;
}

/** Anything that runs a statement and returns its rows (a TypeORM manager, the reader's pool). */
export interface RowQuery {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}

/**
 * {@link readEvents} for the event reader, in one statement: the next events of `types`
 * (all when undefined) after `after`, and whether committed events of those types wait
 * behind a transaction still open. The hold test walks the log's order index from the
 * frontier (`ORDER BY e.tx LIMIT 1`): written as EXISTS, its generic plan expects an early
 * match anywhere and scans the whole log from its oldest row (9 ms at 100,000 events, growing
 * with the log), since the rows past the frontier are always the newest. The position, the
 * types and the limit are written to be planned once per connection ({@link planOnce}): every
 * process runs this at every wake-up.
 */
export async function readSlice(manager: RowQuery, after: EventPosition, limit: number, types: string[] | undefined): Promise<EventSlice> {
  const params: unknown[] = [after.tx, after.seq, limit];
  let filter = '';
  if (types) {
    params.push(types);
    filter = ` AND e.type = ANY(${planOnceArray(4, 'text[]')})`;
  }
  const rows = (await manager.query(
    `${BACKGROUND}WITH s AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin)
     SELECT (SELECT e.tx FROM eventlog.events e WHERE e.tx >= s.xmin${filter} ORDER BY e.tx LIMIT 1) IS NOT NULL AS held,
            r.seq, r.tx, r.id, r.type, r.source, r.aggregate_type, r.aggregate_id, r.payload, r.visible_to, r.actor, r.occurred_at
       FROM s
       LEFT JOIN LATERAL (
         SELECT e.seq, e.tx::text AS tx, e.id, e.type, e.source, e.aggregate_type, e.aggregate_id, e.payload, e.visible_to, e.actor, e.occurred_at
           FROM eventlog.events e
          WHERE (e.tx, e.seq) > (${planOnce(1, 'xid8')}, ${planOnce(2, 'bigint')}) AND e.tx < s.xmin${filter}
          ORDER BY e.tx, e.seq
          LIMIT ${planOnce(3, 'int')}) r ON true`,
    params,
  )) as (Partial<EventRow> & { held: boolean })[];
  return { heldBack: rows[0]?.held ?? false, events: rows.filter((r) => r.id !== null && r.id !== undefined).map((r) => toEvent(r as EventRow)) };
}

/** Log order of two positions: negative when `a` comes first. */
export function comparePositions(a: EventPosition, b: EventPosition): number {
  const tx = BigInt(a.tx) - BigInt(b.tx);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const seq = BigInt(a.seq) - BigInt(b.seq);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

/**
 * The newest event position on one side of the readable frontier (`pg_snapshot_xmin`):
 * `readable` — the newest a reader may already see; otherwise the newest committed event of
 * `types` (all when undefined) that waits behind a transaction still open.
 */
async function newestPosition(manager: RowQuery, readable: boolean, types?: string[]): Promise<EventPosition | undefined> {
  const rows = (await manager.query(
    `${BACKGROUND}SELECT e.tx::text AS tx, e.seq FROM eventlog.events e
      WHERE e.tx ${readable ? '<' : '>='} pg_snapshot_xmin(pg_current_snapshot())${types ? ' AND e.type = ANY($1::text[])' : ''}
      ORDER BY e.tx DESC, e.seq DESC LIMIT 1`,
    types ? [types] : [],
  )) as { tx: string; seq: string }[];
  const row = rows[0];
  return row ? { tx: String(row.tx), seq: String(row.seq) } : undefined;
}

/** The position of the newest event a reader may already see. */
export async function headPosition(manager: RowQuery): Promise<EventPosition> {
  return (await newestPosition(manager, true)) ?? START_POSITION;
}

/** The newest event of `types` (all when undefined) committed but not readable yet, or undefined when none waits. */
export function newestCommitted(manager: RowQuery, types: string[] | undefined): Promise<EventPosition | undefined> {
  return newestPosition(manager, false, types);
}

/** An opaque, durable cursor for a position (used by the partner change feed). */
export const encodePosition = (p: EventPosition) => Buffer.from(`ev:${p.tx}:${p.seq}`).toString('base64url');

export function decodePosition(cursor: string, field = 'after'): EventPosition {
  const [, tx, seq] = /^ev:(\d+):(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8')) ?? [];
  if (tx === undefined || seq === undefined) throw badUserInput(`"${field}" is not a cursor this API issued`, [{ field, message: 'malformed cursor' }]);
  return { tx, seq };
}
