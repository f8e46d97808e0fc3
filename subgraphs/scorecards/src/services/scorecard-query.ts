import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { ScorecardDimension, ScorecardPeriod, type HandoffMoment, type Region, type Segment } from '../entities/enums';
import { ScorecardRowLevel, type CountAndRate, type ScorecardRow } from '../entities/scorecard-row.type';
import { NO_PARTNER } from './due-fact';
import { COUNT_COLUMNS, zeroCounts, type CountColumn } from './handoff-fact';
import { addHistogram, emptyHistogram, mergeSparse, summarize, type Histogram, type SparseHistogram } from './histogram';
import { periodEnd, periodStart, toDateTime, type Grain } from './periods';
import { ALL } from './rollup-cells';
import { addValueRow, fetchValueRows, mergeValueAcc, newValueAcc, toValue, type ValueAcc, type ValueRow } from './scorecard-value';

/** What {@link queryScorecard} needs; the GraphQL input maps onto it. */
export interface ScorecardQuery {
  period: ScorecardPeriod;
  from?: Date | null;
  to?: Date | null;
  partnerIds?: string[] | null;
  segments?: Segment[] | null;
  regions?: Region[] | null;
  moments?: HandoffMoment[] | null;
  groupBy: ScorecardDimension[];
  includeTotals: boolean;
  /** One row per group for the whole range instead of one per period. */
  collapsePeriods?: boolean | null;
  /** Also the value figures (ScorecardRow.value): two more statements, so only when asked. */
  withValue?: boolean | null;
}

const DEFAULT_SPAN: Record<Grain, number> = { DAY: 30, WEEK: 12, MONTH: 6, QUARTER: 4 };
const MAX_PERIODS: Record<Grain, number> = { DAY: 400, WEEK: 260, MONTH: 120, QUARTER: 40 };
const LUXON_UNIT = { DAY: 'days', WEEK: 'weeks', MONTH: 'months', QUARTER: 'quarters' } as const;
const PG_UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' } as const;

interface Acc {
  counts: Record<CountColumn, number>;
  /** Stallable handoffs whose due time is still ahead: not stalled yet. */
  notDue: number;
  accept: Histogram;
  complete: Histogram;
  propose: Histogram;
  value: ValueAcc;
}

const newAcc = (): Acc => ({
  counts: zeroCounts(),
  notDue: 0,
  accept: emptyHistogram(),
  complete: emptyHistogram(),
  propose: emptyHistogram(),
  value: newValueAcc(),
});

function mergeAcc(into: Acc, from: Acc) {
  for (const c of COUNT_COLUMNS) into.counts[c] += from.counts[c];
  into.notDue += from.notDue;
  mergeValueAcc(into.value, from.value);
  if (from.counts.accepted > 0 || from.counts.completed > 0) {
    addHistogram(into.accept, from.accept);
    addHistogram(into.complete, from.complete);
  }
  if (from.counts.dues_proposed > 0) addHistogram(into.propose, from.propose);
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);
const avg = (sum: number, n: number) => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);

/** Checks the range and the caller's right to the partners named; returns the SQL-ready range. */
export function resolveRange(q: ScorecardQuery, now = new Date()): { grain: Grain; fromDate: string; toInstant: Date } {
  const grain = q.period as Grain;
  const to = q.to ?? now;
  const from =
    q.from ??
    DateTime.fromJSDate(to, { zone: 'utc' })
      .minus({ [LUXON_UNIT[grain]]: DEFAULT_SPAN[grain] - 1 })
      .toJSDate();
  if (from >= to) throw badUserInput('"filter.from" must be before "filter.to"', [{ field: 'filter.from', message: 'must be before filter.to' }]);
  const fromDate = periodStart(from, grain);
  const periods = DateTime.fromJSDate(to, { zone: 'utc' })
    .diff(DateTime.fromISO(fromDate, { zone: 'utc' }), LUXON_UNIT[grain])
    .as(LUXON_UNIT[grain]);
  if (periods > MAX_PERIODS[grain]) {
    throw badUserInput(`A ${grain} scorecard covers at most ${MAX_PERIODS[grain]} periods; narrow "filter.from"/"filter.to" or use a longer period`, [
      { field: 'filter.from', message: `range spans more than ${MAX_PERIODS[grain]} periods` },
    ]);
  }
  return { grain, fromDate, toInstant: to };
}

