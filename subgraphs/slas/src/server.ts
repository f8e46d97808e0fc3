import { BACKGROUND } from '../../../shared/db/query-counter';
import { registerSlaClockCollector } from '../../../shared/observability/metrics';
import { createPubSub } from '@graphql-yoga/subscription';
import type { DataSource } from 'typeorm';
import type { DurableConsumer } from '../../../shared/eventlog/durable-consumer';
import type { EventRelay } from '../../../shared/eventlog/event-relay';
import { startEventBackbone } from '../../../shared/eventlog/event-backbone';
import type { HubConfig } from '../../../shared/config';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import type { SlasContext, SlasPubSub } from './context';
import { createSlasLoaders } from './loaders/slas.loaders';
import { buildSlasSchema } from './schema';
import { SLAS_EVENTS } from './consumers';
import { CLOCK_CONSUMER } from './consumers/clock.consumer';
import { SlaScheduler } from './services/sla-scheduler';

/** Options for {@link createSlasServer}. */
export interface SlasServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
  /** Longest sleep of the breach scheduler between sweeps, in ms (it also wakes at the next due time it knows). Default: HUB_SLA_POLL_MS. */
  schedulerPollMs?: number;
  /** Clocks the scheduler flips per transaction. Default 500. */
  schedulerBatchSize?: number;
  /** The event reader's safety-net poll (HUB_EVENT_POLL_MS); defaults to the hub config's. */
  eventPollMs?: number;
  config?: Pick<HubConfig, 'eventPollMs' | 'slaPollMs'>;
}

export interface SlasServer extends SubgraphServer {
  relay: EventRelay;
  consumer: DurableConsumer;
  scheduler: SlaScheduler;
}

/**
 * The slas subgraph: queries and mutations, `slaAlert` over graphql-ws, the clock consumer
 * of handoff events and the breach scheduler. Every instance runs all of them; the
 * consumer and the scheduler share work through row locks, so any number may run.
 */
export async function createSlasServer(opts: SlasServerOptions): Promise<SlasServer> {
  const { dataSource: db, log } = opts;
  const pubSub: SlasPubSub = createPubSub();
  const scheduler = new SlaScheduler({
    dataSource: db,
    log,
    consumerName: CLOCK_CONSUMER,
    pollMs: opts.schedulerPollMs ?? opts.config?.slaPollMs,
    batchSize: opts.schedulerBatchSize,
  });
  // New events may start, stop or move clocks: the consumer tells the scheduler when the
  // earliest one is due now; the scheduler sweeps then (no query per event).
  const events = await startEventBackbone(
    SLAS_EVENTS,
    { db, log, onNextDue: (at) => scheduler.wakeAt(at) },
    {
      url: (db.options as { url: string }).url,
      log,
      publish: (event) => pubSub.publish(event.type, event),
      pollMs: opts.eventPollMs ?? opts.config?.eventPollMs,
    },
  );
  const consumer = events.consumer(CLOCK_CONSUMER);
  // Flip whatever came due while no instance ran.
  scheduler.start();

  const unregisterGauge = registerSlaClockCollector(async () => {
    const rows: { state: string; moment: string; n: string }[] = await db.query(
      `${BACKGROUND}SELECT c.state, h.moment, count(*) AS n FROM slas.clocks c JOIN slas.handoffs h ON h.id = c.handoff_id GROUP BY c.state, h.moment`,
    );
    return rows.map((r) => ({ labels: { state: r.state, moment: r.moment }, value: Number(r.n) }));
  });

  const schema = await buildSlasSchema(pubSub);
  const server = createSubgraphServer<SlasContext>({
    name: 'slas',
    schema,
    identitySecret: opts.identitySecret,
    log,
    createContext: (base) => ({ ...base, db, loaders: createSlasLoaders(db, base.identity) }),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    onSubscriptions: events.subscriptionsOpen,
    onStop: async () => {
      unregisterGauge();
      await scheduler.stop();
      await events.stop();
    },
  });
  return Object.assign(server, { relay: events.relay, consumer, scheduler });
}
