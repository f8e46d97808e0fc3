import type { GraphQLSchema } from 'graphql';
import type { DataSource } from 'typeorm';
import { createPubSub } from '@graphql-yoga/subscription';
import type { HubConfig, SubgraphName } from '../shared/config';
import type { Logger } from '../shared/logger';
import type { SubgraphServer } from '../shared/server/subgraph-server';
import { createAccountsDataSource } from '../subgraphs/accounts/src/data-source';
import { buildAccountsSchema } from '../subgraphs/accounts/src/schema';
import { seedAccounts } from '../subgraphs/accounts/src/seed';
import { createAccountsServer } from '../subgraphs/accounts/src/server';
import { createHandoffsDataSource } from '../subgraphs/handoffs/src/data-source';
import { buildHandoffsSchema } from '../subgraphs/handoffs/src/schema';
import { seedHandoffs } from '../subgraphs/handoffs/src/seed';
import { createHandoffsServer } from '../subgraphs/handoffs/src/server';
import { createSlasDataSource } from '../subgraphs/slas/src/data-source';
import { buildSlasSchema } from '../subgraphs/slas/src/schema';
import { seedSlas } from '../subgraphs/slas/src/seed';
import { createSlasServer } from '../subgraphs/slas/src/server';
import { createScorecardsDataSource } from '../subgraphs/scorecards/src/data-source';
import { buildScorecardsSchema } from '../subgraphs/scorecards/src/schema';
import { seedScorecards } from '../subgraphs/scorecards/src/seed';
import { createScorecardsServer } from '../subgraphs/scorecards/src/server';

/** What the hub runner needs from each subgraph; each subgraph stays unaware of the others. */
export interface SubgraphModule {
  buildSchema(): Promise<GraphQLSchema>;
  createDataSource(url: string, poolSize?: number): DataSource;
  createServer(opts: { dataSource: DataSource; identitySecret: string; log: Logger; config: HubConfig }): Promise<SubgraphServer>;
  seed?(dataSource: DataSource): Promise<void>;
}

/** Subgraphs in start order (accounts first: the gateway authenticates through it). */
export const SUBGRAPHS: Partial<Record<SubgraphName, SubgraphModule>> = {
  accounts: {
    buildSchema: () => buildAccountsSchema(createPubSub()),
    createDataSource: createAccountsDataSource,
    createServer: ({ config, ...opts }) =>
      createAccountsServer({
        ...opts,
        sync: { changeFeedRetentionDays: config.changeFeedRetentionDays, webhooks: config.webhooks },
        maxBulkBodyBytes: config.security.maxBulkBodyBytes,
      }),
    seed: seedAccounts,
  },
  handoffs: {
    buildSchema: () => buildHandoffsSchema(createPubSub()),
    createDataSource: createHandoffsDataSource,
    createServer: createHandoffsServer,
    seed: seedHandoffs,
  },
  slas: {
    buildSchema: () => buildSlasSchema(createPubSub()),
    createDataSource: createSlasDataSource,
    createServer: createSlasServer,
    seed: seedSlas,
  },
  scorecards: {
    buildSchema: buildScorecardsSchema,
    createDataSource: createScorecardsDataSource,
    createServer: createScorecardsServer,
    seed: seedScorecards,
  },
};

export const implementedSubgraphs = () => Object.keys(SUBGRAPHS) as SubgraphName[];
