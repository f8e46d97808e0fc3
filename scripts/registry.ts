import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { createPubSub } from '@graphql-yoga/subscription';
import type { SubgraphName } from '../shared/config';
import type { Logger } from '../shared/logger';
import type { SubgraphServer } from '../shared/server/subgraph-server';
import { createAccountsDataSource } from '../subgraphs/accounts/src/data-source';
import { buildAccountsSchema } from '../subgraphs/accounts/src/schema';
import { seedAccounts } from '../subgraphs/accounts/src/seed';
import { createAccountsServer } from '../subgraphs/accounts/src/server';

/** What the hub runner needs from each subgraph; each subgraph stays unaware of the others. */
export interface SubgraphModule {
  buildSchema(): Promise<GraphQLSchema>;
  createDataSource(url: string, poolSize?: number): DataSource;
  createServer(opts: { dataSource: DataSource; identitySecret: string; log: Logger }): Promise<SubgraphServer>;
  seed?(dataSource: DataSource): Promise<void>;
}

/** Subgraphs in start order (accounts first: the gateway authenticates through it). */
export const SUBGRAPHS: Partial<Record<SubgraphName, SubgraphModule>> = {
  accounts: {
    buildSchema: () => buildAccountsSchema(createPubSub()),
    createDataSource: createAccountsDataSource,
    createServer: createAccountsServer,
    seed: seedAccounts,
  },
};

export const implementedSubgraphs = () => Object.keys(SUBGRAPHS) as SubgraphName[];
