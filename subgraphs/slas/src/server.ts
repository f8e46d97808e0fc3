import { BACKGROUND } from '../../../shared/db/query-counter';
import { registerSlaClockCollector } from '../../../shared/observability/metrics';
import { createPubSub } from '@graphql-yoga/subscription';
import type { DataSource } from 'typeorm';
import type { DurableConsumer } from '../../../shared/eventlog/durable-consumer';
import { EventRelay } from '../../../shared/eventlog/event-relay';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import type { SlasContext, SlasPubSub } from './context';
import { createSlasLoaders } from './loaders/slas.loaders';
import { buildSlasSchema } from './schema';
import { CLOCK_CONSUMER, createClockConsumer } from './services/clock-consumer';
import { SlaScheduler } from './services/sla-scheduler';

/** Options for {@link createSlasServer}. */
export interface SlasServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
  /** Longest sleep of the breach scheduler between sweeps, in ms (it also wakes at the next due time). Default 1000. */
  schedulerPollMs?: number;
  /** Clocks the scheduler flips per transaction. Default 500. */
  schedulerBatchSize?: number;
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
  const relay = new EventRelay({ url: (db.options as { url: string }).url, dataSource: db, log });
  relay.subscribe((event) => pubSub.publish(event.type, event));
  const consumer = createClockConsumer(db, log);
  const scheduler = new SlaScheduler({ dataSource: db, log, consumerName: CLOCK_CONSUMER, pollMs: opts.schedulerPollMs, batchSize: opts.schedulerBatchSize });
  // New events may start, stop or move clocks: apply them, then let the scheduler look again.
  relay.onWake(() => void consumer.drain().then(() => scheduler.poke()));
  await relay.start();
  // Catch up on what happened while no instance ran, then flip whatever came due meanwhile.
  await consumer.drain();
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
    onStop: async () => {
      unregisterGauge();
      await scheduler.stop();
      await consumer.stop();
      await relay.stop();
    },
  });
  return Object.assign(server, { relay, consumer, scheduler });
}
