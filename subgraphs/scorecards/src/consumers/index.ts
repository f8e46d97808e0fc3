import type { DataSource } from 'typeorm';
import type { SubgraphEvents } from '../../../../shared/eventlog/event-backbone';
import type { Logger } from '../../../../shared/logger';
import { PROJECTED_EVENT_TYPES, PROJECTION_CONSUMER } from '../services/projection';
import { createProjectionConsumer } from './projection.consumer';
import { RETENTION_CONSUMER, RETENTION_EVENT_TYPES } from '../services/retention-facts';
import { createRetentionConsumer } from './retention.consumer';
import { EXCHANGE_RATE_EVENT_TYPES, EXCHANGE_RATES_CONSUMER } from '../services/exchange-rates';
import { createExchangeRatesConsumer } from './exchange-rates.consumer';
import { CUSTOMER_JOURNEY_LINK_EVENT_TYPES, CUSTOMER_JOURNEY_LINKS_CONSUMER, createCustomerJourneyLinksConsumer } from './customer-journey-links.consumer';

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
      does: 'folds handoff, SLA and feedback events into the handoff facts, HandoffDue and PROPOSE clock events into the due facts (with the segment and region customer events give), and both into the scorecard rollups and, with their values, into the value cells and rollups (demo history included)',
      create: ({ db, log }) => createProjectionConsumer({ dataSource: db, log }),
    },
    {
      name: RETENTION_CONSUMER,
      types: RETENTION_EVENT_TYPES,
      does: 'keeps each customer’s ARR history (commercials), owners (creation and OwnershipChanged), renewal outcomes and whether each proposed handoff carried a value, for revenue retention, lifetime value and maturity (demo history included)',
      create: ({ db, log }) => createRetentionConsumer({ dataSource: db, log }),
    },
    {
      name: EXCHANGE_RATES_CONSUMER,
      types: EXCHANGE_RATE_EVENT_TYPES,
      does: 'keeps every version of the exchange rates and the rates in force per currency and day, and moves the value rollups of each (currency, day) whose rate changed to the new conversion',
      create: ({ db, log }) => createExchangeRatesConsumer({ dataSource: db, log }),
    },
    {
      name: CUSTOMER_JOURNEY_LINKS_CONSUMER,
      types: CUSTOMER_JOURNEY_LINK_EVENT_TYPES,
      does: 'records each customer journey link as a customer feedback token (same id and expiry), so the journey page’s feedback form goes through the single-use customer feedback route; a revoked link’s token stops taking feedback',
      create: ({ db, log }) => createCustomerJourneyLinksConsumer({ dataSource: db, log }),
    },
  ],
  subscriptions: [],
};
