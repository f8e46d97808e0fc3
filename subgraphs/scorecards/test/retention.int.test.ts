import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { countQueries, totalQueryCount } from '../../../shared/db/query-counter';
import { createLogger } from '../../../shared/logger';
import { readEvents, START_POSITION } from '../../../shared/eventlog/event-log';
import { GROSS_MARGIN_SET } from '../../../shared/eventlog/events';
import { firstError } from '../../../test/support/graphql-client';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createScorecardsDataSource } from '../src/data-source';
import { Region, Segment } from '../src/entities/enums';
import { RetentionDimension } from '../src/entities/retention-dimension';
import type { RevenueRetentionRow } from '../src/entities/retention.type';
import { createRetentionConsumer, rebuildRetention } from '../src/consumers/retention.consumer';
import { createScorecardsServer, type ScorecardsServer } from '../src/server';
import { queryLifetimeValue, setGrossMargin } from '../src/services/lifetime-value';
import { assessMaturity } from '../src/services/maturity';
import { fetchHistories, queryRevenueRetention, type RetentionQuery } from '../src/services/retention';
import { addCustomerCells, replaceCells } from '../src/services/retention-cells';
import { A, B } from './fixtures';
import { appendDatedHistory, P3, revenueHistory } from './retention-fixtures';

const INTERNAL = internalIdentity('00000000-0000-4000-8000-000000000001');
const Q1: RetentionQuery = { quarter: '2025-Q1', groupBy: [RetentionDimension.PARTNER] };
const eur = (amount: string) => ({ amount, currency: 'EUR' });
const usd = (amount: string) => ({ amount, currency: 'USD' });

/** The figures of a row, without its dimensions. */
const figures = (row: RevenueRetentionRow | undefined) =>
  row && {
    currency: row.currency,
    startingArr: row.startingArr,
    churnedArr: row.churnedArr,
    contractedArr: row.contractedArr,
    expandedArr: row.expandedArr,
    endingArr: row.endingArr,
    grossRevenueRetention: row.grossRevenueRetention,
    netRevenueRetention: row.netRevenueRetention,
    customers: row.customers,
    churnedCustomers: row.churnedCustomers,
    contractedCustomers: row.contractedCustomers,
    expandedCustomers: row.expandedCustomers,
    excludedCustomers: row.excludedCustomers,
  };

