import type { EntityManager } from 'typeorm';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { planOnceArray } from '../../../../shared/db/prepared-statements';
import { addToDelta, isNoChange, withDelta, type HistogramDelta, type SparseHistogram } from './histogram';
import type { HandoffDueEventPayload } from '../../../../shared/eventlog/events';
import {
  applyDueEvent,
  CUSTOMER_EVENT_TYPES,
  customerOf,
  DUE_EVENT_TYPES,
  dueContributionOf,
  dueIdOf,
  proposeSecondsOf,
  type CustomerFact,
  type DueFact,
} from './due-fact';
import {
  applyEvent,
  contributionOf,
  COUNT_COLUMNS,
  HANDOFF_FACT_EVENT_TYPES,
  handoffIdOf,
  isClockRisk,
  zeroCounts,
  type Contribution,
  type CountColumn,
  type HandoffFact,
} from './handoff-fact';
import { cellsOf, type CellKey } from './rollup-cells';
import { addValueContribution, applyValueDeltas, type ValueDeltas } from './value-cells';

/** The durable consumer's name; its position lives in eventlog.consumers. */
export const PROJECTION_CONSUMER = 'scorecards-projection';

/** Every event type the projection folds: handoffs with their SLA clocks and feedback, dues with their PROPOSE clocks, customers. */
export const PROJECTED_EVENT_TYPES = [...HANDOFF_FACT_EVENT_TYPES, ...DUE_EVENT_TYPES, ...CUSTOMER_EVENT_TYPES];

interface FactRow {
  id: string;
  customer_id: string;
  from_partner_id: string | null;
  to_partner_id: string;
  moment: string;
  custom_moment: string | null;
  segment: string;
  region: string;
  state: string;
  on_hold: boolean;
  playbook_id: string | null;
  required_data_complete: boolean;
  proposed_at: Date;
  accepted_at: Date | null;
  completed_at: Date | null;
  closed_at: Date | null;
  last_action_at: Date;
  due_at: Date | null;
  clocks: HandoffFact['clocks'];
  feedback: HandoffFact['feedback'];
  value_amount: string | null;
  value_currency: string | null;
}

const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

export const factFromRow = (r: FactRow): HandoffFact => ({
  id: r.id,
  customerId: r.customer_id,
  fromPartnerId: r.from_partner_id,
  toPartnerId: r.to_partner_id,
  moment: r.moment,
  customMoment: r.custom_moment,
  segment: r.segment,
  region: r.region,
  state: r.state,
  onHold: r.on_hold,
  playbookId: r.playbook_id,
  requiredDataComplete: r.required_data_complete,
  proposedAt: r.proposed_at.toISOString(),
  acceptedAt: isoOrNull(r.accepted_at),
  completedAt: isoOrNull(r.completed_at),
  closedAt: isoOrNull(r.closed_at),
  lastActionAt: r.last_action_at.toISOString(),
  dueAt: isoOrNull(r.due_at),
  clocks: r.clocks,
  feedback: r.feedback,
  value: nativeOf(r.value_amount, r.value_currency),
});

/** A stored value: numeric comes back as its exact text. */
const nativeOf = (amount: string | null, currency: string | null) => (amount !== null && currency !== null ? { amount, currency } : null);

const factToRow = (f: HandoffFact) => ({
  id: f.id,
  customer_id: f.customerId,
  from_partner_id: f.fromPartnerId,
  to_partner_id: f.toPartnerId,
  moment: f.moment,
  custom_moment: f.customMoment,
  segment: f.segment,
  region: f.region,
  state: f.state,
  on_hold: f.onHold,
  playbook_id: f.playbookId,
  required_data_complete: f.requiredDataComplete,
  proposed_at: f.proposedAt,
  accepted_at: f.acceptedAt,
  completed_at: f.completedAt,
  closed_at: f.closedAt,
  last_action_at: f.lastActionAt,
  due_at: f.dueAt,
  clocks: f.clocks,
  feedback: f.feedback,
  value_amount: f.value?.amount ?? null,
  value_currency: f.value?.currency ?? null,
  clock_risk: isClockRisk(f),
});

const FACT_COLUMNS = `id uuid, customer_id uuid, from_partner_id uuid, to_partner_id uuid, moment text, custom_moment text, segment text,
  region text, state text, on_hold boolean, playbook_id uuid, required_data_complete boolean, proposed_at timestamptz,
  accepted_at timestamptz, completed_at timestamptz, closed_at timestamptz, last_action_at timestamptz, due_at timestamptz,
  clocks jsonb, feedback jsonb, value_amount numeric, value_currency text, clock_risk boolean`;
