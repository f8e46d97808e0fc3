import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { countQueries } from '../../../shared/db/query-counter';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity } from '../../../test/support/subgraph-client';
import { createScorecardsDataSource } from '../src/data-source';
import { HandoffMoment, ScorecardDimension, ScorecardPeriod, Segment } from '../src/entities/enums';
import { createExchangeRatesConsumer } from '../src/consumers/exchange-rates.consumer';
import { createProjectionConsumer, rebuildProjection } from '../src/consumers/projection.consumer';
import { queryPartnerScorecards, queryScorecard, type ScorecardQuery } from '../src/services/scorecard-query';
import type { ScorecardRow } from '../src/entities/scorecard-row.type';
import type { ScorecardValue } from '../src/entities/scorecard-value.type';
import { readEvents, START_POSITION } from '../../../shared/eventlog/event-log';
import { applyExchangeRates, EXCHANGE_RATE_EVENT_TYPES } from '../src/services/exchange-rates';
import { A, appendHistory, B, RATES_V1, ratesEvent, snapshot, VALUE_CELLS_SQL, VALUE_ROLLUPS_SQL, valueHistory, valueOf } from './fixtures';

const Q3: ScorecardQuery = {
  period: ScorecardPeriod.QUARTER,
  from: new Date('2024-07-01T00:00:00Z'),
  to: new Date('2024-10-01T00:00:00Z'),
  groupBy: [ScorecardDimension.PARTNER],
  includeTotals: true,
  withValue: true,
};
const INTERNAL = internalIdentity('00000000-0000-4000-8000-000000000001');
/** While v2 and v6 are in time (v6's clock at risk); and once both have stalled. */
const EARLY = new Date('2024-07-08T12:00:00Z');
const LATE = new Date('2024-08-01T00:00:00Z');
const log = createLogger('t', 'silent');

const valueOfRow = (rows: ScorecardRow[], pick: (r: ScorecardRow) => boolean): ScorecardValue => {
  const row = rows.find(pick);
  if (!row?.value) throw new Error('no such row, or no value on it');
  return row.value;
};
const ofA = (r: ScorecardRow) => r.level === 'GROUP' && r.partnerId === A;
const grand = (r: ScorecardRow) => r.level === 'GRAND_TOTAL';

