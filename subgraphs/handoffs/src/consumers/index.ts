import type { DataSource } from 'typeorm';
import type { SubgraphEvents } from '../../../../shared/eventlog/event-backbone';
import { HANDOFF_DUE_EVENT_TYPES, HANDOFF_EVENT_TYPES, OWNERSHIP_CHANGED, SLA_ESCALATION_REQUESTED } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { ACCOUNTS_PROJECTION_CONSUMER, ACCOUNTS_PROJECTION_TYPES, createAccountsProjectionConsumer } from './accounts-projection.consumer';
import { createRoutingStatsConsumer, ROUTING_STATS_CONSUMER, ROUTING_STATS_TYPES } from './routing-stats.consumer';
import { createSlaEscalationConsumer, SLA_ESCALATION_CONSUMER } from './sla-escalation.consumer';

/** What handoffs' consumers need from the server. */
export interface HandoffsConsumerDeps {
  db: DataSource;
  log: Logger;
}

/** Every event handoffs reacts to (docs/events.md is generated from the subgraphs' registries). */
export const HANDOFFS_EVENTS: SubgraphEvents<HandoffsConsumerDeps> = {
  subgraph: 'handoffs',
  consumers: [
    {
      name: ACCOUNTS_PROJECTION_CONSUMER,
      types: ACCOUNTS_PROJECTION_TYPES,
      does: "keeps handoffs' copy of partners (tier, kind, status) and customers (name, segment, region, stage, first owner); a lifecycle stage move that matches a playbook's trigger opens a HandoffDue (and supersedes the customer's open ones)",
      create: ({ db, log }) => createAccountsProjectionConsumer(db, log),
    },
    {
      name: SLA_ESCALATION_CONSUMER,
      types: [SLA_ESCALATION_REQUESTED],
      does: 'expires the breached handoff (RECLAIM) and proposes it afresh to the named partner, or the one routing picks (REASSIGN)',
      create: ({ db, log }) => createSlaEscalationConsumer(db, log),
    },
    {
      name: ROUTING_STATS_CONSUMER,
      types: ROUTING_STATS_TYPES,
      does: "adds SLA clocks met and breached and customer ratings to the per partner × segment × moment × day figures routing's SCORECARD ranks by",
      create: ({ db, log }) => createRoutingStatsConsumer(db, log),
    },
  ],
  subscriptions: [
    { field: 'handoffUpdated', types: HANDOFF_EVENT_TYPES },
    { field: 'ownershipChanged', types: [OWNERSHIP_CHANGED] },
    { field: 'handoffDue', types: HANDOFF_DUE_EVENT_TYPES },
  ],
};
