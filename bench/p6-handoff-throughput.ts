import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { idleRate, lagBetween, perUnit, readSql, waitApplied, type IdleRate } from './backbone-meter';
import { ACCEPT, createCustomers, FROM, PROPOSE, proposal, TO } from './handoff-ops';
import { statementCosts, type StatementCosts } from './statement-costs';
import { cpuMsPerUnit, cpuReader, idleCpu, postmasterOf, type CpuRate, type CpuReading } from './process-cpu';
import {
  arg,
  bearer,
  benchDatabase,
  directHeaders,
  graphql,
  registeredSubgraphs,
  round,
  runBench,
  sleep,
  startOneProcess,
  startServices,
  summary,
  type ServiceProcess,
} from './support';
import { subscribe, subscribeMany } from './ws-subscriber';

/**
 * P6 handoff propose+accept throughput on the whole hub (every subgraph, consumer, relay and
 * worker running): `concurrency` workers each proposing a handoff of a fresh customer
 * (FROM → TO) and accepting it as TO, directly against the handoffs subgraph (signed
 * identities) and through the gateway, each without and with 1,000 subscribers to
 * ownershipChanged and handoffUpdated attached to the gateway. Three layouts:
 * - `services`: one process per service, as docker-compose runs them (the bench layout);
 * - `oneProcess`: every service in one process, as `npm start` runs them;
 * - `scaleOut`: two instances of every subgraph on one database.
 * For each, the Postgres transactions and SQL statements per propose+accept hub-wide, read
 * from every process's own counters with the idle background over the same time subtracted,
 * and the idle hub's transactions per second; CPU milliseconds per pair by process (each
 * service, the Postgres cluster, the bench client), the idle background likewise subtracted.
 * `--subscribers=0` skips the runs with subscribers attached. On a cluster that preloads
 * pg_stat_statements (`--admin-url`), each run also lists its costliest statements per pair.
 */
const PER_RUN = Number(arg('handoffs') ?? 300);
const CONCURRENCY = Number(arg('concurrency') ?? 10);
const SUBSCRIBERS = Number(arg('subscribers') ?? 1000);
const IDLE_SECONDS = Number(arg('idle-seconds') ?? 10);
const LAYOUTS = (arg('layouts') ?? 'services,oneProcess,scaleOut').split(',');
const SUBGRAPHS = registeredSubgraphs();

interface Target {
  url: string;
  from: Record<string, string>;
  to: Record<string, string>;
}

async function targets(gw: string, directUrl: string): Promise<{ direct: Target; gateway: Target }> {
  // Identities exactly as the gateway forwards them.
  const identityOf = async (apiKey: string, partnerId: string) => {
    const me = await graphql<{ me: { role: 'PARTNER'; scopes: string[] } }>(gw, '{ me { role scopes } }', {}, bearer(apiKey));
    return directHeaders({ partnerId, role: me.me.role, scopes: me.me.scopes });
  };
  return {
    direct: { url: directUrl, from: await identityOf(FROM.apiKey, FROM.id), to: await identityOf(TO.apiKey, TO.id) },
    gateway: {
      url: gw,
      from: { 'content-type': 'application/json', ...bearer(FROM.apiKey) },
      to: { 'content-type': 'application/json', ...bearer(TO.apiKey) },
    },
  };
}

async function pairs(target: Target, customers: string[]) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < customers.length) {
      const customerId = customers[next++]!;
      const t = performance.now();
      const { proposeHandoff } = await graphql<{ proposeHandoff: { id: string } }>(target.url, PROPOSE, { input: proposal(customerId) }, target.from);
      await graphql(target.url, ACCEPT, { id: proposeHandoff.id }, target.to);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  return {
    handoffs: customers.length,
    seconds: round(seconds, 2),
    handoffsPerSecond: round(customers.length / seconds, 1),
    proposePlusAcceptMs: summary(latencies),
  };
}

interface Meters {
  processes: string[];
  idle: IdleRate;
  cpu: () => Promise<CpuReading>;
  idleCpu: CpuRate;
  statements: StatementCosts | undefined;
}

/** A measured run: throughput, then what it cost hub-wide once every consumer has applied it. */
async function measuredRun(target: Target, customers: string[], m: Meters) {
  await waitApplied(m.processes);
  const before = await readSql(m.processes);
  const cpuBefore = await m.cpu();
  await m.statements?.reset();
  const result = await pairs(target, customers);
  await waitApplied(m.processes);
  const after = await readSql(m.processes);
  const cpuAfter = await m.cpu();
  return {
    ...result,
    perPair: perUnit(before, after, customers.length, m.idle),
    cpuMsPerPair: cpuMsPerUnit(cpuBefore, cpuAfter, customers.length, m.idleCpu),
    consumerLag: lagBetween(before, after),
    costliestStatements: await m.statements?.read(customers.length),
  };
}

