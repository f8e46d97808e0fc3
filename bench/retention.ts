import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openDataSource } from '../shared/db/data-source';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { countQueries } from '../shared/db/query-counter';
import { createLogger } from '../shared/logger';
import { createScorecardsDataSource } from '../subgraphs/scorecards/src/data-source';
import { createRetentionConsumer } from '../subgraphs/scorecards/src/consumers/retention.consumer';
import { RetentionDimension } from '../subgraphs/scorecards/src/entities/retention-dimension';
import { queryLifetimeValue } from '../subgraphs/scorecards/src/services/lifetime-value';
import { fetchHistories, periodsOf, queryRevenueRetention, unitsOf, type RetentionQuery } from '../subgraphs/scorecards/src/services/retention';

/**
 * `npm run bench:retention [-- --customers=200000 --database=postgres://…]`
 * Writes N customers' revenue history over 2025 (creation with ARR in EUR or USD, a third
 * change hands, half get a renewal outcome, a fifth a commercials update) into the event
 * log with their own instants, folds it with the real retention consumer, then times
 * revenueRetention for the year by partner × quarter (all partners, and one), and the
 * lifetime values. 200,000 customers is the customer count of the 1,000,000-handoff
 * scorecards bench. Prints JSON. Target: the year by partner × quarter < 200 ms.
 */
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const CUSTOMERS = Number(arg('customers', '200000'));
const CHUNK = 10_000;
const PARTNERS = Array.from({ length: 50 }, (_, i) => `00000000-0000-4000-8000-${String(1000 + i).padStart(12, '0')}`);
const SEGMENTS = ['SMB', 'MID_MARKET', 'ENTERPRISE', 'STRATEGIC'];
const REGIONS = ['NA', 'LATAM', 'EMEA', 'APAC'];
const YEAR_START = Date.parse('2025-01-01T00:00:00Z');
const DAY = 86400_000;

