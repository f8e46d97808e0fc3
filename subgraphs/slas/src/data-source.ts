import { createHubDataSource } from '../../../shared/db/data-source';
import { slasMigrations } from './migrations';

/** slas maps its rows by hand (SKIP LOCKED sweeps, batch updates), so it registers no TypeORM entities. */
export const createSlasDataSource = (url: string, poolSize?: number) =>
  createHubDataSource({ url, schema: 'slas', entities: [], migrations: slasMigrations, poolSize });
