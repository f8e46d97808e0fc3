import type { DataSource } from 'typeorm';
import { Dec, minorUnits } from '../../../../shared/graphql/money';
import { ScorecardValueFigure, type ScorecardValue, type UnconvertibleValue } from '../entities/scorecard-value.type';
import { REPORTING_CURRENCY_SQL } from './value-cells';
import { ALL } from './rollup-cells';
import { VALUE_FIGURES, type ValueFigure } from './value-figures';

/**
 * The value figures of a scorecard (docs/scorecards.md, "Value"). The value rollups hold, per
 * cell and currency, each figure converted at every handoff's proposal-day rate (exact
 * numeric) and, apart, what had no rate (native); the few stallable handoffs not due yet are
 * converted in SQL when the query runs. SQL sums each cell's currencies; amounts reach Node
 * as integers of 10^-24 units (bigint), which add exactly and fast across cells, groups and
 * totals; each figure is rounded once, at the end.
 */

/**
 * Amounts travel scaled by 10^24: exact, since an amount has at most 6 decimals and a rate at
 * most 18 (exchange-rates.ts), so no product or sum has more than 24. Were one ever to, BigInt
 * would refuse it rather than lose the digits.
 */
const SCALE = 24;
const scaled = (expr: string) => `trim_scale((${expr}) * 1${'0'.repeat(SCALE)}::numeric)::text`;
const toBig = (text: string | undefined | null) => (text ? BigInt(text) : 0n);
/** A scaled amount as an exact decimal. */
const unscale = (x: bigint): Dec => {
  const digits = (x < 0n ? -x : x).toString().padStart(SCALE + 1, '0');
  return new Dec(`${x < 0n ? '-' : ''}${digits.slice(0, -SCALE)}.${digits.slice(-SCALE)}`);
};

/** What the value statements read beyond the cells: the not-due parts of the stallable value. */
const NOT_DUE = ['not_due', 'not_due_no_risk'] as const;
type Part = ValueFigure | (typeof NOT_DUE)[number];
const PARTS: readonly Part[] = [...VALUE_FIGURES, ...NOT_DUE];

/**
 * A row of either value statement: a cell's dimensions; then its converted figures (all its
 * currencies, `currency` null), or one currency's unconvertible figures, or the not-due sums
 * of one currency with whether they converted. Amounts scaled (SCALE).
 */
export type ValueRow = {
  reporting_currency: string | null;
  period_start: string | null;
  partner_id: string;
  segment: string;
  region: string;
  moment: string;
  currency: string | null;
  convertible?: boolean;
} & Partial<Record<`${Part}_n`, number>> &
  Partial<Record<`${Part}_amount`, string>>;

interface Sums {
  n: Record<Part, number>;
  amount: Record<Part, bigint>;
}
const newSums = (): Sums => ({
  n: Object.fromEntries(PARTS.map((p) => [p, 0])) as Record<Part, number>,
  amount: Object.fromEntries(PARTS.map((p) => [p, 0n])) as Record<Part, bigint>,
});
function addSums(into: Sums, from: Sums) {
  for (const p of PARTS) {
    into.n[p] += from.n[p];
    into.amount[p] += from.amount[p];
  }
}

/** A group's value: converted sums (reporting currency, unrounded), and native sums per currency without a rate. */
export interface ValueAcc {
  converted: Sums;
  unconvertible: Map<string, Sums>;
}
export const newValueAcc = (): ValueAcc => ({ converted: newSums(), unconvertible: new Map() });

export function mergeValueAcc(into: ValueAcc, from: ValueAcc) {
  addSums(into.converted, from.converted);
  for (const [currency, sums] of from.unconvertible) {
    let s = into.unconvertible.get(currency);
    if (!s) {
      s = newSums();
      into.unconvertible.set(currency, s);
    }
    addSums(s, sums);
  }
}

const unconvertibleOf = (acc: ValueAcc, currency: string) => {
  let sums = acc.unconvertible.get(currency);
  if (!sums) {
    sums = newSums();
    acc.unconvertible.set(currency, sums);
  }
  return sums;
};

/** Adds one statement row to its group: converted (currency null, or not-due sums that converted) or one currency's unconvertible part. */
export function addValueRow(acc: ValueAcc, r: ValueRow) {
  const sums = r.currency === null || r.convertible === true ? acc.converted : unconvertibleOf(acc, r.currency);
  for (const p of r.convertible === undefined ? VALUE_FIGURES : NOT_DUE) {
    sums.n[p] += r[`${p}_n`] ?? 0;
    sums.amount[p] += toBig(r[`${p}_amount`]);
  }
}

