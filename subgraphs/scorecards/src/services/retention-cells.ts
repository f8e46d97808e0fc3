import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { Dec } from '../../../../shared/graphql/money';
import { NO_PARTNER } from './due-fact';
import { addUnit, newAcc, unitOf, type Acc, type CustomerHistory, type RetentionUnit } from './retention';

/**
 * Pre-aggregated revenue retention (docs/scorecards.md, "Revenue retention", storage): per
 * calendar quarter × holder × segment × region × cohort × currency, the sums of the units
 * of that quarter. A unit depends only on the customer's history, never on the time of the
 * query, so a cell stays right until an event of one of its customers arrives; the retention
 * consumer then takes the customer's old units out and puts its new ones in. Cells exist for
 * every quarter up to the horizon ({@link HORIZON_QUARTERS_AHEAD} quarters after the one of
 * the consumer's last batch); once the calendar passes it, the next batch recomputes every
 * customer's cells (once a quarter), and until then queries work later quarters out from
 * the histories.
 */

/** How many quarters past the current one the cells are kept for. */
export const HORIZON_QUARTERS_AHEAD = 4;

const CELL_COLUMNS =
  'quarter date, holder uuid, segment text, region text, cohort text, currency text, starting numeric, churned numeric, contracted numeric, expanded numeric, customers int, churned_customers int, contracted_customers int, expanded_customers int, excluded_customers int';
const CELL_NAMES = CELL_COLUMNS.split(',').map((c) => c.trim().split(/\s+/)[0]!);
const SUMS = CELL_NAMES.slice(6);

/** The last quarter the cells hold when computed at `now` (YYYY-MM-DD of its first day). */
export const horizonFor = (now: Date): string =>
  DateTime.fromJSDate(now, { zone: 'utc' }).startOf('quarter').plus({ quarters: HORIZON_QUARTERS_AHEAD }).toISODate()!;

interface CellKey {
  quarter: string;
  holder: string;
  segment: string;
  region: string;
  cohort: string;
  currency: string;
}
type Cells = Map<string, { key: CellKey; acc: Acc }>;

/** Segment and region of the partner-level cells, and the cohort of every cell: all of them. */
export const ALL = '*';

/** A customer's unit in every quarter from its first ARR up to `horizon` (keyed YYYY-MM-DD). */
export function quarterUnits(h: CustomerHistory, horizon: string): Map<string, RetentionUnit> {
  const out = new Map<string, RetentionUnit>();
  const first = h.arr[0];
  if (!first) return out;
  const last = Date.parse(`${horizon}T00:00:00Z`);
  const d = new Date(first.at);
  // Quarters counted from year 0 (k = 4 × year + quarter index): plain UTC arithmetic, as this runs per customer per quarter.
  for (let k = d.getUTCFullYear() * 4 + Math.floor(d.getUTCMonth() / 3); ; k++) {
    const y = Math.floor(k / 4);
    const m = (k % 4) * 3;
    const start = Date.UTC(y, m, 1);
    if (start > last) break;
    const unit = unitOf(h, start, Date.UTC(y, m + 3, 1));
    if (unit) out.set(`${y}-${String(m + 1).padStart(2, '0')}-01`, unit);
  }
  return out;
}

/**
 * Adds (or takes out) one unit in its segment × region cell and in its partner-level cell
 * (segment and region {@link ALL}). Cohorts are not kept: by cohort the cells would hold
 * hardly more than one customer each (a units table, written at every batch), so a query
 * by cohort works its figures out from the histories.
 */
function addToCells(cells: Cells, quarter: string, h: Pick<CustomerHistory, 'segment' | 'region'>, unit: RetentionUnit, sign: 1 | -1) {
  const one = newAcc();
  addUnit(one, unit);
  const holder = unit.holder ?? NO_PARTNER;
  for (const key of [
    { quarter, holder, segment: h.segment, region: h.region, cohort: ALL, currency: unit.currency },
    { quarter, holder, segment: ALL, region: ALL, cohort: ALL, currency: unit.currency },
  ]) {
    const id = Object.values(key).join('|');
    let cell = cells.get(id);
    if (!cell) {
      cell = { key, acc: newAcc() };
      cells.set(id, cell);
    }
    addAcc(cell.acc, one, sign);
  }
}