describe('scorecard value figures', () => {
  let database: TestDatabase;
  let db: DataSource;
  const rates = () => createExchangeRatesConsumer({ dataSource: db, log }).drain();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 3));
    await appendHistory(db, valueHistory());
    // Small batches: a handoff's events land in different transactions.
    await createProjectionConsumer({ dataSource: db, log, batchSize: 3 }).drain();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('lists every value as unconvertible, natively and never converted at 1, before any exchange rate is set', async () => {
    const a = valueOfRow(await queryScorecard(db, INTERNAL, Q3, EARLY), ofA);
    expect(a).toMatchObject({ reportingCurrency: null, valuedHandoffs: 7, proposed: '0', accepted: '0', revenueAtRisk: '0' });
    const proposed = a.unconvertible.filter((u) => u.figure === 'PROPOSED');
    expect(proposed).toEqual([
      { figure: 'PROPOSED', currency: 'EUR', amount: '1300', handoffs: 2 },
      { figure: 'PROPOSED', currency: 'GBP', amount: '400', handoffs: 1 },
      { figure: 'PROPOSED', currency: 'USD', amount: '810.01', handoffs: 4 },
    ]);
  });

  describe('with rates into EUR (set after the handoffs)', () => {
    beforeAll(async () => {
      await appendHistory(db, [RATES_V1]);
      await rates();
    });

    it('converts each handoff at its proposal day’s rate and names the currency and figures it could not convert', async () => {
      const rows = await queryScorecard(db, INTERNAL, Q3, EARLY);
      const a = valueOfRow(rows, ofA);
      // v1 1000 + v2 500 × 0.91 + v3 200 × 0.92 + v4 300 + v5 100 × 0.93 + v7 10.01 × 0.90 = 2041.009
      expect(a).toEqual({
        reportingCurrency: 'EUR',
        valuedHandoffs: 7,
        proposed: '2041.01',
        // v1, v2, v4 (expired after acceptance), v7
        accepted: '1764.01',
        // v1, v7
        completed: '1009.01',
        conversion: { acceptRate: 0.8643, completeRate: 0.572, endToEndRate: 0.4944 },
        leakage: { rejected: '184.00', expired: '300.00', cancelled: '93.00', stalled: '0.00', total: '577.00', neverProposed: '814.00' },
        // v6's clock is at risk, but GBP has no rate: all of it is in unconvertible.
        revenueAtRisk: '0.00',
        unconvertible: [
          { figure: 'PROPOSED', currency: 'GBP', amount: '400', handoffs: 1 },
          { figure: 'REVENUE_AT_RISK', currency: 'GBP', amount: '400', handoffs: 1 },
        ],
      });
    });

    it('counts the value of stalled handoffs once their due time has passed, and revenue at risk once per handoff', async () => {
      const a = valueOfRow(await queryScorecard(db, INTERNAL, Q3, LATE), ofA);
      // v2 (455.00) stalled since 16 Jul; v6 stalled since 8 Jul 17:00 (GBP, unconvertible), at risk and stalled: once.
      expect(a.leakage).toEqual({ rejected: '184.00', expired: '300.00', cancelled: '93.00', stalled: '455.00', total: '1032.00', neverProposed: '814.00' });
      expect(a.revenueAtRisk).toBe('455.00');
      expect(a.unconvertible).toEqual([
        { figure: 'PROPOSED', currency: 'GBP', amount: '400', handoffs: 1 },
        { figure: 'STALLED', currency: 'GBP', amount: '400', handoffs: 1 },
        { figure: 'REVENUE_AT_RISK', currency: 'GBP', amount: '400', handoffs: 1 },
      ]);
      // Just before v2's due time: only v6.
      const before = valueOfRow(await queryScorecard(db, INTERNAL, Q3, new Date('2024-07-16T10:00:00Z')), ofA);
      expect(before.leakage.stalled).toBe('0.00');
      expect(before.unconvertible.find((u) => u.figure === 'STALLED')).toEqual({ figure: 'STALLED', currency: 'GBP', amount: '400', handoffs: 1 });
    });

    it('rolls the value up into period and grand totals, exactly before rounding, by month, segment and collapsed ranges', async () => {
      const rows = await queryScorecard(db, INTERNAL, Q3, EARLY);
      const b = valueOfRow(rows, (r) => r.level === 'GROUP' && r.partnerId === B);
      expect(b).toMatchObject({ proposed: '250.00', accepted: '250.00', completed: '250.00', unconvertible: [] });
      const total = valueOfRow(rows, grand);
      expect(total).toMatchObject({ valuedHandoffs: 8, proposed: '2291.01', accepted: '2014.01', completed: '1259.01', revenueAtRisk: '0.00' });
      expect(total.leakage.neverProposed).toBe('814.00');
      expect(total.unconvertible).toEqual(valueOfRow(rows, ofA).unconvertible);
      const months = await queryScorecard(db, INTERNAL, { ...Q3, period: ScorecardPeriod.MONTH, groupBy: [], includeTotals: false }, EARLY);
      expect(months.map((r) => [r.periodStart.toISOString().slice(0, 7), r.value?.proposed])).toEqual([
        ['2024-07', '2041.01'],
        ['2024-08', '250.00'],
      ]);
      const days = await queryScorecard(
        db,
        INTERNAL,
        { ...Q3, period: ScorecardPeriod.DAY, to: new Date('2024-07-03T00:00:00Z'), groupBy: [], includeTotals: true, collapsePeriods: true },
        EARLY,
      );
      // 1 Jul: v1 1000 + v7 9.009; 2 Jul: v2 455
      expect(days.map((r) => [r.level, r.value?.proposed])).toEqual([
        ['PERIOD_TOTAL', '1464.01'],
        ['GRAND_TOTAL', '1464.01'],
      ]);
      const bySegment = await queryScorecard(
        db,
        INTERNAL,
        { ...Q3, groupBy: [ScorecardDimension.SEGMENT, ScorecardDimension.REGION], includeTotals: false },
        EARLY,
      );
      expect(bySegment.map((r) => [r.segment, r.region, r.value?.proposed, r.value?.leakage.neverProposed])).toEqual([
        ['ENTERPRISE', 'EMEA', '250.00', '0.00'],
        ['SMB', 'NA', '2041.01', '814.00'],
      ]);
      const smb = await queryScorecard(db, INTERNAL, { ...Q3, segments: [Segment.SMB], moments: [HandoffMoment.MQL_TO_SQL], groupBy: [] }, EARLY);
      expect(valueOfRow(smb, grand)).toMatchObject({ proposed: '2041.01', leakage: { neverProposed: '0.00' } });
    });

    it('applies a corrected version of a rate, and a rate set later for a currency that had none', async () => {
      await appendHistory(db, [
        ratesEvent(2, 'EUR', [{ currency: 'USD', day: '2024-07-02', rate: '0.92' }]),
        ratesEvent(3, 'EUR', [{ currency: 'GBP', day: '2024-07-08', rate: '1.17' }]),
      ]);
      await rates();
      const a = valueOfRow(await queryScorecard(db, INTERNAL, Q3, EARLY), ofA);
      // v2: 500 × 0.92 = 460 instead of 455; v6: 400 × 1.17 = 468; the other USD days keep version 1's rates.
      expect(a).toMatchObject({ proposed: '2514.01', accepted: '1769.01', revenueAtRisk: '468.00', unconvertible: [] });
      expect(a.conversion).toEqual({ acceptRate: 0.7037, completeRate: 0.5704, endToEndRate: 0.4014 });
    });

    it('starts over from a version in another reporting currency: its rates only, the old currency now needing rates', async () => {
      await appendHistory(db, [ratesEvent(4, 'USD', [{ currency: 'EUR', day: '2024-07-01', rate: '1.10' }])]);
      await rates();
      const a = valueOfRow(await queryScorecard(db, INTERNAL, Q3, EARLY), ofA);
      // v1 1000 × 1.10 + v2 500 + v3 200 + v5 100 + v7 10.01 (USD at 1); v4 (EUR, 4 Jul) and v6 (GBP) have no rate now.
      expect(a).toMatchObject({ reportingCurrency: 'USD', proposed: '1910.01', leakage: { neverProposed: '120.00', expired: '0.00' } });
      expect(a.unconvertible.filter((u) => u.figure === 'PROPOSED' || u.figure === 'NEVER_PROPOSED' || u.figure === 'EXPIRED')).toEqual([
        { figure: 'PROPOSED', currency: 'EUR', amount: '300', handoffs: 1 },
        { figure: 'PROPOSED', currency: 'GBP', amount: '400', handoffs: 1 },
        { figure: 'EXPIRED', currency: 'EUR', amount: '300', handoffs: 1 },
        { figure: 'NEVER_PROPOSED', currency: 'EUR', amount: '700', handoffs: 1 },
      ]);
      // The same events handed again, a version number seen before, and an old version arriving late change nothing.
      const all = await readEvents(db.manager, { after: START_POSITION, limit: 100, types: EXCHANGE_RATE_EVENT_TYPES });
      expect(all).toHaveLength(4);
      await db.transaction((m) => applyExchangeRates(all, m));
      await appendHistory(db, [ratesEvent(4, 'USD', [{ currency: 'EUR', day: '2024-07-01', rate: '9.99' }]), RATES_V1]);
      await rates();
      expect(valueOfRow(await queryScorecard(db, INTERNAL, Q3, EARLY), ofA)).toEqual(a);
    });

    it('shows a partner the value of its own rows only', async () => {
      const rows = await queryScorecard(db, partnerIdentity(A), Q3, EARLY);
      expect(rows.filter((r) => r.level === 'GROUP').map((r) => r.partnerId)).toEqual([A]);
      expect(valueOfRow(rows, grand)).toEqual(valueOfRow(await queryScorecard(db, INTERNAL, { ...Q3, partnerIds: [A] }, EARLY), grand));
      const asB = valueOfRow(await queryScorecard(db, partnerIdentity(B), Q3, EARLY), grand);
      // B's one handoff is in EUR, which has no rate into USD (the reporting currency since version 4) on 1 Aug.
      expect(asB).toMatchObject({
        valuedHandoffs: 1,
        proposed: '0.00',
        unconvertible: ['PROPOSED', 'ACCEPTED', 'COMPLETED'].map((figure) => ({ figure, currency: 'EUR', amount: '250', handoffs: 1 })),
      });
      // Partner.scorecard's batch: each partner's value exactly as its own query.
      const [ofAInBatch, ofBInBatch] = await queryPartnerScorecards(db, INTERNAL, { ...Q3, groupBy: [] }, [A, B], EARLY);
      expect(ofAInBatch).toEqual(await queryScorecard(db, INTERNAL, { ...Q3, groupBy: [], partnerIds: [A] }, EARLY));
      expect(ofBInBatch).toEqual(await queryScorecard(db, INTERNAL, { ...Q3, groupBy: [], partnerIds: [B] }, EARLY));
    });

    it('costs two statements more only when the value is asked for', async () => {
      const without = await countQueries(() => queryScorecard(db, INTERNAL, { ...Q3, withValue: false }, EARLY));
      const withValue = await countQueries(() => queryScorecard(db, INTERNAL, Q3, EARLY));
      expect(without.count).toBe(2);
      expect(withValue.count).toBe(4);
      expect(without.result.every((r) => r.value === undefined)).toBe(true);
    });

    it('gives the same value cells and figures when rebuilt from the log', async () => {
      // The rollups were converted as the rates came (none, version 1, corrections, another reporting currency); a rebuild converts at the rates in force.
      const tables = async () => ({ cells: await db.query(VALUE_CELLS_SQL), rollups: await db.query(VALUE_ROLLUPS_SQL) });
      const before = { ...(await tables()), rows: await queryScorecard(db, INTERNAL, Q3, LATE) };
      expect(before.cells.length).toBeGreaterThan(0);
      await rebuildProjection(db, { batchSize: 5 });
      expect({ ...(await tables()), rows: await queryScorecard(db, INTERNAL, Q3, LATE) }).toEqual(before);
    });
  });

  it('counts a value or a rate the contract does not allow as none, and keeps projecting', async () => {
    const before = valueOfRow(await queryScorecard(db, INTERNAL, Q3, EARLY), ofA);
    const bad = (n: number, value: { amount: string; currency: string }) => {
      const s = snapshot(0, {
        id: `00000000-0000-4000-a500-0000000000${n}`,
        toPartnerId: A,
        proposedAt: '2024-07-09T09:00:00.000Z',
        value: { ...value, source: 'ARR' },
      });
      return { type: 'HandoffProposed', source: 'handoffs', aggregateType: 'Handoff', aggregateId: s.id, payload: { handoff: s }, visibleTo: [A] };
    };
    await appendHistory(db, [
      bad(10, { amount: '12,50', currency: 'EUR' }),
      bad(11, { amount: '1e5', currency: 'USD' }),
      bad(12, { amount: '10.00', currency: 'EURO' }),
      ratesEvent(5, 'USD', [
        { currency: 'EUR', day: '2024-02-30', rate: '1.10' },
        { currency: 'EUR', day: '2024-07-04', rate: '0' },
        { currency: 'EUR', day: '2024-07-04', rate: '-1.1' },
        { currency: 'ABC', day: '2024-07-04', rate: '1.1' },
      ]),
      ratesEvent(6, 'EURO', [{ currency: 'USD', day: '2024-07-04', rate: '1.1' }]),
    ]);
    await createProjectionConsumer({ dataSource: db, log }).drain();
    await rates();
    const after = await queryScorecard(db, INTERNAL, Q3, EARLY);
    // Three more handoffs proposed, none of them valued; v4 (EUR, 4 Jul) still has no rate.
    expect(after.find(ofA)).toMatchObject({ proposed: 11 });
    expect(valueOfRow(after, ofA)).toEqual(before);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.exchange_rate_versions WHERE version >= 5`);
    expect(n).toBe(1);
  });

  it('sums 10,000 handoffs of 0.10 to exactly 1000.00', async () => {
    const C = '0000000c-0000-4000-8000-00000000000c';
    const events = Array.from({ length: 10_000 }, (_, i) => {
      const s = snapshot(0, {
        id: `00000000-0000-4000-a400-${String(i).padStart(12, '0')}`,
        toPartnerId: C,
        proposedAt: new Date(Date.parse('2023-01-02T00:00:00Z') + i * 60_000).toISOString(),
        value: valueOf('0.10', 'USD'),
      });
      return { type: 'HandoffProposed', source: 'handoffs', aggregateType: 'Handoff', aggregateId: s.id, payload: { handoff: s }, visibleTo: [C] };
    });
    for (let i = 0; i < events.length; i += 1000) await appendHistory(db, events.slice(i, i + 1000));
    await createProjectionConsumer({ dataSource: db, log, batchSize: 2000 }).drain();
    const rows = await queryScorecard(db, INTERNAL, { ...Q3, from: new Date('2023-01-01T00:00:00Z'), to: new Date('2023-04-01T00:00:00Z'), partnerIds: [C] });
    // Reporting currency USD (version 4 above): no conversion, and no float anywhere on the way.
    expect(valueOfRow(rows, grand)).toMatchObject({ reportingCurrency: 'USD', valuedHandoffs: 10_000, proposed: '1000.00', unconvertible: [] });
  });
});
