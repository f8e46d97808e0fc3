import autocannon from 'autocannon';
import type { QueryPlannerKind } from '../shared/config';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { mainReadQuery, MAIN_READ_PAGE } from './main-read';
import { arg, bearer, benchDatabase, cpuMeter, graphql, registeredSubgraphs, round, runBench, scrape, startServices } from './support';

/**
 * P2 the partner's main read through the gateway at 50 concurrent clients (autocannon):
 * throughput and latency percentiles, every service in its own process as in production.
 * Targets: ≥ 800 requests/s and p99 < 100 ms on 2 cores. Each query planner
 * (`--planners=native,javascript`, the first is the one reported) gets its own gateway
 * in front of the same subgraphs, one after the other, so the two are compared on one machine.
 */
const CONNECTIONS = Number(arg('connections') ?? 50);
const DURATION_S = Number(arg('duration') ?? 20);
const WARMUP_S = 5;
const PLANNERS = (arg('planners') ?? 'native,javascript').split(',') as QueryPlannerKind[];

runBench('P2 main read', async () => {
  const registered = registeredSubgraphs();
  const { query, missing } = mainReadQuery(registered);
  const db = await benchDatabase();
  const subgraphs = await startServices(db, registered);
  const subgraphUrls = Object.fromEntries(Object.values(subgraphs).map((s) => [`${s.name.toUpperCase()}_URL`, s.url]));
  // Acme: a reseller with customers, handoffs and clocks in the demo data.
  const partner = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
  const headers = { 'content-type': 'application/json', ...bearer(partner.apiKey) };
  const body = JSON.stringify({ query, variables: { first: MAIN_READ_PAGE } });

  const measure = async (planner: QueryPlannerKind) => {
    const { gateway } = await startServices(db, ['gateway'], { ...subgraphUrls, HUB_QUERY_PLANNER: planner });
    const sample = await graphql<{ customers: { nodes: unknown[] } }>(gateway.url, query, { first: MAIN_READ_PAGE }, bearer(partner.apiKey));
    const run = (duration: number) => autocannon({ url: gateway.url, method: 'POST', headers, body, connections: CONNECTIONS, duration, timeout: 10 });
    await run(WARMUP_S);
    const cpu = cpuMeter({ ...subgraphs, gateway });
    await cpu.start();
    const r = await run(DURATION_S);
    const cpuMsPerRequest = await cpu.perRequest(r.requests.total);
    const gatewayRssMiB = round((await scrape(gateway.url, 'process_resident_memory_bytes')) / 2 ** 20, 1);
    await gateway.stop();
    const errors = r.errors + r.non2xx + r.timeouts;
    return {
      queryPlanner: planner,
      customersPerPage: sample.customers.nodes.length,
      requests: r.requests.total,
      errors,
      throughputRps: round(r.requests.average, 1),
      latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
      // Per service; Postgres and the load generator come on top.
      cpuMsPerRequest,
      gatewayRssMiB,
      met: errors === 0 && r.requests.average >= 800 && r.latency.p99 < 100,
    };
  };

  const byPlanner: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const planner of PLANNERS) byPlanner[planner] = await measure(planner);
  return {
    subgraphs: registered,
    missing,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    ...byPlanner[PLANNERS[0]],
    planners: byPlanner,
    target: { throughputRps: 800, p99Ms: 100 },
  };
});