async function layout(name: string, start: (db: string) => Promise<{ svc: Record<string, ServiceProcess>; processes: string[]; directUrl: string }>) {
  const db = await benchDatabase();
  const { svc, processes, directUrl } = await start(db);
  const gw = svc.gateway!.url;
  const withSubscribers = name === 'services' && SUBSCRIBERS > 0;
  const customers = await createCustomers(gw, PER_RUN * (withSubscribers ? 4 : 2));
  const t = await targets(gw, directUrl);
  await waitApplied(processes);
  // In one process every service shares one CPU counter: the hub's.
  const named = name === 'oneProcess' ? { hub: gw } : Object.fromEntries(Object.entries(svc).map(([k, s]) => [k, s.url]));
  const cpu = cpuReader(named, await postmasterOf(db));
  const [idle, idleCpuRate] = await Promise.all([idleRate(processes, IDLE_SECONDS), idleCpu(cpu, IDLE_SECONDS)]);
  const meters: Meters = { processes, idle, cpu, idleCpu: idleCpuRate, statements: await statementCosts(db) };
  let cursor = 0;
  const batch = () => customers.slice(cursor, (cursor += PER_RUN));
  const idleCpuMsPerSecond = Object.fromEntries(Object.entries(idleCpuRate).map(([k, v]) => [k, round(v * 1000, 1)]));
  const out: Record<string, unknown> = { processes: processes.length, idle, idleCpuMsPerSecond };
  out.directNoSubscribers = await measuredRun(t.direct, batch(), meters);
  out.gatewayNoSubscribers = await measuredRun(t.gateway, batch(), meters);
  if (withSubscribers) {
    const internal = DEMO_PARTNERS.find((p) => p.apiKey.includes('revops'))!;
    let delivered = 0;
    const subs = await subscribeMany(SUBSCRIBERS, 50, (i) =>
      subscribe(
        gw,
        { authorization: `Bearer ${internal.apiKey}` },
        i % 2 ? 'subscription { ownershipChanged { id customerId } }' : 'subscription { handoffUpdated { id state } }',
        () => void delivered++,
      ),
    );
    await sleep(2000);
    out.directWithSubscribers = await measuredRun(t.direct, batch(), meters);
    out.gatewayWithSubscribers = await measuredRun(t.gateway, batch(), meters);
    await sleep(2000);
    for (const s of subs) s.close();
    Object.assign(out, { subscribers: subs.length, subscriberEventsDelivered: delivered });
  }
  for (const s of Object.values(svc)) await s.stop();
  return out;
}

runBench('P6 handoff throughput', async () => {
  if (!SUBGRAPHS.includes('handoffs')) throw new Error('P6 needs the handoffs subgraph');
  const all = [...SUBGRAPHS, 'gateway' as const];
  const results: Record<string, unknown> = { concurrency: CONCURRENCY, handoffsPerRun: PER_RUN };
  if (LAYOUTS.includes('services')) {
    results.services = await layout('services', async (db) => {
      const svc = await startServices(db, all);
      return { svc, processes: Object.values(svc).map((s) => s.url), directUrl: svc.handoffs!.url };
    });
  }
  if (LAYOUTS.includes('oneProcess')) {
    results.oneProcess = await layout('oneProcess', async (db) => {
      // `npm start`'s entry point against a given database.
      const { gateway, ports } = await startOneProcess(db);
      return { svc: { gateway }, processes: [gateway.url], directUrl: `http://127.0.0.1:${ports.HANDOFFS_PORT}/graphql` };
    });
  }
  if (LAYOUTS.includes('scaleOut')) {
    results.scaleOut = await layout('scaleOut', async (db) => {
      const svc = await startServices(db, all);
      // A second instance of every subgraph on the same database (its own ports).
      const second = await startServices(db, [...SUBGRAPHS]);
      const processes = [...Object.values(svc), ...Object.values(second)].map((s) => s.url);
      return { svc: { ...svc, ...Object.fromEntries(Object.entries(second).map(([k, v]) => [`${k}2`, v])) }, processes, directUrl: svc.handoffs!.url };
    });
  }
  return results;
});