const FACT_NAMES = FACT_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]);

interface CellDelta {
  key: CellKey;
  counts: Record<CountColumn, number>;
  accept: HistogramDelta;
  complete: HistogramDelta;
  propose: HistogramDelta;
}

const KEY_COLUMNS = 'grain text, period_start date, partner_id uuid, segment text, region text, moment text';
const KEY_NAMES = ['grain', 'period_start', 'partner_id', 'segment', 'region', 'moment'];
const HISTOGRAMS = ['accept_hist', 'complete_hist', 'propose_hist'] as const;
const ROLLUP_COLUMNS = `${KEY_COLUMNS}, ${COUNT_COLUMNS.map((c) => `${c} int`).join(', ')}, ${HISTOGRAMS.map((h) => `${h} jsonb`).join(', ')}`;
const ROLLUP_NAMES = [...KEY_NAMES, ...COUNT_COLUMNS, ...HISTOGRAMS];
/** A stored cell's columns by name (a `r.*` would keep the read unprepared: shared/db/prepared-statements.ts). */
const ROLLUP_READ = ROLLUP_NAMES.map((n) => (n === 'period_start' ? 'r.period_start::text AS period_start' : `r.${n}`)).join(', ');

/** A batch's changes: to the rollup cells, and to the value cells. */
interface Deltas {
  cells: Map<string, CellDelta>;
  values: ValueDeltas;
}

function addContribution(all: Deltas, c: Contribution, sign: 1 | -1) {
  if (c.value) addValueContribution(all.values, c, c.value, sign);
  const deltas = all.cells;
  for (const key of cellsOf(c)) {
    const k = Object.values(key).join('|');
    let d = deltas.get(k);
    if (!d) {
      d = { key, counts: zeroCounts(), accept: new Map(), complete: new Map(), propose: new Map() };
      deltas.set(k, d);
    }
    for (const col of COUNT_COLUMNS) d.counts[col] += sign * c.counts[col];
    if (c.accept !== null) addToDelta(d.accept, c.accept, sign);
    if (c.complete !== null) addToDelta(d.complete, c.complete, sign);
    if (c.propose !== null) addToDelta(d.propose, c.propose, sign);
  }
}

const isZero = (d: CellDelta) => COUNT_COLUMNS.every((c) => d.counts[c] === 0) && isNoChange(d.accept) && isNoChange(d.complete) && isNoChange(d.propose);

/**
 * Applies a batch of events in a number of statements that does not depend on its size:
 * handoffs (one read of the facts the batch touches, one write), dues and the customers
 * they open on (one read of both, one write of each), then one read and one write of the
 * rollup cells whose figures moved, and one write of the value cells whose sums moved. A
 * statement with nothing to do is not sent. Each fact's
 * old contribution is taken out of its cell and its new one put in, so the figures are the
 * same however the log is cut into batches.
 */
export async function projectEvents(events: HubEvent[], manager: Pick<EntityManager, 'query'>): Promise<void> {
  const deltas: Deltas = { cells: new Map(), values: new Map() };
  await projectHandoffs(events, manager, deltas);
  await projectDues(events, manager, deltas);
  await applyValueDeltas(deltas.values, manager);
  const moved = [...deltas.cells.values()].filter((d) => !isZero(d));
  if (moved.length === 0) return;
  await applyDeltas(moved, manager);
}

