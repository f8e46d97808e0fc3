import { createPubSub } from '@graphql-yoga/subscription';
import type { SubgraphModule } from '../../../shared/server/subgraph-module';
import { createHandoffsDataSource } from './data-source';
import { buildHandoffsSchema } from './schema';
import { seedHandoffs } from './seed';
import { createHandoffsServer } from './server';

/** handoffs as a runner takes it: its own process (main.ts) or the whole hub (npm start). */
export const handoffsSubgraph: SubgraphModule = {
  name: 'handoffs',
  buildSchema: () => buildHandoffsSchema(createPubSub()),
  createDataSource: createHandoffsDataSource,
  createServer: createHandoffsServer,
  seed: seedHandoffs,
};
