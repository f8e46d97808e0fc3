import type { DataSource } from 'typeorm';
import type { DurableConsumer } from '../../../shared/eventlog/durable-consumer';
import { EventRelay } from '../../../shared/eventlog/event-relay';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import type { ScorecardsContext } from './context';
import { createScorecardsLoaders } from './loaders/scorecards.loaders';
import { buildScorecardsSchema } from './schema';
import { mountCustomerFeedbackRoutes } from './services/customer-feedback.routes';
import { createProjectionConsumer } from './services/projection-consumer';

/** Options for {@link createScorecardsServer}. */
export interface ScorecardsServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
}

export interface ScorecardsServer extends SubgraphServer {
  relay: EventRelay;
  /** The projection; tests drain it to make figures current. */
  consumer: DurableConsumer;
}

export async function createScorecardsServer(opts: ScorecardsServerOptions): Promise<ScorecardsServer> {
  const { dataSource: db, log } = opts;
  const consumer = createProjectionConsumer({ dataSource: db, log });
  const relay = new EventRelay({ url: (db.options as { url: string }).url, dataSource: db, log });
  // Every committed event (notification or poll) wakes the projection; drains coalesce.
  relay.onWake(() => void consumer.drain());
  await relay.start();
  await consumer.drain();

  const schema = await buildScorecardsSchema();
  const server = createSubgraphServer<ScorecardsContext>({
    name: 'scorecards',
    schema,
    identitySecret: opts.identitySecret,
    log,
    createContext: (base) => ({ ...base, db, identitySecret: opts.identitySecret, loaders: createScorecardsLoaders(db, base.identity) }),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    routes: (app) => mountCustomerFeedbackRoutes(app, db, opts.identitySecret, log),
    onStop: async () => {
      await relay.stop();
      await consumer.stop();
    },
  });
  return Object.assign(server, { relay, consumer });
}
