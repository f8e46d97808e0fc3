import type { DataSource } from 'typeorm';
import type { SubgraphEvents } from '../../../../shared/eventlog/event-backbone';
import { HANDOFF_DUE_EVENT_TYPES, HANDOFF_EVENT_TYPES, OWNERSHIP_CHANGED, SLA_ESCALATION_REQUESTED } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { ACCOUNTS_PROJECTION_CONSUMER, ACCOUNTS_PROJECTION_TYPES, createAccountsProjectionConsumer } from './accounts-projection.consumer';
import { createDueProposalsConsumer, DUE_PROPOSALS_CONSUMER, DUE_PROPOSALS_TYPES } from './due-proposals.consumer';
import { createRoutingStatsConsumer, ROUTING_STATS_CONSUMER, ROUTING_STATS_TYPES } from './routing-stats.consumer';
import { createSlaEscalationConsumer, SLA_ESCALATION_CONSUMER } from './sla-escalation.consumer';
import { createExchangeRatesConsumer, EXCHANGE_RATES_CONSUMER, EXCHANGE_RATES_TYPES } from './exchange-rates.consumer';
import { createSlaClocksConsumer, SLA_CLOCKS_CONSUMER, SLA_CLOCKS_TYPES } from './sla-clocks.consumer';
import { createPeopleProjectionConsumer, PEOPLE_PROJECTION_CONSUMER, PEOPLE_PROJECTION_TYPES } from './people-projection.consumer';

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
      does: "keeps handoffs' copy of partners (tier, kind, status and since when) and customers (name, segment, region, stage and when it entered it, first owner, commercials); a lifecycle stage move that matches a playbook's trigger opens a HandoffDue (and supersedes the customer's open ones)",
      create: ({ db, log }) => createAccountsProjectionConsumer(db, log),
    },
    {
      name: SLA_ESCALATION_CONSUMER,
      types: [SLA_ESCALATION_REQUESTED],
      does: 'expires the breached handoff (RECLAIM) and proposes it afresh to the named partner, or the one routing picks (REASSIGN)',
      create: ({ db, log }) => createSlaEscalationConsumer(db, log),
    },
    {
      name: DUE_PROPOSALS_CONSUMER,
      types: DUE_PROPOSALS_TYPES,
      does: "proposes a due as the hub: at once when its playbook's trigger says autoPropose and the record holds the required data (else it lists what is missing), and when slas escalates its PROPOSE breach (REASSIGN: the named partner, or the routed one)",
      create: ({ db, log }) => createDueProposalsConsumer(db, log),
    },
    {
      name: ROUTING_STATS_CONSUMER,
      types: ROUTING_STATS_TYPES,
      does: "adds SLA clocks met and breached and customer ratings to the per partner × segment × moment × day figures routing's SCORECARD ranks by",
      create: ({ db, log }) => createRoutingStatsConsumer(db, log),
    },
    {
      name: EXCHANGE_RATES_CONSUMER,
      types: EXCHANGE_RATES_TYPES,
      does: "keeps handoffs' copy of the exchange rates into the reporting currency (per currency per day, the newest version winning), which priority converts a handoff's value with",
      create: ({ db, log }) => createExchangeRatesConsumer(db, log),
    },
    {
      name: SLA_CLOCKS_CONSUMER,
      types: SLA_CLOCKS_TYPES,
      does: "keeps the last state of each SLA clock of a handoff (target, state, start, due time), which a handoff's priority reads its risk from, and each breach (target, due time, accountable partner): an open handoff past its breached target is a STALLED_HANDOFF ownership gap",
      create: ({ db, log }) => createSlaClocksConsumer(db, log),
    },
    {
      name: PEOPLE_PROJECTION_CONSUMER,
      types: PEOPLE_PROJECTION_TYPES,
      does: "keeps handoffs' copy of accounts' people (partner, role, status): whom assignTask and a playbook task's assigneeRole may give a task to; a deactivated person's OPEN tasks go back to their partner (TaskAssigned, no assignee)",
      create: ({ db, log }) => createPeopleProjectionConsumer(db, log),
    },
  ],
  subscriptions: [
    { field: 'handoffUpdated', types: HANDOFF_EVENT_TYPES },
    { field: 'ownershipChanged', types: [OWNERSHIP_CHANGED] },
    { field: 'handoffDue', types: HANDOFF_DUE_EVENT_TYPES },
  ],
};
