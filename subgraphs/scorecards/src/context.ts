import type { DataSource } from 'typeorm';
import type { BaseContext } from '../../../shared/server/subgraph-server';
import type { ScorecardsLoaders } from './loaders/scorecards.loaders';

export interface ScorecardsContext extends BaseContext {
  db: DataSource;
  loaders: ScorecardsLoaders;
  /** Signs customer feedback tokens (a key derived from it, see services/feedback-token.ts). */
  identitySecret: string;
}
