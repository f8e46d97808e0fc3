import { createHubDataSource } from '../../../shared/db/data-source';
import { handoffsEntities } from './entities';
import { handoffsMigrations } from './migrations';

export const createHandoffsDataSource = (url: string, poolSize?: number) =>
  createHubDataSource({ url, schema: 'handoffs', entities: handoffsEntities, migrations: handoffsMigrations, poolSize });
