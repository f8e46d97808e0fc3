import type { Logger } from '../logger';
import { comparePositions, type EventPosition, type HubEvent } from './event-log';
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
  /**
   * Read for subscriptions only while {@link EventRelay.setSubscribed} says some are open
   * (a subgraph's server reports them); otherwise the relay always reads its types.
   */
  onlyWhileSubscribed?: boolean;
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
  private subscribed: boolean;
  /** Events received while the relay learns where "now" is (it just became subscribed). */
  private holding: HubEvent[] | undefined;
  /** Not news: at or before the log's head when the relay last became subscribed. */
  private since: EventPosition | undefined;
  /** Settles once the relay knows where "now" was when it last became subscribed. */
  private ready: Promise<void> = Promise.resolve();

  constructor(private readonly opts: EventRelayOptions) {
    this.subscribed = !opts.onlyWhileSubscribed;
  }

  types(): readonly string[] | undefined {
    return this.subscribed ? this.opts.types : [];
  }

  /**
   * Whether this process has subscriptions open. Without any, the relay wants no event, so a
   * commit of its types costs this process no read. The promise settles once the relay knows
   * the log's head: every event committed after that reaches it (the reader's position never
   * passes an event it did not read), so a subscription counts as open only then — an event
   * committed while the head is being read could otherwise be taken for old news.
   */
  setSubscribed(subscribed: boolean): Promise<void> {
    if (subscribed === this.subscribed || !this.opts.onlyWhileSubscribed) return subscribed ? this.ready : Promise.resolve();
    this.subscribed = subscribed;
    const reader = this.reader;
    if (subscribed && reader) {
      // Events committed while nobody listened lie after the reader's position, unread: they
      // are not news. Hold what arrives until the log's head now is known, then drop those.
      const held: HubEvent[] = [];
      this.holding = held;
      this.ready = reader
        .logHead()
        .then((head) => {
          if (this.holding !== held) return;
          this.holding = undefined;
          this.since = head;
          this.publish(held);
        })
        .catch((err) => {
          this.opts.log.warn({ err: (err as Error).message }, 'relay could not read the log head; publishing from now');
          if (this.holding === held) this.holding = undefined;
        });
    }
    reader?.interestChanged();
    return subscribed ? this.ready : Promise.resolve();
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
    if (this.holding) this.holding.push(...events);
    else this.publish(events);
  }

  private publish(events: HubEvent[]): void {
    const since = this.since;
    for (const event of events) {
      if (since && comparePositions(event.position, since) <= 0) continue;
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
    await this.ready;
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
