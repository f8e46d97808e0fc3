import { createPubSub } from '@graphql-yoga/subscription';
import type { SubgraphModule } from '../../../shared/server/subgraph-module';
import { createAccountsDataSource } from './data-source';
import { buildAccountsSchema } from './schema';
import { seedAccounts } from './seed';
import { createAccountsServer } from './server';

/** accounts as a runner takes it: its own process (main.ts) or the whole hub (npm start). */
export const accountsSubgraph: SubgraphModule = {
  name: 'accounts',
  buildSchema: () => buildAccountsSchema(createPubSub()),
  createDataSource: createAccountsDataSource,
  createServer: ({ config, ...opts }) =>
    createAccountsServer({
      ...opts,
      sync: { changeFeedRetentionDays: config.changeFeedRetentionDays, webhooks: config.webhooks },
      maxBulkBodyBytes: config.security.maxBulkBodyBytes,
      eventPollMs: config.eventPollMs,
      sessionTtlMs: config.signIn.sessionTtlMs,
      csv: config.csv,
      notifications: config.notifications,
    }),
  seed: seedAccounts,
};
