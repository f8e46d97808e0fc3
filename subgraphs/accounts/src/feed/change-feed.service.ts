import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput } from '../../../../shared/errors';
import { BEFORE_PROBE } from '../../../../shared/graphql/pagination';
import { decodePosition, encodePosition, readEvents, START_POSITION, type EventPosition } from '../../../../shared/eventlog/event-log';
import { redactForPartner } from '../services/customer-events';
import type { ChangeConnection } from './change.types';

export const DEFAULT_FEED_PAGE = 100;
// Bounds a page's response (a few hundred KB with customer payloads), not its cost.
export const MAX_FEED_PAGE = 250;
/**
 * Query cost points of one feed page, whatever `first` and selection: a page costs the hub
 * one indexed range read, so one request's work dominates and its edges add only their
 * bytes. With the default budget (100 points/s) a partner catches up at 2,500 changes/s
 * with full pages, 1,000/s with default ones.
 */
export const FEED_PAGE_COST = 10;

function feedPageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_FEED_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_FEED_PAGE) {
    throw badUserInput(`"first" must be between 1 and ${MAX_FEED_PAGE} (got ${first})`, [
      { field: 'first', message: `must be between 1 and ${MAX_FEED_PAGE}` },
    ]);
  }
  return first;
}

const later = (a: EventPosition, b: EventPosition) => BigInt(a.tx) > BigInt(b.tx) || (a.tx === b.tx && BigInt(a.seq) > BigInt(b.seq));

/** The newest position that has passed retention, or null when nothing has. */
async function retentionFloor(db: DataSource, days: number): Promise<EventPosition | null> {
  if (days <= 0) return null;
  const rows: { tx: string; seq: string }[] = await db.query(
    `SELECT e.tx::text AS tx, e.seq FROM eventlog.events e WHERE e.occurred_at < now() - make_interval(days => $1) ORDER BY e.tx DESC, e.seq DESC LIMIT 1`,
    [days],
  );
  return rows[0] ? { tx: String(rows[0].tx), seq: String(rows[0].seq) } : null;
}

/** Whether the caller may see a retained change at or before `upTo`: the changes of earlier pages. */
async function anyRetainedUpTo(db: DataSource, visibleToPartner: string | undefined, upTo: EventPosition, floor: EventPosition | null): Promise<boolean> {
  const params: unknown[] = [upTo.tx, upTo.seq];
  let where = '(e.tx, e.seq) <= ($1::xid8, $2::bigint)';
  if (floor) {
    params.push(floor.tx, floor.seq);
    where += ' AND (e.tx, e.seq) > ($3::xid8, $4::bigint)';
  }
  if (visibleToPartner) {
    params.push(visibleToPartner);
    where += ` AND e.visible_to @> ARRAY[$${params.length}::uuid]`;
  }
  const rows: { found: boolean }[] = await db.query(`${BEFORE_PROBE}SELECT EXISTS (SELECT 1 FROM eventlog.events e WHERE ${where}) AS found`, params);
  return rows[0]?.found === true;
}

/**
 * A cursor for "now", for an integration that starts without the history: every change
 * committed after it is returned delivers on `changes(after:)`, none is skipped. The log
 * is ordered by the writing transaction's id and readers never read past the oldest
 * transaction still running (see readEvents), so the position just before that oldest
 * transaction, (xmin, 0), is one no later change can fall behind: any transaction that has
 * not committed yet has an id of at least xmin. Changes that committed moments before, by
 * transactions newer than xmin, come too (at least once is the feed's promise anyway).
 */
export async function feedHead(db: DataSource): Promise<string> {
  const [row]: { xmin: string }[] = await db.query(`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin`);
  return encodePosition({ tx: row!.xmin, seq: '0' });
}

/**
 * The partner change feed: every committed event the caller may see (internal: all), in
 * global log order. The cursor is a log position, so it stays valid forever (or for the
 * retention period) and a partner that polls with its last cursor after an outage gets
 * exactly what it missed: the log never hands out a position ahead of a still-open
 * transaction (see readEvents).
 */
export async function readChanges(
  db: DataSource,
  identity: Identity,
  opts: { after?: string | null; first?: number | null; retentionDays: number },
): Promise<ChangeConnection> {
  const limit = feedPageSize(opts.first);
  let after = opts.after ? decodePosition(opts.after) : START_POSITION;
  let truncated = false;
  const floor = await retentionFloor(db, opts.retentionDays);
  if (floor && later(floor, after)) {
    truncated = opts.after !== null && opts.after !== undefined;
    after = floor;
  }
  const visibleToPartner = isInternal(identity) ? undefined : identity.partnerId;
  const events = await readEvents(db.manager, { after, limit: limit + 1, visibleToPartner });
  const page = events.slice(0, limit);
  const edges = page.map((e) => ({
    cursor: encodePosition(e.position),
    node: {
      id: e.id,
      type: e.type,
      occurredAt: new Date(e.occurredAt),
      aggregateType: e.aggregateType,
      aggregateId: e.aggregateId,
      source: e.source,
      // Commercial figures are the owner's: a collaborator's feed carries the change without them.
      payload: redactForPartner(e.type, e.payload, visibleToPartner ?? null),
    },
  }));
  const last = edges.at(-1);
  const resumeAt = last ? last.cursor : opts.after || floor ? encodePosition(after) : null;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage: events.length > limit,
      hasPreviousPage: opts.after ? () => anyRetainedUpTo(db, visibleToPartner, after, floor) : false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: resumeAt,
    },
    truncated,
  };
}
