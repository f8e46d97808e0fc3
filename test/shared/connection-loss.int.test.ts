import type { DataSource } from 'typeorm';
import { createHubDataSource, openDataSource } from '../../shared/db/data-source';
import { withTenant } from '../../shared/db/tenant-context';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

/**
 * A connection lost while the pool is setting its tenant must fail that checkout, not the
 * process. pg emits 'error' on a client whose socket ends even when the statement in flight
 * has already failed, and between the pool's checkout and TypeORM's own error listener nobody
 * listened (shared/db/data-source.ts). Found as a rare crash of db-outage.e2e under load.
 */
describe('a connection lost while the pool sets its tenant', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname === 'localhost' ? '127.0.0.1' : target.hostname, Number(target.port));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    db = await openDataSource(createHubDataSource({ url: viaProxy.toString(), schema: 'loss_test', entities: [], migrations: [], poolSize: 1 }));
  });
  afterAll(async () => {
    await db?.destroy();
    await proxy?.close();
    await database?.drop();
  });

  it('fails that request only; the process survives and the next request gets a fresh connection', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      const partner = { partnerId: '00000000-0000-4000-8000-000000000011', role: 'PARTNER', scopes: [] } as unknown as Parameters<typeof withTenant>[0];
      proxy.dropConnectionSending("set_config('hub.tenant'");
      await expect(withTenant(partner, () => db.query('SELECT 1 AS one'))).rejects.toThrow(/terminated|closed|ECONNRESET/i);
      // The socket's end arrives after the failed statement: give it the time to be emitted.
      await new Promise((r) => setTimeout(r, 100));
      expect(await withTenant(partner, () => db.query('SELECT 1 AS one'))).toEqual([{ one: 1 }]);
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
  });
});
