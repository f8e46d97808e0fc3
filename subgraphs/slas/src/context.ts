import type { PubSub } from '@graphql-yoga/subscription';
import type { DataSource } from 'typeorm';
import type { BaseContext } from '../../../shared/server/subgraph-server';
import type { SlasLoaders } from './loaders/slas.loaders';

export interface SlasContext extends BaseContext {
  db: DataSource;
  loaders: SlasLoaders;
}

export type SlasPubSub = PubSub<Record<string, [unknown]>>;
