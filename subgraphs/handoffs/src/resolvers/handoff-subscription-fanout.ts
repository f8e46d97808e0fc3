import { Repeater } from '@graphql-yoga/subscription';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import type { HandoffsPubSub } from '../context';

interface Sink {
  offer(event: HubEvent): void;
}

/**
 * The subscribers of one topic in this process, indexed by who may see what. The relay
 * publishes each event once; it wakes only the subscribers its `visibleTo` names (and the
 * internal ones), so an event costs nothing for the thousands of subscribers it is not
 * for, and nothing here touches the database. One pub/sub listener per topic, held only
 * while someone subscribes.
 */
class TopicFanout {
  private readonly internal = new Set<Sink>();
  private readonly byPartner = new Map<string, Set<Sink>>();
  private size = 0;
  private source: AsyncIterator<unknown> | undefined;

  constructor(
    private readonly pubSub: HandoffsPubSub,
    private readonly topic: string,
  ) {}

  /** The events of this topic `identity` may see and `matches` accepts, in log order. */
  subscribe(identity: Identity, matches: (event: HubEvent) => boolean): AsyncIterableIterator<HubEvent> {
    const internal = isInternal(identity);
    const partnerId = identity.partnerId;
    return new Repeater<HubEvent>(async (push, stop) => {
      // A partner-less, non-internal identity may see no event: it just waits for the end.
      if (!internal && !partnerId) return void (await stop);
      const sink: Sink = { offer: (event) => void (matches(event) && push(event)) };
      this.add(sink, internal ? undefined : partnerId);
      await stop;
      this.remove(sink, internal ? undefined : partnerId);
    });
  }

  private add(sink: Sink, partnerId: string | undefined) {
    if (partnerId === undefined) this.internal.add(sink);
    else {
      let set = this.byPartner.get(partnerId);
      if (!set) this.byPartner.set(partnerId, (set = new Set()));
      set.add(sink);
    }
    if (this.size++ === 0) void this.pump();
  }

  private remove(sink: Sink, partnerId: string | undefined) {
    if (partnerId === undefined) this.internal.delete(sink);
    else {
      const set = this.byPartner.get(partnerId);
      set?.delete(sink);
      if (set?.size === 0) this.byPartner.delete(partnerId);
    }
    if (--this.size === 0) {
      void this.source?.return?.();
      this.source = undefined;
    }
  }

  private async pump() {
    const source = this.pubSub.subscribe(this.topic)[Symbol.asyncIterator]();
    this.source = source;
    for (;;) {
      const { done, value } = await source.next();
      if (done || this.source !== source) return;
      this.dispatch(value as HubEvent);
    }
  }

  private dispatch(event: HubEvent) {
    for (const sink of this.internal) sink.offer(event);
    // visibleTo is short; a partner named twice still gets the event once.
    const named = event.visibleTo.length > 1 ? new Set(event.visibleTo) : event.visibleTo;
    for (const partnerId of named) {
      const sinks = this.byPartner.get(partnerId);
      if (sinks) for (const sink of sinks) sink.offer(event);
    }
  }
}

const fanouts = new WeakMap<HandoffsPubSub, Map<string, TopicFanout>>();

/** The fan-out of `topic` on this server's pub/sub (one per topic and server). */
export function topicFanout(pubSub: HandoffsPubSub, topic: string): TopicFanout {
  let byTopic = fanouts.get(pubSub);
  if (!byTopic) fanouts.set(pubSub, (byTopic = new Map()));
  let fanout = byTopic.get(topic);
  if (!fanout) byTopic.set(topic, (fanout = new TopicFanout(pubSub, topic)));
  return fanout;
}
