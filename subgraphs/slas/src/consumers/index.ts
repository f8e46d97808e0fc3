import type { DataSource } from 'typeorm';
import type { SubgraphEvents } from '../../../../shared/eventlog/event-backbone';
import { SLA_AT_RISK, SLA_BREACHED } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { CLOCK_CONSUMER, CLOCK_CONSUMER_TYPES, createClockConsumer } from './clock.consumer';

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
  ],
  subscriptions: [{ field: 'slaAlert', types: [SLA_AT_RISK, SLA_BREACHED] }],
};
