import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { countQueries, totalQueryCount } from '../../../shared/db/query-counter';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createScorecardsDataSource } from '../src/data-source';
import { HandoffMoment, Region, ScorecardDimension, ScorecardPeriod, Segment } from '../src/entities/enums';
import { createScorecardsLoaders } from '../src/loaders/scorecards.loaders';
import { DEMO, demoCustomers, seedScorecards } from '../src/seed';
import { appendHistory, customerEvent } from './fixtures';
import { COUNT_COLUMNS } from '../src/services/handoff-fact';
import { emptyHistogram, mergeSparse, summarize } from '../src/services/histogram';
import { queryPartnerScorecards, queryScorecard, type ScorecardQuery } from '../src/services/scorecard-query';
import { ALL } from '../src/services/rollup-cells';
import { createScorecardsServer, type ScorecardsServer } from '../src/server';
import { FILL_PARTNER_LEVEL_CELLS } from '../src/migrations/1733200000000-partner-level-rollups';
import { FILL_STALLABLE } from '../src/migrations/1733200000001-stallable-counts';
import { DUE_COUNTS } from '../src/migrations/1733300000000-handoff-dues';
import { present } from '../../../test/support/present';

const histogramOf = (stored: Parameters<typeof mergeSparse>[1]) => {
  const h = emptyHistogram();
  mergeSparse(h, stored);
  return h;
};

const INTERNAL = internalIdentity(DEMO.revops);
const NOW = new Date();
const since = (days: number) => new Date(NOW.getTime() - days * 86400_000);

/** Filters as Partner.scorecard receives them: partner-level cells, fine cells, every grain. */
const FILTERS: [ScorecardQuery, ScorecardQuery, ScorecardQuery, ScorecardQuery, ScorecardQuery] = [
  { period: ScorecardPeriod.QUARTER, groupBy: [ScorecardDimension.MOMENT], includeTotals: true },
  {
    period: ScorecardPeriod.QUARTER,
    from: since(200),
    groupBy: [ScorecardDimension.PARTNER, ScorecardDimension.MOMENT],
    includeTotals: true,
    collapsePeriods: true,
  },
  { period: ScorecardPeriod.MONTH, from: since(150), groupBy: [ScorecardDimension.SEGMENT, ScorecardDimension.REGION], includeTotals: true },
  {
    period: ScorecardPeriod.WEEK,
    from: since(120),
    groupBy: [],
    includeTotals: false,
    segments: [Segment.SMB, Segment.ENTERPRISE],
    moments: [HandoffMoment.MQL_TO_SQL, HandoffMoment.DIRECT_TO_PARTNER],
  },
  { period: ScorecardPeriod.DAY, from: since(40), groupBy: [ScorecardDimension.MOMENT], includeTotals: true, regions: [Region.NA] },
];

