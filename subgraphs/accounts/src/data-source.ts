import { createHubDataSource } from '../../../shared/db/data-source';
import { accountsEntities } from './entities';
import { accountsMigrations } from './migrations';

export const createAccountsDataSource = (url: string, poolSize?: number) =>
  createHubDataSource({ url, schema: 'accounts', entities: accountsEntities, migrations: accountsMigrations, poolSize });
