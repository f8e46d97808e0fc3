import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { ScorecardDimension, ScorecardPeriod, type HandoffMoment, type Region, type Segment } from '../entities/enums';
import { ScorecardRowLevel, type CountAndRate, type ScorecardRow } from '../entities/scorecard-row.type';
import { COUNT_COLUMNS, type CountColumn } from './handoff-fact';
import { emptyHistogram, mergeSparse, summarize, type Histogram, type SparseHistogram } from './histogram';
import { periodEnd, periodStart, toDateTime, type Grain } from './periods';

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
}

const DEFAULT_SPAN: Record<Grain, number> = { DAY: 30, WEEK: 12, MONTH: 6, QUARTER: 4 };
const MAX_PERIODS: Record<Grain, number> = { DAY: 400, WEEK: 260, MONTH: 120, QUARTER: 40 };
const LUXON_UNIT = { DAY: 'days', WEEK: 'weeks', MONTH: 'months', QUARTER: 'quarters' } as const;
const PG_UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' } as const;

interface Acc {
  counts: Record<CountColumn, number>;
  stalled: number;
  accept: Histogram;
  complete: Histogram;
}

const newAcc = (): Acc => ({ counts: Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as Record<CountColumn, number>, stalled: 0, accept: emptyHistogram(), complete: emptyHistogram() });

function mergeAcc(into: Acc, from: Acc) {
  for (const c of COUNT_COLUMNS) into.counts[c] += from.counts[c];
  into.stalled += from.stalled;
  if (from.counts.accepted === 0 && from.counts.completed === 0) return;
  for (let i = 0; i < from.accept.counts.length; i++) {
    into.accept.counts[i] += from.accept.counts[i];
    into.accept.sums[i] += from.accept.sums[i];
    into.complete.counts[i] += from.complete.counts[i];
    into.complete.sums[i] += from.complete.sums[i];
  }
}

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);
const avg = (sum: number, n: number) => (n > 0 ? Math.round((sum / n) * 100) / 100 : null);

