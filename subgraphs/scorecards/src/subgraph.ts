import type { SubgraphModule } from '../../../shared/server/subgraph-module';
import { createScorecardsDataSource } from './data-source';
import { buildScorecardsSchema } from './schema';
import { seedScorecards } from './seed';
import { createScorecardsServer } from './server';

/** scorecards as a runner takes it: its own process (main.ts) or the whole hub (npm start). */
export const scorecardsSubgraph: SubgraphModule = {
  name: 'scorecards',
  buildSchema: buildScorecardsSchema,
  createDataSource: createScorecardsDataSource,
  createServer: createScorecardsServer,
  seed: seedScorecards,
};