/** The partners a caller may see scorecards of: all for internal callers, itself for a partner. */
export function scopePartners(identity: Identity, requested: string[] | null | undefined): string[] | null {
  const ids = requested?.map((id, i) => assertId(id, `filter.partnerIds[${i}]`)) ?? null;
  if (isInternal(identity)) return ids;
  const own = identity.partnerId;
  if (!own) return [];
  const other = ids?.find((id) => id !== own);
  if (other) throw notFound('Scorecard of partner', other);
  return [own];
}

/** A validated query: the range in SQL terms and which cells answer it. */
interface Plan {
  q: ScorecardQuery;
  grain: Grain;
  fromDate: string;
  toInstant: Date;
  now: Date;
  /** The partner-level cells (all segments and regions) suffice: no segment or region asked. */
  partnerLevel: boolean;
}

function planOf(q: ScorecardQuery, now: Date): Plan {
  const { grain, fromDate, toInstant } = resolveRange(q, now);
  const bySegmentOrRegion = q.groupBy.includes(ScorecardDimension.SEGMENT) || q.groupBy.includes(ScorecardDimension.REGION);
  return { q, grain, fromDate, toInstant, now, partnerLevel: !bySegmentOrRegion && q.segments == null && q.regions == null };
}

/** The dimensions a fetched row is grouped by. */
interface DimsRow {
  period_start: string;
  partner_id: string;
  segment: string;
  region: string;
  moment: string;
}
/** A scorecards.rollups cell as fetchFigures reads it (the counts are int columns). */
type CellRow = DimsRow &
  Record<CountColumn, number> & { accept_hist: SparseHistogram | null; complete_hist: SparseHistogram | null; propose_hist: SparseHistogram | null };
/** Stallable handoffs not due yet, per cell. */
type NotDueRow = DimsRow & { not_due: number };

type PeriodValueRow = ValueRow & { period_start: string };

/** What one fetch answers: the cells, the not-due counts, and (when asked) the value rows with the reporting currency. */
interface Figures {
  cells: CellRow[];
  notDue: NotDueRow[];
  value: { reportingCurrency: string | null; cells: PeriodValueRow[]; notDue: PeriodValueRow[] } | null;
}

/**
 * Two statements whatever the number of partners: the rollup cells of the range (a range
 * of the primary key), and the stallable handoffs whose due time is still ahead (a range of
 * handoff_facts_not_due_idx: only current work in progress), which a scorecard subtracts
 * from the cells' stallable counts. `partners` null = every partner.
 */
