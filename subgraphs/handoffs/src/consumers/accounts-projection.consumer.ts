import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { comparePositions, type HubEvent } from '../../../../shared/eventlog/event-log';
import {
  CUSTOMER_CREATED,
  CUSTOMER_UPDATED,
  PARTNER_CREATED,
  PARTNER_UPDATED,
  type CommercialsSnapshot,
  type CustomerEventPayload,
  type PartnerEventPayload,
} from '../../../../shared/eventlog/events';
import { amountProblem, isCurrency } from '../../../../shared/graphql/money';
import type { Logger } from '../../../../shared/logger';
import { openDuesForMoves, type StageMoveFact } from '../services/handoff-due.service';
import { background } from '../services/sql';

export const ACCOUNTS_PROJECTION_CONSUMER = 'handoffs.accounts-projection';
export const ACCOUNTS_PROJECTION_TYPES = [PARTNER_CREATED, PARTNER_UPDATED, CUSTOMER_CREATED, CUSTOMER_UPDATED];
const isPartnerEvent = (e: HubEvent) => e.type === PARTNER_CREATED || e.type === PARTNER_UPDATED;

/**
 * Partners: one upsert for the batch, the last event of each partner winning (every field is
 * replaced). `status_changed_at` is when the partner got the status it has (the first event
 * of the batch's last run of that status; an unchanged status keeps the time it had).
 */
async function applyPartners(manager: EntityManager, events: HubEvent[]): Promise<void> {
  const byId = new Map<string, { partner: PartnerEventPayload['partner']; statusSince: Date }>();
  for (const event of events) {
    const { partner } = event.payload as unknown as PartnerEventPayload;
    const key = partner.id.toLowerCase();
    const seen = byId.get(key);
    const same = seen && (seen.partner.status ?? 'ACTIVE') === (partner.status ?? 'ACTIVE');
    byId.set(key, { partner, statusSince: same ? seen.statusSince : event.occurredAt });
  }
  const rows = [...byId.values()].map(({ partner: p, statusSince }) => ({
    id: p.id,
    name: p.name,
    kind: p.kind,
    tier: p.tier,
    region: p.region,
    status: p.status ?? 'ACTIVE',
    status_changed_at: statusSince.toISOString(),
  }));
  await manager.query(
    `${BACKGROUND}INSERT INTO handoffs.partners AS p (id, name, kind, tier, region, status, status_changed_at)
     SELECT id, name, kind, tier, region, status, status_changed_at
       FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, kind text, tier text, region text, status text, status_changed_at timestamptz)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, tier = EXCLUDED.tier, region = EXCLUDED.region,
       status = EXCLUDED.status, updated_at = now(),
       status_changed_at = CASE WHEN p.status IS DISTINCT FROM EXCLUDED.status OR p.status_changed_at IS NULL THEN EXCLUDED.status_changed_at
                                ELSE p.status_changed_at END`,
    [JSON.stringify(rows)],
  );
}

/** The commercials columns of a projected customer (SQL numeric; amounts as decimal strings). */
interface CommercialsColumns {
  commercials_currency: string | null;
  arr: string | null;
  pipeline_value: string | null;
  contract_value: string | null;
  contract_term_months: number | null;
  renewal_date: string | null;
}

const amountOrNull = (v: unknown): string | null => (amountProblem(v) === undefined ? (v as string) : null);

/**
 * The columns a snapshot's commercials give. accounts validates what it writes; a figure that
 * is not an exact decimal string (or a currency this runtime does not know) is taken as not
 * known rather than stalling the projection on a cast.
 */
export function commercialsColumns(c: CommercialsSnapshot | null): CommercialsColumns {
  if (!c || typeof c.currency !== 'string' || !isCurrency(c.currency)) {
    return { commercials_currency: null, arr: null, pipeline_value: null, contract_value: null, contract_term_months: null, renewal_date: null };
  }
  return {
    commercials_currency: c.currency,
    arr: amountOrNull(c.arr),
    pipeline_value: amountOrNull(c.pipelineValue),
    contract_value: amountOrNull(c.contractValue),
    contract_term_months: Number.isInteger(c.contractTermMonths) ? c.contractTermMonths : null,
    renewal_date: typeof c.renewalDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(c.renewalDate) ? c.renewalDate : null,
  };
}