/** Every unit of these customers up to `horizon`, in the cells (a full computation). */
export function addCustomerCells(cells: Cells, histories: CustomerHistory[], horizon: string): void {
  for (const h of histories) for (const [quarter, unit] of quarterUnits(h, horizon)) addToCells(cells, quarter, h, unit, 1);
}

const sameUnit = (a: RetentionUnit, b: RetentionUnit) =>
  a.holder === b.holder && a.cohort === b.cohort && a.currency === b.currency && a.mixedCurrency === b.mixedCurrency && a.start.eq(b.start) && a.end.eq(b.end);

/**
 * What a batch changed: for each customer, the quarters whose unit differs before and after
 * (most do not: an event usually moves its own quarter and the ones after it) leave the
 * cells they were in and join the ones they are in now.
 */
export function addCustomerChanges(cells: Cells, before: CustomerHistory[], after: CustomerHistory[], horizon: string): void {
  const old = new Map(before.map((h) => [h.id, h]));
  for (const h of after) {
    const was = old.get(h.id);
    const previous = was ? quarterUnits(was, horizon) : new Map<string, RetentionUnit>();
    const now = quarterUnits(h, horizon);
    const moved = !was || was.segment !== h.segment || was.region !== h.region;
    for (const [quarter, unit] of previous) {
      const next = now.get(quarter);
      if (!moved && next && sameUnit(unit, next)) continue;
      addToCells(cells, quarter, was!, unit, -1);
    }
    for (const [quarter, unit] of now) {
      const prev = previous.get(quarter);
      if (!moved && prev && sameUnit(prev, unit)) continue;
      addToCells(cells, quarter, h, unit, 1);
    }
  }
}

/** into += sign × from. */
export function addAcc(into: Acc, from: Acc, sign: 1 | -1 = 1): void {
  into.start = into.start.plus(from.start.times(sign));
  into.churned = into.churned.plus(from.churned.times(sign));
  into.contracted = into.contracted.plus(from.contracted.times(sign));
  into.expanded = into.expanded.plus(from.expanded.times(sign));
  into.customers += sign * from.customers;
  into.churnedCustomers += sign * from.churnedCustomers;
  into.contractedCustomers += sign * from.contractedCustomers;
  into.expandedCustomers += sign * from.expandedCustomers;
  into.excludedCustomers += sign * from.excludedCustomers;
}

const isZero = (a: Acc) =>
  a.start.isZero() &&
  a.churned.isZero() &&
  a.contracted.isZero() &&
  a.expanded.isZero() &&
  a.customers === 0 &&
  a.churnedCustomers === 0 &&
  a.contractedCustomers === 0 &&
  a.expandedCustomers === 0 &&
  a.excludedCustomers === 0;

const rowOf = ({ key, acc }: { key: CellKey; acc: Acc }) => ({
  ...key,
  starting: acc.start.toFixed(),
  churned: acc.churned.toFixed(),
  contracted: acc.contracted.toFixed(),
  expanded: acc.expanded.toFixed(),
  customers: acc.customers,
  churned_customers: acc.churnedCustomers,
  contracted_customers: acc.contractedCustomers,
  expanded_customers: acc.expandedCustomers,
  excluded_customers: acc.excludedCustomers,
});

/** The stored horizon (YYYY-MM-DD), or null before the first computation. */
export async function storedHorizon(manager: Pick<DataSource, 'query'>): Promise<string | null> {
  const rows: { quarter: string }[] = await manager.query(`${BACKGROUND}SELECT quarter::text AS quarter FROM scorecards.retention_horizon`);
  return rows[0]?.quarter ?? null;
}