let seed = 7;
const random = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = <T>(xs: readonly T[]): T => {
  const x = xs[Math.floor(random() * xs.length)];
  if (x === undefined) throw new Error('picked from an empty list');
  return x;
};
const uuid = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-a000-${n.toString(16).padStart(12, '0')}`;
const at = (sorted: number[], position: number) => sorted[Math.floor(position)] ?? NaN;
const round = (x: number) => Math.round(x * 10) / 10;

interface Row {
  type: string;
  aggregate_id: string;
  payload: Record<string, unknown>;
  occurred_at: string;
}

function customerRows(n: number): Row[] {
  const id = uuid(2, n);
  const owner = PARTNERS[Math.floor(Math.pow(random(), 1.5) * PARTNERS.length)] ?? pick(PARTNERS);
  const currency = random() < 0.8 ? 'EUR' : 'USD';
  const arr = Math.round(1000 + random() * 99_000);
  const created = new Date(YEAR_START - random() * 365 * DAY);
  const renewal = new Date(YEAR_START + random() * 365 * DAY);
  const snapshot = (a: number, ownerPartnerId: string) => ({
    id,
    name: `Bench ${n}`,
    domain: null,
    segment: pick(SEGMENTS),
    region: pick(REGIONS),
    lifecycleStage: 'CUSTOMER',
    ownerPartnerId,
    version: 1,
    commercials: {
      currency,
      arr: `${a}.00`,
      pipelineValue: null,
      contractValue: null,
      contractTermMonths: 12,
      renewalDate: renewal.toISOString().slice(0, 10),
    },
  });
  const rows: Row[] = [
    { type: 'CustomerCreated', aggregate_id: id, payload: { customer: snapshot(arr, owner), changed: [] }, occurred_at: created.toISOString() },
  ];
  let current = owner;
  if (random() < 0.33) {
    const to = pick(PARTNERS);
    const t = new Date(YEAR_START + random() * 365 * DAY).toISOString();
    rows.push({
      type: 'OwnershipChanged',
      aggregate_id: id,
      payload: { id: uuid(5, n), customerId: id, fromPartnerId: owner, toPartnerId: to, handoffId: null, actorPartnerId: null, at: t },
      occurred_at: t,
    });
    current = to;
  }
  if (random() < 0.5) {
    const roll = random();
    const kind = roll < 0.1 ? 'CHURNED' : roll < 0.3 ? 'CONTRACTED' : roll < 0.6 ? 'EXPANDED' : 'RENEWED';
    const next = kind === 'CHURNED' ? 0 : kind === 'CONTRACTED' ? Math.round(arr * 0.8) : kind === 'EXPANDED' ? Math.round(arr * 1.25) : arr;
    const recordedAt = new Date(renewal.getTime() + DAY).toISOString();
    rows.push({
      type: 'RenewalOutcomeRecorded',
      aggregate_id: id,
      payload: {
        outcome: {
          id: uuid(6, n),
          customerId: id,
          ownerPartnerId: current,
          kind,
          previousArr: `${arr}.00`,
          newArr: `${next}.00`,
          currency,
          effectiveDate: renewal.toISOString().slice(0, 10),
          handoffId: null,
          recordedByPartnerId: current,
          recordedAt,
        },
      },
      occurred_at: recordedAt,
    });
  } else if (random() < 0.4) {
    const t = new Date(YEAR_START + random() * 365 * DAY).toISOString();
    rows.push({
      type: 'CustomerUpdated',
      aggregate_id: id,
      payload: { customer: snapshot(Math.round(arr * 1.1), current), changed: ['commercials'] },
      occurred_at: t,
    });
  }
  return rows;
}

async function main() {
  const loadAtStart = round(loadavg()[0] ?? NaN);
  const log = createLogger('bench', 'warn');
  let url = arg('database', '');
  let stopPg: (() => Promise<void>) | undefined;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'hub-bench-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: 5498, persistent: false });
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
  const consumer = createRetentionConsumer({ dataSource: db, log, batchSize: 2000 });
  let events = 0;
  let projectMs = 0;
  for (let n = 0; n < CUSTOMERS; n += CHUNK) {
    const rows: Row[] = [];
    for (let i = n; i < Math.min(CUSTOMERS, n + CHUNK); i++) rows.push(...customerRows(i));
    // In time order, as the log would have them.
    rows.sort((a, b) => a.occurred_at.localeCompare(b.occurred_at));
    await db.query(
      `INSERT INTO eventlog.events (type, source, aggregate_type, aggregate_id, payload, occurred_at)
       SELECT type, 'bench', 'Customer', aggregate_id, payload, occurred_at FROM jsonb_to_recordset($1::jsonb) AS r(type text, aggregate_id text, payload jsonb, occurred_at timestamptz)`,
      [JSON.stringify(rows)],
    );
    const t = performance.now();
    await consumer.drain();
    projectMs += performance.now() - t;
    events += rows.length;
  }
  for (const t of ['retention_customers', 'retention_owners', 'retention_ownership', 'retention_arr', 'renewal_outcomes'])
    await db.query(`VACUUM ANALYZE scorecards.${t}`);

  const internal = { role: 'INTERNAL' as const, scopes: [], partnerId: PARTNERS[0] };
  const year: RetentionQuery = {
    from: new Date('2025-01-01T00:00:00Z'),
    to: new Date('2026-01-01T00:00:00Z'),
    groupBy: [RetentionDimension.PARTNER, RetentionDimension.PERIOD],
  };
  const time = async <T extends unknown[]>(fn: () => Promise<T>, runs = 5) => {
    const { count, result } = await countQueries(fn);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await fn();
      ms.push(performance.now() - t);
    }
    ms.sort((a, b) => a - b);
    return { rows: result.length, statements: count, p50Ms: round(at(ms, runs / 2)), maxMs: round(at(ms, runs - 1)) };
  };
  const result = {
    customers: CUSTOMERS,
    partners: PARTNERS.length,
    events,
    projectionEventsPerSecond: Math.round(events / (projectMs / 1000)),
    loadAverage1mAtStart: loadAtStart,
    loadAverage1mBeforeQueries: round(loadavg()[0] ?? NaN),
    yearByPartnerAndQuarter: await time(() => queryRevenueRetention(db, internal, year)),
    // Where the time goes: reading the histories, and working out the units from them.
    readHistoriesMs: await (async () => {
      const t = performance.now();
      const histories = await fetchHistories(db, { partnerId: null });
      const read = performance.now() - t;
      const u = performance.now();
      unitsOf(histories, periodsOf(year, new Date()), {});
      return { read: round(read), units: round(performance.now() - u), customers: histories.length };
    })(),
    onePartnerYearByQuarter: await time(() => queryRevenueRetention(db, internal, { ...year, partnerId: PARTNERS[0] })),
    lifetimeValueAllPartners: await time(() => queryLifetimeValue(db, internal, {})),
    queryTargetMs: 200,
    loadAverage1mAfter: round(loadavg()[0] ?? NaN),
  };
  console.log(JSON.stringify(result, null, 2));
  await consumer.stop();
  await db.destroy();
  await stopPg?.();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
