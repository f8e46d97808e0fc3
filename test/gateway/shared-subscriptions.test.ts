import { Repeater } from '@graphql-yoga/subscription';
import { parse, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { Identity } from '../../shared/auth/identity';
import { sharedSubscriptionsPlugin } from '../../gateway/shared-subscriptions';

const A: Identity = { partnerId: '00000000-0000-4000-8000-00000000000a', role: 'PARTNER', scopes: ['handoffs:read'], credentialId: 'k1' };
const C: Identity = { partnerId: '00000000-0000-4000-8000-00000000000c', role: 'PARTNER', scopes: ['handoffs:read'], credentialId: 'k3' };
const DOC = parse('subscription S($p: ID) { ownershipChanged(partnerId: $p) { id } }');

/** An upstream stream the test drives: push events, see whether it was ended. */
function upstream() {
  let push!: (v: ExecutionResult) => Promise<unknown>;
  let finish!: () => void;
  const state = { ended: false };
  const source = new Repeater<ExecutionResult>(async (p, stop) => {
    push = p;
    finish = () => stop();
    await stop;
    state.ended = true;
  });
  return { source, push: (v: ExecutionResult) => void push(v), finish: () => finish(), state };
}

describe('sharedSubscriptionsPlugin', () => {
  const setup = (opts: Parameters<typeof sharedSubscriptionsPlugin>[0] = {}) => {
    const plugin = sharedSubscriptionsPlugin(opts) as { onSubscribe: (p: unknown) => void };
    const calls: ExecutionArgs[] = [];
    const sources: ReturnType<typeof upstream>[] = [];
    const subscribe = async (identity: Identity | undefined, variables: Record<string, unknown> = {}) => {
      const args = { document: DOC, variableValues: variables, contextValue: { hubIdentity: identity } } as unknown as ExecutionArgs;
      const subscribeFn = (a: ExecutionArgs) => {
        calls.push(a);
        const u = upstream();
        sources.push(u);
        return u.source;
      };
      // What envelop calls: ours when the plugin replaced it, the runtime's otherwise.
      let fn: (a: ExecutionArgs) => unknown = subscribeFn;
      plugin.onSubscribe({ args, subscribeFn, setSubscribeFn: (f: typeof fn) => (fn = f) });
      return (await fn(args)) as AsyncIterableIterator<ExecutionResult>;
    };
    return { subscribe, calls, sources };
  };
  const event = (id: string): ExecutionResult => ({ data: { ownershipChanged: { id } } });

  it('subscribes upstream once for identical subscriptions and gives each subscriber every event', async () => {
    const streams: number[] = [];
    const { subscribe, calls, sources } = setup({ onStreams: (n) => streams.push(n) });
    const one = await subscribe(A, { p: A.partnerId });
    const two = await subscribe(A, { p: A.partnerId });
    expect(calls).toHaveLength(1);
    sources[0]!.push(event('e1'));
    expect(await one.next()).toEqual({ value: event('e1'), done: false });
    expect(await two.next()).toEqual({ value: event('e1'), done: false });

    // One leaves; the other keeps receiving; the last one out ends the upstream stream.
    await one.return!();
    sources[0]!.push(event('e2'));
    expect(await two.next()).toEqual({ value: event('e2'), done: false });
    expect(sources[0]?.state.ended).toBe(false);
    await two.return!();
    await new Promise((r) => setImmediate(r));
    expect(sources[0]?.state.ended).toBe(true);
    expect(streams[streams.length - 1]).toBe(0);

    // A later subscriber starts afresh.
    await subscribe(A, { p: A.partnerId });
    expect(calls).toHaveLength(2);
  });

  it('never shares between different callers or different variables', async () => {
    const { subscribe, calls } = setup();
    await subscribe(A, { p: A.partnerId });
    await subscribe(C, { p: A.partnerId });
    await subscribe(A, { p: C.partnerId });
    await subscribe(A, {});
    expect(calls).toHaveLength(4);
  });

  it('does not share what has no authenticated caller', async () => {
    const { subscribe, calls } = setup();
    await subscribe(undefined);
    await subscribe(undefined);
    expect(calls).toHaveLength(2);
  });

  it('ends every subscriber when the upstream stream ends, and the next one starts a new stream', async () => {
    const { subscribe, calls, sources } = setup();
    const one = await subscribe(A);
    const two = await subscribe(A);
    sources[0]!.finish();
    expect(await one.next()).toEqual({ value: undefined, done: true });
    expect(await two.next()).toEqual({ value: undefined, done: true });
    await subscribe(A);
    expect(calls).toHaveLength(2);
  });

  it('ends a subscriber that falls too far behind, and only that one', async () => {
    const { subscribe, sources } = setup({ maxPending: 3 });
    const slow = await subscribe(A);
    const fast = await subscribe(A);
    for (let i = 1; i <= 5; i++) {
      sources[0]!.push(event(`e${i}`));
      await new Promise((r) => setImmediate(r));
      expect((await fast.next()).value).toEqual(event(`e${i}`));
    }
    const got: ExecutionResult[] = [];
    for (let r = await slow.next(); !r.done; r = await slow.next()) got.push(r.value);
    expect(got.map((r) => r.errors?.[0]?.extensions?.code)).toEqual(['SUBSCRIBER_TOO_SLOW']);
    expect(sources[0]?.state.ended).toBe(false);
  });

  it('hands a refusal (a result, not a stream) to everyone who asked at the same time', async () => {
    const plugin = sharedSubscriptionsPlugin() as { onSubscribe: (p: unknown) => void };
    const refusal: ExecutionResult = { errors: [] };
    let calls = 0;
    const ask = () => {
      const args = { document: DOC, variableValues: {}, contextValue: { hubIdentity: A } } as unknown as ExecutionArgs;
      let fn: (a: ExecutionArgs) => unknown = () => undefined;
      plugin.onSubscribe({
        args,
        subscribeFn: async () => {
          calls++;
          await new Promise((r) => setTimeout(r, 20));
          return refusal;
        },
        setSubscribeFn: (f: typeof fn) => (fn = f),
      });
      return fn(args);
    };
    expect(await Promise.all([ask(), ask()])).toEqual([refusal, refusal]);
    expect(calls).toBe(1);
    await ask();
    expect(calls).toBe(2);
  });

  it('serves a large fan-out a chunk at a time, giving the event loop a turn in between (HTTP is not held up)', async () => {
    const { subscribe, sources } = setup({ fanOutChunk: 50 });
    const subscribers: AsyncIterableIterator<ExecutionResult>[] = [];
    for (let i = 0; i < 200; i++) subscribers.push(await subscribe(A, { p: A.partnerId }));
    let delivered = 0;
    const received = subscribers.map((s) => s.next().then((r) => (delivered++, r)));
    sources[0]!.push(event('e1'));
    // Other work waiting for the event loop, queued as the event arrives.
    let deliveredWhenOtherWorkRan: number | undefined;
    setImmediate(() => (deliveredWhenOtherWorkRan = delivered));
    expect(await Promise.all(received)).toEqual(subscribers.map(() => ({ value: event('e1'), done: false })));
    // Unchunked, all 200 deliveries ran as microtasks before anything else could (200 here).
    expect(deliveredWhenOtherWorkRan).toBe(50);
    for (const s of subscribers) await s.return!();
  });

  it('refuses a fan-out chunk that could not advance', () => {
    for (const fanOutChunk of [0, -1, 2.5, Number.NaN]) expect(() => sharedSubscriptionsPlugin({ fanOutChunk })).toThrow(RangeError);
  });
});
