import type { Express, Request, Response } from 'express';
import type { DataSource } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { csvCaller, queryList, queryParam, refuseError, streamCsvExport, type CsvCell } from '../../../../shared/csv/csv-http';
import { withTenant } from '../../../../shared/db/tenant-context';
import { badUserInput } from '../../../../shared/errors';
import type { Logger } from '../../../../shared/logger';
import { HandoffMoment, Region, ScorecardDimension, ScorecardPeriod, Segment } from '../entities/enums';
import type { ScorecardRow } from '../entities/scorecard-row.type';
import { queryScorecard, type ScorecardQuery } from '../services/scorecard-query';

export const SCORECARD_EXPORT_PATH = '/export/scorecard.csv';

/** The scorecard export's columns: ScorecardRow flattened (docs/csv.md). Rates are 0–1, durations seconds, money in the reporting currency. */
export const SCORECARD_EXPORT_COLUMNS = [
  'level',
  'period',
  'periodStart',
  'periodEnd',
  'partnerId',
  'segment',
  'region',
  'moment',
  'proposed',
  'accepted',
  'completed',
  'conversion.acceptRate',
  'conversion.completeRate',
  'conversion.endToEndRate',
  'velocity.timeToAccept.medianSeconds',
  'velocity.timeToAccept.p90Seconds',
  'velocity.timeToComplete.medianSeconds',
  'velocity.timeToComplete.p90Seconds',
  'leakage.rejected',
  'leakage.expired',
  'leakage.cancelled',
  'leakage.stalled',
  'leakage.total',
  'leakage.neverProposed',
  'sla.handoffsUnderSla',
  'sla.met',
  'sla.breached',
  'sla.attainment',
  'feedback.customer.averageRating',
  'feedback.internal.averageRating',
  'feedback.partner.averageRating',
  'playbookCoverage',
  'requiredDataCompleteness',
  'value.currency',
  'value.proposed',
  'value.accepted',
  'value.completed',
  'value.leaked',
  'value.revenueAtRisk',
] as const;

const enumList = <E extends Record<string, string>>(values: E, name: string, list: string[] | undefined): E[keyof E][] | undefined => {
  if (!list) return undefined;
  const allowed = Object.values(values) as string[];
  const bad = list.filter((v) => !allowed.includes(v));
  if (bad.length > 0) throw badUserInput(`${name}: unknown ${bad.join(', ')} (one of ${allowed.join(', ')})`, [{ field: name, message: 'unknown value' }]);
  return list as E[keyof E][];
};

const date = (req: Request, name: string): Date | undefined => {
  const v = queryParam(req, name);
  if (v === undefined) return undefined;
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) throw badUserInput(`${name} must be an ISO-8601 date or time, e.g. 2026-01-01`, [{ field: name, message: 'not a date' }]);
  return d;
};

const bool = (req: Request, name: string, fallback: boolean): boolean => {
  const v = queryParam(req, name);
  if (v === undefined) return fallback;
  if (v !== 'true' && v !== 'false') throw badUserInput(`${name} must be true or false`, [{ field: name, message: 'not a boolean' }]);
  return v === 'true';
};

/**
 * The query parameters as ScorecardFilter (same names and defaults): `period`, `from`, `to`,
 * `partner` (or `partnerIds`), `segment`, `region`, `moment`, `groupBy` (lists repeated or
 * comma-separated), `includeTotals`, `collapsePeriods`.
 */
export function scorecardQueryFrom(req: Request): ScorecardQuery {
  const period = queryParam(req, 'period') ?? ScorecardPeriod.QUARTER;
  if (!(Object.values(ScorecardPeriod) as string[]).includes(period)) {
    throw badUserInput(`period must be one of ${Object.values(ScorecardPeriod).join(', ')}`, [{ field: 'period', message: 'unknown period' }]);
  }
  return {
    period: period as ScorecardPeriod,
    from: date(req, 'from'),
    to: date(req, 'to'),
    partnerIds: queryList(req, 'partner') ?? queryList(req, 'partnerIds'),
    segments: enumList(Segment, 'segment', queryList(req, 'segment')),
    regions: enumList(Region, 'region', queryList(req, 'region')),
    moments: enumList(HandoffMoment, 'moment', queryList(req, 'moment')),
    groupBy: enumList(ScorecardDimension, 'groupBy', queryList(req, 'groupBy')) ?? [ScorecardDimension.PARTNER, ScorecardDimension.MOMENT],
    includeTotals: bool(req, 'includeTotals', true),
    collapsePeriods: bool(req, 'collapsePeriods', false),
    withValue: true,
  };
}

const recordOf = (r: ScorecardRow): CsvCell[] => [
  r.level,
  r.period,
  r.periodStart,
  r.periodEnd,
  r.partnerId,
  r.segment,
  r.region,
  r.moment,
  r.proposed,
  r.accepted,
  r.completed,
  r.conversion.acceptRate,
  r.conversion.completeRate,
  r.conversion.endToEndRate,
  r.velocity.timeToAccept.medianSeconds,
  r.velocity.timeToAccept.p90Seconds,
  r.velocity.timeToComplete.medianSeconds,
  r.velocity.timeToComplete.p90Seconds,
  r.leakage.rejected.count,
  r.leakage.expired.count,
  r.leakage.cancelled.count,
  r.leakage.stalled.count,
  r.leakage.total.count,
  r.leakage.neverProposed.count,
  r.sla.handoffsUnderSla,
  r.sla.met,
  r.sla.breached,
  r.sla.attainment,
  r.feedback.customer.averageRating,
  r.feedback.internal.averageRating,
  r.feedback.partner.averageRating,
  r.playbookCoverage,
  r.requiredDataCompleteness,
  r.value?.reportingCurrency,
  r.value?.proposed,
  r.value?.accepted,
  r.value?.completed,
  r.value?.leakage.total,
  r.value?.revenueAtRisk,
];

/** The rows `scorecard(filter)` returns to this caller (a partner its own; internal teams all), one page. */
async function* scorecardPages(db: DataSource, identity: Identity, q: ScorecardQuery): AsyncGenerator<CsvCell[][]> {
  const rows = await queryScorecard(db, identity, q);
  yield rows.map(recordOf);
}

/** The scorecard export, beside /graphql; only the gateway reaches it, with the caller's signed identity. */
export function mountScorecardCsvRoutes(app: Express, opts: { db: DataSource; identitySecret: string; log: Logger }): void {
  app.get(SCORECARD_EXPORT_PATH, (req: Request, res: Response) => {
    // scorecard itself needs only a credential (no scope), so its export does too.
    const identity = csvCaller(req, res, opts.identitySecret);
    if (!identity) return;
    let q: ScorecardQuery;
    try {
      q = scorecardQueryFrom(req);
    } catch (err) {
      return refuseError(res, err, opts.log);
    }
    return withTenant(identity, () => streamCsvExport(res, 'scorecard.csv', SCORECARD_EXPORT_COLUMNS, scorecardPages(opts.db, identity, q), opts.log));
  });
}
