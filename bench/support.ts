import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { signIdentity, type Identity } from '../shared/auth/identity';
import { loadConfig, type QueryPlannerKind, type ServiceName, type SubgraphName } from '../shared/config';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { freePort } from '../shared/free-port';
import { repoRoot, serviceEntryPoint } from '../shared/paths';
import { implementedSubgraphs } from '../scripts/registry';

/**
 * Shared helpers for the P1–P6 benchmarks (bench/p*.ts, run together by bench/run-all.ts
 * through `npm run bench`). Every bench starts what it needs on 127.0.0.1 — Postgres, the
 * services as separate processes from the build, exactly as production runs them — prints
 * one JSON line, and stops everything it started, whatever happens.
 */

export { freePort };

/** The identity secret the bench processes share, so a bench may call a subgraph directly. */
export const BENCH_SECRET = 'bench-only-identity-secret-0123456789abcdef';

const cleanups: (() => Promise<void>)[] = [];
/** Registers something to stop when the bench ends (last registered, first stopped). */
export const onCleanup = (fn: () => Promise<void>) => void cleanups.push(fn);

async function cleanup() {
  while (cleanups.length) await cleanups.pop()!().catch((err) => console.error('cleanup failed:', (err as Error).message));
}

/** `--name=value` arguments (run-all passes `--admin-url` so all benches share one Postgres). */
export function arg(name: string): string | undefined {
  const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
  return hit?.slice(name.length + 3);
}

/** `--planners=native,javascript`: the query planners a bench compares; the first is the one reported. */
export function plannersArg(): [QueryPlannerKind, ...QueryPlannerKind[]] {
  const [first, ...rest] = (arg('planners') ?? 'native,javascript').split(',') as QueryPlannerKind[];
  if (!first) throw new Error('--planners names no query planner');
  return [first, ...rest];
}

/**
 * A fresh database: on `--admin-url` or DATABASE_URL's server when given, otherwise on a
 * throwaway embedded Postgres started for this bench. Dropped on cleanup.
 */
export async function benchDatabase(): Promise<string> {
  let adminUrl = arg('admin-url') ?? loadConfig().databaseUrl;
  if (!adminUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'hub-bench-pg-'));
    const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), persistent: false });
    onCleanup(async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    adminUrl = pg.url;
  }
  const name = `hub_bench_${Date.now()}_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  onCleanup(async () => {
    const c = new Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * The V8 flags every service runs with in production (`npm start`, the Dockerfile's
 * NODE_OPTIONS): a 32 MiB young generation, so that objects of a request still in flight
 * die young instead of being promoted and collected by full GCs.
 */
const NODE_FLAGS = ['--max-semi-space-size=32'];

/** One service running as its own process from its entry point ({@link serviceEntryPoint}). */
export interface ServiceProcess {
  name: ServiceName;
  url: string;
  child: ChildProcess;
  /** Stops it before the bench ends (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/**
 * Starts each named service as its own process (what docker-compose runs), subgraphs first
 * in the given order, then the gateway; waits for /readyz. Production mode, demo data,
 * warn-level logs, per-partner cost budget lifted. Stopped on cleanup with SIGTERM (SIGKILL after 10 s).
 */
export async function startServices<S extends ServiceName>(
  databaseUrl: string,
  services: readonly S[],
  env: Record<string, string> = {},
): Promise<Record<S, ServiceProcess>> {
  const ports: Record<string, string> = {};
  const portOf: Partial<Record<ServiceName, string>> = {};
  for (const s of ['gateway', 'accounts', 'handoffs', 'slas', 'scorecards'] as const) ports[`${s.toUpperCase()}_PORT`] = portOf[s] = String(await freePort());
  const started: Partial<Record<S, ServiceProcess>> = {};
  const order = [...services.filter((s) => s !== 'gateway'), ...services.filter((s) => s === 'gateway')];
  for (const name of order) {
    const port = portOf[name];
    const serviceEnv = {
      NODE_ENV: 'production',
      HUB_IDENTITY_SECRET: BENCH_SECRET,
      DATABASE_URL: databaseUrl,
      HUB_HOST: '127.0.0.1',
      HUB_LOG_LEVEL: 'warn',
      HUB_DB_POOL_SIZE: '15',
      HUB_AUTH_CACHE_MS: '60000',
      // Capacity is measured, not the per-partner cost budget (a policy, tested elsewhere).
      HUB_COST_BUCKET_SIZE: '1000000000',
      HUB_COST_RESTORE_RATE: '1000000000',
      ...ports,
      ...env,
    };
    // The gateway's /readyz also wants every subgraph up; a bench may start only some of them.
    const ready = `http://127.0.0.1:${port}/readyz${name === 'gateway' ? '/supergraph' : ''}`;
    started[name] = await spawnService(name, serviceEntryPoint(name), [], serviceEnv, ready);
  }
  // Every name in `services` was started above.
  return started as Record<S, ServiceProcess>;
}

/**
 * Runs `script` (relative to the repository) as a service process with the production V8
 * flags and only the given environment, waits until `readyUrl` answers 200, and registers
 * its stop for cleanup.
 */
