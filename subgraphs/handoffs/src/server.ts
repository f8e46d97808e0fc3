import { createPubSub } from '@graphql-yoga/subscription';
import type { DataSource } from 'typeorm';
import { EventRelay } from '../../../shared/eventlog/event-relay';
import { HANDOFF_EVENT_TYPES, OWNERSHIP_CHANGED } from '../../../shared/eventlog/events';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import { createAccountsProjectionConsumer } from './consumers/accounts-projection.consumer';
import { createSlaEscalationConsumer } from './consumers/sla-escalation.consumer';
import { HANDOFF_TOPIC, OWNERSHIP_TOPIC, type HandoffsContext, type HandoffsPubSub } from './context';
import { createHandoffsLoaders } from './loaders/handoffs.loaders';
import { buildHandoffsSchema } from './schema';

/** Options for {@link createHandoffsServer}. */
export interface HandoffsServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
}

export interface HandoffsServer extends SubgraphServer {
  relay: EventRelay;
  /** Drains both consumers (accounts projection, SLA escalations); tests await it. */
  catchUp(): Promise<void>;
}

export async function createHandoffsServer(opts: HandoffsServerOptions): Promise<HandoffsServer> {
  const { dataSource: db, log } = opts;
  const pubSub: HandoffsPubSub = createPubSub();
  const projection = createAccountsProjectionConsumer(db, log);
  const escalations = createSlaEscalationConsumer(db, log);

  const relay = new EventRelay({ url: (db.options as { url: string }).url, dataSource: db, log });
  relay.subscribe((event) => {
    if (HANDOFF_EVENT_TYPES.includes(event.type)) pubSub.publish(HANDOFF_TOPIC, event);
    else if (event.type === OWNERSHIP_CHANGED) pubSub.publish(OWNERSHIP_TOPIC, event);
  });
  relay.onWake(() => {
    void projection.drain();
    void escalations.drain();
  });
  await relay.start();
  // Whatever was committed while no instance ran (outbox recovery) is applied now.
  await Promise.all([projection.drain(), escalations.drain()]);

  const catchUpProjection = () => projection.catchUp();
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
      loaders: createHandoffsLoaders(db, base.identity, { catchUp: catchUpProjection }),
    }),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    onStop: async () => {
      await relay.stop();
      await Promise.all([projection.stop(), escalations.stop()]);
    },
  });
  return Object.assign(server, {
    relay,
    catchUp: async () => {
      await projection.drain();
      await escalations.drain();
    },
  });
}
