import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../../shared/free-port';
import { repoRoot } from '../../shared/paths';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { ensureBuilt } from '../support/built-hub';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * Auto-instrumentation patches modules at require time, which jest's module loader
 * bypasses: this test builds the hub and runs it as real processes (a gateway process and
 * an accounts process, so trace context must cross a process boundary over HTTP), exporting
 * to an OTLP/HTTP (JSON) receiver of its own.
 */

interface ReceivedSpan {
  service: string;
  scope: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
}

/** pg spans; attribute names differ between semantic-convention versions. */
const isSql = (s: ReceivedSpan) =>
  s.scope === '@opentelemetry/instrumentation-pg' && (s.attributes['db.system'] ?? s.attributes['db.system.name']) === 'postgresql';
const statement = (s: ReceivedSpan) => String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? '');

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
const root = repoRoot();

/** A minimal OTLP/HTTP traces receiver (JSON encoding). */
function startReceiver(spans: ReceivedSpan[]): Promise<{ server: Server; url: string }> {
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans?: any[] };
      for (const rs of body.resourceSpans ?? []) {
        const service = rs.resource?.attributes?.find((a: any) => a.key === 'service.name')?.value?.stringValue;
        for (const ss of rs.scopeSpans ?? []) {
          for (const s of ss.spans ?? []) {
            spans.push({
              service,
              scope: ss.scope?.name,
              name: s.name,
              traceId: s.traceId,
              spanId: s.spanId,
              parentSpanId: s.parentSpanId ?? '',
              attributes: Object.fromEntries((s.attributes ?? []).map((a: any) => [a.key, Object.values(a.value ?? {})[0]])),
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/v1/traces` })),
  );
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`process exited (${child.exitCode}):\n${output()}`);
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready:\n${output()}`);
}

describe('OpenTelemetry traces across gateway, subgraph and SQL (built hub, real processes)', () => {
  let db: TestDatabase;
  let receiver: { server: Server; url: string };
  const spans: ReceivedSpan[] = [];
  const children: ChildProcess[] = [];
  let gatewayUrl: string;

  // Each service from its own entry point, as a deployment runs it.
  const start = (entry: string, env: Record<string, string>) => {
    let out = '';
    const child = spawn(process.execPath, [join(root, entry)], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'test',
        HUB_LOG_LEVEL: 'warn',
        DATABASE_URL: db.url,
        HUB_TRACING: 'otlp',
        HUB_OTLP_PROTOCOL: 'json',
        HUB_OTLP_ENDPOINT: receiver.url,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    children.push(child);
    return { child, output: () => out };
  };

  beforeAll(async () => {
    // The build this test runs is what `npm run build` emits (tsc; the dashboard bundle is not needed).
    await ensureBuilt();
    db = await createTestDatabase();
    receiver = await startReceiver(spans);
    const [accountsPort, gatewayPort] = [await freePort(), await freePort()];
    const ports = { ACCOUNTS_PORT: String(accountsPort), GATEWAY_PORT: String(gatewayPort) };
    const accounts = start('dist/subgraphs/accounts/src/main.js', ports);
    await waitReady(`http://127.0.0.1:${accountsPort}/readyz`, accounts.child, accounts.output);
    const gateway = start('dist/gateway/main.js', ports);
    // Only accounts runs here, so wait for the supergraph, not for every subgraph.
    await waitReady(`http://127.0.0.1:${gatewayPort}/readyz/supergraph`, gateway.child, gateway.output);
    gatewayUrl = `http://127.0.0.1:${gatewayPort}/graphql`;
  }, 180_000);

  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    await new Promise((r) => receiver?.server.close(r));
    await db?.drop();
  });

  it('exports one trace per request holding gateway, subgraph and pg spans, with no secrets', async () => {
    const res = await fetch(gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ACME.apiKey}` },
      body: JSON.stringify({ query: 'query TracedCustomers { customers(first: 2) { edges { node { id name } } } }' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).data.customers.edges).toHaveLength(2);

    // Spans are batched; wait until the trace holding our operation has its SQL spans.
    const traceOf = () => spans.find((s) => s.service === 'gateway' && s.name.includes('TracedCustomers'))?.traceId;
    const deadline = Date.now() + 15_000;
    let trace: ReceivedSpan[] = [];
    while (Date.now() < deadline) {
      const id = traceOf();
      trace = id ? spans.filter((s) => s.traceId === id) : [];
      const sqlArrived = trace.some((s) => s.service === 'accounts' && isSql(s) && /customers/.test(statement(s)));
      const rootArrived = trace.some((s) => s.service === 'gateway' && !s.parentSpanId);
      if (sqlArrived && rootArrived) break;
      await new Promise((r) => setTimeout(r, 200));
    }

    const services = new Set(trace.map((s) => s.service));
    expect([...services].sort()).toEqual(['accounts', 'gateway']);
    // The gateway's GraphQL spans, its call to the subgraph, the subgraph's HTTP server span and its SQL.
    expect(trace.some((s) => s.service === 'gateway' && s.name.startsWith('subgraph.execute'))).toBe(true);
    const serverSpan = trace.find((s) => s.service === 'accounts' && s.scope === '@opentelemetry/instrumentation-http' && s.name.includes('/graphql'));
    expect(serverSpan).toBeDefined();
    // Context crossed the process boundary: the subgraph's server span has a parent in the gateway.
    const gatewaySpanIds = new Set(trace.filter((s) => s.service === 'gateway').map((s) => s.spanId));
    expect(gatewaySpanIds.has(serverSpan!.parentSpanId)).toBe(true);
    const sql = trace.filter(isSql);
    expect(sql.length).toBeGreaterThan(0);
    // Exactly one root: the whole request is one tree.
    const ids = new Set(trace.map((s) => s.spanId));
    expect(trace.filter((s) => !s.parentSpanId || !ids.has(s.parentSpanId))).toHaveLength(1);

    const everything = JSON.stringify(spans);
    expect(everything).not.toContain(ACME.apiKey);
    expect(everything).not.toContain('x-hub-identity');
    expect(everything.toLowerCase()).not.toContain('bearer');
  });

  it('does not trace probes and scrapes', async () => {
    const before = spans.length;
    await fetch(gatewayUrl.replace('/graphql', '/healthz'));
    await fetch(gatewayUrl.replace('/graphql', '/metrics'));
    await new Promise((r) => setTimeout(r, 1500));
    const after = spans.slice(before);
    expect(
      after.filter((s) => /healthz|metrics/.test(s.name) || /healthz|metrics/.test(String(s.attributes['http.target'] ?? s.attributes['url.path'] ?? ''))),
    ).toEqual([]);
  });
});
