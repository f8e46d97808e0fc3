import type { EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import {
  CUSTOMER_CREATED,
  CUSTOMER_UPDATED,
  HANDOFF_PROPOSED,
  OWNERSHIP_CHANGED,
  RENEWAL_OUTCOME_RECORDED,
  type CustomerEventPayload,
  type HandoffEventPayload,
  type OwnershipChangedPayload,
  type RenewalOutcomePayload,
} from '../../../../shared/eventlog/events';
import { addCustomerCells, addCustomerChanges, applyCellDeltas, horizonFor, replaceCells, storedHorizon } from './retention-cells';
import { fetchHistories } from './retention';

/** The durable consumer's name; its position lives in eventlog.consumers. */
export const RETENTION_CONSUMER = 'scorecards-retention';

/** What the retention facts are folded from. */
export const RETENTION_EVENT_TYPES = [CUSTOMER_CREATED, CUSTOMER_UPDATED, OWNERSHIP_CHANGED, RENEWAL_OUTCOME_RECORDED, HANDOFF_PROPOSED];

/** The facts one batch of events adds (each table's rows, in log order). */
export interface RetentionBatch {
  customers: Map<string, { id: string; segment: string; region: string; created_at: string }>;
  owners: Map<string, { customer_id: string; partner_id: string }>;
  ownership: { event_id: string; customer_id: string; at: string; tx: string; seq: string; partner_id: string | null }[];
  arr: { event_id: string; customer_id: string; at: string; tx: string; seq: string; arr: string | null; currency: string; renewal_date: string | null }[];
  outcomes: Map<
    string,
    {
      id: string;
      customer_id: string;
      owner_partner_id: string | null;
      kind: string;
      previous_arr: string | null;
      new_arr: string;
      currency: string;
      effective_date: string;
      recorded_at: string;
    }
  >;
  values: Map<string, { id: string; from_partner_id: string | null; to_partner_id: string; proposed_at: string; has_value: boolean }>;
}

const iso = (v: string) => new Date(v).toISOString();

/** Sorts a batch's events into the facts they add (pure). */
export function retentionFactsOf(events: HubEvent[]): RetentionBatch {
  const b: RetentionBatch = { customers: new Map(), owners: new Map(), ownership: [], arr: [], outcomes: new Map(), values: new Map() };
  const own = (customerId: string, partnerId: string | null) => {
    if (partnerId) b.owners.set(`${customerId}|${partnerId}`, { customer_id: customerId, partner_id: partnerId });
  };
  for (const e of events) {
    const at = e.occurredAt.toISOString();
    const position = { tx: e.position.tx, seq: e.position.seq };
    if (e.type === CUSTOMER_CREATED || e.type === CUSTOMER_UPDATED) {
      const c = (e.payload as unknown as CustomerEventPayload).customer;
      if (!c?.id) continue;
      const known = b.customers.get(c.id);
      b.customers.set(c.id, { id: c.id, segment: c.segment, region: c.region, created_at: known?.created_at ?? at });
      if (e.type === CUSTOMER_CREATED) {
        // The owner a customer is created with (a partner's own record, or held directly) is its first ownership.
        b.ownership.push({ event_id: e.id, customer_id: c.id, at, ...position, partner_id: c.ownerPartnerId ?? null });
        own(c.id, c.ownerPartnerId ?? null);
      }
      const m = c.commercials;
      if (m && m.currency) {
        b.arr.push({ event_id: e.id, customer_id: c.id, at, ...position, arr: m.arr ?? null, currency: m.currency, renewal_date: m.renewalDate ?? null });
      }
    } else if (e.type === OWNERSHIP_CHANGED) {
      const o = e.payload as unknown as OwnershipChangedPayload;
      b.ownership.push({ event_id: e.id, customer_id: o.customerId, at: iso(o.at ?? at), ...position, partner_id: o.toPartnerId ?? null });
      own(o.customerId, o.toPartnerId ?? null);
      own(o.customerId, o.fromPartnerId ?? null);
    } else if (e.type === RENEWAL_OUTCOME_RECORDED) {
      const o = (e.payload as unknown as RenewalOutcomePayload).outcome;
      b.outcomes.set(o.id, {
        id: o.id,
        customer_id: o.customerId,
        owner_partner_id: o.ownerPartnerId ?? null,
        kind: o.kind,
        previous_arr: o.previousArr ?? null,
        new_arr: o.newArr,
        currency: o.currency,
        effective_date: o.effectiveDate,
        recorded_at: iso(o.recordedAt ?? at),
      });
      own(o.customerId, o.ownerPartnerId ?? null);
    } else if (e.type === HANDOFF_PROPOSED) {
      const h = (e.payload as unknown as HandoffEventPayload).handoff;
      if (!h?.id) continue;
      b.values.set(h.id, {
        id: h.id,
        from_partner_id: h.fromPartnerId ?? null,
        to_partner_id: h.toPartnerId,
        proposed_at: iso(h.proposedAt),
        has_value: h.value != null,
      });
    }
  }
  return b;
}

/** The customers whose history a batch changes. */
const touchedBy = (b: RetentionBatch) => [
  ...new Set([
    ...b.customers.keys(),
    ...b.ownership.map((o) => o.customer_id),
    ...b.arr.map((a) => a.customer_id),
    ...[...b.outcomes.values()].map((o) => o.customer_id),
  ]),
];

/**
 * Applies a batch in a number of statements that does not depend on its size: one insert
 * per fact table (none when it has nothing for a table), and for the customers it touches
 * their histories before and after (four statements each) and one upsert of the retention
 * cells they move (retention-cells.ts). Every fact is keyed by the event (or outcome, or
 * handoff) it came from, so a batch applied twice adds nothing. When the calendar has
 * passed the cells' horizon, the batch recomputes every customer's cells instead (once a
 * quarter).
 */
export async function projectRetention(events: HubEvent[], manager: Pick<EntityManager, 'query'>, now = new Date()): Promise<void> {
  const b = retentionFactsOf(events);
  const touched = touchedBy(b);
  const horizon = horizonFor(now);
  const stored = touched.length > 0 ? await storedHorizon(manager) : null;
  const full = touched.length > 0 && (stored === null || stored < horizon);
  const before = touched.length > 0 && !full ? await fetchHistories(manager, { partnerId: null, customerIds: touched, background: true }) : [];
  await insertFacts(b, manager);
  if (full) {
    const cells = new Map();
    addCustomerCells(cells, await fetchHistories(manager, { partnerId: null, background: true }), horizon);
    await replaceCells(manager, cells, horizon);
  } else if (touched.length > 0) {
    const cells = new Map();
    addCustomerChanges(cells, before, await fetchHistories(manager, { partnerId: null, customerIds: touched, background: true }), stored!);
    await applyCellDeltas(manager, cells);
  }
}

async function insertFacts(b: RetentionBatch, manager: Pick<EntityManager, 'query'>): Promise<void> {
  const json = (rows: Iterable<unknown>) => JSON.stringify([...rows]);
  if (b.customers.size > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.retention_customers (id, segment, region, created_at)
       SELECT id, segment, region, created_at FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, segment text, region text, created_at timestamptz)
       ON CONFLICT (id) DO UPDATE SET segment = EXCLUDED.segment, region = EXCLUDED.region, created_at = least(retention_customers.created_at, EXCLUDED.created_at)`,
      [json(b.customers.values())],
    );
  }
  if (b.owners.size > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.retention_owners (customer_id, partner_id)
       SELECT customer_id, partner_id FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, partner_id uuid)
       ON CONFLICT DO NOTHING`,
      [json(b.owners.values())],
    );
  }
  if (b.ownership.length > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.retention_ownership (event_id, customer_id, at, tx, seq, partner_id)
       SELECT event_id, customer_id, at, tx, seq, partner_id
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id uuid, customer_id uuid, at timestamptz, tx bigint, seq bigint, partner_id uuid)
       ON CONFLICT DO NOTHING`,
      [json(b.ownership)],
    );
  }
  if (b.arr.length > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.retention_arr (event_id, customer_id, at, tx, seq, arr, currency, renewal_date)
       SELECT event_id, customer_id, at, tx, seq, arr, currency, renewal_date
         FROM jsonb_to_recordset($1::jsonb) AS r(event_id uuid, customer_id uuid, at timestamptz, tx bigint, seq bigint, arr numeric, currency text, renewal_date date)
       ON CONFLICT DO NOTHING`,
      [json(b.arr)],
    );
  }
  if (b.outcomes.size > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.renewal_outcomes (id, customer_id, owner_partner_id, kind, previous_arr, new_arr, currency, effective_date, recorded_at)
       SELECT id, customer_id, owner_partner_id, kind, previous_arr, new_arr, currency, effective_date, recorded_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, customer_id uuid, owner_partner_id uuid, kind text, previous_arr numeric, new_arr numeric,
                                                  currency text, effective_date date, recorded_at timestamptz)
       ON CONFLICT DO NOTHING`,
      [json(b.outcomes.values())],
    );
  }
  if (b.values.size > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.handoff_values (id, from_partner_id, to_partner_id, proposed_at, has_value)
       SELECT id, from_partner_id, to_partner_id, proposed_at, has_value
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, from_partner_id uuid, to_partner_id uuid, proposed_at timestamptz, has_value boolean)
       ON CONFLICT DO NOTHING`,
      [json(b.values.values())],
    );
  }
}