describe('revenue retention, lifetime value and revenue maturity', () => {
  let database: TestDatabase;
  let db: DataSource;
  let server: ScorecardsServer;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 4));
    await appendDatedHistory(database.url, revenueHistory());
    // Small batches: a customer's events land in different transactions.
    await createRetentionConsumer({ dataSource: db, log: createLogger('t', 'silent'), batchSize: 4 }).drain();
    server = await createScorecardsServer({ dataSource: db, identitySecret: TEST_IDENTITY_SECRET, log: createLogger('t', 'silent') });
    url = await server.listen(0);
    await server.retention.drain();
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    await database?.drop();
  });

  describe('revenueRetention', () => {
    it('attributes each customer’s quarter to the partner that held it longest, as worked out by hand', async () => {
      const rows = await queryRevenueRetention(db, INTERNAL, Q1);
      const row = (partner: string | null, currency: string) =>
        rows.find((r) => r.partnerId === partner && r.currency === currency && r.heldDirectly === (partner === null));
      // A: R1 expanded 1000 → 1200; R2 churned 2000 (before its renewal date, then handed back: still A's).
      // R3 left A on 20 January (19 of 90 days) and counts for B; R6 is new business.
      expect(figures(row(A, 'EUR'))).toEqual({
        currency: 'EUR',
        startingArr: eur('3000.00'),
        churnedArr: eur('2000.00'),
        contractedArr: eur('0.00'),
        expandedArr: eur('200.00'),
        endingArr: eur('1200.00'),
        grossRevenueRetention: '0.3333',
        netRevenueRetention: '0.4000',
        customers: 2,
        churnedCustomers: 1,
        contractedCustomers: 0,
        expandedCustomers: 1,
        excludedCustomers: 0,
      });
      // A's second currency: R4 renewed at 3000 USD, a row of its own (nothing converted).
      expect(figures(row(A, 'USD'))).toMatchObject({ startingArr: usd('3000.00'), endingArr: usd('3000.00'), grossRevenueRetention: '1.0000', customers: 1 });
      // B: R3 (5000 → 4000, contracted under B), R5 unchanged; R8 moved to USD in the quarter and is left out.
      expect(figures(row(B, 'EUR'))).toEqual({
        currency: 'EUR',
        startingArr: eur('6500.00'),
        churnedArr: eur('0.00'),
        contractedArr: eur('1000.00'),
        expandedArr: eur('0.00'),
        endingArr: eur('5500.00'),
        grossRevenueRetention: '0.8462',
        netRevenueRetention: '0.8462',
        customers: 2,
        churnedCustomers: 0,
        contractedCustomers: 1,
        expandedCustomers: 0,
        excludedCustomers: 1,
      });
      // R7, handed back to us on 10 January: held directly for most of the quarter, its expansion is not A's.
      expect(figures(row(null, 'EUR'))).toMatchObject({ startingArr: eur('1000.00'), expandedArr: eur('100.00'), netRevenueRetention: '1.1000', customers: 1 });
      // P3: M3 expanded 2500 → 3000; M11's churn takes effect on 1 April, in Q2.
      expect(figures(row(P3, 'EUR'))).toMatchObject({ startingArr: eur('58500.00'), expandedArr: eur('500.00'), netRevenueRetention: '1.0085', customers: 11 });
      expect(rows).toHaveLength(5);
      expect(rows.every((r) => r.periodStart.toISOString() === '2025-01-01T00:00:00.000Z' && r.periodEnd.toISOString() === '2025-04-01T00:00:00.000Z')).toBe(
        true,
      );
    });

    it('totals without the partner dimension count each customer once, one row per currency', async () => {
      const rows = await queryRevenueRetention(db, INTERNAL, { ...Q1, groupBy: [] });
      expect(rows.map(figures)).toEqual([
        {
          currency: 'EUR',
          startingArr: eur('69000.00'),
          churnedArr: eur('2000.00'),
          contractedArr: eur('1000.00'),
          expandedArr: eur('800.00'),
          endingArr: eur('66800.00'),
          grossRevenueRetention: '0.9565',
          netRevenueRetention: '0.9681',
          customers: 16,
          churnedCustomers: 1,
          contractedCustomers: 1,
          expandedCustomers: 3,
          excludedCustomers: 1,
        },
        expect.objectContaining({ currency: 'USD', startingArr: usd('3000.00'), customers: 1 }),
      ]);
    });

    it('groups by quarter, cohort, segment and region, and filters by each', async () => {
      const h1 = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-07-01T00:00:00Z') };
      const byQuarter = await queryRevenueRetention(db, INTERNAL, { ...h1, partnerId: A, groupBy: [RetentionDimension.PARTNER, RetentionDimension.PERIOD] });
      expect(byQuarter.map((r) => [r.periodStart.toISOString().slice(0, 10), r.currency, r.startingArr?.amount, r.netRevenueRetention])).toEqual([
        ['2025-01-01', 'EUR', '3000.00', '0.4000'],
        ['2025-01-01', 'USD', '3000.00', '1.0000'],
        // Q2: R1 at 1200 and R6 (won in Q1) at 800 start the quarter; R2 churned and is gone.
        ['2025-04-01', 'EUR', '2000.00', '1.0000'],
        ['2025-04-01', 'USD', '3000.00', '1.0000'],
      ]);
      // B's Q2: R8 now starts in USD.
      const bQ2 = await queryRevenueRetention(db, INTERNAL, { quarter: '2025-Q2', partnerId: B, groupBy: [RetentionDimension.PARTNER] });
      expect(bQ2.map((r) => [r.currency, r.startingArr?.amount, r.customers])).toEqual([
        ['EUR', '5500.00', 2],
        ['USD', '1100.00', 1],
      ]);
      // Cohorts: the quarter each customer was handed to the partner its period counts for.
      const cohorts = await queryRevenueRetention(db, INTERNAL, { ...Q1, groupBy: [RetentionDimension.PARTNER, RetentionDimension.COHORT] });
      expect(cohorts.filter((r) => r.partnerId === B).map((r) => [r.cohort, r.currency, r.customers])).toEqual([
        ['2024-Q4', 'EUR', 1],
        ['2025-Q1', 'EUR', 1],
      ]);
      const q1Cohort = await queryRevenueRetention(db, INTERNAL, { ...Q1, cohort: '2025-Q1' });
      // R7 too: handed back to us on 10 January, it joined our own (held directly) cohort of 2025-Q1.
      expect(q1Cohort.map((r) => [r.partnerId, r.heldDirectly, r.startingArr?.amount, r.contractedArr?.amount])).toEqual([
        [null, true, '1000.00', '0.00'],
        [B, false, '5000.00', '1000.00'],
      ]);
      const bySegment = await queryRevenueRetention(db, INTERNAL, { ...Q1, partnerId: A, groupBy: [RetentionDimension.SEGMENT, RetentionDimension.REGION] });
      expect(bySegment.map((r) => [r.segment, r.region, r.currency, r.customers])).toEqual([
        ['SMB', 'EMEA', 'USD', 1],
        ['SMB', 'NA', 'EUR', 2],
      ]);
      const enterprise = await queryRevenueRetention(db, INTERNAL, { ...Q1, segment: Segment.ENTERPRISE, region: Region.EMEA });
      expect(enterprise.map((r) => [r.partnerId, r.customers])).toEqual([[B, 1]]);
    });

    it('shows a partner only the periods attributed to it, and says NOT_FOUND for another partner’s', async () => {
      const asA = await queryRevenueRetention(db, partnerIdentity(A), { ...Q1, groupBy: [] });
      // Without grouping, still only A's customers: R1, R2 (EUR) and R4 (USD), not R3 which A held for 19 days.
      expect(asA.map((r) => [r.currency, r.startingArr?.amount])).toEqual([
        ['EUR', '3000.00'],
        ['USD', '3000.00'],
      ]);
      await expect(queryRevenueRetention(db, partnerIdentity(A), { ...Q1, partnerId: B })).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
      // A partner with nothing measured gets its row, empty.
      const none = await queryRevenueRetention(db, partnerIdentity(A), { quarter: '2023-Q1', groupBy: [RetentionDimension.PARTNER] });
      expect(none).toEqual([expect.objectContaining({ partnerId: A, currency: null, customers: 0, startingArr: null, netRevenueRetention: null })]);
    });

    it('refuses bad ranges, quarters and cohorts with BAD_USER_INPUT', async () => {
      const bad = (q: Partial<RetentionQuery>) => queryRevenueRetention(db, INTERNAL, { groupBy: [], ...q });
      await expect(bad({ quarter: '2025-Q5' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      await expect(bad({ cohort: '25Q1' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      await expect(bad({ quarter: '2025-Q1', from: new Date('2025-01-01T00:00:00Z') })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      await expect(bad({ from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') })).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      await expect(bad({ from: new Date('2000-01-01T00:00:00Z'), to: new Date('2025-01-01T00:00:00Z') })).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      await expect(bad({ partnerId: 'nope' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    });

    it('reads whole quarters from the stored cells, exactly as from the histories', async () => {
      const year = { from: new Date('2024-10-01T00:00:00Z'), to: new Date('2025-10-01T00:00:00Z') };
      const shapes: RetentionQuery[] = [
        { ...year, groupBy: [RetentionDimension.PARTNER, RetentionDimension.PERIOD] },
        { ...year, groupBy: [RetentionDimension.PERIOD, RetentionDimension.SEGMENT, RetentionDimension.REGION] },
        { ...year, groupBy: [RetentionDimension.PARTNER, RetentionDimension.PERIOD, RetentionDimension.REGION] },
        { quarter: '2025-Q3', groupBy: [] },
        { ...Q1, cohort: '2025-Q1', groupBy: [RetentionDimension.PARTNER, RetentionDimension.COHORT] },
        { quarter: '2025-Q2', segment: Segment.SMB, region: Region.NA, groupBy: [RetentionDimension.PARTNER] },
        { quarter: '2025-Q1', partnerId: B, groupBy: [RetentionDimension.PARTNER, RetentionDimension.SEGMENT] },
      ];
      for (const q of shapes) {
        const cells = await queryRevenueRetention(db, INTERNAL, q);
        expect(cells).toEqual(await queryRevenueRetention(db, INTERNAL, q, new Date(), { cells: false }));
        expect([JSON.stringify(q), cells.length > 0]).toEqual([JSON.stringify(q), true]);
      }
      const asA = { ...year, groupBy: [RetentionDimension.PARTNER, RetentionDimension.PERIOD] };
      expect(await queryRevenueRetention(db, partnerIdentity(A), asA)).toEqual(
        await queryRevenueRetention(db, partnerIdentity(A), asA, new Date(), { cells: false }),
      );
    });

    it('keeps the cells batch by batch exactly as a full computation would', async () => {
      const snapshot = async (m: Pick<DataSource, 'query'>) =>
        m.query(
          `SELECT quarter::text, holder, segment, region, cohort, currency, starting::text, churned::text, contracted::text, expanded::text,
                  customers, churned_customers, contracted_customers, expanded_customers, excluded_customers
             FROM scorecards.retention_cells WHERE customers <> 0 OR excluded_customers <> 0 OR starting <> 0
            ORDER BY quarter, holder, segment, region, cohort, currency`,
        );
      const kept = await snapshot(db);
      expect(kept.length).toBeGreaterThan(20);
      const [{ quarter }] = await db.query(`SELECT quarter::text AS quarter FROM scorecards.retention_horizon`);
      const runner = db.createQueryRunner();
      try {
        await runner.startTransaction();
        const cells = new Map();
        addCustomerCells(cells, await fetchHistories(runner.manager, { partnerId: null, background: true }), quarter);
        await replaceCells(runner.manager, cells, quarter);
        expect(await snapshot(runner.manager)).toEqual(kept);
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    });

    it('rebuilds the facts and cells from the log to what the consumer kept', async () => {
      const tables = ['retention_customers', 'retention_owners', 'retention_ownership', 'retention_arr', 'renewal_outcomes', 'handoff_values'];
      const state = async () => ({
        counts: await Promise.all(tables.map(async (t) => (await db.query(`SELECT count(*)::int AS n FROM scorecards.${t}`))[0].n as number)),
        rows: await queryRevenueRetention(db, INTERNAL, {
          from: new Date('2024-10-01T00:00:00Z'),
          to: new Date('2026-01-01T00:00:00Z'),
          groupBy: [RetentionDimension.PARTNER, RetentionDimension.PERIOD, RetentionDimension.SEGMENT],
        }),
      });
      const kept = await state();
      expect(await rebuildRetention(db, { batchSize: 7 })).toBe(revenueHistory().length);
      expect(await state()).toEqual(kept);
      expect(kept.counts.every((n) => n > 0)).toBe(true);
    });

    it('costs two statements for whole quarters and four more for any other range, whatever the number of customers', async () => {
      const one = await countQueries(() => queryRevenueRetention(db, INTERNAL, { quarter: '2025-Q1', partnerId: B, groupBy: [] }));
      const years = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2026-01-01T00:00:00Z') };
      const all = await countQueries(() =>
        queryRevenueRetention(db, INTERNAL, { ...years, groupBy: [RetentionDimension.PARTNER, RetentionDimension.PERIOD, RetentionDimension.SEGMENT] }),
      );
      expect(one.count).toBe(2);
      expect(all.count).toBe(2);
      expect(all.result.length).toBeGreaterThan(10);
      // From the middle of January: the first period is not a whole quarter, the others are.
      const ragged = await countQueries(() =>
        queryRevenueRetention(db, INTERNAL, {
          from: new Date('2025-01-15T00:00:00Z'),
          to: new Date('2025-07-01T00:00:00Z'),
          groupBy: [RetentionDimension.PERIOD],
        }),
      );
      expect(ragged.count).toBe(6);
      expect(ragged.result.map((r) => [r.periodStart.toISOString().slice(0, 10), r.currency])).toEqual([
        ['2025-01-15', 'EUR'],
        ['2025-01-15', 'USD'],
        ['2025-04-01', 'EUR'],
        ['2025-04-01', 'USD'],
      ]);
      const live = await countQueries(() =>
        queryRevenueRetention(db, INTERNAL, { ...years, groupBy: [RetentionDimension.PARTNER] }, new Date(), { cells: false }),
      );
      expect(live.count).toBe(4);
    });

    it('works quarters past the cells’ horizon out from the histories', async () => {
      const [{ quarter }] = await db.query(`SELECT quarter::text AS quarter FROM scorecards.retention_horizon`);
      const past = new Date(`${quarter}T00:00:00Z`);
      const next = { from: past, to: new Date(Date.UTC(past.getUTCFullYear(), past.getUTCMonth() + 6, 1)), groupBy: [RetentionDimension.PERIOD] };
      const counted = await countQueries(() => queryRevenueRetention(db, INTERNAL, next));
      // The horizon's quarter from the cells, the one after it from the histories: every customer still there, unchanged.
      expect(counted.count).toBe(6);
      expect(counted.result.map((r) => [r.periodStart.toISOString().slice(0, 10), r.currency, r.netRevenueRetention])).toEqual([
        [quarter, 'EUR', '1.0000'],
        [quarter, 'USD', '1.0000'],
        [counted.result[2]!.periodStart.toISOString().slice(0, 10), 'EUR', '1.0000'],
        [counted.result[2]!.periodStart.toISOString().slice(0, 10), 'USD', '1.0000'],
      ]);
      expect(counted.result[0]!.customers + counted.result[1]!.customers).toBe(counted.result[2]!.customers + counted.result[3]!.customers);
    });
  });

  describe('customerLifetimeValue', () => {
    const NOW = new Date('2025-07-01T00:00:00Z');

    it('is null with the reason below the minimum sample, and without a gross margin', async () => {
      const rows = await queryLifetimeValue(db, INTERNAL, {}, NOW);
      const p3 = rows.find((r) => r.partnerId === P3)!;
      expect(p3).toMatchObject({ segment: 'MID_MARKET', currency: 'EUR', lifetimeValue: null, unavailableReason: 'no gross margin is set (setGrossMargin)' });
      // A's SMB customers now: R1 (1200) and R6 (800) in EUR, R4 in USD.
      const aSmb = rows.filter((r) => r.partnerId === A).map((r) => [r.currency, r.averageArr, r.sample.customers, r.unavailableReason]);
      expect(aSmb).toEqual([
        ['EUR', eur('1000.00'), 2, 'too few customers: 2 (the minimum is 10)'],
        ['USD', usd('3000.00'), 1, 'too few customers: 1 (the minimum is 10)'],
      ]);
    });

    it('is average ARR × gross margin ÷ annual churn rate over the sample it shows', async () => {
      const v1 = await setGrossMargin(db, INTERNAL, { margin: '0.8' });
      const [p3] = await queryLifetimeValue(db, INTERNAL, { partnerId: P3 }, NOW);
      // M1–M10 own 1000 … 10000 (M3 expanded to 3000): average 5500; M11 churned and is gone.
      // Outcomes effective 1 Jul 2024 – 1 Jul 2025: M1, M2, M3, M11 (churned): 1 of 4.
      expect(p3).toMatchObject({
        partnerId: P3,
        segment: 'MID_MARKET',
        averageArr: eur('5500.00'),
        grossMargin: '0.8',
        grossMarginVersion: v1.version,
        annualChurnRate: '0.2500',
        lifetimeValue: eur('17600.00'),
        unavailableReason: null,
        sample: { customers: 10, outcomes: 4, churned: 1 },
      });
      expect(p3!.sample.windowStart.toISOString()).toBe('2024-07-01T00:00:00.000Z');
      // A segment's own margin wins over the hub-wide one.
      const v2 = await setGrossMargin(db, INTERNAL, { margin: '0.5', segment: Segment.MID_MARKET });
      const [again] = await queryLifetimeValue(db, INTERNAL, { partnerId: P3, segment: Segment.MID_MARKET }, NOW);
      expect(again).toMatchObject({ grossMargin: '0.5', grossMarginVersion: v2.version, lifetimeValue: eur('11000.00') });
      // Before M11's churn there was none among three outcomes: the lifetime has no bound.
      const [early] = await queryLifetimeValue(db, INTERNAL, { partnerId: P3 }, new Date('2025-03-20T00:00:00Z'));
      expect(early).toMatchObject({ lifetimeValue: null, sample: { outcomes: 3, churned: 0 } });
      expect(early!.unavailableReason).toMatch(/^no churn among the 3 renewal outcomes/);
      // Too few outcomes: only M1 had taken effect by 1 February.
      const [thin] = await queryLifetimeValue(db, INTERNAL, { partnerId: P3 }, new Date('2025-02-01T00:00:00Z'));
      expect(thin).toMatchObject({ lifetimeValue: null, unavailableReason: 'too few renewal outcomes in the last 12 months: 1 (the minimum is 3)' });
      // Each version is evented.
      const events = (await readEvents(db.manager, { after: START_POSITION, limit: 1000, types: [GROSS_MARGIN_SET] })).map((e) => e.payload);
      expect(events).toEqual([
        { margin: expect.objectContaining({ version: v1.version, segment: null, margin: '0.8' }) },
        { margin: expect.objectContaining({ version: v2.version, segment: 'MID_MARKET', margin: '0.5' }) },
      ]);
    });

    it('lets only internal teams set the margin, a fraction in (0, 1], and shows a partner only its own', async () => {
      await expect(setGrossMargin(db, partnerIdentity(A), { margin: '0.9' })).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      for (const margin of ['0', '1.5', '-0.2', '0.1234567', 'lots']) {
        await expect(setGrossMargin(db, INTERNAL, { margin })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      }
      const asP3 = await queryLifetimeValue(db, partnerIdentity(P3), {}, NOW);
      expect(asP3.map((r) => r.partnerId)).toEqual([P3]);
      await expect(queryLifetimeValue(db, partnerIdentity(A), { partnerId: P3 }, NOW)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
      const empty = await queryLifetimeValue(db, partnerIdentity(B), { segment: Segment.STRATEGIC }, NOW);
      expect(empty).toEqual([
        expect.objectContaining({ partnerId: B, lifetimeValue: null, unavailableReason: 'the partner owns no customer with ARR in STRATEGIC' }),
      ]);
      const counted = await countQueries(() => queryLifetimeValue(db, INTERNAL, {}, NOW));
      expect(counted.count).toBe(5);
    });
  });

  describe('maturity: measurement & accountability', () => {
    it('lists the valued handoffs, the recorded renewals and the NRR cohort as evidence', async () => {
      const m = await assessMaturity(db, P3, new Date('2025-10-15T00:00:00Z'));
      const dimension = m.dimensions.find((d) => d.dimension === 'MEASUREMENT_AND_ACCOUNTABILITY')!;
      const [valued, renewals, nrr] = dimension.evidence.slice(2);
      // Ten proposals to P3 in May, nine with a value.
      expect(valued).toMatchObject({ value: 0.9, sampleSize: 10, stage3Threshold: 0.9, stage: 3 });
      // Renewal dates passed in the window while P3 owned the customer: M4–M10 (1 August) and M11 (1 May).
      // Recorded: M4–M9 (renewed on the date) and M11 (churned on 1 April, before its renewal date): 7 of 8.
      expect(renewals).toMatchObject({ value: 0.875, sampleSize: 8, stage: 2 });
      // M1–M11 held ARR on 15 October 2024 and were P3's all year.
      expect(nrr).toMatchObject({ value: 11, sampleSize: 11, stage3Threshold: 5, stage: 3 });
      expect(dimension.rule).toMatch(/≥ 90% carry a value/);
      // B: two renewals came due (R5 on 20 February, never recorded; R3 on 15 March, contracted), NRR over 2 customers.
      const b = await assessMaturity(db, B, new Date('2025-04-15T00:00:00Z'));
      const bEvidence = b.dimensions.find((d) => d.dimension === 'MEASUREMENT_AND_ACCOUNTABILITY')!.evidence.slice(2);
      expect(bEvidence.map((e) => [e.value, e.sampleSize, e.stage])).toEqual([
        [0, 1, 2],
        [0.5, 2, 2],
        [0, 0, 2],
      ]);
    });
  });

  describe('through GraphQL', () => {
    const RETENTION = `query($filter: RevenueRetentionFilter, $groupBy: [RetentionDimension!]) {
      revenueRetention(filter: $filter, groupBy: $groupBy) { periodStart partnerId partner { id } heldDirectly currency startingArr { amount currency } grossRevenueRetention netRevenueRetention customers }
    }`;
    const CLV = `query($filter: LifetimeValueFilter) { customerLifetimeValue(filter: $filter) { partnerId segment currency lifetimeValue { amount currency } unavailableReason sample { customers outcomes churned } } }`;

    it('answers as the services do, hides other partners, and refuses partners the margin', async () => {
      const asB = await subgraphGql(url, RETENTION, { filter: { quarter: '2025-Q1' } }, partnerIdentity(B));
      expect(asB.errors).toBeUndefined();
      expect(asB.data!.revenueRetention).toEqual([
        {
          periodStart: '2025-01-01T00:00:00.000Z',
          partnerId: B,
          partner: { id: B },
          heldDirectly: false,
          currency: 'EUR',
          startingArr: eur('6500.00'),
          grossRevenueRetention: '0.8462',
          netRevenueRetention: '0.8462',
          customers: 2,
        },
      ]);
      const probe = await subgraphGql(url, RETENTION, { filter: { quarter: '2025-Q1', partnerId: A } }, partnerIdentity(B));
      expect([firstError(probe).extensions!.code, probe.data]).toEqual(['NOT_FOUND', null]);
      const badQuarter = await subgraphGql(url, RETENTION, { filter: { quarter: 'last year' } }, INTERNAL);
      expect(firstError(badQuarter).extensions!.code).toBe('BAD_USER_INPUT');
      const clv = await subgraphGql(url, CLV, {}, partnerIdentity(B));
      // B owns R3 (ENTERPRISE), R5 (MID_MARKET) and R8 (SMB, now in USD): one row each, all below the minimum sample.
      expect(
        clv.data!.customerLifetimeValue.map((r: { partnerId: string; segment: string; currency: string }) => [r.partnerId, r.segment, r.currency]),
      ).toEqual([
        [B, 'ENTERPRISE', 'EUR'],
        [B, 'MID_MARKET', 'EUR'],
        [B, 'SMB', 'USD'],
      ]);
      const set = await subgraphGql(url, `mutation { setGrossMargin(input: { margin: "0.7" }) { version margin } }`, {}, partnerIdentity(B));
      expect(firstError(set).extensions!.code).toBe('FORBIDDEN');
      const bad = await subgraphGql(
        url,
        `mutation($input: GrossMarginInput!) { setGrossMargin(input: $input) { version } }`,
        { input: { margin: 0.7 } },
        INTERNAL,
      );
      expect(firstError(bad).extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('costs the same statements for every partner at once as for one', async () => {
      const measure = async (filter: Record<string, unknown>, groupBy = ['PARTNER', 'PERIOD', 'SEGMENT']) => {
        const before = totalQueryCount();
        const res = await subgraphGql(url, RETENTION, { filter, groupBy }, INTERNAL);
        expect(res.errors).toBeUndefined();
        return { rows: res.data!.revenueRetention.length as number, statements: totalQueryCount() - before };
      };
      const range = { period: { from: '2024-10-01T00:00:00Z', to: '2025-10-01T00:00:00Z' } };
      const one = await measure({ ...range, partnerId: B });
      const all = await measure(range);
      expect(one.statements).toBe(2);
      expect(all.statements).toBe(2);
      expect(all.rows).toBeGreaterThan(one.rows);
      // By cohort (the cells keep none), from the histories: four statements, however many partners.
      const byCohort = await measure(range, ['PARTNER', 'PERIOD', 'COHORT']);
      expect(byCohort.statements).toBe(4);
      expect((await measure({ ...range, partnerId: B }, ['PARTNER', 'PERIOD', 'COHORT'])).statements).toBe(4);
    });
  });
});
