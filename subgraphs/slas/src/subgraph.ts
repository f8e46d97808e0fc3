import { createPubSub } from '@graphql-yoga/subscription';
import type { SubgraphModule } from '../../../shared/server/subgraph-module';
import { createSlasDataSource } from './data-source';
import { buildSlasSchema } from './schema';
import { seedSlas } from './seed';
import { createSlasServer } from './server';

/** slas as a runner takes it: its own process (main.ts) or the whole hub (npm start). */
export const slasSubgraph: SubgraphModule = {
  name: 'slas',
  buildSchema: () => buildSlasSchema(createPubSub()),
  createDataSource: createSlasDataSource,
  createServer: createSlasServer,
  seed: seedSlas,
};
