import { freePort } from '../../shared/free-port';
import { serviceEntryPoint } from '../../shared/paths';
import { ensureBuilt, spawnBuilt, stopBuilt, waitUntilReady, type BuiltProcess } from '../support/built-hub';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * A subgraph's own entry point, as its container runs it (accounts and the gateway run the
 * same way in the tracing test): it starts against DATABASE_URL alone and drains on SIGTERM.
 */
describe('a service run from its own entry point (built, real process)', () => {
  let db: TestDatabase;
  const processes: BuiltProcess[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    db = await createTestDatabase();
  }, 300_000);

  afterAll(async () => {
    for (const proc of processes) await stopBuilt(proc);
    await db?.drop();
  }, 60_000);

  it('slas starts on its own, answers /readyz and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const slas = spawnBuilt(serviceEntryPoint('slas'), { DATABASE_URL: db.url, SLAS_PORT: String(port), HUB_LOG_LEVEL: 'warn' });
    processes.push(slas);
    await waitUntilReady(`http://127.0.0.1:${port}/readyz`, slas);
    await stopBuilt(slas);
    expect(await slas.exited).toEqual({ code: 0, signal: null });
  }, 120_000);

  it('says what is missing without DATABASE_URL', async () => {
    const slas = spawnBuilt(serviceEntryPoint('slas'), { HUB_LOG_LEVEL: 'warn' });
    processes.push(slas);
    expect(await slas.exited).toEqual({ code: 1, signal: null });
    expect(slas.output()).toContain('Start-up failed: DATABASE_URL is not set');
    expect(slas.output()).toContain('What to do: set DATABASE_URL=');
  }, 60_000);
});