describe('Partner.scorecard batched across partners', () => {
  let database: TestDatabase;
  let db: DataSource;
  let server: ScorecardsServer;
  let url: string;
  /** The demo partners that receive handoffs, busiest first. */
  let partners: string[];
  const twoBusiest = () => [present(partners[0], 'a partner receiving handoffs'), present(partners[1], 'a second partner receiving handoffs')] as const;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 4));
    // As `npm start` has them: accounts' demo customers are in the log before scorecards' history, so dues get their segments.
    await appendHistory(
      db,
      demoCustomers().map((c) => customerEvent(c.id, c.segment, c.region)),
    );
    await seedScorecards(db, NOW);
    server = await createScorecardsServer({ dataSource: db, identitySecret: TEST_IDENTITY_SECRET, log: createLogger('t', 'silent') });
    url = await server.listen(0);
    await server.consumer.drain();
    const rows: { id: string }[] = await db.query(`SELECT to_partner_id AS id FROM scorecards.handoff_facts GROUP BY 1 ORDER BY count(*) DESC, 1`);
    partners = rows.map((r) => r.id);
  });
  afterAll(async () => {
    await server?.stop();
    await db?.destroy();
    await database?.drop();
  });

  it('gives each partner exactly the rows its own scorecard query gives', async () => {
    expect(partners.length).toBeGreaterThanOrEqual(4);
    for (const filter of FILTERS) {
      const batched = await queryPartnerScorecards(db, INTERNAL, filter, partners, NOW);
      for (const [i, partnerId] of partners.entries()) {
        const alone = await queryScorecard(db, INTERNAL, { ...filter, partnerIds: [partnerId] }, NOW);
        expect(batched[i]).toEqual(alone);
      }
      expect(batched.some((rows) => Array.isArray(rows) && rows.some((r) => r.proposed > 0))).toBe(true);
    }
  });

  it('keeps partner-level cells equal to the sum of the fine cells they stand for', async () => {
    const cells: Record<string, any>[] = await db.query(`SELECT *, period_start::text AS period_start FROM scorecards.rollups`);
    const fine = cells.filter((c) => c.segment !== ALL);
    const coarse = cells.filter((c) => c.segment === ALL);
    expect(coarse.every((c) => c.region === ALL)).toBe(true);
    const key = (c: Record<string, any>) => [c.grain, c.period_start, c.partner_id, c.moment].join('|');
    type Histograms = Record<'accept' | 'complete' | 'propose', ReturnType<typeof emptyHistogram>>;
    const sums = new Map<string, { counts: Record<string, number> } & Histograms>();
    for (const c of fine) {
      let s = sums.get(key(c));
      if (!s)
        sums.set(
          key(c),
          (s = {
            counts: Object.fromEntries(COUNT_COLUMNS.map((k) => [k, 0])),
            accept: emptyHistogram(),
            complete: emptyHistogram(),
            propose: emptyHistogram(),
          }),
        );
      for (const k of COUNT_COLUMNS) s.counts[k] += c[k];
      mergeSparse(s.accept, c.accept_hist);
      mergeSparse(s.complete, c.complete_hist);
      mergeSparse(s.propose, c.propose_hist);
    }
    // The demo history has dues: their counts and histograms roll up too.
    expect(coarse.some((c) => c.dues > 0 && Object.keys(c.propose_hist).length > 0)).toBe(true);
    expect(coarse.length).toBe(sums.size);
    for (const c of coarse) {
      const s = sums.get(key(c))!;
      expect(Object.fromEntries(COUNT_COLUMNS.map((k) => [k, c[k]]))).toEqual(s.counts);
      const accept = emptyHistogram();
      mergeSparse(accept, c.accept_hist);
      expect(summarize(accept)).toEqual(summarize(s.accept));
      const complete = emptyHistogram();
      mergeSparse(complete, c.complete_hist);
      expect(summarize(complete)).toEqual(summarize(s.complete));
      expect(summarize(histogramOf(c.propose_hist))).toEqual(summarize(s.propose));
    }
    // Through the query: grouping by partner × moment (partner-level cells) and asking for
    // every segment and region (fine cells) agree on every figure.
    const q: ScorecardQuery = {
      period: ScorecardPeriod.MONTH,
      from: since(150),
      groupBy: [ScorecardDimension.PARTNER, ScorecardDimension.MOMENT],
      includeTotals: true,
    };
    const viaFine = await queryScorecard(db, INTERNAL, { ...q, segments: Object.values(Segment), regions: Object.values(Region) }, NOW);
    expect(await queryScorecard(db, INTERNAL, q, NOW)).toEqual(viaFine);
    expect(viaFine.length).toBeGreaterThan(10);
  });

  it('fills partner-level cells and stallable counts on migration exactly as the projection keeps them', async () => {
    // Those migrations ran before the due columns existed, so they know nothing of them.
    const withoutDues = (r: Record<string, any>) => Object.fromEntries(Object.entries(r).filter(([k]) => !DUE_COUNTS.includes(k) && k !== 'propose_hist'));
    const snapshot = async () =>
      (await db.query(`SELECT * FROM scorecards.rollups ORDER BY grain, period_start, partner_id, segment, region, moment`)).map((r: Record<string, any>) => ({
        ...withoutDues(r),
        accept_hist: summarize(histogramOf(r.accept_hist)),
        complete_hist: summarize(histogramOf(r.complete_hist)),
      }));
    const projected = await snapshot();
    expect(projected.filter((r: Record<string, any>) => r.segment === ALL).length).toBeGreaterThan(0);
    expect(projected.some((r: Record<string, any>) => r.stallable > 0)).toBe(true);
    const runner = db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(`DELETE FROM scorecards.rollups WHERE segment = '*'`);
      await runner.query(`UPDATE scorecards.rollups SET stallable = 0`);
      await runner.query(FILL_PARTNER_LEVEL_CELLS);
      await runner.query(FILL_STALLABLE);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await snapshot()).toEqual(projected);
  });

  it('shows a partner only its own scorecard in a batch, and internal teams every one', async () => {
    const [a, b] = twoBusiest();
    const filter = FILTERS[1];
    const asA = await queryPartnerScorecards(db, partnerIdentity(a), filter, [a, b, a], NOW);
    const own = await queryScorecard(db, partnerIdentity(a), filter, NOW);
    expect(asA[0]).toEqual(own);
    expect(asA[2]).toEqual(own);
    expect(asA[1]).toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const asInternal = await queryPartnerScorecards(db, INTERNAL, filter, [a, b], NOW);
    expect(asInternal[0]).toEqual(own);
    expect((asInternal[1] as { partnerId: string | null }[]).filter((r) => r.partnerId).every((r) => r.partnerId === b)).toBe(true);
    const invalid = await queryPartnerScorecards(db, INTERNAL, { ...filter, from: NOW, to: since(1) }, [a, b], NOW);
    expect(invalid.map((e) => (e as { extensions?: { code?: string } }).extensions?.code)).toEqual(['BAD_USER_INPUT', 'BAD_USER_INPUT']);
    const badId = await queryPartnerScorecards(db, INTERNAL, filter, ['nope', a], NOW);
    expect(badId[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(badId[1]).toEqual(own);
  });

  it('costs the statements of one scorecard query per filter, however many partners', async () => {
    const loaders = () => createScorecardsLoaders(db, INTERNAL);
    const one = await countQueries(() => loaders().partnerScorecard.load({ partnerId: twoBusiest()[0], filter: FILTERS[0] }));
    const many = await countQueries(() => {
      const l = loaders();
      return Promise.all(partners.map((partnerId) => l.partnerScorecard.load({ partnerId, filter: { ...FILTERS[0] } })));
    });
    expect(one.count).toBe(2);
    expect(many.count).toBe(2);
    expect(many.result[0]).toEqual(one.result);
    const twoFilters = await countQueries(() => {
      const l = loaders();
      return Promise.all(partners.flatMap((partnerId) => [FILTERS[0], FILTERS[2]].map((filter) => l.partnerScorecard.load({ partnerId, filter }))));
    });
    expect(twoFilters.count).toBe(4);
  });

  it('answers _entities for a page of partners in constant statements, hiding other partners’ scorecards', async () => {
    const query = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partner { id scorecard(filter: { period: QUARTER, groupBy: [MOMENT] }) { level moment proposed velocity { timeToAccept { medianSeconds p90Seconds } } } } } }`;
    const reps = (ids: string[]) => ids.map((id) => ({ __typename: 'Partner', id }));
    const measure = async (ids: string[], identity = INTERNAL) => {
      const before = totalQueryCount();
      const res = await subgraphGql(url, query, { reps: reps(ids) }, identity);
      return { res, statements: totalQueryCount() - before };
    };
    const one = await measure(partners.slice(0, 1));
    const all = await measure(partners);
    expect(all.res.errors).toBeUndefined();
    expect(one.statements).toBe(2);
    expect(all.statements).toBe(one.statements);
    expect(all.res.data!._entities[0]).toEqual(one.res.data!._entities[0]);
    expect(all.res.data!._entities.every((p: any) => p.scorecard.some((r: any) => r.level === 'GRAND_TOTAL'))).toBe(true);

    const [a, b] = twoBusiest();
    const asA = await measure([a, b], partnerIdentity(a));
    expect(asA.statements).toBe(2);
    expect(asA.res.data!._entities[0]).toEqual(all.res.data!._entities[0]);
    expect(asA.res.data!._entities[1]).toEqual({ id: b, scorecard: null });
    expect(asA.res.errors).toEqual([
      expect.objectContaining({ path: ['_entities', 1, 'scorecard'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
    ]);
  });

  it('computes the value figures only when the operation asks for them, through fragments too, in two statements more', async () => {
    const value = `value { reportingCurrency valuedHandoffs proposed leakage { total neverProposed } revenueAtRisk unconvertible { figure currency amount handoffs } }`;
    const run = async (selection: string, fragments = '') => {
      const before = totalQueryCount();
      const res = await subgraphGql(
        url,
        `query { scorecard(filter: { period: QUARTER, groupBy: [PARTNER] }) { level partnerId ${selection} } } ${fragments}`,
        {},
        INTERNAL,
      );
      expect(res.errors).toBeUndefined();
      return {
        rows: res.data!.scorecard as { level: string; value?: { valuedHandoffs: number; unconvertible: { handoffs: number }[] } }[],
        statements: totalQueryCount() - before,
      };
    };
    const plain = await run('proposed');
    const withValue = await run(value);
    const viaFragment = await run('...figures', `fragment figures on ScorecardRow { ... on ScorecardRow { ${value} } }`);
    expect([plain.statements, withValue.statements, viaFragment.statements]).toEqual([2, 4, 4]);
    expect(viaFragment.rows).toEqual(withValue.rows);
    const grand = withValue.rows.find((r) => r.level === 'GRAND_TOTAL')!.value!;
    // The demo sets no exchange rates: every demo value is listed, natively, as unconvertible.
    expect(grand.valuedHandoffs).toBeGreaterThan(0);
    expect(grand.unconvertible.filter((u) => (u as { figure?: string }).figure === 'PROPOSED').reduce((n, u) => n + u.handoffs, 0)).toBe(grand.valuedHandoffs);
    // Partner.scorecard: the value under the same batch, 4 statements for a page of partners.
    const before = totalQueryCount();
    const res = await subgraphGql(
      url,
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partner { id scorecard(filter: { period: QUARTER, groupBy: [MOMENT] }) { level ${value} } } } }`,
      { reps: partners.map((id) => ({ __typename: 'Partner', id })) },
      INTERNAL,
    );
    expect(res.errors).toBeUndefined();
    expect(totalQueryCount() - before).toBe(4);
  });
});
