import { createHubDataSource } from '../../../shared/db/data-source';
import { scorecardsEntities } from './entities';
import { scorecardsMigrations } from './migrations';

export const createScorecardsDataSource = (url: string, poolSize?: number) =>
  createHubDataSource({ url, schema: 'scorecards', entities: scorecardsEntities, migrations: scorecardsMigrations, poolSize });
