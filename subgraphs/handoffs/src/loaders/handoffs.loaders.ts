import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { withSystem } from '../../../../shared/db/tenant-context';
import { BEFORE_PROBE, COUNT_CAP, COUNT_PROBE } from '../../../../shared/graphql/pagination';
import type { JourneyLink } from '../entities/customer-journey.entity';
import type { HandoffDue } from '../entities/handoff-due.entity';
import type { Handoff } from '../entities/handoff.entity';
import type { OwnershipChange } from '../entities/ownership-change.entity';
import type { Playbook } from '../entities/playbook.entity';
import type { Task } from '../entities/task.entity';
import {
  HANDOFF_COLUMNS,
  OWNERSHIP_COLUMNS,
  PLAYBOOK_COLUMNS,
  TASK_COLUMNS,
  toHandoff,
  toOwnershipChange,
  toPlaybook,
  toTask,
} from '../services/handoff-store';
import { JOURNEY_LINK_COLUMNS, toJourneyLink, type JourneyLinkRow } from '../services/customer-journey-link.service';
import { DUE_COLUMNS, toDue } from '../services/handoff-due.service';
import {
  DUE_PRIORITY_INPUT_COLUMNS,
  DUE_PRIORITY_JOINS,
  HANDOFF_PRIORITY_INPUT_COLUMNS,
  HANDOFF_PRIORITY_JOINS,
  handoffScoreSql,
  type DuePriorityInputs,
  type HandoffPriorityInputs,
} from '../services/priority';

/** A customer as handoffs knows it, with the caller's relation to it. */
export interface CustomerView {
  id: string;
  name: string;
  ownerPartnerId: string | null;
  /** The caller's grant (null = none; internal callers need none). */
  access: 'OWNER' | 'COLLABORATOR' | null;
  /** A handoff of this customer names the caller as sender or receiver. */
  named: boolean;
}

export interface InboxKey {
  partnerId: string;
  limit: number;
  /** Keyset position (proposedAt ISO, id) after which the page starts. */
  after?: [string, string];
  /** PRIORITY: scored at `asOf` (ISO), highest first; `after` then starts after (score, proposedAt ISO, id). */
  priority?: { asOf: string; after?: [string, string, string] };
}

/** A position in an inbox ordered by PRIORITY. */
export interface InboxPriorityBefore {
  partnerId: string;
  asOf: string;
  after: [string, string, string];
}

export interface HandoffsLoaders {
  /** Every customer handoffs knows, with the caller's relation; catches up once on unknown ids. */
  customer: DataLoader<string, CustomerView | null>;
  /** Handoffs the caller may see (access.ts rule 2); null for missing and hidden alike. */
  handoff: DataLoader<string, Handoff | null>;
  /** Per customer, the handoffs the caller may see, newest first. */
  handoffsByCustomer: DataLoader<string, Handoff[]>;
  /** Per customer, its ownership history, oldest first (callers check record access). */
  ownershipHistory: DataLoader<string, OwnershipChange[]>;
  tasksByHandoff: DataLoader<string, Task[]>;
  /** Per handoff, its customer journey links, oldest first (row-level security: the handoff's parties and internal teams). */
  journeyLinksByHandoff: DataLoader<string, JourneyLink[]>;
  /**
   * Dues the caller may see, as handoffsDue lists them: internal teams all; a partner those
   * it is accountable for or the suggested receiver of, on a customer it may see (the
   * table's row-level security, written out). null for missing and hidden alike.
   */
  due: DataLoader<string, HandoffDue | null>;
  playbook: DataLoader<string, Playbook | null>;
  /** Handoffs waiting for a partner (PROPOSED to it), oldest first; `limit + 1` rows per key. */
  inbox: DataLoader<InboxKey, Handoff[], string>;
  /** Per partner, how many handoffs wait in its inbox, counted up to COUNT_CAP + 1. */
  inboxCount: DataLoader<string, number>;
  /** Whether a partner's inbox holds handoffs at or before the key's `after` position. */
  inboxBefore: DataLoader<{ partnerId: string; after: [string, string] }, boolean, string>;
  /** Whether a partner's inbox, ordered by PRIORITY, holds handoffs at or before a position. */
  inboxPriorityBefore: DataLoader<InboxPriorityBefore, boolean, string>;
  /** What each handoff's priority reads (rates, SLA clock, breach); one statement per batch. */
  handoffPriority: DataLoader<string, HandoffPriorityInputs | null>;
  /** What each due's priority reads (rates). */
  duePriority: DataLoader<string, DuePriorityInputs | null>;
  /** The instant this request evaluates priorities at (a list ordered by PRIORITY: its first page's). */
  asOf: Date;
  /** Internal, or holds a grant on the customer: may see the record, its owner and history. */
  canSeeRecord(view: CustomerView | null): boolean;
  /** canSeeRecord, or named on one of its handoffs: may see that the customer exists. */
  canSeeCustomer(view: CustomerView | null): boolean;
}

