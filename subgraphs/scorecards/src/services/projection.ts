import type { EntityManager } from 'typeorm';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { addToDelta, isNoChange, withDelta, type HistogramDelta, type SparseHistogram } from './histogram';
import { applyEvent, contributionOf, COUNT_COLUMNS, handoffIdOf, type CountColumn, type HandoffFact } from './handoff-fact';
import { cellsOf, type CellKey } from './rollup-cells';

/** The durable consumer's name; its position lives in eventlog.consumers. */
export const PROJECTION_CONSUMER = 'scorecards-projection';

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
});

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
});

const FACT_COLUMNS = `id uuid, customer_id uuid, from_partner_id uuid, to_partner_id uuid, moment text, custom_moment text, segment text,
  region text, state text, on_hold boolean, playbook_id uuid, required_data_complete boolean, proposed_at timestamptz,
  accepted_at timestamptz, completed_at timestamptz, closed_at timestamptz, last_action_at timestamptz, due_at timestamptz,
  clocks jsonb, feedback jsonb`;
const FACT_NAMES = FACT_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]);

interface CellDelta {
  key: CellKey;
  counts: Record<CountColumn, number>;
  accept: HistogramDelta;
  complete: HistogramDelta;
}

const KEY_COLUMNS = 'grain text, period_start date, partner_id uuid, segment text, region text, moment text';
const KEY_NAMES = ['grain', 'period_start', 'partner_id', 'segment', 'region', 'moment'];
const ROLLUP_COLUMNS = `${KEY_COLUMNS}, ${COUNT_COLUMNS.map((c) => `${c} int`).join(', ')}, accept_hist jsonb, complete_hist jsonb`;
const ROLLUP_NAMES = [...KEY_NAMES, ...COUNT_COLUMNS, 'accept_hist', 'complete_hist'];

function addContribution(deltas: Map<string, CellDelta>, fact: HandoffFact, sign: 1 | -1) {
  const c = contributionOf(fact);
  for (const key of cellsOf(c)) {
    const k = Object.values(key).join('|');
    let d = deltas.get(k);
    if (!d) {
      d = { key, counts: Object.fromEntries(COUNT_COLUMNS.map((col) => [col, 0])) as Record<CountColumn, number>, accept: new Map(), complete: new Map() };
      deltas.set(k, d);
    }
    for (const col of COUNT_COLUMNS) d.counts[col] += sign * c.counts[col];
    if (c.accept !== null) addToDelta(d.accept, c.accept, sign);
    if (c.complete !== null) addToDelta(d.complete, c.complete, sign);
  }
}

const isZero = (d: CellDelta) => COUNT_COLUMNS.every((c) => d.counts[c] === 0) && isNoChange(d.accept) && isNoChange(d.complete);

/**
 * Applies a batch of events: one read of the handoffs it touches, the events folded in
 * memory, then one write of those handoffs and one read and one write of the rollup cells
 * whose figures moved. Each handoff's old contribution is taken out of its cell and its
 * new one put in, so the figures are the same however the log is cut into batches.
 */
export async function projectEvents(events: HubEvent[], manager: Pick<EntityManager, 'query'>): Promise<void> {
  const ids = [...new Set(events.map(handoffIdOf).filter((id): id is string => id !== null))];
  if (ids.length === 0) return;
  const rows: FactRow[] = await manager.query(`${BACKGROUND}SELECT * FROM scorecards.handoff_facts WHERE id = ANY($1::uuid[])`, [ids]);
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

  const deltas = new Map<string, CellDelta>();
  for (const fact of changed) {
    const old = before.get(fact.id);
    if (old) addContribution(deltas, old, -1);
    addContribution(deltas, fact, 1);
  }
  const moved = [...deltas.values()].filter((d) => !isZero(d));
  if (moved.length === 0) return;
  await applyDeltas(moved, manager);
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
  };

async function applyDeltas(moved: CellDelta[], manager: Pick<EntityManager, 'query'>) {
  const existing: StoredCell[] = await manager.query(
    `${BACKGROUND}SELECT r.*, r.period_start::text AS period_start FROM scorecards.rollups r
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
