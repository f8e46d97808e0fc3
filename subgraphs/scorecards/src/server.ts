import type { DataSource } from 'typeorm';
import type { DurableConsumer } from '../../../shared/eventlog/durable-consumer';
import type { EventRelay } from '../../../shared/eventlog/event-relay';
import { startEventBackbone } from '../../../shared/eventlog/event-backbone';
import type { HubConfig } from '../../../shared/config';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import type { ScorecardsContext } from './context';
import { createScorecardsLoaders } from './loaders/scorecards.loaders';
import { buildScorecardsSchema } from './schema';
import { mountCustomerFeedbackRoutes } from './services/customer-feedback.routes';
import { mountScorecardCsvRoutes } from './csv/scorecard-csv.routes';
import { SCORECARDS_EVENTS } from './consumers';
import { PROJECTION_CONSUMER } from './services/projection';
import { RETENTION_CONSUMER } from './services/retention-facts';

/** Options for {@link createScorecardsServer}. */
export interface ScorecardsServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
  /** The event reader's safety-net poll (HUB_EVENT_POLL_MS); defaults to the hub config's. */
  eventPollMs?: number;
  config?: Pick<HubConfig, 'eventPollMs'>;
}

export interface ScorecardsServer extends SubgraphServer {
  relay: EventRelay;
  /** The projection; tests drain it to make figures current. */
  consumer: DurableConsumer;
  /** The retention facts (revenue retention, lifetime value, maturity's revenue figures); tests drain it too. */
  retention: DurableConsumer;
}

export async function createScorecardsServer(opts: ScorecardsServerOptions): Promise<ScorecardsServer> {
  const { dataSource: db, log } = opts;
  const events = await startEventBackbone(
    SCORECARDS_EVENTS,
    { db, log },
    {
      url: (db.options as { url: string }).url,
      log,
      publish: () => undefined,
      pollMs: opts.eventPollMs ?? opts.config?.eventPollMs,
    },
  );
  const consumer = events.consumer(PROJECTION_CONSUMER);

  const schema = await buildScorecardsSchema();
  const server = createSubgraphServer<ScorecardsContext>({
    name: 'scorecards',
    schema,
    identitySecret: opts.identitySecret,
    log,
    createContext: (base) => ({ ...base, db, identitySecret: opts.identitySecret, loaders: createScorecardsLoaders(db, base.identity) }),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    routes: (app) => {
      mountCustomerFeedbackRoutes(app, db, opts.identitySecret, log);
      // GET /export/scorecard.csv, forwarded by the gateway.
      mountScorecardCsvRoutes(app, { db, identitySecret: opts.identitySecret, log });
    },
    onStop: () => events.stop(),
  });
  return Object.assign(server, { relay: events.relay, consumer, retention: events.consumer(RETENTION_CONSUMER) });
}
