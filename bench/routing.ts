import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { openDataSource } from '../shared/db/data-source';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { countQueries } from '../shared/db/query-counter';
import { appendEvents, type NewEvent } from '../shared/eventlog/event-log';
import { HandoffMoment, Region } from '../shared/graphql/enums';
import { createLogger } from '../shared/logger';
import { createRoutingStatsConsumer } from '../subgraphs/handoffs/src/consumers/routing-stats.consumer';
import { createHandoffsDataSource } from '../subgraphs/handoffs/src/data-source';
import { RoutingStrategy } from '../subgraphs/handoffs/src/entities/routing.entity';
import { route } from '../subgraphs/handoffs/src/services/routing/routing.service';
import { setRoutingRule } from '../subgraphs/handoffs/src/services/routing/rules.service';

/**
 * `npm run bench:routing [-- --handoffs=1000000 --candidates=200 --runs=500 --database=postgres://…]`
 * routeCandidates' work (route() in preview, as the resolver runs it) for one rule with 200
 * candidates, TERRITORY → CAPACITY → SCORECARD, over a 1M-handoff history: 1M rows in
 * handoffs.handoffs (CAPACITY counts the open ones) and their daily figures in
 * routing_stats_daily (SCORECARD's one statement). The figures are built with one
 * INSERT … SELECT from the history — what the stats consumer would hold after folding it;
 * the consumer's own throughput is measured on a sample of events. Prints JSON.
 * Target: p99 < 50 ms. `--explain` prints each statement's plan on stderr.
 */
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const HANDOFFS = Number(arg('handoffs', '1000000'));
const CANDIDATES = Number(arg('candidates', '200'));
const RUNS = Number(arg('runs', '500'));
const CUSTOMERS = 200_000;
const SAMPLE_EVENTS = 20_000;
const id = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-a000-${n.toString(16).padStart(12, '0')}`;
const round = (x: number) => Math.round(x * 100) / 100;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function main() {
  const loadAtStart = round(loadavg()[0] ?? 0);
  let url = arg('database', '');
  let stopPg: (() => Promise<void>) | undefined;
  if (!url) {
    const dir = mkdtempSync(join(tmpdir(), 'hub-bench-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: 5498, persistent: false });
    const admin = new Client({ connectionString: pg.url });
    await admin.connect();
    await admin.query('CREATE DATABASE hub_bench_routing');
    await admin.end();
    const u = new URL(pg.url);
    u.pathname = '/hub_bench_routing';
    url = u.toString();
    stopPg = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const db = await openDataSource(createHandoffsDataSource(url, 4));
  const t0 = performance.now();
  // Partners (candidate n is partner n), customers, then the history: 5 moments × 4 segments × 4 regions over the last year.
  await db.query(
    `INSERT INTO handoffs.partners (id, name, kind, tier, region, status)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(1000 + n), 12, '0'))::uuid, 'Partner ' || n, 'SERVICE_PROVIDER', 'GOLD', (ARRAY['NA','LATAM','EMEA','APAC'])[1 + n % 4], 'ACTIVE'
       FROM generate_series(0, $1 - 1) n`,
    [Math.max(CANDIDATES, 50)],
  );
  await db.query(
    `INSERT INTO handoffs.customers (id, name, segment, region, lifecycle_stage)
     SELECT ('00000000-0000-4000-9000-' || lpad(to_hex(n), 12, '0'))::uuid, 'Customer ' || n, (ARRAY['SMB','MID_MARKET','ENTERPRISE','STRATEGIC'])[1 + n % 4],
            (ARRAY['NA','LATAM','EMEA','APAC'])[1 + (n / 4) % 4], 'CLOSED_WON'
       FROM generate_series(0, $1 - 1) n`,
    [CUSTOMERS],
  );
  // Closed handoffs, except one open (PROPOSED) per customer for the first 20,000 rows.
  await db.query(
    `INSERT INTO handoffs.handoffs (customer_id, customer_name, moment, state, to_partner_id, customer_segment, customer_region, context_package,
                                    customer_message, required_data_complete, proposed_at, accepted_at, closed_at, updated_at)
     SELECT c, 'x', (ARRAY['MQL_TO_SQL','DIRECT_TO_PARTNER','CLOSED_WON_TO_ONBOARDING','ONBOARDING_TO_SUCCESS','SUCCESS_TO_RENEWAL'])[1 + n % 5],
            s, p, (ARRAY['SMB','MID_MARKET','ENTERPRISE','STRATEGIC'])[1 + (n % $3) % 4], (ARRAY['NA','LATAM','EMEA','APAC'])[1 + ((n % $3) / 4) % 4],
            '{"summary":"bench"}', 'x', true, at, CASE WHEN s = 'COMPLETED' THEN at + interval '1 day' END, CASE WHEN s <> 'COMPLETED' AND s <> 'PROPOSED' THEN at + interval '1 day' END, at
       FROM (SELECT n, ('00000000-0000-4000-9000-' || lpad(to_hex(n % $3), 12, '0'))::uuid AS c,
                    ('00000000-0000-4000-8000-' || lpad(to_hex(1000 + (hashint4(n) & 2147483647) % $2), 12, '0'))::uuid AS p,
                    now() - ((hashint4(n * 7) & 2147483647) % 365) * interval '1 day' AS at,
                    CASE WHEN n < 20000 THEN 'PROPOSED' ELSE (ARRAY['COMPLETED','COMPLETED','COMPLETED','COMPLETED','COMPLETED','REJECTED','EXPIRED'])[1 + (hashint4(n * 13) & 2147483647) % 7] END AS s
               FROM generate_series(0, $1 - 1) n) g`,
    [HANDOFFS, Math.max(CANDIDATES, 50), CUSTOMERS],
  );
  // What the stats consumer holds after folding that history (SLA and ratings drawn per row).
  await db.query(
    `INSERT INTO handoffs.routing_stats_daily (moment_key, segment, partner_id, day, proposed, accepted, rejected, expired, sla_met, sla_breached, rating_sum, rating_count)
     SELECT moment, coalesce(customer_segment, ''), to_partner_id, proposed_at::date, count(*), count(*) FILTER (WHERE accepted_at IS NOT NULL),
            count(*) FILTER (WHERE state = 'REJECTED'), count(*) FILTER (WHERE state = 'EXPIRED'),
            count(*) FILTER (WHERE accepted_at IS NOT NULL AND hashtext(id::text) % 10 <> 0), count(*) FILTER (WHERE accepted_at IS NOT NULL AND hashtext(id::text) % 10 = 0),
            sum(CASE WHEN hashtext(id::text) % 3 = 0 THEN 1 + abs(hashtext(id::text)) % 5 ELSE 0 END), count(*) FILTER (WHERE hashtext(id::text) % 3 = 0)
       FROM handoffs.handoffs GROUP BY 1, 2, 3, 4`,
  );
  await db.query('VACUUM ANALYZE handoffs.handoffs');
  await db.query('VACUUM ANALYZE handoffs.routing_stats_daily');
  const buildSeconds = round((performance.now() - t0) / 1000);
  const [{ statsRows } = { statsRows: 0 }]: { statsRows: number }[] = await db.query(`SELECT count(*)::int AS "statsRows" FROM handoffs.routing_stats_daily`);

  const internal = { role: 'INTERNAL' as const, scopes: ['admin'], partnerId: '00000000-0000-4000-8000-000000000001' };
  const partnerIds: { id: string }[] = await db.query(`SELECT id FROM handoffs.partners ORDER BY id LIMIT $1`, [CANDIDATES]);
  const rule = await setRoutingRule(db, internal, {
    moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
    customMoment: null,
    customerSegment: null,
    customerRegion: null,
    currentOwnerKind: null,
    strategies: [RoutingStrategy.TERRITORY, RoutingStrategy.CAPACITY, RoutingStrategy.SCORECARD],
    // Every candidate serves every region (all 200 reach the ranking); every one has a limit (all 200 are counted).
    candidates: partnerIds.map((p) => ({
      partnerId: p.id,
      weight: 1,
      regions: [Region.NA, Region.LATAM, Region.EMEA, Region.APAC],
      segments: [],
      maxOpen: 1000,
      paused: false,
    })),
    rerouteOnReject: false,
    minSample: 10,
    changeNote: null,
  });
  const customer = (n: number) => `00000000-0000-4000-9000-${(n % CUSTOMERS).toString(16).padStart(12, '0')}`;
  const once = (n: number) => route(db.manager, { customerId: customer(n), moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING }, { commit: false });
  for (let i = 0; i < 20; i++) await once(i);
  const { result: sampleDecision, count: statements } = await countQueries(() => once(7));
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await once(1000 + i);
    ms.push(performance.now() - t);
  }
  ms.sort((a, b) => a - b);

  if (process.argv.includes('--explain')) {
    // Where the time goes: each of route()'s statements once, with its plan (on stderr).
    const statementsSeen: { sql: string; params: unknown[] }[] = [];
    const original = db.manager.query.bind(db.manager);
    (db.manager as { query: typeof original }).query = (sql: string, params?: unknown[]) => {
      statementsSeen.push({ sql, params: params ?? [] });
      return original(sql, params);
    };
    await once(12);
    (db.manager as { query: typeof original }).query = original;
    for (const st of statementsSeen) {
      const plan: { 'QUERY PLAN': string }[] = await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${st.sql}`, st.params);
      console.error(`${st.sql.slice(0, 120)}\n${plan.map((r) => '  ' + r['QUERY PLAN']).join('\n')}\n`);
    }
  }

  // The stats consumer on a sample of the events that feed it (proposal, decision, SLA stop).
  const events: NewEvent[] = [];
  for (let n = 0; n < SAMPLE_EVENTS / 3; n++) {
    const handoff = {
      id: id(1, n),
      customerId: customer(n),
      moment: 'CLOSED_WON_TO_ONBOARDING',
      customMoment: null,
      state: 'PROPOSED',
      fromPartnerId: null,
      toPartnerId: partnerIds[n % partnerIds.length]!.id,
      toPartnerTier: 'GOLD',
      customerSegment: 'SMB',
      customerRegion: 'NA',
      playbookId: null,
      playbookVersion: null,
      requiredDataComplete: true,
      onHold: false,
      proposedAt: new Date().toISOString(),
      acceptedAt: null,
      completedAt: null,
      closedAt: null,
    };
    const ev = (type: string, payload: Record<string, unknown>): NewEvent => ({
      type,
      source: 'bench',
      aggregateType: 'Handoff',
      aggregateId: handoff.id,
      payload,
      visibleTo: [],
    });
    events.push(ev('HandoffProposed', { handoff }), ev(n % 5 ? 'HandoffAccepted' : 'HandoffRejected', { handoff }));
    events.push(ev('SlaClockStopped', { clock: { id: id(2, n), state: 'MET', accountablePartnerId: handoff.toPartnerId }, handoff }));
  }
  await db.transaction(async (m) => {
    for (let i = 0; i < events.length; i += 2000) await appendEvents(m, events.slice(i, i + 2000));
  });
  const consumer = createRoutingStatsConsumer(db, createLogger('bench', 'warn'));
  const tc = performance.now();
  await consumer.drain();
  const consumerSeconds = (performance.now() - tc) / 1000;
  await consumer.stop();

  const result = {
    handoffs: HANDOFFS,
    candidates: CANDIDATES,
    strategies: rule.strategies,
    statsRows,
    buildSeconds,
    runs: RUNS,
    statementsPerRoute: statements,
    rankedCandidates: sampleDecision.candidates.filter((c) => c.rank !== null).length,
    scoredCandidates: sampleDecision.candidates.filter((c) => c.score !== null).length,
    routeCandidatesMs: {
      p50: round(percentile(ms, 0.5)),
      p95: round(percentile(ms, 0.95)),
      p99: round(percentile(ms, 0.99)),
      max: round(ms[ms.length - 1] ?? 0),
    },
    targetP99Ms: 50,
    statsConsumerEventsPerSecond: Math.round(events.length / consumerSeconds),
    loadAverage1mAtStart: loadAtStart,
    loadAverage1mAfter: round(loadavg()[0] ?? 0),
  };
  console.log(JSON.stringify(result, null, 2));
  await db.destroy();
  await stopPg?.();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
