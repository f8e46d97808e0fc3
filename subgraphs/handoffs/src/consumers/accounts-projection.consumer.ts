import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { comparePositions, type HubEvent } from '../../../../shared/eventlog/event-log';
import { CUSTOMER_CREATED, CUSTOMER_UPDATED, PARTNER_CREATED, type CustomerEventPayload, type PartnerEventPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { openDuesForMoves, type StageMoveFact } from '../services/handoff-due.service';
import { background } from '../services/sql';

export const ACCOUNTS_PROJECTION_CONSUMER = 'handoffs.accounts-projection';
export const ACCOUNTS_PROJECTION_TYPES = [PARTNER_CREATED, CUSTOMER_CREATED, CUSTOMER_UPDATED];

/** Partners: one upsert for the batch, the last event of each partner winning (every field is replaced). */
async function applyPartners(manager: EntityManager, events: HubEvent[]): Promise<void> {
  const byId = new Map<string, PartnerEventPayload['partner']>();
  for (const event of events) {
    const { partner } = event.payload as unknown as PartnerEventPayload;
    byId.set(partner.id.toLowerCase(), partner);
  }
  const rows = [...byId.values()].map((p) => ({ id: p.id, name: p.name, kind: p.kind, tier: p.tier, region: p.region, status: p.status ?? 'ACTIVE' }));
  await manager.query(
    `${BACKGROUND}INSERT INTO handoffs.partners (id, name, kind, tier, region, status)
     SELECT id, name, kind, tier, region, status FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, kind text, tier text, region text, status text)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, tier = EXCLUDED.tier, region = EXCLUDED.region,
       status = EXCLUDED.status, updated_at = now()`,
    [JSON.stringify(rows)],
  );
}

/**
 * Ownership is accounts' to set at creation and handoffs' to move afterwards: the owner is
 * taken from CustomerCreated (or from the first event seen for a customer), never
 * overwritten by a later CustomerUpdated, whose snapshot may predate a handoff. One upsert
 * for the batch (the first event of a customer gives the owner a new row starts with, its
 * last event the rest; it returns each row's stage and last applied event from before),
 * then one insert of the owners' access for the rows it created. The stage moves the batch
 * holds go to openDuesForMoves (a constant number of statements, none without a move).
 */
async function applyCustomers(manager: EntityManager, events: HubEvent[]): Promise<void> {
  const byId = new Map<string, HubEvent[]>();
  for (const event of events) {
    const key = (event.payload as unknown as CustomerEventPayload).customer.id.toLowerCase();
    const seen = byId.get(key);
    if (seen) seen.push(event);
    else byId.set(key, [event]);
  }
  const snapshot = (e: HubEvent) => (e.payload as unknown as CustomerEventPayload).customer;
  const rows = [...byId.values()].map((list) => {
    const first = snapshot(list[0]!);
    const lastEvent = list[list.length - 1]!;
    const last = snapshot(lastEvent);
    return {
      id: first.id,
      name: last.name,
      segment: last.segment,
      region: last.region,
      lifecycle_stage: last.lifecycleStage,
      owner_partner_id: first.ownerPartnerId ?? null,
      last_event_tx: lastEvent.position.tx,
      last_event_seq: lastEvent.position.seq,
    };
  });
  const upserted: {
    id: string;
    owner_partner_id: string | null;
    inserted: boolean;
    old_stage: string | null;
    old_tx: string | null;
    old_seq: string | null;
  }[] = await manager.query(
    `${BACKGROUND}WITH r AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb)
           AS r(id uuid, name text, segment text, region text, lifecycle_stage text, owner_partner_id uuid, last_event_tx numeric, last_event_seq numeric)),
       old AS (SELECT c.id, c.lifecycle_stage, c.last_event_tx, c.last_event_seq FROM handoffs.customers c WHERE c.id IN (SELECT id FROM r)),
       upserted AS (
         INSERT INTO handoffs.customers AS c (id, name, segment, region, lifecycle_stage, owner_partner_id, last_event_tx, last_event_seq)
         SELECT id, name, segment, region, lifecycle_stage, owner_partner_id, last_event_tx, last_event_seq FROM r
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, segment = EXCLUDED.segment, region = EXCLUDED.region,
           lifecycle_stage = EXCLUDED.lifecycle_stage, updated_at = now(),
           last_event_tx = GREATEST(c.last_event_tx, EXCLUDED.last_event_tx),
           last_event_seq = CASE WHEN c.last_event_tx > EXCLUDED.last_event_tx THEN c.last_event_seq
                                 WHEN c.last_event_tx = EXCLUDED.last_event_tx THEN GREATEST(c.last_event_seq, EXCLUDED.last_event_seq)
                                 ELSE EXCLUDED.last_event_seq END
         RETURNING c.id, c.owner_partner_id, (xmax = 0) AS inserted)
       SELECT u.id, u.owner_partner_id, u.inserted, o.lifecycle_stage AS old_stage, o.last_event_tx::text AS old_tx, o.last_event_seq::text AS old_seq
         FROM upserted u LEFT JOIN old o ON o.id = u.id`,
    [JSON.stringify(rows)],
  );
  const created = upserted.filter((c) => c.inserted && c.owner_partner_id !== null);
  if (created.length > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO handoffs.customer_access (customer_id, partner_id, kind)
       SELECT customer_id, partner_id, 'OWNER' FROM unnest($1::uuid[], $2::uuid[]) AS a(customer_id, partner_id) ON CONFLICT DO NOTHING`,
      [created.map((c) => c.id), created.map((c) => c.owner_partner_id)],
    );
  }
  await openDuesForMoves(background(manager), stageMoves(byId, upserted));
}

/**
 * The lifecycle stage moves of a batch, per customer in log order: a CustomerUpdated whose
 * stage differs from the one before it (the projection's, for its first event). An event at
 * or before the last one the projection applied (a replay) moves nothing, nor does the
 * first event of a customer the projection did not know (there is no stage before it).
 */
function stageMoves(
  byId: Map<string, HubEvent[]>,
  upserted: { id: string; inserted: boolean; old_stage: string | null; old_tx: string | null; old_seq: string | null }[],
): StageMoveFact[] {
  const before = new Map(upserted.map((u) => [u.id.toLowerCase(), u]));
  const moves: StageMoveFact[] = [];
  for (const [id, list] of byId) {
    const row = before.get(id);
    const applied = row?.old_tx != null && row.old_seq != null ? { tx: row.old_tx, seq: row.old_seq } : null;
    let stage: string | null = row && !row.inserted ? row.old_stage : null;
    const mine: StageMoveFact[] = [];
    for (const event of list) {
      if (applied && comparePositions(event.position, applied) <= 0) continue;
      const next = (event.payload as unknown as CustomerEventPayload).customer.lifecycleStage;
      if (event.type === CUSTOMER_UPDATED && stage !== null && next !== stage) {
        const previous = mine[mine.length - 1];
        if (previous) previous.supersededBy = event.id;
        mine.push({ customerId: id, fromStage: stage, toStage: next, eventId: event.id, at: event.occurredAt, supersededBy: null });
      }
      stage = next;
    }
    moves.push(...mine);
  }
  return moves;
}

/**
 * Keeps handoffs' projection of accounts (partners: tier, kind, status; customers: name,
 * segment, region, stage, initial owner) from accounts' events. Idempotent: replaying an
 * event leaves the same rows.
 */
export function createAccountsProjectionConsumer(dataSource: DataSource, log: Logger, opts: { batchSize?: number } = {}): DurableConsumer {
  return new DurableConsumer({
    name: ACCOUNTS_PROJECTION_CONSUMER,
    dataSource,
    log,
    types: ACCOUNTS_PROJECTION_TYPES,
    batchSize: opts.batchSize ?? 500,
    // A constant number of statements a batch, however many events it holds: partners first
    // (a customer's owner is a partner), then customers and their owners' access, then the
    // handoffs their stage moves make due (services/handoff-due.service.ts).
    async handle(events, manager) {
      const partners = events.filter((e) => e.type === PARTNER_CREATED);
      const customers = events.filter((e) => e.type !== PARTNER_CREATED);
      if (partners.length > 0) await applyPartners(manager, partners);
      if (customers.length > 0) await applyCustomers(manager, customers);
    },
  });
}
