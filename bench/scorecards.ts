import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { isInternal } from '../shared/auth/identity';
import { openDataSource } from '../shared/db/data-source';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { appendEvents, type NewEvent } from '../shared/eventlog/event-log';
import { EXCHANGE_RATES_SET, type ExchangeRatesSetPayload, type HandoffSnapshot, type SlaClockSnapshot } from '../shared/eventlog/events';
import { createLogger } from '../shared/logger';
import { createScorecardsDataSource } from '../subgraphs/scorecards/src/data-source';
import { ScorecardDimension, ScorecardPeriod } from '../subgraphs/scorecards/src/entities/enums';
import { createProjectionConsumer } from '../subgraphs/scorecards/src/consumers/projection.consumer';
import { createExchangeRatesConsumer } from '../subgraphs/scorecards/src/consumers/exchange-rates.consumer';
import { countQueries } from '../shared/db/query-counter';
import { queryPartnerScorecards, queryScorecard } from '../subgraphs/scorecards/src/services/scorecard-query';

/**
 * `npm run bench:scorecards [-- --handoffs=1000000 --database=postgres://…]`
 * Writes N handoffs' events (proposal, SLA clocks, acceptance or a leak, completion) over
 * 50 partners and one year into the event log, projects them with the real durable
 * consumer, then times the scorecard of one quarter grouped by partner × moment (and a few
 * other shapes, and Partner.scorecard for a page of 20 partners in one batch), each also
 * with its value figures: every handoff carries a value (EUR, USD or GBP), and exchange rates
 * into EUR for every day of the year are set, as accounts would, before the handoffs. Prints JSON.
 * Targets (the scorecards must answer a quarter interactively and keep up with the busiest event rate): quarter query < 200 ms; projection ≥ 2,000 events/s.
 */
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const HANDOFFS = Number(arg('handoffs', '1000000'));
const CHUNK = 20_000;
const PARTNERS = Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(1000 + i).padStart(12, '0')}`);
const MOMENTS = ['MQL_TO_SQL', 'DIRECT_TO_PARTNER', 'CLOSED_WON_TO_ONBOARDING', 'ONBOARDING_TO_SUCCESS', 'SUCCESS_TO_RENEWAL', 'CUSTOM'] as const;
const SEGMENTS = ['SMB', 'MID_MARKET', 'ENTERPRISE', 'STRATEGIC'];
const REGIONS = ['NA', 'LATAM', 'EMEA', 'APAC'];
const YEAR_START = Date.parse('2025-01-01T00:00:00Z');
const YEAR_MS = 365 * 86400_000;

const generator = (start: number) => {
  let seed = start;
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 4294967296;
  };
};
const random = generator(42);
/** Values draw from their own sequence, so the handoffs (and every count figure) are those of the runs before values existed. */
const valueRandom = generator(7);
const CURRENCIES = ['EUR', 'EUR', 'EUR', 'USD', 'USD', 'GBP'] as const;
const pick = <T>(xs: readonly T[]): T => {
  const x = xs[Math.floor(random() * xs.length)];
  if (x === undefined) throw new Error('picked from an empty list');
  return x;
};
/** The sample at a (fractional) position of a sorted list; NaN when there is none. */
const at = (sorted: number[], position: number) => sorted[Math.floor(position)] ?? NaN;
const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-a000-${n.toString(16).padStart(12, '0')}`;