/** Adds the changes to the stored cells, in one statement (none when nothing moved). */
export async function applyCellDeltas(manager: Pick<DataSource, 'query'>, cells: Cells): Promise<void> {
  const moved = [...cells.values()].filter((c) => !isZero(c.acc));
  if (moved.length === 0) return;
  await manager.query(
    `${BACKGROUND}INSERT INTO scorecards.retention_cells (${CELL_NAMES.join(', ')})
     SELECT ${CELL_NAMES.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r(${CELL_COLUMNS})
     ON CONFLICT (quarter, holder, segment, region, cohort, currency) DO UPDATE SET
       ${SUMS.map((c) => `${c} = retention_cells.${c} + EXCLUDED.${c}`).join(', ')}`,
    [JSON.stringify(moved.map(rowOf))],
  );
}

/** Replaces every cell with these (all customers' units up to `horizon`) and stores the horizon. */
export async function replaceCells(manager: Pick<DataSource, 'query'>, cells: Cells, horizon: string): Promise<void> {
  await manager.query(`${BACKGROUND}DELETE FROM scorecards.retention_cells`);
  await applyCellDeltas(manager, cells);
  await manager.query(
    `${BACKGROUND}INSERT INTO scorecards.retention_horizon (id, quarter) VALUES (true, $1) ON CONFLICT (id) DO UPDATE SET quarter = EXCLUDED.quarter`,
    [horizon],
  );
}

/** A stored cell as a query reads it. */
export interface StoredCell {
  quarter: Date;
  /** null: held directly. */
  holder: string | null;
  segment: string;
  region: string;
  cohort: string;
  currency: string;
  acc: Acc;
}

/**
 * The cells of these quarters (two statements, run together: the horizon and the cells),
 * as the filters keep them. Quarters past the horizon have no cells: the caller works them
 * out from the histories.
 */
export async function readCells(
  db: Pick<DataSource, 'query'>,
  quarters: { from: Date }[],
  filter: { holder: string | null; segment?: string | null; region?: string | null },
  /** Partner-level cells suffice: no segment or region grouped or filtered. */
  partnerLevel: boolean,
): Promise<{ horizon: Date | null; cells: StoredCell[] }> {
  const params: unknown[] = [quarters.map((p) => DateTime.fromJSDate(p.from, { zone: 'utc' }).toISODate())];
  let where = partnerLevel ? ` AND segment = '${ALL}'` : ` AND segment <> '${ALL}'`;
  const add = (column: string, value: string | null | undefined) => {
    if (!value) return;
    params.push(value);
    where += ` AND ${column} = $${params.length}`;
  };
  add('holder', filter.holder);
  add('segment', filter.segment);
  add('region', filter.region);
  const [horizon, rows]: [
    { quarter: string }[],
    (Record<'quarter' | 'holder' | 'segment' | 'region' | 'cohort' | 'currency' | 'starting' | 'churned' | 'contracted' | 'expanded', string> &
      Record<'customers' | 'churned_customers' | 'contracted_customers' | 'expanded_customers' | 'excluded_customers', number>)[],
  ] = await Promise.all([
    db.query(`SELECT quarter::text AS quarter FROM scorecards.retention_horizon`),
    db.query(
      `SELECT quarter::text AS quarter, holder, segment, region, cohort, currency, starting::text AS starting, churned::text AS churned,
              contracted::text AS contracted, expanded::text AS expanded, customers, churned_customers, contracted_customers, expanded_customers, excluded_customers
         FROM scorecards.retention_cells
        WHERE quarter = ANY($1::date[]) AND (customers <> 0 OR excluded_customers <> 0)${where}`,
      params,
    ),
  ]);
  const h = horizon[0]?.quarter;
  return {
    horizon: h ? new Date(`${h}T00:00:00Z`) : null,
    cells: rows.map((r) => ({
      quarter: new Date(`${r.quarter}T00:00:00Z`),
      holder: r.holder === NO_PARTNER ? null : r.holder,
      segment: r.segment,
      region: r.region,
      cohort: r.cohort,
      currency: r.currency,
      acc: {
        start: new Dec(r.starting),
        churned: new Dec(r.churned),
        contracted: new Dec(r.contracted),
        expanded: new Dec(r.expanded),
        customers: r.customers,
        churnedCustomers: r.churned_customers,
        contractedCustomers: r.contracted_customers,
        expandedCustomers: r.expanded_customers,
        excludedCustomers: r.excluded_customers,
      },
    })),
  };
}
