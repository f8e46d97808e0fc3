import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { parse } from 'graphql';

/**
 * patches/@graphql-tools+executor-http: the executor no longer hangs an abort listener per
 * upstream request on its long-lived dispose signal (they lingered until GC, tripped
 * MaxListenersExceeded and made every further addEventListener on it O(n)); a request in
 * flight is still aborted when the executor is disposed. Identical requests in flight still
 * share one upstream call, but a result is copied only for the consumers that share it, not
 * for every request; and variables are searched for uploads before being copied to extract
 * them (both showed in P2's CPU profile once pages were full).
 */
describe('@graphql-tools/executor-http as patched', () => {
  let server: Server;
  let url: string;
  const held: (() => void)[] = [];
  const received: { contentType: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => received.push({ contentType: String(req.headers['content-type']), body }));
      const answer = () => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ data: { ok: true } }));
      };
      if (req.headers['x-hold']) held.push(answer);
      else if (req.headers['x-delay']) setTimeout(answer, Number(req.headers['x-delay']));
      else answer();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    for (const release of held) release();
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('settled requests leave no abort listener behind', async () => {
    // Live abort listeners per signal, counted through EventTarget itself.
    const live = new Map<EventTarget, number>();
    const { addEventListener: add, removeEventListener: remove } = EventTarget.prototype;
    const spies = [
      jest.spyOn(EventTarget.prototype, 'addEventListener').mockImplementation(function (this: EventTarget, type, listener, options) {
        if (type === 'abort' && this instanceof AbortSignal) live.set(this, (live.get(this) ?? 0) + 1);
        return add.call(this, type, listener, options);
      }),
      jest.spyOn(EventTarget.prototype, 'removeEventListener').mockImplementation(function (this: EventTarget, type, listener, options) {
        if (type === 'abort' && this instanceof AbortSignal) live.set(this, (live.get(this) ?? 0) - 1);
        return remove.call(this, type, listener, options);
      }),
    ];
    const executor = buildHTTPExecutor({ endpoint: url });
    try {
      // As in the gateway, each upstream call carries its client request's signal. Different
      // documents, so the executor's in-flight deduplication cannot merge them.
      for (let i = 0; i < 40; i++) {
        const result = await executor({ document: parse(`query Q${i} { ok }`), signal: new AbortController().signal });
        expect(result).toEqual({ data: { ok: true } });
      }
      // Unpatched, the executor's dispose signal held one listener per request (40 here).
      expect(Math.max(...live.values())).toBeLessThanOrEqual(2);
    } finally {
      for (const spy of spies) spy.mockRestore();
      await (executor as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]();
    }
  });

  it('identical requests in flight share one call and each gets its own copy; a lone request is not copied', async () => {
    const executor = buildHTTPExecutor({ endpoint: url, headers: { 'x-delay': '30' } });
    const clones = jest.spyOn(globalThis, 'structuredClone');
    try {
      const before = received.length;
      const lone = (await executor({ document: parse('query Lone { ok }') })) as { data: { ok: boolean } };
      expect(lone).toEqual({ data: { ok: true } });
      expect(clones).not.toHaveBeenCalled();

      const shared = (await Promise.all([1, 2, 3].map(() => executor({ document: parse('query Shared { ok }') })))) as { data: { ok: boolean } }[];
      expect(received.length - before).toBe(2); // one upstream call each for Lone and Shared
      expect(clones).toHaveBeenCalledTimes(2);
      expect(new Set(shared.map((r) => r.data)).size).toBe(3);
      shared[0]!.data.ok = false; // a consumer merging into its result
      expect(shared[1]?.data.ok).toBe(true);
      expect(shared[2]?.data.ok).toBe(true);
    } finally {
      clones.mockRestore();
      await (executor as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]();
    }
  });

  it('variables without uploads go as JSON, unchanged; an upload still goes as multipart', async () => {
    const executor = buildHTTPExecutor({ endpoint: url });
    try {
      const representations = Array.from({ length: 20 }, (_, i) => ({ __typename: 'Customer', id: `c${i}`, tags: ['a', { nested: [i, null, true] }] }));
      await executor({ document: parse('query R($r: [_Any!]!) { ok }'), variables: { r: representations } });
      const json = received.at(-1)!;
      expect(json.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(json.body).variables).toEqual({ r: representations });

      await executor({ document: parse('mutation U($f: Upload) { ok }'), variables: { f: new File(['hello'], 'hello.txt') } });
      expect(received.at(-1)!.contentType).toMatch(/^multipart\/form-data/);
    } finally {
      await (executor as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]();
    }
  });

  it('disposing the executor aborts a request in flight', async () => {
    const executor = buildHTTPExecutor({ endpoint: url, headers: { 'x-hold': '1' }, getDisposeReason: () => new Error('gateway shutting down') });
    const pending = Promise.resolve(executor({ document: parse('{ ok }') }));
    while (held.length === 0) await new Promise((r) => setTimeout(r, 5));
    await (executor as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]();
    const result = (await pending) as { errors?: { message: string }[] };
    expect(result.errors?.[0]?.message).toMatch(/gateway shutting down|abort/i);
  });
});