/** Checks the range and the caller's right to the partners named; returns the SQL-ready range. */
export function resolveRange(q: ScorecardQuery, now = new Date()): { grain: Grain; fromDate: string; toInstant: Date } {
  const grain = q.period as Grain;
  const to = q.to ?? now;
  const from = q.from ?? DateTime.fromJSDate(to, { zone: 'utc' }).minus({ [LUXON_UNIT[grain]]: DEFAULT_SPAN[grain] - 1 }).toJSDate();
  if (from >= to) throw badUserInput('"filter.from" must be before "filter.to"', [{ field: 'filter.from', message: 'must be before filter.to' }]);
  const fromDate = periodStart(from, grain);
  const periods = DateTime.fromJSDate(to, { zone: 'utc' }).diff(DateTime.fromISO(fromDate, { zone: 'utc' }), LUXON_UNIT[grain]).as(LUXON_UNIT[grain]);
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

/**
 * Reads the rollup cells of the range (one indexed range scan), adds the stalled counts of
 * the open handoffs (a partial index), and merges cells into the requested groups, period
 * totals and a grand total. Histograms merge exactly, so medians and p90 roll up too.
 */
export async function queryScorecard(db: Pick<DataSource, 'query'>, identity: Identity, q: ScorecardQuery, now = new Date()): Promise<ScorecardRow[]> {
  const { grain, fromDate, toInstant } = resolveRange(q, now);
  const partners = scopePartners(identity, q.partnerIds);
  // Dates against dates, so the primary key's (grain, period_start) range does the work.
  const lastDay = periodStart(new Date(toInstant.getTime() - 1), 'DAY');
  const params: unknown[] = [grain, fromDate, toInstant.toISOString()];
  let where = '';
  const stalledParams: unknown[] = [PG_UNIT[grain], fromDate, toInstant.toISOString(), now.toISOString()];
  let stalledWhere = '';
  const filter = (column: string, factColumn: string, values: string[] | null | undefined) => {
    if (!values) return;
    params.push(values);
    where += ` AND ${column} = ANY($${params.length})`;
    stalledParams.push(values);
    stalledWhere += ` AND ${factColumn} = ANY($${stalledParams.length})`;
  };
  filter('partner_id', 'to_partner_id', partners);
  filter('segment', 'segment', q.segments);
  filter('region', 'region', q.regions);
  filter('moment', 'moment', q.moments);

  const [cells, stalled]: [Record<string, any>[], Record<string, any>[]] = await Promise.all([
    db.query(
      `SELECT period_start::text AS period_start, partner_id, segment, region, moment, ${COUNT_COLUMNS.join(', ')}, accept_hist, complete_hist
         FROM scorecards.rollups
        WHERE grain = $1 AND period_start >= $2::date AND period_start <= $3::date${where}`,
      [params[0], params[1], lastDay, ...params.slice(3)],
    ),
    db.query(
      `SELECT date_trunc($1, proposed_at AT TIME ZONE 'UTC')::date::text AS period_start, to_partner_id AS partner_id, segment, region, moment, count(*)::int AS stalled
         FROM scorecards.handoff_facts
        WHERE state IN ('PROPOSED', 'ACCEPTED') AND NOT on_hold AND due_at < $4::timestamptz AND last_action_at < due_at
          AND proposed_at >= $2::date AND proposed_at < $3::timestamptz${stalledWhere}
        GROUP BY 1, 2, 3, 4, 5`,
      stalledParams,
    ),
  ]);

  const groupBy = new Set(q.groupBy);
  const dimsOf = (r: Record<string, any>) => ({
    partnerId: groupBy.has(ScorecardDimension.PARTNER) ? (r.partner_id as string) : null,
    segment: groupBy.has(ScorecardDimension.SEGMENT) ? (r.segment as string) : null,
    region: groupBy.has(ScorecardDimension.REGION) ? (r.region as string) : null,
    moment: groupBy.has(ScorecardDimension.MOMENT) ? (r.moment as string) : null,
  });
  const groups = new Map<string, { period: string; dims: ReturnType<typeof dimsOf>; acc: Acc }>();
  const groupOf = (r: Record<string, any>) => {
    const dims = dimsOf(r);
    const period = q.collapsePeriods ? fromDate : (r.period_start as string);
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
    mergeSparse(acc.accept, r.accept_hist as SparseHistogram);
    mergeSparse(acc.complete, r.complete_hist as SparseHistogram);
  }
  for (const r of stalled) groupOf(r).stalled += r.stalled;

  const ordered = [...groups.values()].filter((g) => g.acc.counts.proposed > 0 || g.acc.stalled > 0);
  ordered.sort((a, b) => cmp(a.period, b.period) || cmp(a.dims.partnerId, b.dims.partnerId) || cmp(a.dims.segment, b.dims.segment) || cmp(a.dims.region, b.dims.region) || cmp(a.dims.moment, b.dims.moment));

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
      if (grouped) rows.push(toRow(ScorecardRowLevel.GROUP, grain, period, endOf(period), g.dims, g.acc));
    }
    mergeAcc(grand, total);
    if (!grouped || q.includeTotals) rows.push(toRow(ScorecardRowLevel.PERIOD_TOTAL, grain, period, endOf(period), null, total));
  }
  if (q.includeTotals && periods.length > 0) {
    rows.push(toRow(ScorecardRowLevel.GRAND_TOTAL, grain, periods[0], endOf(periods[periods.length - 1]), null, grand));
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
): ScorecardRow {
  const c = acc.counts;
  const rate = (count: number): CountAndRate => ({ count, rate: ratio(count, c.proposed) });
  const leaked = c.rejected + c.expired + c.cancelled + acc.stalled;
  return {
    level,
    period: grain as ScorecardPeriod,
    periodStart: toDateTime(start),
    periodEnd: toDateTime(end),
    partnerId: dims?.partnerId ?? null,
    partner: dims?.partnerId ? { id: dims.partnerId } : null,
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
    },
    leakage: { rejected: rate(c.rejected), expired: rate(c.expired), cancelled: rate(c.cancelled), stalled: rate(acc.stalled), total: rate(leaked) },
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
  };
}