async function projectHandoffs(events: HubEvent[], manager: Pick<EntityManager, 'query'>, deltas: Deltas): Promise<void> {
  const ids = [...new Set(events.map(handoffIdOf).filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  const rows: FactRow[] = await manager.query(
    `${BACKGROUND}SELECT ${FACT_NAMES.join(', ')} FROM scorecards.handoff_facts WHERE id = ANY(${planOnceArray(1, 'uuid[]')})`,
    [ids],
  );
  const before = new Map(rows.map((r) => [r.id, factFromRow(r)]));
  const after = new Map(before);
  for (const event of events) {
    const id = handoffIdOf(event);
    if (!id) continue;
    const next = applyEvent(after.get(id), event);
    if (next) after.set(id, next);
  }
  const changed = [...after.values()].filter((f) => f !== before.get(f.id));
  if (changed.length === 0) return;
  await manager.query(
    `${BACKGROUND}INSERT INTO scorecards.handoff_facts (${FACT_NAMES.join(', ')})
     SELECT ${FACT_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${FACT_COLUMNS})
     ON CONFLICT (id) DO UPDATE SET ${FACT_NAMES.filter((n) => n !== 'id')
       .map((n) => `${n} = EXCLUDED.${n}`)
       .join(', ')}`,
    [JSON.stringify(changed.map(factToRow))],
  );

  for (const fact of changed) {
    const old = before.get(fact.id);
    if (old) addContribution(deltas, contributionOf(old), -1);
    addContribution(deltas, contributionOf(fact), 1);
  }
}

interface DueRow {
  id: string | null;
  customer_id: string;
  accountable_partner_id: string | null;
  moment: string;
  custom_moment: string | null;
  segment: string;
  region: string;
  stage_moved_at: Date;
  state: DueFact['state'];
  handoff_id: string | null;
  proposed_at: Date | null;
  closed_at: Date | null;
  breached_at: Date | null;
  business_seconds: number | null;
  value_amount: string | null;
  value_currency: string | null;
  /** The batch's key: the due's customer, and what scorecards knew of it before the batch. */
  key_customer_id: string;
  customer_segment: string | null;
  customer_region: string | null;
}

const dueFromRow = (r: DueRow & { id: string }): DueFact => ({
  id: r.id,
  customerId: r.customer_id,
  accountablePartnerId: r.accountable_partner_id,
  moment: r.moment,
  customMoment: r.custom_moment,
  segment: r.segment,
  region: r.region,
  stageMovedAt: r.stage_moved_at.toISOString(),
  state: r.state,
  handoffId: r.handoff_id,
  proposedAt: isoOrNull(r.proposed_at),
  closedAt: isoOrNull(r.closed_at),
  breachedAt: isoOrNull(r.breached_at),
  businessSeconds: r.business_seconds,
  value: nativeOf(r.value_amount, r.value_currency),
});

const dueToRow = (d: DueFact) => ({
  id: d.id,
  customer_id: d.customerId,
  accountable_partner_id: d.accountablePartnerId,
  moment: d.moment,
  custom_moment: d.customMoment,
  segment: d.segment,
  region: d.region,
  stage_moved_at: d.stageMovedAt,
  state: d.state,
  handoff_id: d.handoffId,
  proposed_at: d.proposedAt,
  closed_at: d.closedAt,
  breached_at: d.breachedAt,
  business_seconds: d.businessSeconds,
  propose_seconds: proposeSecondsOf(d),
  value_amount: d.value?.amount ?? null,
  value_currency: d.value?.currency ?? null,
});

const DUE_COLUMNS = `id uuid, customer_id uuid, accountable_partner_id uuid, moment text, custom_moment text, segment text, region text,
  stage_moved_at timestamptz, state text, handoff_id uuid, proposed_at timestamptz, closed_at timestamptz, breached_at timestamptz,
  business_seconds float8, propose_seconds float8, value_amount numeric, value_currency text`;
const DUE_NAMES = DUE_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]);

/**
 * Dues and customers. Customer events only keep each customer's segment and region (one
 * write); a due takes them, as scorecards knows them at that point of the log, when it
 * opens. One read gets the batch's dues and, for each, its customer as stored.
 */
