import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { bearer, benchDatabase, cpuMeter, directHeaders, graphql, post, round, runBench, startServices, summary } from './support';

/**
 * P1 gateway overhead: the same one-subgraph query sent directly to accounts (with a
 * signed identity, as the gateway forwards it) and through the gateway, by one client,
 * one request at a time, alternating so both see the same machine noise. Reports the
 * latency the gateway adds at p50 and p99. Targets: p50 ≤ 1 ms, p99 ≤ 5 ms.
 */
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 3000);
const WARMUP = 300;
const QUERY = 'query P1 { customers(first: 10) { nodes { id name segment region lifecycleStage version } pageInfo { hasNextPage endCursor } } }';
const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

runBench('P1 gateway overhead', async () => {
  const db = await benchDatabase();
  const svc = await startServices(db, ['accounts', 'gateway']);
  const viaGateway = svc.gateway.url;
  const direct = svc.accounts.url;
  const me = await graphql<{ me: { role: 'PARTNER'; scopes: string[] } }>(viaGateway, '{ me { role scopes } }', {}, bearer(ACME.apiKey));
  const directH = directHeaders({ partnerId: ACME.id, role: me.me.role, scopes: me.me.scopes });
  const gatewayH = { 'content-type': 'application/json', ...bearer(ACME.apiKey) };
  const body = JSON.stringify({ query: QUERY });

  // Same answer both ways, or the comparison means nothing.
  const a = await post(direct, body, directH);
  const b = await post(viaGateway, body, gatewayH);
  if (JSON.parse(a.body).data === undefined || JSON.stringify(JSON.parse(a.body).data) !== JSON.stringify(JSON.parse(b.body).data)) {
    throw new Error(`direct and gateway answers differ:\n${a.body.slice(0, 300)}\n${b.body.slice(0, 300)}`);
  }

  const time = async (url: string, headers: Record<string, string>) => {
    const t = process.hrtime.bigint();
    const res = await post(url, body, headers);
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${res.body.slice(0, 200)}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (let i = 0; i < WARMUP; i++) {
    await time(direct, directH);
    await time(viaGateway, gatewayH);
  }
  const d: number[] = [];
  const g: number[] = [];
  const cpu = cpuMeter(svc);
  await cpu.start();
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first so neither always follows the other.
    if (i % 2) {
      d.push(await time(direct, directH));
      g.push(await time(viaGateway, gatewayH));
    } else {
      g.push(await time(viaGateway, gatewayH));
      d.push(await time(direct, directH));
    }
  }
  // Every round sent one request to each: the gateway's CPU is all for its requests.
  const cpuMsPerRequest = await cpu.perRequest(ROUNDS);
  const ds = summary(d);
  const gs = summary(g);
  const added = { p50: round(gs.p50 - ds.p50, 3), p99: round(gs.p99 - ds.p99, 3) };
  return {
    query: QUERY,
    clients: 1,
    rounds: ROUNDS,
    directMs: ds,
    gatewayMs: gs,
    addedMs: added,
    gatewayCpuMsPerRequest: cpuMsPerRequest.gateway,
    target: { p50: 1, p99: 5 },
    met: added.p50 <= 1 && added.p99 <= 5,
  };
});