export async function spawnService(name: ServiceName, script: string, args: string[], env: Record<string, string>, readyUrl: string): Promise<ServiceProcess> {
  let output = '';
  const child = spawn(process.execPath, [...NODE_FLAGS, ...profileArgs(name), join(repoRoot(), script), ...args], {
    cwd: repoRoot(),
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output = (output + d).slice(-4000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-4000)));
  let stopping = false;
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`${name} exited unexpectedly (${code ?? signal}); last output:\n${output}`);
  });
  const stop = () => {
    stopping = true;
    return stopChild(child);
  };
  onCleanup(stop);
  await waitReady(readyUrl, child, () => output);
  return { name, url: readyUrl.replace(/\/readyz.*$/, '/graphql'), child, stop };
}

/**
 * `BENCH_CPU_PROF=<dir>` (or `BENCH_CPU_PROF=<dir>:gateway,handoffs`) writes a V8 CPU
 * profile of every (or each named) service process into `<dir>/<service>/` when it stops: open it in
 * Chrome DevTools or speedscope to see where a bench's time goes.
 */
function profileArgs(name: ServiceName): string[] {
  const spec = process.env.BENCH_CPU_PROF;
  if (!spec) return [];
  const [dir = spec, only] = spec.split(':');
  if (only && !only.split(',').includes(name)) return [];
  return ['--cpu-prof', `--cpu-prof-dir=${join(dir, name)}`];
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitReady(url: string, child: ChildProcess, output: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited (${child.exitCode}) before ready:\n${output()}`);
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms:\n${output()}`);
}

/** Which subgraphs the build registers (the benches use what exists and say what is missing). */
export const registeredSubgraphs = (): SubgraphName[] => implementedSubgraphs();

/** Headers for calling a subgraph directly, as the gateway would (signed identity). */
export const directHeaders = (identity: Identity): Record<string, string> => ({
  'content-type': 'application/json',
  'x-hub-identity': signIdentity(identity, BENCH_SECRET, 3600),
});

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** A minimal keep-alive JSON POST (lower and steadier overhead than fetch, for latency). */
export function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** POSTs a GraphQL operation and fails loudly on HTTP or GraphQL errors. */
export async function graphql<T = any>(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<T> {
  const res = await post(url, JSON.stringify({ query, variables }), { 'content-type': 'application/json', ...headers });
  const body = JSON.parse(res.body) as { data?: T; errors?: { message: string }[] };
  if (res.status !== 200 || body.errors?.length) throw new Error(`GraphQL call failed (${res.status}): ${JSON.stringify(body.errors ?? body).slice(0, 500)}`);
  return body.data as T;
}

export const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

/** The identity a hub gateway resolves an API key to: what it would sign for the subgraphs. */
export async function viewerIdentity(gatewayUrl: string, apiKey: string): Promise<Identity> {
  const { me } = await graphql<{ me: { partner: { id: string } | null; role: Identity['role']; scopes: string[] } }>(
    gatewayUrl,
    '{ me { partner { id } role scopes } }',
    {},
    bearer(apiKey),
  );
  return { partnerId: me.partner?.id, role: me.role, scopes: me.scopes };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Latency summary in milliseconds. */
export function summary(samplesMs: number[]) {
  const s = [...samplesMs].sort((a, b) => a - b);
  return {
    n: s.length,
    p50: round(percentile(s, 50), 3),
    p90: round(percentile(s, 90), 3),
    p99: round(percentile(s, 99), 3),
    max: round(s[s.length - 1] ?? NaN, 3),
  };
}

/** What the numbers were measured on. */
export function machine() {
  const c = cpus();
  return {
    cpu: c[0]?.model.trim() ?? 'unknown',
    cores: c.length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    os: `${platform()} ${release()}`,
    node: process.version,
    loadAverage1m: round(loadavg()[0] ?? NaN, 2),
  };
}

/** A Prometheus sample from a service's /metrics (e.g. process_resident_memory_bytes). */
export async function scrape(graphqlUrl: string, metric: string): Promise<number> {
  const text = await (await fetch(graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${metric} `) || l.startsWith(`${metric}{`));
  return line ? Number(line.split(' ').pop()) : NaN;
}

/**
 * CPU time each service process spends, from their /metrics (process_cpu_seconds_total):
 * `start()` before a measured run, then `perRequest(n)` gives milliseconds of CPU per
 * request by service. Steadier than latency on a busy machine: it counts work, not waiting.
 */
export function cpuMeter(services: Record<string, ServiceProcess>) {
  const read = async () =>
    Object.fromEntries(await Promise.all(Object.values(services).map(async (s) => [s.name, await scrape(s.url, 'process_cpu_seconds_total')] as const)));
  let before: Record<string, number> = {};
  return {
    async start() {
      before = await read();
    },
    async perRequest(requests: number): Promise<Record<string, number>> {
      const after = await read();
      const out: Record<string, number> = {};
      for (const [name, seconds] of Object.entries(after)) out[name] = round(((seconds - (before[name] ?? NaN)) * 1000) / requests, 3);
      out.total = round(
        Object.values(out).reduce((a, b) => a + b, 0),
        3,
      );
      return out;
    },
  };
}

/**
 * Runs one bench: prints its result as one JSON line on stdout (run-all reads the last
 * line), then stops everything it started. Exits non-zero on failure.
 */
export function runBench(name: string, fn: () => Promise<Record<string, unknown>>): void {
  const stop = async (code: number) => {
    await cleanup();
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(130));
  process.once('SIGTERM', () => void stop(143));
  fn()
    .then(async (result) => {
      await cleanup();
      console.log(JSON.stringify({ bench: name, machine: machine(), ...result }));
      process.exit(0);
    })
    .catch(async (err) => {
      console.error(`${name} failed:`, err instanceof Error ? err.stack : err);
      await stop(1);
    });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