async function projectDues(events: HubEvent[], manager: Pick<EntityManager, 'query'>, deltas: Deltas): Promise<void> {
  const keys = new Map<string, string>();
  let anyCustomer = false;
  for (const e of events) {
    const id = dueIdOf(e);
    if (id) keys.set(id, (e.payload as unknown as HandoffDueEventPayload).due.customerId);
    else if (customerOf(e)) anyCustomer = true;
  }
  if (keys.size === 0 && !anyCustomer) return;

  const rows: DueRow[] =
    keys.size === 0
      ? []
      : await manager.query(
          `${BACKGROUND}SELECT d.*, k.customer_id AS key_customer_id, c.segment AS customer_segment, c.region AS customer_region
             FROM unnest($1::uuid[], $2::uuid[]) AS k(due_id, customer_id)
             LEFT JOIN scorecards.due_facts d ON d.id = k.due_id
             LEFT JOIN scorecards.customers c ON c.id = k.customer_id`,
          [[...keys.keys()], [...keys.values()]],
        );
  const customers = new Map<string, CustomerFact>();
  const before = new Map<string, DueFact>();
  for (const r of rows) {
    if (r.customer_segment !== null) customers.set(r.key_customer_id, { segment: r.customer_segment, region: r.customer_region ?? '' });
    if (r.id !== null) before.set(r.id, dueFromRow(r as DueRow & { id: string }));
  }
  const after = new Map(before);
  const customerWrites = new Map<string, CustomerFact>();
  for (const e of events) {
    const customer = customerOf(e);
    if (customer) {
      customers.set(customer.id, customer.fact);
      customerWrites.set(customer.id, customer.fact);
      continue;
    }
    const id = dueIdOf(e);
    if (!id) continue;
    const next = applyDueEvent(after.get(id), e, customers.get(keys.get(id)!));
    if (next) after.set(id, next);
  }

  if (customerWrites.size > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.customers (id, segment, region)
       SELECT id, segment, region FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, segment text, region text)
       ON CONFLICT (id) DO UPDATE SET segment = EXCLUDED.segment, region = EXCLUDED.region
        WHERE (customers.segment, customers.region) IS DISTINCT FROM (EXCLUDED.segment, EXCLUDED.region)`,
      [JSON.stringify([...customerWrites].map(([id, c]) => ({ id, ...c })))],
    );
  }
  const changed = [...after.values()].filter((d) => d !== before.get(d.id));
  if (changed.length === 0) return;
  await manager.query(
    `${BACKGROUND}INSERT INTO scorecards.due_facts (${DUE_NAMES.join(', ')})
     SELECT ${DUE_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${DUE_COLUMNS})
     ON CONFLICT (id) DO UPDATE SET ${DUE_NAMES.filter((n) => n !== 'id')
       .map((n) => `${n} = EXCLUDED.${n}`)
       .join(', ')}`,
    [JSON.stringify(changed.map(dueToRow))],
  );
  for (const due of changed) {
    const old = before.get(due.id);
    if (old) addContribution(deltas, dueContributionOf(old), -1);
    addContribution(deltas, dueContributionOf(due), 1);
  }
}

/** A stored rollup cell: its key, its counts, its histograms. */
type StoredCell = Record<string, unknown> &
  Record<CountColumn, number> & {
    grain: string;
    period_start: string;
    partner_id: string;
    segment: string;
    region: string;
    moment: string;
    accept_hist: SparseHistogram | null;
    complete_hist: SparseHistogram | null;
    propose_hist: SparseHistogram | null;
  };

async function applyDeltas(moved: CellDelta[], manager: Pick<EntityManager, 'query'>) {
  const existing: StoredCell[] = await manager.query(
    `${BACKGROUND}SELECT ${ROLLUP_READ} FROM scorecards.rollups r
       JOIN jsonb_to_recordset($1::jsonb) AS k(${KEY_COLUMNS})
         ON (r.grain, r.period_start, r.partner_id, r.segment, r.region, r.moment) = (k.grain, k.period_start, k.partner_id, k.segment, k.region, k.moment)`,
    [JSON.stringify(moved.map((d) => d.key))],
  );
  const byKey = new Map(existing.map((r) => [[r.grain, r.period_start, r.partner_id, r.segment, r.region, r.moment].join('|'), r]));
  const out = moved.map((d) => {
    const cur = byKey.get(Object.values(d.key).join('|'));
    const row: Record<string, unknown> = { ...d.key };
    for (const col of COUNT_COLUMNS) row[col] = Number(cur?.[col] ?? 0) + d.counts[col];
    row.accept_hist = withDelta(cur?.accept_hist, d.accept);
    row.complete_hist = withDelta(cur?.complete_hist, d.complete);
    row.propose_hist = withDelta(cur?.propose_hist, d.propose);
    return row;
  });
  await manager.query(
    `${BACKGROUND}INSERT INTO scorecards.rollups (${ROLLUP_NAMES.join(', ')})
     SELECT ${ROLLUP_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${ROLLUP_COLUMNS})
     ON CONFLICT (grain, period_start, partner_id, segment, region, moment) DO UPDATE SET
       ${ROLLUP_NAMES.slice(KEY_NAMES.length)
         .map((n) => `${n} = EXCLUDED.${n}`)
         .join(', ')}`,
    [JSON.stringify(out)],
  );
}