async function fetchFigures(db: Pick<DataSource, 'query'>, plan: Plan, partners: string[] | null): Promise<Figures> {
  const { q, grain, fromDate, toInstant, now } = plan;
  // Dates against dates, so the primary key's (grain, period_start) range does the work.
  const lastDay = periodStart(new Date(toInstant.getTime() - 1), 'DAY');
  const params: unknown[] = [grain, fromDate, lastDay];
  let where = plan.partnerLevel ? ` AND segment = '${ALL}' AND region = '${ALL}'` : ` AND segment <> '${ALL}'`;
  // The same whole periods as the cells. Instants against instants: a date would be cast
  // with the session's time zone, and that cast is not leakproof, so under row-level
  // security it could not bound the index scan.
  const end = periodEnd(periodStart(lastDay, grain), grain);
  const notDueParams: unknown[] = [PG_UNIT[grain], `${fromDate}T00:00:00Z`, `${end}T00:00:00Z`, now.toISOString()];
  let notDueWhere = '';
  const filter = (column: string, factColumn: string, values: string[] | null | undefined) => {
    if (!values) return;
    params.push(values);
    where += ` AND ${column} = ANY($${params.length})`;
    notDueParams.push(values);
    notDueWhere += ` AND ${factColumn} = ANY($${notDueParams.length})`;
  };
  filter('partner_id', 'to_partner_id', partners);
  filter('segment', 'segment', q.segments);
  filter('region', 'region', q.regions);
  filter('moment', 'moment', q.moments);
  // At partner level, segment and region are not asked: fewer groups to count and send.
  const dims = plan.partnerLevel ? `'${ALL}' AS segment, '${ALL}' AS region` : 'segment, region';

  const valueRows = q.withValue
    ? fetchValueRows(db, {
        grain,
        unit: PG_UNIT[grain],
        fromDate,
        lastPeriod: periodStart(lastDay, grain),
        endDate: end,
        now,
        partnerLevel: plan.partnerLevel,
        partners,
        segments: q.segments,
        regions: q.regions,
        moments: q.moments,
      })
    : null;
  const [cells, notDue, value]: [CellRow[], NotDueRow[], Awaited<ReturnType<typeof fetchValueRows>> | null] = await Promise.all([
    db.query(
      `SELECT period_start::text AS period_start, partner_id, segment, region, moment, ${COUNT_COLUMNS.join(', ')}, accept_hist, complete_hist, propose_hist
         FROM scorecards.rollups
        WHERE grain = $1 AND period_start >= $2::date AND period_start <= $3::date${where}`,
      params,
    ),
    // The conditions repeat handoff_facts_not_due_idx's predicate so the planner can use it.
    db.query(
      `SELECT date_trunc($1, proposed_at AT TIME ZONE 'UTC')::date::text AS period_start, to_partner_id AS partner_id, ${dims}, moment, count(*)::int AS not_due
         FROM scorecards.handoff_facts
        WHERE state IN ('PROPOSED', 'ACCEPTED') AND NOT on_hold AND last_action_at < due_at AND due_at >= $4::timestamptz
          AND proposed_at >= $2::timestamptz AND proposed_at < $3::timestamptz${notDueWhere}
        GROUP BY 1, 2, 3, 4, 5`,
      notDueParams,
    ),
    valueRows,
  ]);
  if (!value) return { cells, notDue, value: null };
  // Each value statement answers one row at least, carrying the reporting currency; one without a period holds nothing else.
  const reportingCurrency = value.cells[0]?.reporting_currency ?? null;
  const some = (rows: ValueRow[]) => rows.filter((r): r is PeriodValueRow => r.period_start !== null);
  return { cells, notDue, value: { reportingCurrency, cells: some(value.cells), notDue: some(value.notDue) } };
}

/**
 * Reads the rollup cells of the range and the handoffs not due yet (stalled = stallable −
 * not due), and merges cells into the requested groups, period totals and a grand total.
 * Histograms merge exactly, so medians and p90 roll up too.
 */
export async function queryScorecard(db: Pick<DataSource, 'query'>, identity: Identity, q: ScorecardQuery, now = new Date()): Promise<ScorecardRow[]> {
  const plan = planOf(q, now);
  const partners = scopePartners(identity, q.partnerIds);
  return assemble(plan, await fetchFigures(db, plan, partners));
}

/**
 * The scorecards of several partners under one filter (`Partner.scorecard` on a page of
 * partners), in the same two statements as one partner's: the cells of all of them are read
 * at once and split by partner, and each partner's rows are assembled exactly as
 * {@link queryScorecard} would for that partner alone. Answers in the order of
 * `partnerIds`; a partner the caller may not see (another partner's, unless internal) or
 * an invalid filter is an error in its place. `q.partnerIds` is ignored.
 */