const byKey = <T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string) => {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
};

const grouped = <T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string) => {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(keyOf(r)) ?? [];
    list.push(r);
    map.set(keyOf(r), list);
  }
  return keys.map((k) => map.get(k) ?? []);
};

/** Options for {@link createHandoffsLoaders}. */
export interface HandoffsLoaderOptions {
  /** Drains the accounts projection consumer: a customer accounts just created may not be here yet. */
  catchUp?: () => Promise<void>;
}

/** The handoffs of a partner's inbox (those PROPOSED to it): one condition for its pages, its count and its before-probe. */
const inboxOf = (partner: string) => `h.to_partner_id = ${partner} AND h.state = 'PROPOSED'`;

/** One loader set per request: one SQL statement per batch, rows in key order. */
export function createHandoffsLoaders(db: DataSource, identity: Identity, opts: HandoffsLoaderOptions = {}): HandoffsLoaders {
  const internal = isInternal(identity);
  const partner = identity.partnerId ?? null;
  const visible = `($2::boolean OR $3::uuid IN (h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id))`;

  const loadCustomers = async (ids: readonly string[]): Promise<CustomerView[]> =>
    db.query(
      `SELECT c.id, c.name, c.owner_partner_id AS "ownerPartnerId", a.kind AS access,
              EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.customer_id = c.id AND $2::uuid IN (h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id)) AS named
         FROM handoffs.customers c
         LEFT JOIN handoffs.customer_access a ON a.customer_id = c.id AND a.partner_id = $2::uuid
        WHERE c.id = ANY($1::uuid[])`,
      [ids, partner],
    );

  /**
   * Of customers the caller did not get, those the projection does not hold at all. As the
   * hub: row-level security hides the caller's invisible customers too, and those must not
   * cost a catch-up each time (they stay hidden whatever it brings). Answers ids only.
   */
  const unprojected = async (ids: string[]): Promise<string[]> => {
    const known: { id: string }[] = await withSystem(() => db.query(`SELECT id FROM handoffs.customers WHERE id = ANY($1::uuid[])`, [ids]));
    const projected = new Set(known.map((r) => r.id));
    return ids.filter((id) => !projected.has(id));
  };

  const canSeeRecord = (view: CustomerView | null) => !!view && (internal || view.access !== null);

  return {
    asOf: new Date(),
    canSeeRecord,
    canSeeCustomer: (view) => !!view && (canSeeRecord(view) || view.named),
    customer: new DataLoader(async (ids) => {
      let rows = await loadCustomers(ids);
      if (rows.length < ids.length && opts.catchUp) {
        // Only on a miss: the customer may have been created in accounts a moment ago.
        const found = new Set(rows.map((r) => r.id));
        const missing = ids.filter((id) => !found.has(id));
        if ((await unprojected(missing)).length) await opts.catchUp();
        // Every miss again, not only the unprojected: the consumer may have projected one
        // between the first read and the check (it then counts as known, not as hidden).
        rows = [...rows, ...(await loadCustomers(missing))];
      }
      return byKey(ids, rows, (r) => r.id);
    }),
    handoff: new DataLoader(async (ids) => {
      const rows: object[] = await db.query(`SELECT ${HANDOFF_COLUMNS} FROM handoffs.handoffs h WHERE h.id = ANY($1::uuid[]) AND ${visible}`, [
        ids,
        internal,
        partner,
      ]);
      return byKey(ids, rows.map(toHandoff), (h) => h.id);
    }),
    handoffsByCustomer: new DataLoader(async (ids) => {
      const rows: object[] = await db.query(
        `SELECT ${HANDOFF_COLUMNS} FROM handoffs.handoffs h WHERE h.customer_id = ANY($1::uuid[]) AND ${visible} ORDER BY h.proposed_at DESC, h.id DESC`,
        [ids, internal, partner],
      );
      return grouped(ids, rows.map(toHandoff), (h) => h.customerId);
    }),
    ownershipHistory: new DataLoader(async (ids) => {
      const rows: object[] = await db.query(
        `SELECT ${OWNERSHIP_COLUMNS} FROM handoffs.ownership_changes o WHERE o.customer_id = ANY($1::uuid[]) ORDER BY o.at, o.id`,
        [ids],
      );
      return grouped(ids, rows.map(toOwnershipChange), (o) => o.customerId);
    }),
    tasksByHandoff: new DataLoader(async (ids) => {
      const rows: object[] = await db.query(`SELECT ${TASK_COLUMNS} FROM handoffs.tasks t WHERE t.handoff_id = ANY($1::uuid[]) ORDER BY t.created_at, t.id`, [
        ids,
      ]);
      return grouped(ids, rows.map(toTask), (t) => t.handoffId);
    }),
    journeyLinksByHandoff: new DataLoader(async (ids) => {
      const rows: JourneyLinkRow[] = await db.query(
        `SELECT ${JOURNEY_LINK_COLUMNS} FROM handoffs.customer_journey_links l WHERE l.handoff_id = ANY($1::uuid[]) ORDER BY l.issued_at, l.id`,
        [ids],
      );
      const now = new Date();
      return grouped(
        ids,
        rows.map((r) => toJourneyLink(r, now)),
        (l) => l.handoffId,
      );
    }),
    due: new DataLoader(async (ids) => {
      const rows: object[] = await db.query(
        `SELECT ${DUE_COLUMNS} FROM handoffs.handoff_dues d
          WHERE d.id = ANY($1::uuid[])
            AND ($2::boolean OR ($3::uuid IN (d.accountable_partner_id, d.suggested_partner_id)
                 AND EXISTS (SELECT 1 FROM handoffs.customers c WHERE c.id = d.customer_id
                               AND (c.owner_partner_id = $3::uuid
                                    OR EXISTS (SELECT 1 FROM handoffs.customer_access a WHERE a.customer_id = c.id AND a.partner_id = $3::uuid)
                                    OR EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.customer_id = c.id AND $3::uuid IN (h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id))))))`,
        [ids, internal, partner],
      );
      return byKey(ids, rows.map(toDue), (d) => d.id);
    }),
    playbook: new DataLoader(async (ids) => {
      const rows: object[] = await db.query(`SELECT ${PLAYBOOK_COLUMNS} FROM handoffs.playbooks p WHERE p.id = ANY($1::uuid[])`, [ids]);
      return byKey(ids, rows.map(toPlaybook), (p) => p.id);
    }),
    inbox: new DataLoader(
      async (keys) => {
        // Keys that share a page shape share one statement (normally all of them).
        const shapes = new Map<string, [InboxKey, ...InboxKey[]]>();
        for (const k of keys) {
          const shape = JSON.stringify([k.limit, k.after ?? null, k.priority ?? null]);
          const group = shapes.get(shape);
          if (group) group.push(k);
          else shapes.set(shape, [k]);
        }
        const results = new Map<string, Handoff[]>();
        for (const group of shapes.values()) {
          const { limit, after, priority } = group[0];
          if (priority) {
            // The inbox scored at one instant; a page continues after (score, proposedAt, id), highest score first.
            const p = priority.after;
            const rows: Record<string, unknown>[] = await db.query(
              `SELECT * FROM (
                 SELECT ${HANDOFF_COLUMNS}, h.priority_score::text AS "priorityScore",
                        row_number() OVER (PARTITION BY h.to_partner_id ORDER BY h.priority_score DESC, h.proposed_at, h.id) AS rn
                   FROM (SELECT h.*, ${handoffScoreSql('$3::timestamptz')} AS priority_score
                           FROM handoffs.handoffs h ${HANDOFF_PRIORITY_JOINS} WHERE ${inboxOf('ANY($1::uuid[])')}) h
                  ${p ? 'WHERE h.priority_score < $4::numeric OR (h.priority_score = $4::numeric AND (h.proposed_at, h.id) > ($5::timestamptz, $6::uuid))' : ''}
               ) x WHERE x.rn <= $2 ORDER BY x."priorityScore"::numeric DESC, x."proposedAt", x.id`,
              [group.map((k) => k.partnerId), limit + 1, priority.asOf, ...(p ?? [])],
            );
            const handoffs = rows.map(({ rn: _rn, ...row }) => toHandoff(row));
            for (const k of group)
              results.set(
                JSON.stringify(k),
                handoffs.filter((h) => h.toPartnerId === k.partnerId),
              );
            continue;
          }
          const rows: Record<string, unknown>[] = await db.query(
            `SELECT * FROM (
               SELECT ${HANDOFF_COLUMNS}, row_number() OVER (PARTITION BY h.to_partner_id ORDER BY h.proposed_at, h.id) AS rn
                 FROM handoffs.handoffs h
                WHERE ${inboxOf('ANY($1::uuid[])')}
                  ${after ? 'AND (h.proposed_at, h.id) > ($3::timestamptz, $4::uuid)' : ''}
             ) x WHERE x.rn <= $2 ORDER BY x."proposedAt", x.id`,
            after ? [group.map((k) => k.partnerId), limit + 1, after[0], after[1]] : [group.map((k) => k.partnerId), limit + 1],
          );
          const handoffs = rows.map(({ rn: _rn, ...row }) => toHandoff(row));
          for (const k of group)
            results.set(
              JSON.stringify(k),
              handoffs.filter((h) => h.toPartnerId === k.partnerId),
            );
        }
        return keys.map((k) => results.get(JSON.stringify(k)) ?? []);
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    inboxCount: new DataLoader(async (partnerIds) => {
      const rows: { partnerId: string; n: number }[] = await db.query(
        `${COUNT_PROBE}SELECT p.id AS "partnerId",
                (SELECT count(*)::int FROM (SELECT 1 FROM handoffs.handoffs h WHERE ${inboxOf('p.id')} LIMIT $2) capped) AS n
           FROM unnest($1::uuid[]) AS p(id)`,
        [partnerIds, COUNT_CAP + 1],
      );
      return partnerIds.map((id) => rows.find((r) => r.partnerId === id)?.n ?? 0);
    }),
    inboxPriorityBefore: new DataLoader(
      async (keys) => {
        const found = new Set<number>();
        // One statement per instant (a request has one).
        const byAsOf = new Map<string, number[]>();
        keys.forEach((k, i) => byAsOf.set(k.asOf, [...(byAsOf.get(k.asOf) ?? []), i]));
        for (const [asOf, indexes] of byAsOf) {
          const ks = indexes.map((i) => keys[i]!);
          const rows: { i: number }[] = await db.query(
            `${BEFORE_PROBE}SELECT k.i::int AS i FROM unnest($1::uuid[], $2::numeric[], $3::timestamptz[], $4::uuid[]) WITH ORDINALITY AS k(id, score, at, handoff_id, i)
              WHERE EXISTS (SELECT 1 FROM (SELECT h.*, ${handoffScoreSql('$5::timestamptz')} AS priority_score
                                             FROM handoffs.handoffs h ${HANDOFF_PRIORITY_JOINS} WHERE ${inboxOf('k.id')}) h
                             WHERE h.priority_score > k.score OR (h.priority_score = k.score AND (h.proposed_at, h.id) <= (k.at, k.handoff_id)))`,
            [ks.map((k) => k.partnerId), ks.map((k) => k.after[0]), ks.map((k) => k.after[1]), ks.map((k) => k.after[2]), asOf],
          );
          for (const r of rows) found.add(indexes[r.i - 1]!);
        }
        return keys.map((_, index) => found.has(index));
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
    handoffPriority: new DataLoader(async (ids) => {
      const rows: HandoffPriorityInputs[] = await db.query(
        `SELECT ${HANDOFF_PRIORITY_INPUT_COLUMNS} FROM handoffs.handoffs h ${HANDOFF_PRIORITY_JOINS} WHERE h.id = ANY($1::uuid[])`,
        [ids],
      );
      return byKey(ids, rows, (r) => r.id);
    }),
    duePriority: new DataLoader(async (ids) => {
      const rows: DuePriorityInputs[] = await db.query(
        `SELECT ${DUE_PRIORITY_INPUT_COLUMNS} FROM handoffs.handoff_dues d ${DUE_PRIORITY_JOINS} WHERE d.id = ANY($1::uuid[])`,
        [ids],
      );
      return byKey(ids, rows, (r) => r.id);
    }),
    inboxBefore: new DataLoader(
      async (keys) => {
        const rows: { i: number }[] = await db.query(
          `${BEFORE_PROBE}SELECT k.i::int AS i FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[]) WITH ORDINALITY AS k(id, at, handoff_id, i)
            WHERE EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE ${inboxOf('k.id')} AND (h.proposed_at, h.id) <= (k.at, k.handoff_id))`,
          [keys.map((k) => k.partnerId), keys.map((k) => k.after[0]), keys.map((k) => k.after[1])],
        );
        const found = new Set(rows.map((r) => r.i));
        return keys.map((_, index) => found.has(index + 1));
      },
      { cacheKeyFn: (k) => JSON.stringify(k) },
    ),
  };
}
