import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runningPostmaster } from '../../shared/db/postmaster';
import { freePort } from '../../shared/free-port';
import { ensureBuilt, spawnBuilt, stopBuilt, waitUntilReady, type BuiltProcess } from '../support/built-hub';
import { gql } from '../support/graphql-client';

/**
 * `npm start` as a person runs it (the built runner, embedded Postgres kept in a data
 * directory): killed with SIGKILL mid-write, it comes back by itself on the next start with
 * every write it acknowledged; a start that cannot succeed says what failed and what to do.
 */
const INTERNAL_KEY = 'hub_demo_internal_revops';
const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name } }`;

describe('npm start: crash recovery and start-up failures (built runner, real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hub-start-'));
  const dataDir = join(dir, 'pg');
  const processes: BuiltProcess[] = [];
  let ports: Record<string, string>;

  const startRunner = (env: Record<string, string> = {}) => {
    const proc = spawnBuilt('dist/scripts/start.js', { HUB_DATA_DIR: dataDir, HUB_LOG_LEVEL: 'warn', HUB_AUTH_CACHE_MS: '60000', ...ports, ...env });
    processes.push(proc);
    return proc;
  };
  const gatewayUrl = () => `http://127.0.0.1:${ports.GATEWAY_PORT}/graphql`;
  const embeddedUrl = () => `postgres://hub:hub@127.0.0.1:${ports.HUB_EMBEDDED_PG_PORT}/postgres`;

  beforeAll(async () => {
    await ensureBuilt();
    ports = {};
    for (const name of ['GATEWAY_PORT', 'ACCOUNTS_PORT', 'HANDOFFS_PORT', 'SLAS_PORT', 'SCORECARDS_PORT', 'HUB_EMBEDDED_PG_PORT'])
      ports[name] = String(await freePort());
  }, 300_000);

  // Whatever a test started, even when it failed half-way, so the next one starts clean.
  afterEach(async () => {
    for (const proc of processes.splice(0)) {
      proc.child.kill('SIGKILL');
      await proc.exited;
    }
    // A runner killed here leaves its Postgres behind, as the one under test does.
    const orphan = runningPostmaster(dataDir);
    if (orphan) {
      process.kill(orphan, 'SIGQUIT');
      const deadline = Date.now() + 10_000;
      while (runningPostmaster(dataDir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    }
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** How a runner that cannot start ends: it must exit by itself, not hang. */
  const exitOf = (proc: BuiltProcess) =>
    Promise.race([proc.exited, new Promise((resolve) => setTimeout(() => resolve(`still running after 60 s:\n${proc.output()}`), 60_000).unref())]);

  it('comes back by itself after SIGKILL mid-write, with every acknowledged write, on a crash-safe Postgres', async () => {
    const first = startRunner();
    await waitUntilReady(`http://127.0.0.1:${ports.GATEWAY_PORT}/readyz`, first);

    // The data is kept, so every commit and full page must reach the disk.
    const admin = new Client({ connectionString: embeddedUrl() });
    await admin.connect();
    const { rows } = await admin.query(`SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'full_page_writes', 'synchronous_commit') ORDER BY name`);
    await admin.end();
    expect(Object.fromEntries(rows.map((r: { name: string; setting: string }) => [r.name, r.setting]))).toEqual({
      fsync: 'on',
      full_page_writes: 'on',
      synchronous_commit: 'on',
    });

    // Writers keep going until the runner dies under them; only answered writes count.
    const acknowledged: { id: string; name: string }[] = [];
    let sent = 0;
    let dead = false;
    let failure: unknown;
    const writer = async (w: number) => {
      while (!dead && !failure) {
        const name = `Crash Test ${w}-${sent++}`;
        try {
          const res = await gql<{ createCustomer: { id: string; name: string } }>(
            gatewayUrl(),
            CREATE,
            { input: { name, segment: 'SMB', region: 'NA' } },
            INTERNAL_KEY,
          );
          if (res.data?.createCustomer) acknowledged.push(res.data.createCustomer);
          else if (!dead) failure = new Error(`write refused: ${JSON.stringify(res.errors)}`);
        } catch (err) {
          if (!dead) failure = err;
        }
      }
    };
    const writers = Array.from({ length: 6 }, (_, w) => writer(w));
    while (acknowledged.length < 30 && !failure) await new Promise((r) => setTimeout(r, 20));
    if (failure) throw failure;
    const inFlight = sent - acknowledged.length;
    dead = true;
    first.child.kill('SIGKILL');
    await first.exited;
    await Promise.all(writers);
    expect(inFlight).toBeGreaterThan(0);
    // What makes the next start hard: the runner's Postgres outlived it, holding the directory and port.
    const orphan = runningPostmaster(dataDir);
    expect(orphan).toBeGreaterThan(0);

    const second = startRunner();
    await waitUntilReady(`http://127.0.0.1:${ports.GATEWAY_PORT}/readyz`, second);
    expect(second.output()).toContain(`stopping the PostgreSQL (PID ${orphan}) that an earlier run left`);
    for (const customer of acknowledged) {
      const res = await gql<{ customer: { id: string; name: string } | null }>(
        gatewayUrl(),
        `query($id: ID!) { customer(id: $id) { id name } }`,
        { id: customer.id },
        INTERNAL_KEY,
      );
      expect(res.data?.customer).toEqual(customer);
    }

    await stopBuilt(second);
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(runningPostmaster(dataDir)).toBeUndefined();
  }, 240_000);

  it.each([
    { variable: 'ACCOUNTS_PORT', what: (port: string) => `port 127.0.0.1:${port} is already in use` },
    { variable: 'HUB_EMBEDDED_PG_PORT', what: (port: string) => `port 127.0.0.1:${port} for the embedded PostgreSQL is already in use` },
  ])(
    'says what failed and what to do when $variable is taken, and leaves no Postgres behind',
    async ({ variable, what }) => {
      const port = ports[variable]!;
      const holder: Server = createServer();
      await new Promise<void>((resolve) => holder.listen(Number(port), '127.0.0.1', resolve));
      try {
        const runner = startRunner();
        expect(await exitOf(runner)).toEqual({ code: 1, signal: null });
        expect(runner.output()).toContain(`Start-up failed: ${what(port)}`);
        expect(runner.output()).toMatch(new RegExp(`What to do: .*${variable}`));
        expect(runningPostmaster(dataDir)).toBeUndefined();
      } finally {
        await new Promise((resolve) => holder.close(resolve));
      }
    },
    120_000,
  );
});
