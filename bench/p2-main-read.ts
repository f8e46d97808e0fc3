import autocannon from 'autocannon';
import type { Identity } from '../shared/auth/identity';
import type { QueryPlannerKind } from '../shared/config';
import { startBareGateway } from './bare-gateway';
import { createCustomers, FROM, proposeWhenKnown } from './handoff-ops';
import { mainReadQuery, MAIN_READ_PAGE } from './main-read';
import {
  arg,
  bearer,
  benchDatabase,
  cpuMeter,
  graphql,
  plannersArg,
  registeredSubgraphs,
  round,
  runBench,
  scrape,
  startServices,
  viewerIdentity,
} from './support';

/**
 * P2 the partner's main read through the gateway at 50 concurrent clients (autocannon):
 * throughput and latency percentiles, every service in its own process as in production.
 * Targets: ≥ 800 requests/s and p99 < 100 ms on 2 cores. The reseller owns only a few
 * customers in the demo data, so the bench first gives it a full page more, each with a
 * handoff proposed to another partner: every row then has an open handoff with running SLA
 * clocks, as on a busy partner's first page. Each query planner
 * (`--planners=native,javascript`, the first is the one reported) gets its own gateway
 * in front of the same subgraphs, one after the other, so the two are compared on one machine.
 * A bare Hive Gateway runtime (bench/bare-gateway.ts) then reads the same page the same way:
 * the floor the runtime sets, with nothing of the hub's gateway on top.
 */
const CONNECTIONS = Number(arg('connections') ?? 50);
const DURATION_S = Number(arg('duration') ?? 20);
const WARMUP_S = 5;
const PLANNERS = plannersArg();

runBench('P2 main read', async () => {
  const registered = registeredSubgraphs();
  const { query, missing } = mainReadQuery(registered);
  const db = await benchDatabase();
  const subgraphs = await startServices(db, registered);
  const subgraphUrls = Object.fromEntries(Object.values(subgraphs).map((s) => [`${s.name.toUpperCase()}_URL`, s.url]));
  // Acme: a reseller with customers, handoffs and clocks in the demo data.
  const partner = FROM;
  const headers = { 'content-type': 'application/json', ...bearer(partner.apiKey) };
  const body = JSON.stringify({ query, variables: { first: MAIN_READ_PAGE } });
  await fillFirstPage(db, subgraphUrls, registered.includes('handoffs'), query, headers);

  // What the hub's gateway signs for the partner; the bare runtime forwards it as is.
  let identity: Identity | undefined;
  let expected: string | undefined;
  const measure = async (planner: QueryPlannerKind, deduplication = true, bare = false) => {
    const gateway = bare
      ? await startBareGateway({
          subgraphUrls: Object.fromEntries(Object.values(subgraphs).map((s) => [s.name, s.url])),
          identity: identity!,
          queryPlanner: planner,
          upstreamDeduplication: deduplication,
        })
      : (await startServices(db, ['gateway'], { ...subgraphUrls, HUB_QUERY_PLANNER: planner, HUB_UPSTREAM_DEDUPLICATION: String(deduplication) })).gateway;
    if (!bare) identity ??= await viewerIdentity(gateway.url, partner.apiKey);
    const requestHeaders = bare ? { 'content-type': 'application/json' } : headers;
    const sample = await graphql<{ customers: { nodes: unknown[] } }>(gateway.url, query, { first: MAIN_READ_PAGE }, requestHeaders);
    // Every gateway must read the same page, or the comparison means nothing (clocks tick).
    const answer = JSON.stringify(sample, (key, value: unknown) => (key === 'businessTimeRemaining' ? undefined : value));
    if ((expected ??= answer) !== answer) throw new Error(`the ${bare ? 'bare runtime' : `${planner} gateway`} reads a different page`);
    const run = (duration: number) =>
      autocannon({ url: gateway.url, method: 'POST', headers: requestHeaders, body, connections: CONNECTIONS, duration, timeout: 10 });
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
      upstreamDeduplication: deduplication,
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
  // All 50 clients send the same request as the same partner, so the gateway merges most of
  // their upstream calls; this run shows what every read costs when none can be merged.
  const withoutDeduplication = arg('no-dedup') === 'skip' ? undefined : await measure(PLANNERS[0], false);
  const runtimeFloor = arg('floor') === 'skip' ? undefined : await measure(PLANNERS[0], true, true);
  return {
    subgraphs: registered,
    missing,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    ...byPlanner[PLANNERS[0]],
    planners: byPlanner,
    withoutDeduplication,
    runtimeFloor,
    target: { throughputRps: 800, p99Ms: 100 },
  };
});

/**
 * Gives the reseller {@link MAIN_READ_PAGE} more customers (through a gateway of its own), each
 * with a handoff proposed to another partner, and waits until the main read shows every one
 * with its handoff and, where slas runs, its clocks (both follow the events asynchronously).
 */
async function fillFirstPage(
  db: string,
  subgraphUrls: Record<string, string>,
  withHandoffs: boolean,
  query: string,
  headers: Record<string, string>,
): Promise<void> {
  const { gateway } = await startServices(db, ['gateway'], subgraphUrls);
  try {
    const customers = await createCustomers(gateway.url, MAIN_READ_PAGE);
    if (!withHandoffs) return;
    for (const id of customers) await proposeWhenKnown(gateway.url, headers, id);
    const withClocks = 'SLAS_URL' in subgraphUrls;
    for (let attempt = 0; ; attempt++) {
      const page = await graphql<{ customers: { nodes: { id: string; handoffs?: { slaClocks?: unknown[] }[] }[] } }>(
        gateway.url,
        query,
        { first: MAIN_READ_PAGE },
        headers,
      );
      // The page is ordered by creation: the demo customers first, then the new ones.
      const fresh = page.customers.nodes.filter((c) => customers.includes(c.id));
      const ready = fresh.filter((c) => c.handoffs?.length && (!withClocks || c.handoffs.some((h) => h.slaClocks?.length)));
      if (page.customers.nodes.length === MAIN_READ_PAGE && ready.length === fresh.length) return;
      if (attempt >= 100) throw new Error(`P2 setup: ${ready.length} of ${fresh.length} new customers show a handoff with clocks after 10 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await gateway.stop();
  }
}