function handoffEvents(n: number): NewEvent[] {
  // Skewed towards the first partners, as real traffic is.
  const to = PARTNERS[Math.floor(Math.pow(random(), 1.5) * PARTNERS.length)] ?? pick(PARTNERS);
  const proposedAt = new Date(YEAR_START + random() * YEAR_MS);
  const s: HandoffSnapshot = {
    id: uuid(1, n),
    customerId: uuid(2, n % 200_000),
    moment: pick(MOMENTS),
    customMoment: null,
    state: 'PROPOSED',
    fromPartnerId: pick(PARTNERS),
    toPartnerId: to,
    toPartnerTier: 'GOLD',
    customerSegment: pick(SEGMENTS),
    customerRegion: pick(REGIONS),
    playbookId: random() < 0.7 ? uuid(3, 1) : null,
    playbookVersion: 1,
    requiredDataComplete: random() < 0.8,
    onHold: false,
    proposedAt: proposedAt.toISOString(),
    acceptedAt: null,
    completedAt: null,
    closedAt: null,
    value: {
      amount: (Math.floor(valueRandom() * 5_000_000) / 100).toFixed(2),
      currency: CURRENCIES[Math.floor(valueRandom() * CURRENCIES.length)] ?? 'EUR',
      source: 'PIPELINE',
    },
  };
  const ev = (type: string, payload: Record<string, unknown>): NewEvent => ({
    type,
    source: 'bench',
    aggregateType: 'Handoff',
    aggregateId: s.id,
    payload,
    visibleTo: [to],
  });
  const out: NewEvent[] = [ev('HandoffProposed', { handoff: { ...s } })];
  const clock: SlaClockSnapshot = {
    id: uuid(4, n),
    handoffId: s.id,
    policyId: uuid(5, 1),
    policyVersion: 1,
    target: 'ACCEPT',
    state: 'RUNNING',
    startedAt: s.proposedAt,
    dueAt: null,
    stoppedAt: null,
    businessSecondsElapsed: 0,
    targetBusinessSeconds: 28800,
  };
  const sla = random() < 0.6;
  if (sla) out.push(ev('SlaClockStarted', { clock, handoff: { ...s } }));
  const roll = random();
  const at = new Date(proposedAt.getTime() + random() * 3 * 86400_000);
  if (roll < 0.15) {
    Object.assign(s, { state: pick(['REJECTED', 'CANCELLED', 'EXPIRED'] as const), closedAt: at.toISOString() });
    out.push(ev(`Handoff${s.state[0]}${s.state.slice(1).toLowerCase()}`, { handoff: { ...s } }));
    if (sla) out.push(ev('SlaClockStopped', { clock: { ...clock, state: 'CANCELLED', stoppedAt: at.toISOString() }, handoff: { ...s } }));
    return out;
  }
  if (roll < 0.17) return out; // still open
  Object.assign(s, { state: 'ACCEPTED', acceptedAt: at.toISOString() });
  out.push(ev('HandoffAccepted', { handoff: { ...s } }));
  if (sla)
    out.push(
      ev('SlaClockStopped', {
        clock: { ...clock, state: random() < 0.85 ? 'MET' : 'BREACHED', stoppedAt: at.toISOString(), businessSecondsElapsed: Math.round(random() * 60_000) },
        handoff: { ...s },
      }),
    );
  if (random() < 0.85)
    out.push(ev('HandoffCompleted', { handoff: { ...s, state: 'COMPLETED', completedAt: new Date(at.getTime() + random() * 20 * 86400_000).toISOString() } }));
  return out;
}

