import type { PubSub } from '@graphql-yoga/subscription';
import type { DataSource } from 'typeorm';
import type { CustomerJourneyConfig } from '../../../shared/config';
import type { BaseContext } from '../../../shared/server/subgraph-server';
import type { HandoffsLoaders } from './loaders/handoffs.loaders';

export type HandoffsPubSub = PubSub<Record<string, [unknown]>>;

export interface HandoffsContext extends BaseContext {
  db: DataSource;
  loaders: HandoffsLoaders;
  pubSub: HandoffsPubSub;
  /** Brings handoffs' projection of accounts up to date (used on a miss only). */
  catchUp?: () => Promise<void>;
  /** Signs customer journey links (shared/auth/customer-link-token.ts). */
  identitySecret: string;
  /** Customer journey links: public URL and lifetimes. */
  journey: CustomerJourneyConfig;
}

/** Topics the relay publishes to: every handoff event on one, ownership changes on another. */
export const HANDOFF_TOPIC = 'handoffs.handoff';
export const OWNERSHIP_TOPIC = 'handoffs.ownership';
/** HandoffDue* events (the handoffDue subscription). */
export const DUE_TOPIC = 'handoffs.due';
