import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity } from '../../../test/support/subgraph-client';
import { createScorecardsDataSource } from '../src/data-source';
import { ScorecardDimension, ScorecardPeriod, Segment } from '../src/entities/enums';
import { createProjectionConsumer, rebuildProjection } from '../src/consumers/projection.consumer';
import { queryScorecard, type ScorecardQuery } from '../src/services/scorecard-query';
import { A, appendHistory, B, fixedHistory } from './fixtures';

const Q1: ScorecardQuery = {
  period: ScorecardPeriod.QUARTER,
  from: new Date('2024-01-01T00:00:00Z'),
  to: new Date('2024-04-01T00:00:00Z'),
  groupBy: [ScorecardDimension.PARTNER],
  includeTotals: true,
};
const INTERNAL = internalIdentity('00000000-0000-4000-8000-000000000001');

describe('scorecards projection', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 3));
    await appendHistory(db, fixedHistory());
    // Small batches: a handoff's events land in different transactions of the consumer.
    const consumer = createProjectionConsumer({ dataSource: db, log: createLogger('t', 'silent'), batchSize: 3 });
    await consumer.drain();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('computes every figure of a partner’s quarter as worked out by hand', async () => {
    const rows = await queryScorecard(db, INTERNAL, Q1);
    const a = rows.find((r) => r.partnerId === A)!;
    expect(a).toMatchObject({ level: 'GROUP', period: 'QUARTER', proposed: 7, accepted: 3, completed: 2 });
    expect(a.periodStart.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(a.periodEnd.toISOString()).toBe('2024-04-01T00:00:00.000Z');
    expect(a.conversion).toEqual({ acceptRate: 0.4286, completeRate: 0.6667, endToEndRate: 0.2857 });
    // accept samples: h1 1800 (business), h2 14400 (wall), h4 36000 (business)
    expect(a.velocity.timeToAccept).toEqual({ samples: 3, businessTimeSamples: 2, medianSeconds: 14400, p90Seconds: 36000, meanSeconds: 17400 });
    // complete samples: h1 48 h, h2 72 h (wall)
    expect(a.velocity.timeToComplete).toEqual({ samples: 2, businessTimeSamples: 0, medianSeconds: 172800, p90Seconds: 259200, meanSeconds: 216000 });
    const r = (count: number) => ({ count, rate: Math.round((count / 7) * 10000) / 10000 });
    expect(a.leakage).toEqual({ rejected: r(1), expired: r(1), cancelled: r(1), stalled: r(1), total: r(4) });
    expect(a.sla).toEqual({ handoffsUnderSla: 2, met: 1, breached: 1, attainment: 0.5 });
    expect(a.feedback).toEqual({
      customer: { count: 2, averageRating: 4.5 },
      internal: { count: 1, averageRating: 4 },
      partner: { count: 1, averageRating: 3 },
      repeatedInformationRate: 0.5,
      allSidesRate: 0.1429,
    });
    expect(a.playbookCoverage).toBe(0);
    expect(a.requiredDataCompleteness).toBe(1);
  });

  it('uses business time for completion where the SLA clock measured it, and rolls totals up', async () => {
    const rows = await queryScorecard(db, INTERNAL, Q1);
    const b = rows.find((r) => r.partnerId === B)!;
    expect(b.velocity.timeToAccept).toMatchObject({ samples: 1, businessTimeSamples: 0, medianSeconds: 1800 });
    expect(b.velocity.timeToComplete).toMatchObject({ samples: 1, businessTimeSamples: 1, medianSeconds: 30000 });
    expect(b.sla).toEqual({ handoffsUnderSla: 1, met: 1, breached: 0, attainment: 1 });
    const total = rows.find((r) => r.level === 'PERIOD_TOTAL')!;
    const grand = rows.find((r) => r.level === 'GRAND_TOTAL')!;
    expect(total).toMatchObject({ partnerId: null, proposed: 8, accepted: 4, completed: 3 });
    // accept samples [1800, 1800, 14400, 36000]: median = 2nd, p90 = 4th
    expect(total.velocity.timeToAccept).toMatchObject({ samples: 4, medianSeconds: 1800, p90Seconds: 36000 });
    expect(grand).toMatchObject({ proposed: 8, accepted: 4, completed: 3, leakage: expect.objectContaining({ stalled: { count: 1, rate: 0.125 } }) });
    expect(rows.map((r) => r.level)).toEqual(['GROUP', 'GROUP', 'PERIOD_TOTAL', 'GRAND_TOTAL']);
  });

  it('counts a handoff as stalled only once its due time has passed, at partner level and by segment', async () => {
    // h6 (proposed 15 Jan 09:00, no clock, no action since) is due 2 days later.
    const due = Date.parse('2024-01-17T09:00:00.000Z');
    const stalledOfA = async (now: number, groupBy: ScorecardDimension[]) => {
      const rows = await queryScorecard(db, INTERNAL, { ...Q1, groupBy }, new Date(now));
      return rows.find((r) => r.level === 'GRAND_TOTAL')!.leakage.stalled.count;
    };
    for (const groupBy of [[ScorecardDimension.PARTNER], [ScorecardDimension.SEGMENT, ScorecardDimension.REGION]]) {
      expect(await stalledOfA(due - 86400_000, groupBy)).toBe(0);
      expect(await stalledOfA(due, groupBy)).toBe(0);
      expect(await stalledOfA(due + 1, groupBy)).toBe(1);
    }
    const before = await queryScorecard(db, partnerIdentity(A), { ...Q1, groupBy: [ScorecardDimension.MOMENT] }, new Date(due));
    expect(before.find((r) => r.moment === 'MQL_TO_SQL')!.leakage).toMatchObject({ stalled: { count: 0, rate: 0 }, total: { count: 3 } });
  });

  it('combines filters, group-bys and periods', async () => {
    const months = await queryScorecard(db, INTERNAL, {
      ...Q1,
      period: ScorecardPeriod.MONTH,
      groupBy: [ScorecardDimension.SEGMENT, ScorecardDimension.MOMENT],
      includeTotals: false,
    });
    expect(months.map((r) => [r.periodStart.toISOString().slice(0, 7), r.segment, r.moment, r.proposed])).toEqual([
      ['2024-01', 'SMB', 'MQL_TO_SQL', 7],
      ['2024-02', 'ENTERPRISE', 'DIRECT_TO_PARTNER', 1],
    ]);
    const enterprise = await queryScorecard(db, INTERNAL, { ...Q1, segments: [Segment.ENTERPRISE], groupBy: [] });
    expect(enterprise.map((r) => [r.level, r.proposed])).toEqual([
      ['PERIOD_TOTAL', 1],
      ['GRAND_TOTAL', 1],
    ]);
    const weeks = await queryScorecard(db, INTERNAL, {
      ...Q1,
      period: ScorecardPeriod.WEEK,
      partnerIds: [A],
      groupBy: [ScorecardDimension.PARTNER],
      includeTotals: false,
    });
    // ISO weeks start on Monday: 8 Jan (h1–h5) and 15 Jan (h6, h7).
    expect(weeks.map((r) => [r.periodStart.toISOString().slice(0, 10), r.proposed])).toEqual([
      ['2024-01-08', 5],
      ['2024-01-15', 2],
    ]);
    const collapsed = await queryScorecard(db, INTERNAL, {
      ...Q1,
      period: ScorecardPeriod.MONTH,
      groupBy: [ScorecardDimension.MOMENT],
      includeTotals: false,
      collapsePeriods: true,
    });
    expect(collapsed.map((r) => [r.periodStart.toISOString().slice(0, 10), r.periodEnd.toISOString().slice(0, 10), r.moment, r.proposed])).toEqual([
      ['2024-01-01', '2024-04-01', 'DIRECT_TO_PARTNER', 1],
      ['2024-01-01', '2024-04-01', 'MQL_TO_SQL', 7],
    ]);
  });

  it('shows a partner its own rows only and hides the others as not found', async () => {
    const rows = await queryScorecard(db, partnerIdentity(A), Q1);
    expect(rows.filter((r) => r.level === 'GROUP').map((r) => r.partnerId)).toEqual([A]);
    expect(rows.find((r) => r.level === 'GRAND_TOTAL')!.proposed).toBe(7);
    await expect(queryScorecard(db, partnerIdentity(A), { ...Q1, partnerIds: [B] })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });

  it('refuses a reversed or oversized range with BAD_USER_INPUT naming the field', async () => {
    await expect(queryScorecard(db, INTERNAL, { ...Q1, from: Q1.to, to: Q1.from })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'filter.from' }] },
    });
    await expect(queryScorecard(db, INTERNAL, { ...Q1, period: ScorecardPeriod.DAY, from: new Date('2020-01-01T00:00:00Z') })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await expect(queryScorecard(db, INTERNAL, { ...Q1, partnerIds: ['nope'] })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('gives exactly the same tables when rebuilt from the log as incrementally', async () => {
    const snapshot = async () => ({
      facts: await db.query(`SELECT * FROM scorecards.handoff_facts ORDER BY id`),
      rollups: await db.query(`SELECT * FROM scorecards.rollups WHERE proposed <> 0 ORDER BY grain, period_start, partner_id, segment, region, moment`),
    });
    const incremental = await snapshot();
    const before = await queryScorecard(db, INTERNAL, Q1);
    expect(incremental.rollups.length).toBeGreaterThan(0);
    const replayed = await rebuildProjection(db, { batchSize: 7 });
    expect(replayed).toBe(fixedHistory().length);
    expect(await snapshot()).toEqual(incremental);
    expect(await queryScorecard(db, INTERNAL, Q1)).toEqual(before);
  });
});