/** The figures from the parts: stalled = stallable − not due; at risk = clock risk + stallable − (not due without clock risk). */
function figures(s: Sums) {
  const stalled = { n: s.n.stallable - s.n.not_due, amount: s.amount.stallable - s.amount.not_due };
  const atRisk = {
    n: s.n.clock_risk + s.n.stallable - s.n.not_due_no_risk,
    amount: s.amount.clock_risk + s.amount.stallable - s.amount.not_due_no_risk,
  };
  const f = (p: ValueFigure) => ({ n: s.n[p], amount: s.amount[p] });
  return {
    [ScorecardValueFigure.PROPOSED]: f('proposed'),
    [ScorecardValueFigure.ACCEPTED]: f('accepted'),
    [ScorecardValueFigure.COMPLETED]: f('completed'),
    [ScorecardValueFigure.REJECTED]: f('rejected'),
    [ScorecardValueFigure.EXPIRED]: f('expired'),
    [ScorecardValueFigure.CANCELLED]: f('cancelled'),
    [ScorecardValueFigure.STALLED]: stalled,
    [ScorecardValueFigure.NEVER_PROPOSED]: f('never_proposed'),
    [ScorecardValueFigure.REVENUE_AT_RISK]: atRisk,
  };
}

/**
 * roundToCurrency with the currency's minor units looked up once per currency: each lookup
 * builds an Intl.NumberFormat (about 50 µs), and a quarter by partner × moment rounds some
 * 3,000 figures. Same rounding (half to even) and the same printing.
 */
const MINOR_UNITS = new Map<string, number>();
export function roundedIn(currency: string): (x: Dec) => string {
  let dp = MINOR_UNITS.get(currency);
  if (dp === undefined) {
    dp = minorUnits(currency);
    MINOR_UNITS.set(currency, dp);
  }
  const places = dp;
  return (x) => x.toDecimalPlaces(places, Dec.ROUND_HALF_EVEN).toFixed(places);
}

const ratio = (n: bigint, d: bigint) => (d === 0n ? null : unscale(n).div(unscale(d)).toDecimalPlaces(4, Dec.ROUND_HALF_EVEN).toNumber());

/** A group's ScorecardValue: exact sums rounded once to the reporting currency's minor units. */
export function toValue(acc: ValueAcc, reportingCurrency: string | null): ScorecardValue {
  const conv = figures(acc.converted);
  const round = reportingCurrency ? roundedIn(reportingCurrency) : (x: Dec) => x.toFixed();
  const money = (x: bigint) => round(unscale(x));
  const unconvertible: UnconvertibleValue[] = [];
  const currencies = [...acc.unconvertible.keys()].sort();
  for (const figure of Object.values(ScorecardValueFigure)) {
    for (const currency of currencies) {
      const part = figures(acc.unconvertible.get(currency)!)[figure];
      if (part.n !== 0 || part.amount !== 0n) unconvertible.push({ figure, currency, amount: unscale(part.amount).toFixed(), handoffs: part.n });
    }
  }
  const p = conv.PROPOSED.amount;
  const a = conv.ACCEPTED.amount;
  const c = conv.COMPLETED.amount;
  const leaked = conv.REJECTED.amount + conv.EXPIRED.amount + conv.CANCELLED.amount + conv.STALLED.amount;
  const valued = acc.converted.n.proposed + [...acc.unconvertible.values()].reduce((sum, s) => sum + s.n.proposed, 0);
  return {
    reportingCurrency,
    valuedHandoffs: valued,
    proposed: money(p),
    accepted: money(a),
    completed: money(c),
    conversion: { acceptRate: ratio(a, p), completeRate: ratio(c, a), endToEndRate: ratio(c, p) },
    leakage: {
      rejected: money(conv.REJECTED.amount),
      expired: money(conv.EXPIRED.amount),
      cancelled: money(conv.CANCELLED.amount),
      stalled: money(conv.STALLED.amount),
      total: money(leaked),
      neverProposed: money(conv.NEVER_PROPOSED.amount),
    },
    revenueAtRisk: money(conv.REVENUE_AT_RISK.amount),
    unconvertible,
  };
}

/** Where the value statements read: the same groups, filters and whole periods as the counts. */
export interface ValueScope {
  grain: string;
  /** date_trunc unit of the grain. */
  unit: string;
  /** First day of the range, the start of its last period, and the exclusive end (YYYY-MM-DD). */
  fromDate: string;
  lastPeriod: string;
  endDate: string;
  now: Date;
  partnerLevel: boolean;
  partners: string[] | null;
  segments: string[] | null | undefined;
  regions: string[] | null | undefined;
  moments: string[] | null | undefined;
}

/** The converted amount of not-due handoffs: at their rate when there is one, else native (and reported apart). */
const amountOf = (column: string) => scaled(`sum(CASE WHEN x.rate IS NULL THEN ${column} ELSE ${column} * x.rate END)`);