export async function queryPartnerScorecards(
  db: Pick<DataSource, 'query'>,
  identity: Identity,
  q: ScorecardQuery,
  partnerIds: readonly string[],
  now = new Date(),
): Promise<(ScorecardRow[] | Error)[]> {
  let plan: Plan;
  try {
    plan = planOf(q, now);
  } catch (err) {
    return partnerIds.map(() => err as Error);
  }
  const answers: (ScorecardRow[] | Error | string)[] = partnerIds.map((id) => {
    try {
      // A caller with no partner sees no rows at all, as in queryScorecard.
      return scopePartners(identity, [id])?.[0] ?? [];
    } catch (err) {
      return err as Error;
    }
  });
  const allowed = [...new Set(answers.filter((a): a is string => typeof a === 'string'))];
  if (allowed.length === 0) return answers as (ScorecardRow[] | Error)[];
  const { cells, notDue, value } = await fetchFigures(db, plan, allowed);
  const split = <T extends { partner_id: string }>(rows: T[]) => {
    const by = new Map<string, T[]>(allowed.map((id) => [id, []]));
    for (const r of rows) by.get(r.partner_id)?.push(r);
    return by;
  };
  const cellsBy = split(cells);
  const notDueBy = split(notDue);
  const valueCellsBy = split(value?.cells ?? []);
  const valueNotDueBy = split(value?.notDue ?? []);
  const rowsBy = new Map(
    allowed.map((id) => [
      id,
      assemble(plan, {
        cells: cellsBy.get(id)!,
        notDue: notDueBy.get(id)!,
        value: value && { reportingCurrency: value.reportingCurrency, cells: valueCellsBy.get(id)!, notDue: valueNotDueBy.get(id)! },
      }),
    ]),
  );
  return answers.map((a) => (typeof a === 'string' ? rowsBy.get(a)! : a));
}

function assemble(plan: Plan, { cells, notDue, value }: Figures): ScorecardRow[] {
  const { q, grain, fromDate, toInstant } = plan;
  const groupBy = new Set(q.groupBy);
  const dimsOf = (r: DimsRow) => ({
    partnerId: groupBy.has(ScorecardDimension.PARTNER) ? r.partner_id : null,
    segment: groupBy.has(ScorecardDimension.SEGMENT) ? r.segment : null,
    region: groupBy.has(ScorecardDimension.REGION) ? r.region : null,
    moment: groupBy.has(ScorecardDimension.MOMENT) ? r.moment : null,
  });
  const groups = new Map<string, { period: string; dims: ReturnType<typeof dimsOf>; acc: Acc }>();
  const groupOf = (r: DimsRow) => {
    const dims = dimsOf(r);
    const period = q.collapsePeriods ? fromDate : r.period_start;
    const key = [period, dims.partnerId, dims.segment, dims.region, dims.moment].join('|');
    let g = groups.get(key);
    if (!g) {
      g = { period, dims, acc: newAcc() };
      groups.set(key, g);
    }
    return g.acc;
  };
  for (const r of cells) {
    const acc = groupOf(r);
    for (const c of COUNT_COLUMNS) acc.counts[c] += r[c];
    mergeSparse(acc.accept, r.accept_hist);
    mergeSparse(acc.complete, r.complete_hist);
    mergeSparse(acc.propose, r.propose_hist);
  }
  for (const r of notDue) groupOf(r).notDue += r.not_due;
  for (const r of value?.cells ?? []) addValueRow(groupOf(r).value, r);
  for (const r of value?.notDue ?? []) addValueRow(groupOf(r).value, r);
  const reportingCurrency = value ? value.reportingCurrency : undefined;

  // A group with dues but no handoff proposed (a partner accountable for dues that receives nothing, or the no-partner row) is a row too.
  const ordered = [...groups.values()].filter((g) => g.acc.counts.proposed > 0 || g.acc.counts.dues > 0);
  ordered.sort(
    (a, b) =>
      cmp(a.period, b.period) ||
      cmp(a.dims.partnerId, b.dims.partnerId) ||
      cmp(a.dims.segment, b.dims.segment) ||
      cmp(a.dims.region, b.dims.region) ||
      cmp(a.dims.moment, b.dims.moment),
  );

  const grouped = groupBy.size > 0;
  const endOf = (period: string) => (q.collapsePeriods ? periodEnd(periodStart(new Date(toInstant.getTime() - 1), grain), grain) : periodEnd(period, grain));
  const rows: ScorecardRow[] = [];
  const periods = [...new Set(ordered.map((g) => g.period))];
  const byPeriod = new Map<string, typeof ordered>();
  for (const g of ordered) {
    const list = byPeriod.get(g.period);
    if (list) list.push(g);
    else byPeriod.set(g.period, [g]);
  }
  const grand = newAcc();
  for (const period of periods) {
    const total = newAcc();
    for (const g of byPeriod.get(period) ?? []) {
      mergeAcc(total, g.acc);
      if (grouped) rows.push(toRow(ScorecardRowLevel.GROUP, grain, period, endOf(period), g.dims, g.acc, reportingCurrency));
    }
    mergeAcc(grand, total);
    if (!grouped || q.includeTotals) rows.push(toRow(ScorecardRowLevel.PERIOD_TOTAL, grain, period, endOf(period), null, total, reportingCurrency));
  }
  const [first] = periods;
  const last = periods.at(-1);
  if (q.includeTotals && first !== undefined && last !== undefined) {
    rows.push(toRow(ScorecardRowLevel.GRAND_TOTAL, grain, first, endOf(last), null, grand, reportingCurrency));
  }
  return rows;
}

