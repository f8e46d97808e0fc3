import { Writable } from 'node:stream';
import pino from 'pino';
import type { HubGateway } from '../../gateway/gateway';
import { loadConfig } from '../../shared/config';
import { registerGaugeCollector, registerSlaClockCollector } from '../../shared/observability/metrics';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startGateway } from '../support/gateway';
import { codes, gql, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

/** The value of one series in a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).split(' ', 1)[0] ?? '';
    if (want.every((w) => labelText.includes(w))) return Number(line.split(' ').pop());
  }
  return undefined;
}

const metricsOf = async (url: string) => {
  const res = await fetch(url.replace(/\/graphql$/, '/metrics'));
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
};

describe('observability: /metrics and logs on the gateway', () => {
  let hub: TestHub;
  let gateway: HubGateway;
  let gatewayUrl: string;
  const lines: Record<string, any>[] = [];
  /** What the gateway logged while it started. */
  let startLog: Record<string, any>[] = [];
  const clients: { dispose(): Promise<void> | void }[] = [];
  const unregister: (() => void)[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts'] });
    // A gateway of our own whose pino output we capture, as a gateway-only process would run.
    const sink = new Writable({
      write(chunk, _enc, done) {
        for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        done();
      },
    });
    const config = loadConfig({ NODE_ENV: 'test' });
    ({ gateway, url: gatewayUrl } = await startGateway({
      subgraphUrls: { ...Object.fromEntries(Object.entries(config.subgraphs).map(([n, s]) => [n, s.url])), accounts: hub.subgraphUrls.accounts! },
      log: pino({ level: 'info' }, sink),
      databaseUrl: hub.databaseUrl,
    }));
    startLog = [...lines];
  });
  afterAll(async () => {
    for (const u of unregister) u();
    for (const c of clients) await c.dispose();
    await gateway?.stop();
    await hub?.stop();
  });

  // First in this file: no client has called the gateway yet.
  it('starts without logging an error or counting its own warm-up request, and answers a WebSocket operation first', async () => {
    expect(startLog.filter((l) => l.level >= 40 || l.errors !== undefined || l.status >= 400 || l.msg === 'graphql operation')).toEqual([]);
    // The supergraph is loaded before the gateway listens, so a WebSocket operation may come first.
    const client = wsClient(gatewayUrl, { authorization: `Bearer ${ACME.apiKey}` });
    clients.push(client);
    const first = new Subscription(client, '{ me { role } }');
    expect((await first.waitFor(1)).data).toEqual({ me: { role: 'PARTNER' } });
    first.close();
  });

  it('counts requests, errors by code and latency, and logs each operation with request and partner id but no secrets', async () => {
    const before = await metricsOf(gatewayUrl);
    const ok = (q: string) => gql(gatewayUrl, q, {}, ACME.apiKey);
    expect((await ok('{ me { role } }')).errors).toBeUndefined();
    expect((await ok('query Mine { customers(first: 2) { edges { node { id } } } }')).errors).toBeUndefined();
    expect(codes(await gql(gatewayUrl, '{ me { role } }', {}, 'hub_not_a_key'))).toEqual(['UNAUTHENTICATED']);
    expect(codes(await ok('{ customer(id: "not-a-uuid") { id } }'))).toEqual(['BAD_USER_INPUT']);

    const after = await metricsOf(gatewayUrl);
    const delta = (name: string, labels: Record<string, string>) => (sample(after, name, labels) ?? 0) - (sample(before, name, labels) ?? 0);
    expect(delta('hub_graphql_requests_total', { service: 'gateway', operation: 'query', outcome: 'ok' })).toBe(2);
    expect(delta('hub_graphql_errors_total', { service: 'gateway', code: 'UNAUTHENTICATED' })).toBe(1);
    expect(delta('hub_graphql_errors_total', { service: 'gateway', code: 'BAD_USER_INPUT' })).toBe(1);
    expect(delta('hub_graphql_request_duration_seconds_count', { service: 'gateway', operation: 'query' })).toBeGreaterThanOrEqual(3);

    const logged = lines.filter((l) => l.msg === 'graphql operation');
    const mine = logged.find((l) => l.operationName === 'Mine')!;
    expect(mine).toMatchObject({ partnerId: ACME.id, operation: 'query', status: 200 });
    expect(mine.requestId).toEqual(expect.any(String));
    expect(logged.find((l) => l.errors?.includes('UNAUTHENTICATED'))).toMatchObject({ status: expect.any(Number) });
    const everything = JSON.stringify(lines);
    expect(everything).not.toContain(ACME.apiKey);
    expect(everything).not.toContain('hub_not_a_key');
    expect(everything.toLowerCase()).not.toContain('bearer');
  });

  it('keeps the caller’s request id (forwarded upstream by the runtime), logs it and echoes it back', async () => {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ACME.apiKey}`, 'x-request-id': 'trace-me-42' },
      body: JSON.stringify({ query: 'query Traced { me { role } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-me-42');
    expect(lines.find((l) => l.operationName === 'Traced')).toMatchObject({ requestId: 'trace-me-42', partnerId: ACME.id });
  });

  it('gauges open subscriptions on the gateway', async () => {
    const client = wsClient(gatewayUrl, { authorization: `Bearer ${ACME.apiKey}` });
    clients.push(client);
    const open = async () => sample(await metricsOf(gatewayUrl), 'hub_subscriptions_open', { service: 'gateway' }) ?? 0;
    const base = await open();
    const sub = new Subscription(client, 'subscription { customerUpdated { id } }');
    await Subscription.settle();
    expect(await open()).toBe(base + 1);
    sub.close();
    await Subscription.settle();
    expect(await open()).toBe(base);
  });

  it('reports event-log lag for the durable consumers this process runs, on each of its /metrics, 0 once applied', async () => {
    // The hub here is accounts, in this process with the gateway: both endpoints serve the
    // process's registry, so both show accounts' consumers (a gateway-only process runs no
    // consumer and shows none; a consumer another instance runs is shown there, not here).
    const accountsConsumers = ['accounts.notification-fanout', 'accounts.ownership', 'accounts.renewal-outcomes', 'accounts.webhook-fanout'];
    const lagOf = (text: string, name: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`))
        .map((l) => ({ consumer: /consumer="([^"]+)"/.exec(l)?.[1], value: Number(l.split(' ').pop()) }));
    for (const url of [gatewayUrl, hub.subgraphUrls.accounts!]) {
      let text = await metricsOf(url);
      for (let i = 0; i < 100 && lagOf(text, 'hub_eventlog_consumer_lag_events').some((l) => l.value > 0); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        text = await metricsOf(url);
      }
      const events = lagOf(text, 'hub_eventlog_consumer_lag_events');
      expect(events.map((l) => l.consumer).sort()).toEqual(accountsConsumers);
      expect(events.every((l) => l.value === 0)).toBe(true);
      const seconds = lagOf(text, 'hub_eventlog_consumer_lag_seconds');
      expect(seconds.map((l) => l.consumer).sort()).toEqual(accountsConsumers);
      expect(seconds.every((l) => l.value === 0)).toBe(true);
      expect(text).toContain('reported only by the process that runs the consumer');
    }
  });

  it('lets a subgraph add scrape-time gauges (SLA clocks by state) that merge across instances', async () => {
    unregister.push(registerSlaClockCollector(async () => [{ labels: { state: 'RUNNING', moment: 'MQL_TO_SQL' }, value: 3 }]));
    unregister.push(registerSlaClockCollector(async () => [{ labels: { state: 'BREACHED', moment: 'MQL_TO_SQL' }, value: 1 }]));
    unregister.push(
      registerGaugeCollector({
        name: 'hub_test_broken',
        help: 'a collector that fails',
        labelNames: ['x'],
        collect: () => Promise.reject(new Error('db down')),
      }),
    );
    const text = await metricsOf(hub.subgraphUrls.accounts!);
    expect(sample(text, 'hub_sla_clocks', { state: 'RUNNING' })).toBe(3);
    expect(sample(text, 'hub_sla_clocks', { state: 'BREACHED' })).toBe(1);
    expect(text).toContain('# TYPE hub_test_broken gauge');
  });
});
