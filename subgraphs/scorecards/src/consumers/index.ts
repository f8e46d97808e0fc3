import type { DataSource } from 'typeorm';
import type { SubgraphEvents } from '../../../../shared/eventlog/event-backbone';
import type { Logger } from '../../../../shared/logger';
import { PROJECTED_EVENT_TYPES } from '../services/handoff-fact';
import { PROJECTION_CONSUMER } from '../services/projection';
import { createProjectionConsumer } from './projection.consumer';

/** What scorecards' consumers need from the server. */
export interface ScorecardsConsumerDeps {
  db: DataSource;
  log: Logger;
}

/** Every event scorecards reacts to (docs/events.md is generated from the subgraphs' registries). */
export const SCORECARDS_EVENTS: SubgraphEvents<ScorecardsConsumerDeps> = {
  subgraph: 'scorecards',
  consumers: [
    {
      name: PROJECTION_CONSUMER,
      types: PROJECTED_EVENT_TYPES,
      does: 'folds handoff, SLA and feedback events into the handoff facts and scorecard rollups (demo history included)',
      create: ({ db, log }) => createProjectionConsumer({ dataSource: db, log }),
    },
  ],
  subscriptions: [],
};