async function main() {
  const loadAtStart = round(loadavg()[0] ?? NaN);
  const log = createLogger('bench', 'warn');
  let url = arg('database', '');
  let stopPg: (() => Promise<void>) | undefined;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'hub-bench-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: 5499, persistent: false });
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query('CREATE DATABASE hub_bench');
    await admin.end();
    const u = new URL(pg.url);
    u.pathname = '/hub_bench';
    url = u.toString();
    stopPg = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const db = await openDataSource(createScorecardsDataSource(url, 4));
  const consumer = createProjectionConsumer({ dataSource: db, log });
  // A rate into EUR for USD and GBP on every day of the year (one version).
  const rates: ExchangeRatesSetPayload['rates'] = [];
  for (let d = 0; d < 365; d++) {
    const day = new Date(YEAR_START + d * 86400_000).toISOString().slice(0, 10);
    rates.push({ currency: 'USD', day, rate: (0.88 + (d % 17) / 1000).toFixed(4) }, { currency: 'GBP', day, rate: (1.15 + (d % 13) / 1000).toFixed(4) });
  }
  const ratesPayload: ExchangeRatesSetPayload = { version: 1, reportingCurrency: 'EUR', rates, setByPartnerId: null, at: new Date(YEAR_START).toISOString() };
  await db.transaction((m) =>
    appendEvents(m, [
      { type: EXCHANGE_RATES_SET, source: 'bench', aggregateType: 'ExchangeRates', aggregateId: 'EUR', payload: { ...ratesPayload }, visibleTo: [] },
    ]),
  );
  await createExchangeRatesConsumer({ dataSource: db, log }).drain();
  let events = 0;
  let appendMs = 0;
  let projectMs = 0;
  for (let n = 0; n < HANDOFFS; n += CHUNK) {
    const chunk: NewEvent[] = [];
    for (let i = n; i < Math.min(HANDOFFS, n + CHUNK); i++) chunk.push(...handoffEvents(i));
    let t = performance.now();
    await db.transaction(async (m) => {
      for (let i = 0; i < chunk.length; i += 2000) await appendEvents(m, chunk.slice(i, i + 2000));
    });
    appendMs += performance.now() - t;
    t = performance.now();
    await consumer.drain();
    projectMs += performance.now() - t;
    events += chunk.length;
  }
  await db.query('VACUUM ANALYZE scorecards.rollups');
  await db.query('VACUUM ANALYZE scorecards.handoff_facts');
  await db.query('VACUUM ANALYZE scorecards.value_cells');
  await db.query('VACUUM ANALYZE scorecards.value_rollups');
  await db.query('VACUUM ANALYZE scorecards.effective_rates');

  const internal = { role: 'INTERNAL' as const, scopes: [], partnerId: PARTNERS[0] };
  void isInternal;
  const quarter = {
    period: ScorecardPeriod.QUARTER,
    from: new Date('2025-04-01T00:00:00Z'),
    to: new Date('2025-07-01T00:00:00Z'),
    groupBy: [ScorecardDimension.PARTNER, ScorecardDimension.MOMENT],
    includeTotals: true,
  };
  const time = async (q: Parameters<typeof queryScorecard>[2], runs = 30) => {
    await queryScorecard(db, internal, q);
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      rows = (await queryScorecard(db, internal, q)).length;
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return { rows, p50Ms: round(at(ms, runs / 2)), p95Ms: round(at(ms, runs * 0.95)), maxMs: round(at(ms, runs - 1)) };
  };
  const [{ cells, partnerLevelCells }] = await db.query(
    `SELECT count(*) FILTER (WHERE segment <> '*')::int AS cells, count(*) FILTER (WHERE segment = '*')::int AS "partnerLevelCells"
       FROM scorecards.rollups WHERE grain = 'QUARTER' AND period_start = '2025-04-01'`,
  );
  // Partner.scorecard on a page of 20 customers' owners: one batch of the per-request loader.
  const page = PARTNERS.slice(0, 20);
  const partnerFilter = { period: ScorecardPeriod.QUARTER, groupBy: [ScorecardDimension.MOMENT], includeTotals: true, from: quarter.from, to: quarter.to };
  const partnerPage = async (runs = 30, withValue = false) => {
    const filter = { ...partnerFilter, withValue };
    const { count } = await countQueries(() => queryPartnerScorecards(db, internal, filter, page));
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await queryPartnerScorecards(db, internal, filter, page);
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return { partners: page.length, statements: count, p50Ms: round(at(ms, runs / 2)), p95Ms: round(at(ms, runs * 0.95)) };
  };
  // Value rollups of the quarter: a row per cell and currency, fine and partner-level.
  const [{ valueCells, partnerLevelValueCells }] = await db.query(
    `SELECT count(*) FILTER (WHERE segment <> '*')::int AS "valueCells", count(*) FILTER (WHERE segment = '*')::int AS "partnerLevelValueCells"
       FROM scorecards.value_rollups WHERE grain = 'QUARTER' AND period_start = '2025-04-01'`,
  );
  const withValue = { ...quarter, withValue: true };
  const result = {
    handoffs: HANDOFFS,
    partners: PARTNERS.length,
    events,
    appendEventsPerSecond: Math.round(events / (appendMs / 1000)),
    projectionEventsPerSecond: Math.round(events / (projectMs / 1000)),
    projectionTargetEventsPerSecond: 2000,
    quarterRollupCells: cells,
    quarterPartnerLevelCells: partnerLevelCells,
    quarterValueCells: valueCells,
    quarterPartnerLevelValueCells: partnerLevelValueCells,
    loadAverage1mAtStart: loadAtStart,
    loadAverage1mBeforeQueries: round(loadavg()[0] ?? NaN),
    quarterByPartnerAndMoment: await time(quarter),
    quarterByPartnerMomentSegmentRegion: await time({
      ...quarter,
      groupBy: [ScorecardDimension.PARTNER, ScorecardDimension.MOMENT, ScorecardDimension.SEGMENT, ScorecardDimension.REGION],
    }),
    onePartnerQuarterByMoment: await time({ ...quarter, groupBy: [ScorecardDimension.MOMENT], partnerIds: PARTNERS.slice(0, 1) }),
    monthByDay: await time({ ...quarter, period: ScorecardPeriod.DAY, to: new Date('2025-05-01T00:00:00Z'), groupBy: [ScorecardDimension.PARTNER] }, 10),
    partnerScorecardPageOf20: await partnerPage(),
    quarterByPartnerAndMomentWithValue: await time(withValue),
    quarterByPartnerMomentSegmentRegionWithValue: await time(
      { ...withValue, groupBy: [ScorecardDimension.PARTNER, ScorecardDimension.MOMENT, ScorecardDimension.SEGMENT, ScorecardDimension.REGION] },
      5,
    ),
    onePartnerQuarterByMomentWithValue: await time({ ...withValue, groupBy: [ScorecardDimension.MOMENT], partnerIds: PARTNERS.slice(0, 1) }),
    monthByDayWithValue: await time(
      { ...withValue, period: ScorecardPeriod.DAY, to: new Date('2025-05-01T00:00:00Z'), groupBy: [ScorecardDimension.PARTNER] },
      10,
    ),
    partnerScorecardPageOf20WithValue: await partnerPage(30, true),
    queryTargetMs: 200,
    loadAverage1mAfter: round(loadavg()[0] ?? NaN),
  };
  console.log(JSON.stringify(result, null, 2));
  await consumer.stop();
  await db.destroy();
  await stopPg?.();
}

const round = (x: number) => Math.round(x * 10) / 10;

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
