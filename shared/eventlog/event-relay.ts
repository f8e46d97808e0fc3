import type { Logger } from '../logger';
import type { EventPosition, HubEvent } from './event-log';
import { acquireEventReader, type EventReader, type ReaderClient } from './event-reader';

/** Options for {@link EventRelay}. */
export interface EventRelayOptions {
  /** The services' connection string: the relay reads through the process's shared {@link EventReader} for it. */
  url: string;
  log: Logger;
  /** The event types its subscriptions publish; undefined = every type. */
  types?: readonly string[];
  /** The reader's safety-net poll (the process's reader is shared: an explicit value wins). */
  pollMs?: number;
}

/**
 * Live fan-out of committed events to this process's GraphQL subscriptions. Every instance
 * of every service has its own, so an event committed through any instance reaches
 * subscribers on all of them. It reads nothing itself: the process's event reader hands it
 * the events of its types committed after start (live subscribers only want what happens
 * from now on), and nothing is lost between commit and publish because the reader reads
 * the log.
 */
export class EventRelay implements ReaderClient {
  private readonly listeners = new Set<(event: HubEvent) => void>();
  private reader: EventReader | undefined;
  private release: (() => Promise<void>) | undefined;
  private removeListener: (() => void) | undefined;

  constructor(private readonly opts: EventRelayOptions) {}

  types(): readonly string[] | undefined {
    return this.opts.types;
  }

  /** Calls `listener` with every event of the relay's types committed after {@link start}. */
  subscribe(listener: (event: HubEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The process's reader (started by {@link start}); consumers attach to it too. */
  get eventReader(): EventReader {
    if (!this.reader) throw new Error('EventRelay.start() first');
    return this.reader;
  }

  async start(): Promise<void> {
    if (this.reader) return;
    const { reader, release } = await acquireEventReader({ url: this.opts.url, log: this.opts.log, pollMs: this.opts.pollMs });
    this.reader = reader;
    this.release = release;
    this.removeListener = reader.addListener(this);
  }

  receive(events: HubEvent[], _until: EventPosition, _complete: boolean): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (err) {
          this.opts.log.error({ err: (err as Error).message, event: event.id }, 'event listener failed');
        }
      }
    }
  }

  /** Resolves once every event committed before the call has been published here. */
  async flush(): Promise<void> {
    await this.reader?.flush();
  }

  async stop(): Promise<void> {
    this.removeListener?.();
    this.removeListener = undefined;
    this.reader = undefined;
    await this.release?.();
    this.release = undefined;
  }
}