// Plain code-unit order: ids and enum names need no locale rules, and localeCompare is slow.
const cmp = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

function toRow(
  level: ScorecardRowLevel,
  grain: Grain,
  start: string,
  end: string,
  dims: { partnerId: string | null; segment: string | null; region: string | null; moment: string | null } | null,
  acc: Acc,
  /** undefined: the value figures were not asked for. */
  reportingCurrency: string | null | undefined,
): ScorecardRow {
  const c = acc.counts;
  const rate = (count: number): CountAndRate => ({ count, rate: ratio(count, c.proposed) });
  const stalled = c.stallable - acc.notDue;
  const leaked = c.rejected + c.expired + c.cancelled + stalled;
  const neverProposed = c.np_superseded + c.np_dismissed + c.np_breached;
  // The dues nobody was accountable for are scored against NO_PARTNER: a row without a partner.
  const partnerId = dims?.partnerId && dims.partnerId !== NO_PARTNER ? dims.partnerId : null;
  return {
    level,
    period: grain as ScorecardPeriod,
    periodStart: toDateTime(start),
    periodEnd: toDateTime(end),
    partnerId,
    partner: partnerId ? { id: partnerId } : null,
    segment: (dims?.segment || null) as Segment | null,
    region: (dims?.region || null) as Region | null,
    moment: (dims?.moment || null) as HandoffMoment | null,
    proposed: c.proposed,
    accepted: c.accepted,
    completed: c.completed,
    conversion: { acceptRate: ratio(c.accepted, c.proposed), completeRate: ratio(c.completed, c.accepted), endToEndRate: ratio(c.completed, c.proposed) },
    velocity: {
      timeToAccept: { ...summarize(acc.accept), businessTimeSamples: c.accept_business },
      timeToComplete: { ...summarize(acc.complete), businessTimeSamples: c.complete_business },
      timeToPropose: { ...summarize(acc.propose), businessTimeSamples: c.propose_business },
    },
    leakage: {
      rejected: rate(c.rejected),
      expired: rate(c.expired),
      cancelled: rate(c.cancelled),
      stalled: rate(stalled),
      total: rate(leaked),
      neverProposed: {
        count: neverProposed,
        rate: ratio(neverProposed, c.dues),
        superseded: c.np_superseded,
        dismissed: c.np_dismissed,
        breached: c.np_breached,
      },
    },
    dues: { cameDue: c.dues, proposed: c.dues_proposed, proposedLate: c.dues_proposed_late, open: c.dues_open },
    sla: { handoffsUnderSla: c.under_sla, met: c.sla_met, breached: c.sla_breached, attainment: ratio(c.sla_met, c.sla_met + c.sla_breached) },
    feedback: {
      customer: { count: c.fb_customer_n, averageRating: avg(c.fb_customer_sum, c.fb_customer_n) },
      internal: { count: c.fb_internal_n, averageRating: avg(c.fb_internal_sum, c.fb_internal_n) },
      partner: { count: c.fb_partner_n, averageRating: avg(c.fb_partner_sum, c.fb_partner_n) },
      repeatedInformationRate: ratio(c.fb_repeat, c.fb_any),
      allSidesRate: ratio(c.fb_all_sides, c.proposed),
    },
    playbookCoverage: ratio(c.under_playbook, c.proposed),
    requiredDataCompleteness: ratio(c.data_complete, c.proposed),
    ...(reportingCurrency !== undefined ? { value: toValue(acc.value, reportingCurrency) } : {}),
  };
}
