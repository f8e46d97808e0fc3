import autocannon from 'autocannon';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { mainReadQuery, MAIN_READ_PAGE } from './main-read';
import { arg, bearer, benchDatabase, cpuMeter, graphql, registeredSubgraphs, round, runBench, scrape, startServices } from './support';

/**
 * P2 the partner's main read through the gateway at 50 concurrent clients (autocannon):
 * throughput and latency percentiles, every service in its own process as in production.
 * Targets: ≥ 800 requests/s and p99 < 100 ms on 2 cores.
 */
const CONNECTIONS = Number(arg('connections') ?? 50);
const DURATION_S = Number(arg('duration') ?? 20);
const WARMUP_S = 5;

runBench('P2 main read', async () => {
  const registered = registeredSubgraphs();
  const { query, missing } = mainReadQuery(registered);
  const db = await benchDatabase();
  const svc = await startServices(db, [...registered, 'gateway']);
  // Acme: a reseller with customers, handoffs and clocks in the demo data.
  const partner = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
  const headers = { 'content-type': 'application/json', ...bearer(partner.apiKey) };
  const sample = await graphql<{ customers: { nodes: unknown[] } }>(svc.gateway.url, query, { first: MAIN_READ_PAGE }, bearer(partner.apiKey));
  const body = JSON.stringify({ query, variables: { first: MAIN_READ_PAGE } });

  const run = (duration: number) =>
    autocannon({ url: svc.gateway.url, method: 'POST', headers, body, connections: CONNECTIONS, duration, timeout: 10 });
  await run(WARMUP_S);
  const cpu = cpuMeter(svc);
  await cpu.start();
  const r = await run(DURATION_S);
  const cpuMsPerRequest = await cpu.perRequest(r.requests.total);
  const errors = r.errors + r.non2xx + r.timeouts;
  return {
    subgraphs: registered,
    missing,
    customersPerPage: sample.customers.nodes.length,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    requests: r.requests.total,
    errors,
    throughputRps: round(r.requests.average, 1),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max },
    // Per service; Postgres and the load generator come on top.
    cpuMsPerRequest,
    gatewayRssMiB: round((await scrape(svc.gateway.url, 'process_resident_memory_bytes')) / 2 ** 20, 1),
    target: { throughputRps: 800, p99Ms: 100 },
    met: errors === 0 && r.requests.average >= 800 && r.latency.p99 < 100,
    queryPlanner: 'JavaScript (gateway-runtime default)',
  };
});
