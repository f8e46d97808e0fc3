import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { startBareGateway } from './bare-gateway';
import { arg, bearer, benchDatabase, cpuMeter, directHeaders, plannersArg, post, round, runBench, startServices, summary, viewerIdentity } from './support';

/**
 * P1 gateway overhead: the same one-subgraph query sent directly to accounts (with a
 * signed identity, as the gateway forwards it) and through a gateway per query planner
 * (`--planners=native,javascript`, the first is the one reported), by one client, one
 * request at a time, rotating the order so all see the same machine noise. Reports the
 * latency each gateway adds at p50 and p99. Targets: p50 ≤ 1 ms, p99 ≤ 5 ms. A bare Hive
 * Gateway runtime (bench/bare-gateway.ts, first planner) runs in the same rotation: the floor
 * the runtime itself sets, under everything the hub's gateway adds.
 */
const ROUNDS = Number(arg('rounds') ?? 3000);
const WARMUP = 300;
const PLANNERS = plannersArg();
const QUERY = 'query P1 { customers(first: 10) { nodes { id name segment region lifecycleStage version } pageInfo { hasNextPage endCursor } } }';
const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

runBench('P1 gateway overhead', async () => {
  const db = await benchDatabase();
  const { accounts } = await startServices(db, ['accounts']);
  const gateways: Record<string, { url: string; cpu: ReturnType<typeof cpuMeter> }> = {};
  for (const planner of PLANNERS) {
    const { gateway } = await startServices(db, ['gateway'], { ACCOUNTS_URL: accounts.url, HUB_QUERY_PLANNER: planner });
    gateways[planner] = { url: gateway.url, cpu: cpuMeter({ gateway }) };
  }
  const reported = gateways[PLANNERS[0]];
  if (!reported) throw new Error(`no gateway for ${PLANNERS[0]}`);
  const first = reported.url;
  const gatewayH = { 'content-type': 'application/json', ...bearer(ACME.apiKey) };
  const identity = await viewerIdentity(first, ACME.apiKey);
  const bare = await startBareGateway({ subgraphUrls: { accounts: accounts.url }, identity, queryPlanner: PLANNERS[0] });
  const bareCpu = cpuMeter({ gateway: bare });
  const directH = directHeaders(identity);
  const bareH = { 'content-type': 'application/json' };
  const body = JSON.stringify({ query: QUERY });

  // Same answer every way, or the comparison means nothing.
  const expected = JSON.parse((await post(accounts.url, body, directH)).body).data;
  if (expected === undefined) throw new Error('direct call returned no data');
  for (const [name, url, headers] of [
    ...Object.entries(gateways).map(([planner, g]) => [planner, g.url, gatewayH] as const),
    ['bare runtime', bare.url, bareH] as const,
  ]) {
    const via = JSON.parse((await post(url, body, headers)).body).data;
    if (JSON.stringify(via) !== JSON.stringify(expected)) throw new Error(`direct and ${name} gateway answers differ`);
  }

  const time = async (url: string, headers: Record<string, string>) => {
    const t = process.hrtime.bigint();
    const res = await post(url, body, headers);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const directTarget = { url: accounts.url, headers: directH, samples: [] as number[] };
  const gatewayTargets = Object.entries(gateways).map(([planner, g]) => ({ planner, cpu: g.cpu, url: g.url, headers: gatewayH, samples: [] as number[] }));
  const bareTarget = { url: bare.url, headers: bareH, samples: [] as number[] };
  const targets = [directTarget, ...gatewayTargets, bareTarget];
  const oneRound = async (i: number, record: boolean) => {
    // Rotate which goes first so none always follows another.
    const first = i % targets.length;
    for (const t of [...targets.slice(first), ...targets.slice(0, first)]) {
      const ms = await time(t.url, t.headers);
      if (record) t.samples.push(ms);
    }
  };
  for (let i = 0; i < WARMUP; i++) await oneRound(i, false);
  for (const g of Object.values(gateways)) await g.cpu.start();
  await bareCpu.start();
  for (let i = 0; i < ROUNDS; i++) await oneRound(i, true);

  const direct = summary(directTarget.samples);
  const byPlanner: Record<
    string,
    { gatewayMs: ReturnType<typeof summary>; addedMs: { p50: number; p99: number }; gatewayCpuMsPerRequest: number; met: boolean }
  > = {};
  for (const { planner, cpu, samples } of gatewayTargets) {
    const gs = summary(samples);
    const addedMs = { p50: round(gs.p50 - direct.p50, 3), p99: round(gs.p99 - direct.p99, 3) };
    // Every round sent one request to each gateway: its CPU is all for its requests.
    const gatewayCpuMsPerRequest = (await cpu.perRequest(ROUNDS)).gateway ?? NaN;
    byPlanner[planner] = { gatewayMs: gs, addedMs, gatewayCpuMsPerRequest, met: addedMs.p50 <= 1 && addedMs.p99 <= 5 };
  }
  const bareMs = summary(bareTarget.samples);
  const runtimeFloor = {
    queryPlanner: PLANNERS[0],
    gatewayMs: bareMs,
    addedMs: { p50: round(bareMs.p50 - direct.p50, 3), p99: round(bareMs.p99 - direct.p99, 3) },
    gatewayCpuMsPerRequest: (await bareCpu.perRequest(ROUNDS)).gateway,
  };
  return {
    query: QUERY,
    clients: 1,
    rounds: ROUNDS,
    directMs: direct,
    queryPlanner: PLANNERS[0],
    ...byPlanner[PLANNERS[0]],
    planners: byPlanner,
    runtimeFloor,
    target: { p50: 1, p99: 5 },
  };
});