/**
 * Ownership is accounts' to set at creation and handoffs' to move afterwards: the owner is
 * taken from CustomerCreated (or from the first event seen for a customer), never
 * overwritten by a later CustomerUpdated, whose snapshot may predate a handoff. One upsert
 * for the batch (the first event of a customer gives the owner a new row starts with, its
 * last event the rest; it returns each row's stage and last applied event from before),
 * then one insert of the owners' access for the rows it created. The stage moves the batch
 * holds go to openDuesForMoves (a constant number of statements, none without a move).
 * `stage_entered_at` is the time of the event that moved the customer into the stage it ends
 * the batch in (unchanged while the stage is); `ownerless_since` the first event's, for a
 * customer created without an owner (the customers_since trigger keeps both for other writers).
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
    // When the customer entered the stage it ends the batch in: the first event of the last run
    // of that stage, and whether the batch held any other stage (else an unchanged stage keeps its time).
    let run = list.length - 1;
    while (run > 0 && snapshot(list[run - 1]!).lifecycleStage === last.lifecycleStage) run--;
    // The commercials of the batch's last event that carries them; events written before money
    // was in the model carry none and leave the columns as they are.
    const withCommercials = [...list].reverse().find((e) => snapshot(e).commercials !== undefined);
    return {
      id: first.id,
      name: last.name,
      segment: last.segment,
      region: last.region,
      lifecycle_stage: last.lifecycleStage,
      owner_partner_id: first.ownerPartnerId ?? null,
      // The whole record, as the last event carried it: where a due the hub proposes itself takes its context and data from.
      record: last,
      last_event_tx: lastEvent.position.tx,
      last_event_seq: lastEvent.position.seq,
      stage_entered_at: list[run]!.occurredAt.toISOString(),
      stage_steady: run === 0,
      first_at: list[0]!.occurredAt.toISOString(),
      commercials_given: withCommercials !== undefined,
      ...commercialsColumns(withCommercials ? (snapshot(withCommercials).commercials ?? null) : null),
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
           AS r(id uuid, name text, segment text, region text, lifecycle_stage text, owner_partner_id uuid, record jsonb, last_event_tx numeric, last_event_seq numeric,
                 stage_entered_at timestamptz, stage_steady boolean, first_at timestamptz, commercials_given boolean, commercials_currency text,
                 arr numeric, pipeline_value numeric, contract_value numeric, contract_term_months int, renewal_date date)),
       old AS (SELECT c.id, c.lifecycle_stage, c.last_event_tx, c.last_event_seq FROM handoffs.customers c WHERE c.id IN (SELECT id FROM r)),
       upserted AS (
         INSERT INTO handoffs.customers AS c (id, name, segment, region, lifecycle_stage, owner_partner_id, record, last_event_tx, last_event_seq,
             stage_entered_at, ownerless_since, commercials_currency, arr, pipeline_value, contract_value, contract_term_months, renewal_date)
         SELECT id, name, segment, region, lifecycle_stage, owner_partner_id, record, last_event_tx, last_event_seq, stage_entered_at,
                CASE WHEN owner_partner_id IS NULL THEN first_at END, commercials_currency, arr, pipeline_value, contract_value,
                contract_term_months, renewal_date FROM r
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, segment = EXCLUDED.segment, region = EXCLUDED.region,
           lifecycle_stage = EXCLUDED.lifecycle_stage, record = EXCLUDED.record, updated_at = now(),
           (commercials_currency, arr, pipeline_value, contract_value, contract_term_months, renewal_date) =
             (SELECT CASE WHEN r.commercials_given THEN r.commercials_currency ELSE c.commercials_currency END,
                     CASE WHEN r.commercials_given THEN r.arr ELSE c.arr END,
                     CASE WHEN r.commercials_given THEN r.pipeline_value ELSE c.pipeline_value END,
                     CASE WHEN r.commercials_given THEN r.contract_value ELSE c.contract_value END,
                     CASE WHEN r.commercials_given THEN r.contract_term_months ELSE c.contract_term_months END,
                     CASE WHEN r.commercials_given THEN r.renewal_date ELSE c.renewal_date END
                FROM r WHERE r.id = c.id),
           stage_entered_at = CASE WHEN c.lifecycle_stage IS DISTINCT FROM EXCLUDED.lifecycle_stage
                                     OR NOT (SELECT r.stage_steady FROM r WHERE r.id = c.id) OR c.stage_entered_at IS NULL
                                   THEN EXCLUDED.stage_entered_at ELSE c.stage_entered_at END,
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
 * segment, region, stage, initial owner, commercials) from accounts' events. Idempotent: replaying an
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
      // A partner's events carry the whole entry: the batch's last one per partner wins.
      const partners = events.filter(isPartnerEvent);
      const customers = events.filter((e) => !isPartnerEvent(e));
      if (partners.length > 0) await applyPartners(manager, partners);
      if (customers.length > 0) await applyCustomers(manager, customers);
    },
  });
}
