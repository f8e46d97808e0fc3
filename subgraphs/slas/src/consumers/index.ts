import type { DataSource } from 'typeorm';
import type { SubgraphEvents } from '../../../../shared/eventlog/event-backbone';
import { SLA_AT_RISK, SLA_BREACHED, SLA_DUE_AT_RISK, SLA_DUE_BREACHED } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { CLOCK_CONSUMER, CLOCK_CONSUMER_TYPES, createClockConsumer } from './clock.consumer';
import { createDueClockConsumer, DUE_CLOCK_CONSUMER, DUE_CLOCK_CONSUMER_TYPES } from './due-clock.consumer';
import { createExchangeRatesConsumer, EXCHANGE_RATES_CONSUMER, EXCHANGE_RATES_TYPES } from './exchange-rates.consumer';

/** What slas' consumers need from the server. */
export interface SlasConsumerDeps {
  db: DataSource;
  log: Logger;
  /** The earliest clock is now due at this time: the breach scheduler wakes then. */
  onNextDue(at: Date | null): void;
}

/** Every event slas reacts to (docs/events.md is generated from the subgraphs' registries). */
export const SLAS_EVENTS: SubgraphEvents<SlasConsumerDeps> = {
  subgraph: 'slas',
  consumers: [
    {
      name: CLOCK_CONSUMER,
      types: CLOCK_CONSUMER_TYPES,
      does: "starts, pauses, resumes and stops the handoff's SLA clocks (and keeps slas' copy of playbooks' moments)",
      create: ({ db, log, onNextDue }) => createClockConsumer(db, log, { onNextDue }),
    },
    {
      name: DUE_CLOCK_CONSUMER,
      types: DUE_CLOCK_CONSUMER_TYPES,
      does: "starts the PROPOSE clock of a handoff that came due (when the moment's SLA policy has proposeWithin) and stops it: MET on a proposal, CANCELLED when dismissed or superseded",
      create: ({ db, log, onNextDue }) => createDueClockConsumer(db, log, { onNextDue }),
    },
    {
      name: EXCHANGE_RATES_CONSUMER,
      types: EXCHANGE_RATES_TYPES,
      does: "keeps slas' copy of the exchange rates into the reporting currency (per currency per day, the newest version winning), which slaClocks ordered by PRIORITY converts a handoff's value with",
      create: ({ db, log }) => createExchangeRatesConsumer(db, log),
    },
  ],
  subscriptions: [
    { field: 'slaAlert', types: [SLA_AT_RISK, SLA_BREACHED] },
    { field: 'slaDueAlert', types: [SLA_DUE_AT_RISK, SLA_DUE_BREACHED] },
  ],
};