/**
 * Two statements, run beside the counts': the value rollups of the range (a range of their
 * key, as the rollups), and the stallable value not due yet (from handoff_facts_not_due_idx,
 * as the stalled count), converted at each handoff's proposal-day rate, with how much of it
 * has an SLA clock at risk. Each answers one row at least, carrying the reporting currency.
 */
export async function fetchValueRows(db: Pick<DataSource, 'query'>, s: ValueScope): Promise<{ cells: ValueRow[]; notDue: ValueRow[] }> {
  const params: unknown[] = [s.grain, s.fromDate, s.lastPeriod];
  const notDueParams: unknown[] = [s.unit, `${s.fromDate}T00:00:00Z`, `${s.endDate}T00:00:00Z`, s.now.toISOString()];
  let where = s.partnerLevel ? ` AND v.segment = '${ALL}' AND v.region = '${ALL}'` : ` AND v.segment <> '${ALL}'`;
  let notDueWhere = '';
  const filter = (column: string, factColumn: string, values: string[] | null | undefined) => {
    if (!values) return;
    params.push(values);
    where += ` AND v.${column} = ANY($${params.length})`;
    notDueParams.push(values);
    notDueWhere += ` AND f.${factColumn} = ANY($${notDueParams.length})`;
  };
  filter('partner_id', 'to_partner_id', s.partners);
  filter('segment', 'segment', s.segments);
  filter('region', 'region', s.regions);
  filter('moment', 'moment', s.moments);
  const dims = s.partnerLevel ? `'${ALL}' AS segment, '${ALL}' AS region` : 'f.segment, f.region';
  const withCurrency = (inner: string) => `
    WITH rc AS (SELECT ${REPORTING_CURRENCY_SQL} AS code)
    SELECT rc.code AS reporting_currency, g.* FROM rc LEFT JOIN LATERAL (${inner}) g ON true`;

  const [cells, notDue]: [ValueRow[], ValueRow[]] = await Promise.all([
    db.query(
      withCurrency(`
      SELECT v.period_start::text AS period_start, v.partner_id, v.segment, v.region, v.moment, NULL::text AS currency,
             ${VALUE_FIGURES.map((f) => `sum(v.${f}_n)::int AS ${f}_n, ${scaled(`sum(v.${f}_amount)`)} AS ${f}_amount`).join(',\n             ')}
        FROM scorecards.value_rollups v
       WHERE v.grain = $1 AND v.period_start >= $2::date AND v.period_start <= $3::date${where}
       GROUP BY 1, 2, 3, 4, 5
      UNION ALL
      -- Only cells with something unconvertible: every value counts in proposed or never_proposed.
      SELECT v.period_start::text, v.partner_id, v.segment, v.region, v.moment, v.currency,
             ${VALUE_FIGURES.map((f) => `v.${f}_x_n, ${scaled(`v.${f}_x_amount`)}`).join(',\n             ')}
        FROM scorecards.value_rollups v
       WHERE v.grain = $1 AND v.period_start >= $2::date AND v.period_start <= $3::date${where} AND (v.proposed_x_n <> 0 OR v.never_proposed_x_n <> 0)`),
      params,
    ),
    // The conditions repeat handoff_facts_not_due_idx's predicate so the planner can use it.
    db.query(
      withCurrency(`
      SELECT date_trunc($1, f.proposed_at AT TIME ZONE 'UTC')::date::text AS period_start, f.to_partner_id AS partner_id, ${dims}, f.moment,
             f.value_currency AS currency, x.rate IS NOT NULL AS convertible,
             count(*)::int AS not_due_n, ${amountOf('f.value_amount')} AS not_due_amount,
             count(*) FILTER (WHERE NOT f.clock_risk)::int AS not_due_no_risk_n,
             ${scaled(`coalesce(sum(CASE WHEN x.rate IS NULL THEN f.value_amount ELSE f.value_amount * x.rate END) FILTER (WHERE NOT f.clock_risk), 0)`)} AS not_due_no_risk_amount
        FROM scorecards.handoff_facts f
        LEFT JOIN scorecards.effective_rates r ON r.currency = f.value_currency AND r.day = (f.proposed_at AT TIME ZONE 'UTC')::date
        CROSS JOIN LATERAL (SELECT CASE WHEN f.value_currency = rc.code THEN 1::numeric ELSE r.rate END AS rate) x
       WHERE f.state IN ('PROPOSED', 'ACCEPTED') AND NOT f.on_hold AND f.last_action_at < f.due_at AND f.due_at >= $4::timestamptz
         AND f.proposed_at >= $2::timestamptz AND f.proposed_at < $3::timestamptz AND f.value_amount IS NOT NULL${notDueWhere}
       GROUP BY 1, 2, 3, 4, 5, 6, 7`),
      notDueParams,
    ),
  ]);
  return { cells, notDue };
}
