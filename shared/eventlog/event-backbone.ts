import type { Logger } from '../logger';
import type { DurableConsumer } from './durable-consumer';
import type { HubEvent } from './event-log';
import type { EventReader } from './event-reader';
import { EventRelay } from './event-relay';

/**
 * One durable consumer as its subgraph declares it in `src/consumers/index.ts`: the
 * registry docs/events.md is generated from, and what the server starts.
 */
export interface ConsumerDeclaration<Deps> {
  /** Stable: the position is stored under it. */
  name: string;
  /** The event types it handles, or why they depend on data (then `create` sets them). */
  types: readonly string[] | { dependsOn: string };
  /** What it does with them, in one line. */
  does: string;
  create(deps: Deps): DurableConsumer | Promise<DurableConsumer>;
}

/** Everything a subgraph reacts to: its durable consumers and its subscriptions. */
export interface SubgraphEvents<Deps> {
  subgraph: string;
  consumers: readonly ConsumerDeclaration<Deps>[];
  /** Its GraphQL subscription fields and the event types each publishes (every instance, live, from the process's reader). */
  subscriptions: readonly { field: string; types: readonly string[] }[];
}

/** A subgraph's consumers and relay, running on the process's shared reader. */
export interface EventBackbone {
  relay: EventRelay;
  reader: EventReader;
  /**
   * For the subgraph server's `onSubscriptions`: the relay reads only while some are open;
   * settles when a first subscription may count as open (see {@link EventRelay.setSubscribed}).
   */
  subscriptionsOpen(open: number): Promise<void>;
  consumer(name: string): DurableConsumer;
  stop(): Promise<void>;
}

/** Options for {@link startEventBackbone}. */
export interface EventBackboneOptions {
  /** The services' connection string (the subgraph's DataSource URL). */
  url: string;
  log: Logger;
  /** Publishes one event of the subscription types to the subgraph's pub/sub. */
  publish(event: HubEvent): void;
  /** The reader's safety-net poll in ms (HUB_EVENT_POLL_MS). */
  pollMs?: number;
}

/**
 * Starts a subgraph's declared consumers and its subscription relay on the process's
 * event reader. Resolves once each consumer this instance runs has applied what was
 * committed while it was down.
 */
export async function startEventBackbone<Deps>(events: SubgraphEvents<Deps>, deps: Deps, opts: EventBackboneOptions): Promise<EventBackbone> {
  const types = [...new Set(events.subscriptions.flatMap((s) => s.types))];
  const relay = new EventRelay({ url: opts.url, log: opts.log, types, pollMs: opts.pollMs, onlyWhileSubscribed: true });
  if (types.length > 0) relay.subscribe(opts.publish);
  await relay.start();
  const reader = relay.eventReader;
  const consumers = new Map<string, DurableConsumer>();
  try {
    for (const declaration of events.consumers) {
      const consumer = await declaration.create(deps);
      consumers.set(declaration.name, consumer);
      await consumer.start(reader);
    }
  } catch (err) {
    for (const c of consumers.values()) await c.stop().catch(() => undefined);
    await relay.stop();
    throw err;
  }
  return {
    relay,
    reader,
    subscriptionsOpen: (open) => relay.setSubscribed(open > 0),
    consumer(name) {
      const c = consumers.get(name);
      if (!c) throw new Error(`no consumer ${name} in ${events.subgraph}`);
      return c;
    },
    async stop() {
      // One after another: each stop lets go of its advisory lock on the reader's one LISTEN
      // session, and pg warns (pg@9 will refuse) when queries overlap on one client.
      for (const c of consumers.values()) await c.stop();
      await relay.stop();
    },
  };
}
