import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import type { HubConfig, SubgraphName } from '../config';
import type { Logger } from '../logger';
import type { SubgraphServer } from './subgraph-server';

/**
 * What a runner needs from one subgraph, exported by its `src/subgraph.ts`: its own
 * process (its main.ts) takes only this one; the top-level runner takes all four.
 */
export interface SubgraphModule {
  name: SubgraphName;
  /** The schema alone, to print the subgraph's contract (npm run compose). */
  buildSchema(): Promise<GraphQLSchema>;
  createDataSource(url: string, poolSize?: number): DataSource;
  createServer(opts: { dataSource: DataSource; identitySecret: string; log: Logger; config: HubConfig }): Promise<SubgraphServer>;
  /** Idempotent demo data (HUB_SEED_DEMO). */
  seed?(dataSource: DataSource): Promise<void>;
}
