import { TaskOverdueSweeper } from './services/task-overdue.sweeper';
import { createPubSub } from '@graphql-yoga/subscription';
import type { DataSource } from 'typeorm';
import type { EventRelay } from '../../../shared/eventlog/event-relay';
import { startEventBackbone } from '../../../shared/eventlog/event-backbone';
import type { HubConfig } from '../../../shared/config';
import { HANDOFF_DUE_EVENT_TYPES, OWNERSHIP_CHANGED } from '../../../shared/eventlog/events';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import { HANDOFFS_EVENTS } from './consumers';
import { ACCOUNTS_PROJECTION_CONSUMER } from './consumers/accounts-projection.consumer';
import { SLA_ESCALATION_CONSUMER } from './consumers/sla-escalation.consumer';
import { DUE_TOPIC, HANDOFF_TOPIC, OWNERSHIP_TOPIC, type HandoffsContext, type HandoffsPubSub } from './context';
import { createHandoffsLoaders } from './loaders/handoffs.loaders';
import { buildHandoffsSchema } from './schema';
import { DEFAULT_JOURNEY_CONFIG } from './services/customer-journey-link.service';
import { mountCustomerJourneyRoutes } from './services/customer-journey.routes';
import { mountWorkCsvRoutes } from './csv/work-csv.routes';

/** Options for {@link createHandoffsServer}. */
export interface HandoffsServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
  /** The event reader's safety-net poll (HUB_EVENT_POLL_MS); defaults to the hub config's. */
  eventPollMs?: number;
  config?: Pick<HubConfig, 'eventPollMs'> & Partial<Pick<HubConfig, 'customerJourney'>>;
  /** How often the task overdue sweep runs; default one minute. */
  taskOverduePollMs?: number;
}

export interface HandoffsServer extends SubgraphServer {
  relay: EventRelay;
  /** Drains both consumers (accounts projection, SLA escalations); tests await it. */
  catchUp(): Promise<void>;
}

export async function createHandoffsServer(opts: HandoffsServerOptions): Promise<HandoffsServer> {
  const { dataSource: db, log } = opts;
  const pubSub: HandoffsPubSub = createPubSub();
  // Whatever was committed while no instance ran (outbox recovery) is applied before it serves.
  const events = await startEventBackbone(
    HANDOFFS_EVENTS,
    { db, log },
    {
      url: (db.options as { url: string }).url,
      log,
      publish: (event) =>
        pubSub.publish(event.type === OWNERSHIP_CHANGED ? OWNERSHIP_TOPIC : HANDOFF_DUE_EVENT_TYPES.includes(event.type) ? DUE_TOPIC : HANDOFF_TOPIC, event),
      pollMs: opts.eventPollMs ?? opts.config?.eventPollMs,
    },
  );
  const projection = events.consumer(ACCOUNTS_PROJECTION_CONSUMER);
  const escalations = events.consumer(SLA_ESCALATION_CONSUMER);

  const catchUpProjection = () => projection.catchUp();
  // Safe with any number of instances (SKIP LOCKED); see services/task-overdue.sweeper.ts.
  const overdue = new TaskOverdueSweeper({ db, log, pollMs: opts.taskOverduePollMs });
  overdue.start();
  const schema = await buildHandoffsSchema(pubSub);
  const server = createSubgraphServer<HandoffsContext>({
    name: 'handoffs',
    schema,
    identitySecret: opts.identitySecret,
    log,
    createContext: (base) => ({
      ...base,
      db,
      pubSub,
      catchUp: catchUpProjection,
      identitySecret: opts.identitySecret,
      journey: opts.config?.customerJourney ?? DEFAULT_JOURNEY_CONFIG,
      loaders: createHandoffsLoaders(db, base.identity, { catchUp: catchUpProjection }),
    }),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    onSubscriptions: events.subscriptionsOpen,
    // GET /export/inbox.csv and /export/tasks.csv, forwarded by the gateway.
    routes: (app) => {
      mountWorkCsvRoutes(app, { db, identitySecret: opts.identitySecret, log });
      mountCustomerJourneyRoutes(app, db, opts.identitySecret, log);
    },
    onStop: async () => {
      await overdue.stop();
      await events.stop();
    },
  });
  return Object.assign(server, {
    relay: events.relay,
    catchUp: async () => {
      await projection.drain();
      await escalations.drain();
    },
  });
}
