import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { ACCEPT, createCustomers, FROM, PROPOSE, proposal, TO } from './handoff-ops';
import { arg, bearer, benchDatabase, directHeaders, graphql, registeredSubgraphs, round, runBench, sleep, startServices, summary } from './support';
import { subscribe, subscribeMany } from './ws-subscriber';

/**
 * P6 handoff propose+accept throughput: `concurrency` workers each proposing a handoff of a
 * fresh customer (FROM → TO) and accepting it as TO, directly against the handoffs subgraph
 * (signed identities) and through the gateway, each without and with 1,000 subscribers to
 * ownershipChanged and handoffUpdated attached to the gateway.
 */
const PER_RUN = Number(arg('handoffs') ?? 300);
const CONCURRENCY = Number(arg('concurrency') ?? 10);
const SUBSCRIBERS = Number(arg('subscribers') ?? 1000);

runBench('P6 handoff throughput', async () => {
  if (!registeredSubgraphs().includes('handoffs')) throw new Error('P6 needs the handoffs subgraph');
  const db = await benchDatabase();
  const svc = await startServices(db, ['accounts', 'handoffs', 'gateway']);
  const gw = svc.gateway.url;
  const customers = await createCustomers(gw, PER_RUN * 4);
  // Identities exactly as the gateway forwards them.
  const identityOf = async (apiKey: string, partnerId: string) => {
    const me = await graphql<{ me: { role: 'PARTNER'; scopes: string[] } }>(gw, '{ me { role scopes } }', {}, bearer(apiKey));
    return directHeaders({ partnerId, role: me.me.role, scopes: me.me.scopes });
  };
  const direct = { url: svc.handoffs.url, from: await identityOf(FROM.apiKey, FROM.id), to: await identityOf(TO.apiKey, TO.id) };
  const gateway = { url: gw, from: { 'content-type': 'application/json', ...bearer(FROM.apiKey) }, to: { 'content-type': 'application/json', ...bearer(TO.apiKey) } };
  // Let handoffs' projection of accounts catch up with the new customers before timing.
  await sleep(3000);

  let cursor = 0;
  const run = async (target: typeof direct) => {
    const batch = customers.slice(cursor, cursor + PER_RUN);
    cursor += PER_RUN;
    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    const worker = async () => {
      while (next < batch.length) {
        const customerId = batch[next++];
        const t = performance.now();
        const { proposeHandoff } = await graphql<{ proposeHandoff: { id: string } }>(target.url, PROPOSE, { input: proposal(customerId) }, target.from);
        await graphql(target.url, ACCEPT, { id: proposeHandoff.id }, target.to);
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (performance.now() - started) / 1000;
    return { handoffs: batch.length, seconds: round(seconds, 2), handoffsPerSecond: round(batch.length / seconds, 1), proposePlusAcceptMs: summary(latencies) };
  };

  const results: Record<string, unknown> = {};
  results.directNoSubscribers = await run(direct);
  results.gatewayNoSubscribers = await run(gateway);

  const internal = DEMO_PARTNERS.find((p) => p.apiKey.includes('revops'))!;
  let delivered = 0;
  const subs = await subscribeMany(SUBSCRIBERS, 50, (i) =>
    subscribe(gw, { authorization: `Bearer ${internal.apiKey}` }, i % 2 ? 'subscription { ownershipChanged { id customerId } }' : 'subscription { handoffUpdated { id state } }', () => void delivered++),
  );
  await sleep(2000);
  results.directWithSubscribers = await run(direct);
  results.gatewayWithSubscribers = await run(gateway);
  await sleep(2000);
  for (const s of subs) s.close();
  return { concurrency: CONCURRENCY, subscribers: subs.length, subscriberEventsDelivered: delivered, ...results };
});
