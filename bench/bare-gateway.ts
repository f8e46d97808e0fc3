import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { unifiedGraphHandlerFor } from '../gateway/query-planner';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../shared/auth/identity';
import type { QueryPlannerKind } from '../shared/config';
import { contractsDir } from '../shared/paths';
import { arg, BENCH_SECRET, freePort, spawnService, type ServiceProcess } from './support';

/** Options for {@link startBareGateway}. */
export interface BareGatewayOptions {
  /** Where each subgraph answers /graphql, by subgraph name. */
  subgraphUrls: Record<string, string>;
  /** Every upstream call carries this identity (signed for an hour with the bench secret). */
  identity: Identity;
  queryPlanner: QueryPlannerKind;
  /** The runtime's in-flight deduplication of identical upstream calls (the hub's default: on). */
  upstreamDeduplication?: boolean;
}

/**
 * The floor under P1 and P2: the Hive Gateway runtime serving the hub's supergraph with
 * nothing of the hub's on top — no authentication, document limits, cost, identity signing
 * per call, metrics, logs or readiness checks — forwarding one identity signed once. What the
 * hub's gateway adds beyond this is ours; what this adds beyond a direct call is the runtime's.
 * Started as its own process, like every service a bench starts.
 */
export async function startBareGateway(opts: BareGatewayOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const args = [
    `--port=${port}`,
    `--planner=${opts.queryPlanner}`,
    `--dedup=${opts.upstreamDeduplication ?? true}`,
    `--identity=${signIdentity(opts.identity, BENCH_SECRET, 3600)}`,
    `--urls=${JSON.stringify(opts.subgraphUrls)}`,
  ];
  return spawnService('gateway', 'dist/bench/bare-gateway.js', args, { NODE_ENV: 'production' }, `http://127.0.0.1:${port}/readyz`);
}

async function main(): Promise<void> {
  const urls = JSON.parse(arg('urls')!) as Record<string, string>;
  const identity = arg('identity')!;
  const supergraph = readFileSync(join(contractsDir(), 'supergraph.graphql'), 'utf8');
  const runtime = createGatewayRuntime({
    supergraph: () => supergraph,
    unifiedGraphHandler: unifiedGraphHandlerFor(arg('planner') as QueryPlannerKind),
    transports: { http: httpTransport },
    transportEntries: Object.fromEntries(
      Object.entries(urls).map(([name, location]) => [
        name,
        { location, headers: [[IDENTITY_HEADER, identity]], options: { deduplicateInflightRequests: arg('dedup') === 'true' } },
      ]),
    ),
    logging: false,
    landingPage: false,
    graphiql: false,
    graphqlEndpoint: '/graphql',
  });
  // The two figures the benches read from a service's /metrics; nothing else is measured.
  const server = createServer((req, res) => {
    if (req.url === '/metrics') {
      const { user, system } = process.cpuUsage();
      res.end(`process_cpu_seconds_total ${(user + system) / 1e6}\nprocess_resident_memory_bytes ${process.memoryUsage.rss()}\n`);
    } else if (req.url === '/readyz') {
      res.end('ok');
    } else {
      void runtime(req, res);
    }
  });
  // Load the supergraph before the bench's first request, as the hub's gateway does.
  const warmup = JSON.stringify({ query: '{ __typename }' });
  await runtime.fetch('http://localhost/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: warmup });
  await new Promise<void>((resolve) => server.listen(Number(arg('port')), '127.0.0.1', resolve));
  process.once('SIGTERM', () => {
    server.close();
    void Promise.resolve(runtime.dispose()).then(() => process.exit(0));
  });
  console.log(`bare gateway on ${(server.address() as AddressInfo).port}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
