import type { DataSource } from 'typeorm';
import type { PubSub } from '@graphql-yoga/subscription';
import type { BaseContext } from '../../../shared/server/subgraph-server';
import type { AccountsLoaders } from './loaders/accounts.loaders';

export interface AccountsContext extends BaseContext {
  db: DataSource;
  loaders: AccountsLoaders;
}

export type AccountsPubSub = PubSub<Record<string, [unknown]>>;
