import { ACCEPT, createCustomers, FROM, proposeWhenKnown, TO } from './handoff-ops';
import { arg, bearer, benchDatabase, graphql, registeredSubgraphs, round, runBench, scrape, sleep, startServices, summary } from './support';
import { subscribe, subscribeMany } from './ws-subscriber';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';

/**
 * P5 10,000 graphql-ws subscribers on one gateway: the gateway's memory per connection and
 * commit-to-client latency of an ownership change fanned out to all of them. Every
 * subscriber is an internal team's connection (sees every change). Latency runs from the
 * moment acceptHandoff is sent (an upper bound on commit) to each subscriber's `next`.
 * Targets: ≤ 64 KiB per connection, p99 < 1 s. Bounded: connecting gives up after 120 s.
 */
const SUBSCRIBERS = Number(arg('subscribers') ?? 10_000);
const CHANGES = Number(arg('changes') ?? 5);
const CONNECT_BUDGET_MS = 120_000;
const QUERY = 'subscription P5 { ownershipChanged { id customerId toPartnerId } }';

runBench('P5 subscriber fan-out', async () => {
  if (!registeredSubgraphs().includes('handoffs')) throw new Error('P5 needs the handoffs subgraph (ownershipChanged)');
  const db = await benchDatabase();
  const svc = await startServices(db, ['accounts', 'handoffs', 'gateway'], { HUB_WS_INIT_TIMEOUT_MS: '30000' });
  const gw = svc.gateway.url;
  const internal = DEMO_PARTNERS.find((p) => p.apiKey.includes('revops'))!;
  const customers = await createCustomers(gw, CHANGES);
  // Proposals first: only the accepts (the ownership changes) are timed.
  const handoffs: { customerId: string; id: string }[] = [];
  for (const c of customers) handoffs.push({ customerId: c, id: await proposeWhenKnown(gw, bearer(FROM.apiKey), c) });

  const memory = async () => ({ rss: await scrape(gw, 'process_resident_memory_bytes'), heap: await scrape(gw, 'nodejs_heap_size_used_bytes') });
  // Warm the WebSocket path once, then take the baseline.
  const warm = await subscribe(gw, { authorization: `Bearer ${internal.apiKey}` }, QUERY, () => undefined);
  warm.close();
  await sleep(2000);
  const before = await memory();

  const arrivals = new Map<string, bigint[]>();
  const onNext = (payload: any, at: bigint) => {
    const id = payload?.data?.ownershipChanged?.customerId as string | undefined;
    if (id) arrivals.get(id)?.push(at);
  };
  const connectStarted = Date.now();
  let target = SUBSCRIBERS;
  const subs = await subscribeMany(SUBSCRIBERS, 100, (i) => {
    if (Date.now() - connectStarted > CONNECT_BUDGET_MS) {
      target = Math.min(target, i);
      return Promise.resolve({ close: () => undefined, closed: Promise.resolve(0) });
    }
    return subscribe(gw, { authorization: `Bearer ${internal.apiKey}` }, QUERY, onNext);
  });
  const connected = Math.min(target, subs.length);
  const connectSeconds = (Date.now() - connectStarted) / 1000;
  await sleep(3000);
  const after = await memory();
  const openOnGateway = await scrape(gw, 'hub_subscriptions_open{service="gateway"}');

  const latencies: number[] = [];
  const missed: number[] = [];
  for (const h of handoffs) {
    arrivals.set(h.customerId, []);
    const sent = process.hrtime.bigint();
    await graphql(gw, ACCEPT, { id: h.id }, bearer(TO.apiKey));
    const deadline = Date.now() + 20_000;
    while (arrivals.get(h.customerId)!.length < connected && Date.now() < deadline) await sleep(20);
    const got = arrivals.get(h.customerId)!;
    for (const at of got) latencies.push(Number(at - sent) / 1e6);
    missed.push(connected - got.length);
    await sleep(500);
  }
  for (const s of subs) s.close();
  const lat = summary(latencies);
  const perConnKiB = round((after.rss - before.rss) / connected / 1024, 1);
  return {
    subscribers: connected,
    requested: SUBSCRIBERS,
    handshakeRetries: subs.retries,
    connectSeconds: round(connectSeconds, 1),
    gatewaySubscriptionsOpen: openOnGateway,
    gatewayMemoryMiB: {
      rssBefore: round(before.rss / 2 ** 20, 1),
      rssAfter: round(after.rss / 2 ** 20, 1),
      heapBefore: round(before.heap / 2 ** 20, 1),
      heapAfter: round(after.heap / 2 ** 20, 1),
    },
    perConnectionKiB: { rss: perConnKiB, heap: round((after.heap - before.heap) / connected / 1024, 1) },
    ownershipChanges: CHANGES,
    deliveries: latencies.length,
    missedDeliveries: missed.reduce((a, b) => a + b, 0),
    commitToClientMs: lat,
    target: { perConnectionKiB: 64, p99Ms: 1000 },
    met: connected === SUBSCRIBERS && perConnKiB <= 64 && lat.p99 < 1000 && missed.every((m) => m === 0),
  };
});
