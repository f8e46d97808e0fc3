import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { idleRate, lagBetween, perUnit, readSql, waitApplied, type IdleRate } from './backbone-meter';
import { ACCEPT, createCustomers, FROM, PROPOSE, proposal, TO } from './handoff-ops';
import {
  arg,
  bearer,
  freePort,
  benchDatabase,
  directHeaders,
  graphql,
  registeredSubgraphs,
  round,
  runBench,
  sleep,
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
 * and the idle hub's transactions per second.
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

/** A measured run: throughput, then what it cost hub-wide once every consumer has applied it. */
async function measuredRun(target: Target, customers: string[], processes: string[], idle: IdleRate) {
  await waitApplied(processes);
  const before = await readSql(processes);
  const result = await pairs(target, customers);
  await waitApplied(processes);
  const after = await readSql(processes);
  return { ...result, perPair: perUnit(before, after, customers.length, idle), consumerLag: lagBetween(before, after) };
}

async function layout(name: string, start: (db: string) => Promise<{ svc: Record<string, ServiceProcess>; processes: string[]; directUrl: string }>) {
  const db = await benchDatabase();
  const { svc, processes, directUrl } = await start(db);
  const gw = svc.gateway!.url;
  const customers = await createCustomers(gw, PER_RUN * (name === 'services' ? 4 : 2));
  const t = await targets(gw, directUrl);
  await waitApplied(processes);
  const idle = await idleRate(processes, IDLE_SECONDS);
  let cursor = 0;
  const batch = () => customers.slice(cursor, (cursor += PER_RUN));
  const out: Record<string, unknown> = { processes: processes.length, idle };
  out.directNoSubscribers = await measuredRun(t.direct, batch(), processes, idle);
  out.gatewayNoSubscribers = await measuredRun(t.gateway, batch(), processes, idle);
  if (name === 'services') {
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
    out.directWithSubscribers = await measuredRun(t.direct, batch(), processes, idle);
    out.gatewayWithSubscribers = await measuredRun(t.gateway, batch(), processes, idle);
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
      // The gateway's process with HUB_SERVICES=all is `npm start` against a given database.
      const handoffsPort = await freePort();
      const svc = await startServices(db, ['gateway'], { HUB_SERVICES: 'all', HANDOFFS_PORT: String(handoffsPort) });
      return { svc, processes: [svc.gateway!.url], directUrl: `http://127.0.0.1:${handoffsPort}/graphql` };
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
