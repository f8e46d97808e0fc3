import type { DataSource } from 'typeorm';
import { openDataSource } from '../../shared/db/data-source';
import { createLogger } from '../../shared/logger';
import { createAccountsDataSource } from '../../subgraphs/accounts/src/data-source';
import { seedAccounts } from '../../subgraphs/accounts/src/seed';
import { accountsSubgraph } from '../../subgraphs/accounts/src/subgraph';
import { createAccountsServer, type AccountsServer, type AccountsServerOptions } from '../../subgraphs/accounts/src/server';
import { createTestDatabase, type TestDatabase } from './database';
import { TEST_IDENTITY_SECRET } from './subgraph-client';

export interface AccountsUnderTest {
  url: string;
  db: DataSource;
  /** The admin URL of the test database (for a LISTEN connection, say). */
  databaseUrl: string;
  server: AccountsServer;
  stop(): Promise<void>;
}

/**
 * The accounts subgraph alone on a fresh database with demo data (unless `seedDemo: false`,
 * for what holds only before anything was ever written), listening on a free port.
 */
export async function startAccounts(
  options: Partial<Omit<AccountsServerOptions, 'dataSource'>> = {},
  { seedDemo = true }: { seedDemo?: boolean } = {},
): Promise<AccountsUnderTest> {
  const database: TestDatabase = await createTestDatabase({ migrated: [accountsSubgraph], seeded: seedDemo });
  const db = await openDataSource(createAccountsDataSource(database.url, 5));
  if (seedDemo) await seedAccounts(db);
  const server = await createAccountsServer({ dataSource: db, identitySecret: TEST_IDENTITY_SECRET, log: createLogger('accounts-test', 'silent'), ...options });
  const url = await server.listen(0);
  return {
    url,
    db,
    databaseUrl: database.url,
    server,
    async stop() {
      await server.stop();
      await db.destroy();
      await database.drop();
    },
  };
}
