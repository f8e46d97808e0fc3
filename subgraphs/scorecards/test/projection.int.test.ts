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
import { PROJECTED_EVENT_TYPES, projectEvents } from '../src/services/projection';
import { DUE_EVENT_TYPES, NO_PARTNER } from '../src/services/due-fact';
import { assessMaturity } from '../src/services/maturity';
import { readEvents, START_POSITION } from '../../../shared/eventlog/event-log';
import { A, appendHistory, B, C1, dueHistory, fixedHistory, RATES_V1, VALUE_CELLS_SQL, VALUE_ROLLUPS_SQL, valueHistory } from './fixtures';
import { createExchangeRatesConsumer } from '../src/consumers/exchange-rates.consumer';

const Q1: ScorecardQuery = {
  period: ScorecardPeriod.QUARTER,
  from: new Date('2024-01-01T00:00:00Z'),
  to: new Date('2024-04-01T00:00:00Z'),
  groupBy: [ScorecardDimension.PARTNER],
  includeTotals: true,
};
const Q1_2025: ScorecardQuery = { ...Q1, from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z') };
const INTERNAL = internalIdentity('00000000-0000-4000-8000-000000000001');
// valueHistory is in Q3 2024, apart from the quarters whose figures these tests work out; its rates come after its handoffs.
const history = () => [...fixedHistory(), ...dueHistory(), ...valueHistory(), RATES_V1];

describe('scorecards projection', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 3));
    await appendHistory(db, history());
    // Small batches: a handoff's events land in different transactions of the consumer.
    const consumer = createProjectionConsumer({ dataSource: db, log: createLogger('t', 'silent'), batchSize: 3 });
    await consumer.drain();
    await createExchangeRatesConsumer({ dataSource: db, log: createLogger('t', 'silent') }).drain();
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
    const neverProposed = { count: 0, rate: null, superseded: 0, dismissed: 0, breached: 0 };
    expect(a.leakage).toEqual({ rejected: r(1), expired: r(1), cancelled: r(1), stalled: r(1), total: r(4), neverProposed });
    expect(a.dues).toEqual({ cameDue: 0, proposed: 0, proposedLate: 0, open: 0 });
    expect(a.velocity.timeToPropose).toEqual({ samples: 0, businessTimeSamples: 0, medianSeconds: null, p90Seconds: null, meanSeconds: null });
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
      dues: await db.query(`SELECT * FROM scorecards.due_facts ORDER BY id`),
      customers: await db.query(`SELECT * FROM scorecards.customers ORDER BY id`),
      rollups: await db.query(
        `SELECT * FROM scorecards.rollups WHERE proposed <> 0 OR dues <> 0 ORDER BY grain, period_start, partner_id, segment, region, moment`,
      ),
      // Converted as the rates came (after the handoffs) incrementally; at the rates in force when rebuilt.
      valueCells: await db.query(VALUE_CELLS_SQL),
      valueRollups: await db.query(VALUE_ROLLUPS_SQL),
    });
    const incremental = await snapshot();
    const before = await queryScorecard(db, INTERNAL, Q1);
    expect(incremental.rollups.length).toBeGreaterThan(0);
    expect(incremental.dues).toHaveLength(13);
    expect(incremental.valueRollups.length).toBeGreaterThan(0);
    const dues2025 = await queryScorecard(db, INTERNAL, Q1_2025);
    const Q3_2024 = { ...Q1, from: new Date('2024-07-01T00:00:00Z'), to: new Date('2024-10-01T00:00:00Z'), withValue: true };
    const values = await queryScorecard(db, INTERNAL, Q3_2024);
    expect(values.find((r) => r.level === 'GRAND_TOTAL')!.value).toMatchObject({ reportingCurrency: 'EUR', proposed: '2291.01' });
    const replayed = await rebuildProjection(db, { batchSize: 7 });
    // SlaDueClockStarted is not folded: nothing scorecards shows depends on a PROPOSE clock until it stops or breaches.
    expect(replayed).toBe(history().filter((e) => PROJECTED_EVENT_TYPES.includes(e.type)).length);
    expect(await snapshot()).toEqual(incremental);
    expect(await queryScorecard(db, INTERNAL, Q1)).toEqual(before);
    expect(await queryScorecard(db, INTERNAL, Q1_2025)).toEqual(dues2025);
    expect(await queryScorecard(db, INTERNAL, Q3_2024)).toEqual(values);
  });

  describe('handoffs that came due', () => {
    it('scores each due against its accountable partner: never proposed once, by how it stands, and the time to propose', async () => {
      const rows = await queryScorecard(db, INTERNAL, Q1_2025);
      const a = rows.find((r) => r.partnerId === A)!;
      expect(a).toMatchObject({ level: 'GROUP', proposed: 0, dues: { cameDue: 8, proposed: 3, proposedLate: 1, open: 2 } });
      // d4 superseded; d5 breached then dismissed and d10 dismissed; d6 open past its breach.
      // d3 breached and was proposed later: late, not leaked.
      expect(a.leakage.neverProposed).toEqual({ count: 4, rate: 0.5, superseded: 1, dismissed: 2, breached: 1 });
      expect(a.leakage.total).toEqual({ count: 0, rate: null });
      // d1 14400 s wall; d2 3600 and d3 43200 business seconds from their PROPOSE clocks.
      expect(a.velocity.timeToPropose).toEqual({ samples: 3, businessTimeSamples: 2, medianSeconds: 14400, p90Seconds: 43200, meanSeconds: 20400 });
      const b = rows.find((r) => r.partnerId === B)!;
      expect(b.dues).toEqual({ cameDue: 1, proposed: 1, proposedLate: 0, open: 0 });
      expect(b.velocity.timeToPropose).toMatchObject({ samples: 1, businessTimeSamples: 0, medianSeconds: 172800 });
      // d9: a customer held directly, no team accountable: a row without a partner.
      const nobody = rows.filter((r) => r.level === 'GROUP' && r.partnerId === null);
      expect(nobody).toHaveLength(1);
      expect(nobody[0]).toMatchObject({ partner: null, dues: { cameDue: 1 }, leakage: { neverProposed: { count: 1, rate: 1, superseded: 1 } } });
      const grand = rows.find((r) => r.level === 'GRAND_TOTAL')!;
      expect(grand.dues).toEqual({ cameDue: 10, proposed: 4, proposedLate: 1, open: 2 });
      expect(grand.leakage.neverProposed).toEqual({ count: 5, rate: 0.5, superseded: 2, dismissed: 2, breached: 1 });
      // samples [3600, 14400, 43200, 172800]: median = 2nd, p90 = 4th
      expect(grand.velocity.timeToPropose).toMatchObject({ samples: 4, businessTimeSamples: 2, medianSeconds: 14400, p90Seconds: 172800 });
    });

    it('weighs the dues a partner was accountable for in its maturity: never proposed, and the median time to propose', async () => {
      const m = await assessMaturity(db, A, new Date('2025-04-15T00:00:00Z'));
      const evidence = (dimension: string) => m.dimensions.find((d) => d.dimension === dimension)!.evidence[1];
      // A's 8 dues of the quarter: 4 never proposed; proposed in 14400, 3600 and 43200 s (median 4 h).
      expect(evidence('HANDOFF_DESIGN')).toMatchObject({ value: 0.5, sampleSize: 8, comparison: 'AT_MOST', stage: 1, counts: true });
      expect(m.dimensions.find((d) => d.dimension === 'HANDOFF_DESIGN')!.stage).toBe(1);
      // Three proposed dues are below the minimum sample: the figure is shown and does not count.
      expect(evidence('DATA_AND_SYSTEMS')).toMatchObject({ value: 4, sampleSize: 3, counts: false });
      // B was accountable for one due only: not judged on it.
      const b = await assessMaturity(db, B, new Date('2025-04-15T00:00:00Z'));
      expect(b.dimensions.find((d) => d.dimension === 'HANDOFF_DESIGN')!.evidence[1]).toMatchObject({ value: 0, sampleSize: 1, counts: false });
      // Outside the window nothing is counted.
      const later = await assessMaturity(db, A, new Date('2026-01-01T00:00:00Z'));
      expect(later.dimensions.find((d) => d.dimension === 'HANDOFF_DESIGN')!.evidence[1]).toMatchObject({ value: null, sampleSize: 0 });
    });

    it('counts dues in the period of their stage move, by the segment and region the customer had when they opened', async () => {
      const bySegment = await queryScorecard(db, INTERNAL, {
        ...Q1_2025,
        groupBy: [ScorecardDimension.SEGMENT, ScorecardDimension.REGION],
        includeTotals: false,
      });
      expect(bySegment.map((r) => [r.segment, r.region, r.dues.cameDue, r.leakage.neverProposed.count])).toEqual([
        [null, null, 1, 1], // d9: C3, never seen in a customer event
        ['ENTERPRISE', 'EMEA', 1, 0],
        ['MID_MARKET', 'NA', 1, 1], // d10 opened after C1 moved to MID_MARKET
        ['SMB', 'NA', 7, 3], // d1–d7 stay SMB
      ]);
      const [c1] = await db.query(`SELECT segment, region FROM scorecards.customers WHERE id = $1`, [C1]);
      expect(c1).toEqual({ segment: 'MID_MARKET', region: 'NA' });
      const months = await queryScorecard(db, INTERNAL, {
        ...Q1_2025,
        period: ScorecardPeriod.MONTH,
        groupBy: [ScorecardDimension.MOMENT],
        includeTotals: false,
      });
      expect(months.map((r) => [r.periodStart.toISOString().slice(0, 7), r.moment, r.dues.cameDue, r.dues.proposed])).toEqual([
        ['2025-01', 'CLOSED_WON_TO_ONBOARDING', 7, 3],
        ['2025-02', 'CLOSED_WON_TO_ONBOARDING', 2, 1],
        ['2025-03', 'CLOSED_WON_TO_ONBOARDING', 1, 0],
      ]);
    });

    it('shows a partner the dues it was accountable for only, and never the no-partner row', async () => {
      const rows = await queryScorecard(db, partnerIdentity(A), Q1_2025);
      expect(rows.filter((r) => r.level === 'GROUP').map((r) => r.partnerId)).toEqual([A]);
      expect(rows.find((r) => r.level === 'GRAND_TOTAL')!.dues.cameDue).toBe(8);
      const asB = await queryScorecard(db, partnerIdentity(B), Q1_2025);
      expect(asB.find((r) => r.level === 'GRAND_TOTAL')!.dues.cameDue).toBe(1);
      await expect(queryScorecard(db, partnerIdentity(A), { ...Q1_2025, partnerIds: [NO_PARTNER] })).rejects.toMatchObject({
        extensions: { code: 'NOT_FOUND' },
      });
    });

    it('applies each event once: a second instance of the consumer and the same events handed again change nothing', async () => {
      const tables = async () => ({
        dues: await db.query(`SELECT * FROM scorecards.due_facts ORDER BY id`),
        rollups: await db.query(`SELECT * FROM scorecards.rollups WHERE dues <> 0 ORDER BY grain, period_start, partner_id, segment, region, moment`),
      });
      const before = await tables();
      await createProjectionConsumer({ dataSource: db, log: createLogger('t', 'silent') }).drain();
      expect(await tables()).toEqual(before);
      // A batch handed twice (the durable consumer never does; the fold holds anyway): a closed due stays closed.
      const dueEvents = (await readEvents(db.manager, { after: START_POSITION, limit: 1000, types: DUE_EVENT_TYPES })).filter(
        (e) => e.type === 'HandoffDueOpened',
      );
      await db.transaction((m) => projectEvents(dueEvents, m));
      const after = await tables();
      expect(after.dues.filter((r: { state: string }) => r.state === 'OPEN')).toHaveLength(2);
      expect(after).toEqual(before);
    });
  });
});
