import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, print, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Identity } from '../shared/auth/identity';
import { identityKey } from './identity-signer';

/** Options for {@link sharedSubscriptionsPlugin}. */
export interface SharedSubscriptionsOptions {
  /**
   * Events one subscriber may have waiting (its socket is not draining); past this it gets a
   * SUBSCRIBER_TOO_SLOW error and its subscription ends, so one stuck client cannot grow the
   * gateway's memory without bound. Default 1000.
   */
  maxPending?: number;
  /** Called with the number of distinct shared streams whenever it changes (metrics, tests). */
  onStreams?: (count: number) => void;
  /**
   * Subscribers handed an event before the gateway's other work (HTTP requests, timers,
   * other sockets) gets a turn: a whole number of at least 1. Default 64.
   */
  fanOutChunk?: number;
}

type Result = ExecutionResult;
type SubscribeResult = AsyncIterable<Result> | Result;

const isAsyncIterable = (v: unknown): v is AsyncIterable<Result> => !!v && typeof v === 'object' && Symbol.asyncIterator in v;

/** Resolves after the event loop has polled for I/O once: everything queued as microtasks has run. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** One subscriber's view of a shared stream: its own queue, its own end. */
class Consumer implements AsyncIterableIterator<Result> {
  private readonly queue: Result[] = [];
  private waiting: ((r: IteratorResult<Result>) => void) | undefined;
  private finished = false;

  constructor(
    private readonly leave: (c: Consumer) => void,
    private readonly maxPending: number,
  ) {}

  push(value: Result): void {
    if (this.finished) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    if (this.queue.length >= this.maxPending) {
      this.queue.length = 0;
      this.queue.push({
        errors: [
          new GraphQLError(`This subscriber fell ${this.maxPending} events behind and was ended; subscribe again`, {
            extensions: { code: 'SUBSCRIBER_TOO_SLOW' },
          }),
        ],
      });
      this.finish();
      return;
    }
    this.queue.push(value);
  }

  /** The stream ended: deliver what is queued, then done. */
  end(): void {
    this.finished = true;
    if (this.waiting && this.queue.length === 0) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve({ value: undefined, done: true });
    }
  }

  private finish() {
    this.leave(this);
    this.end();
  }

  next(): Promise<IteratorResult<Result>> {
    if (this.queue.length) return Promise.resolve({ value: this.queue.shift()!, done: false });
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => (this.waiting = resolve));
  }

  return(): Promise<IteratorResult<Result>> {
    this.queue.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(): Promise<IteratorResult<Result>> {
    return this.return();
  }

  [Symbol.asyncIterator]() {
    return this;
  }
}

/** One upstream execution and everyone who receives it. */
interface Stream {
  key: string;
  consumers: Set<Consumer>;
  /** The first subscriber's subscribe call: an event stream, or the error result it ended with. */
  started: Promise<SubscribeResult>;
  source?: AsyncIterator<Result>;
}

/**
 * Identical subscriptions — same caller identity, same document, operation and variables —
 * share one execution: the gateway subscribes upstream once, resolves each event once
 * (including any fields from other subgraphs) and hands the same result to every
 * subscriber. What a subscriber may see depends only on those inputs, so sharing never
 * shows anyone something its own subscription would not. Each subscriber still passes
 * every check of its own (limits, cost, metrics run per subscription), receives events
 * from when it joined, and ends on its own; the upstream subscription ends with the last one.
 * Apollo Router deduplicates subscriptions the same way.
 */
export function sharedSubscriptionsPlugin(opts: SharedSubscriptionsOptions = {}): GatewayPlugin {
  const maxPending = opts.maxPending ?? 1000;
  const fanOutChunk = opts.fanOutChunk ?? 64;
  // 0 would never advance through the subscribers.
  if (!Number.isInteger(fanOutChunk) || fanOutChunk < 1) throw new RangeError(`fanOutChunk must be a whole number of at least 1, not ${fanOutChunk}`);
  const streams = new Map<string, Stream>();
  const printed = new WeakMap<DocumentNode, string>();
  const changed = () => opts.onStreams?.(streams.size);

  const keyOf = (args: ExecutionArgs): string | undefined => {
    const identity = (args.contextValue as { hubIdentity?: Identity } | undefined)?.hubIdentity;
    if (!identity) return undefined;
    let text = printed.get(args.document);
    if (text === undefined) printed.set(args.document, (text = print(args.document)));
    return JSON.stringify([identityKey(identity), args.operationName ?? null, args.variableValues ?? {}, text]);
  };

  const forget = (stream: Stream) => {
    if (streams.get(stream.key) === stream) {
      streams.delete(stream.key);
      changed();
    }
  };

  const join = (stream: Stream): Consumer => {
    const consumer = new Consumer((c) => {
      stream.consumers.delete(c);
      if (stream.consumers.size === 0) {
        forget(stream);
        void stream.source?.return?.();
      }
    }, maxPending);
    stream.consumers.add(consumer);
    return consumer;
  };

  // Handing an event to a subscriber runs its delivery (hooks, a WebSocket write) as
  // microtasks, which never let the event loop poll: one event for a thousand subscribers, or
  // a backlog of events, used to hold every HTTP request for seconds (P6). Subscribers are
  // served a chunk at a time, with a turn of the event loop after each chunk and each event.
  // Those who join meanwhile get the next event; those who leave get nothing more.
  const fanOut = async (stream: Stream, value: Result) => {
    const consumers = [...stream.consumers];
    for (let i = 0; i < consumers.length; i += fanOutChunk) {
      for (const consumer of consumers.slice(i, i + fanOutChunk)) consumer.push(value);
      await nextTurn();
    }
  };

  const pump = async (stream: Stream, source: AsyncIterator<Result>) => {
    try {
      for (;;) {
        const { done, value } = await source.next();
        if (done) break;
        // An error with no data ends a subscription: nobody new may join what is ending.
        if (value.errors?.length && value.data == null) forget(stream);
        await fanOut(stream, value);
      }
    } catch (err) {
      const error = err instanceof GraphQLError ? err : new GraphQLError('The subscription ended unexpectedly', { originalError: err as Error });
      for (const c of stream.consumers) c.push({ errors: [error] });
    } finally {
      forget(stream);
      for (const c of stream.consumers) c.end();
      stream.consumers.clear();
    }
  };

  const subscribeShared = async (key: string, start: () => Promise<SubscribeResult> | SubscribeResult): Promise<SubscribeResult> => {
    let stream = streams.get(key);
    if (stream) {
      const result = await stream.started;
      // Refused, or ended while we waited: the same answer, or a fresh start.
      if (!isAsyncIterable(result)) return result;
      if (streams.get(key) === stream) return join(stream);
      return subscribeShared(key, start);
    }
    stream = { key, consumers: new Set(), started: Promise.resolve().then(start) };
    streams.set(key, stream);
    changed();
    let result: SubscribeResult;
    try {
      result = await stream.started;
    } catch (err) {
      forget(stream);
      throw err;
    }
    if (!isAsyncIterable(result)) {
      forget(stream);
      return result;
    }
    const first = join(stream);
    stream.source = result[Symbol.asyncIterator]();
    void pump(stream, stream.source);
    return first;
  };

  return {
    onSubscribe({ args, subscribeFn, setSubscribeFn }) {
      const key = keyOf(args);
      if (key === undefined) return;
      setSubscribeFn((subscribeArgs) => subscribeShared(key, () => subscribeFn(subscribeArgs) as Promise<SubscribeResult> | SubscribeResult) as never);
    },
  };
}
