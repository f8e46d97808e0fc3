import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getEventListeners } from 'node:events';
import { abortSignalAnyDisposable } from '@graphql-hive/signal';
import { buildHTTPExecutor } from '@graphql-tools/executor-http';
import { createServerAdapter, useRequestDeadline } from '@whatwg-node/server';
import { parse } from 'graphql';
import { finalizersRegisteredDuring } from '../support/finalizers';

/**
 * patches/@graphql-hive+signal, @whatwg-node+server, @graphql-tools+executor-http and
 * @graphql-hive+gateway-runtime: the signals composed for every request and every upstream
 * call use plain listeners, removed when the work settles, instead of abortSignalAny's
 * WeakRefs and FinalizationRegistry. Those kept each composed signal alive until a major GC,
 * which then ran tens of thousands of cleanups at once: under load the gateway stalled for
 * about 200 ms every few seconds, and every request in flight took the hit (P2's p99).
 */
const abortListeners = (signal: AbortSignal) => getEventListeners(signal, 'abort').length;

describe('abortSignalAnyDisposable', () => {
  it('aborts with the reason of the first input that aborts, and then lets go of the others', () => {
    const a = new AbortController();
    const b = new AbortController();
    const { signal } = abortSignalAnyDisposable([a.signal, b.signal]);
    expect(signal?.aborted).toBe(false);
    const reason = new Error('client went away');
    b.abort(reason);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
    expect(abortListeners(a.signal)).toBe(0);
  });

  it('dispose() detaches it from its inputs: a later abort no longer reaches it', () => {
    const a = new AbortController();
    const b = new AbortController();
    const { signal, dispose } = abortSignalAnyDisposable([a.signal, b.signal]);
    expect(abortListeners(a.signal)).toBe(1);
    dispose();
    expect(abortListeners(a.signal)).toBe(0);
    expect(abortListeners(b.signal)).toBe(0);
    a.abort();
    expect(signal?.aborted).toBe(false);
  });

  it('returns an input as is when there is only one, or one has already aborted', () => {
    const a = new AbortController();
    expect(abortSignalAnyDisposable([a.signal]).signal).toBe(a.signal);
    expect(abortSignalAnyDisposable([]).signal).toBeUndefined();
    const gone = AbortSignal.abort(new Error('gone'));
    expect(abortSignalAnyDisposable([a.signal, gone]).signal).toBe(gone);
    expect(abortListeners(a.signal)).toBe(0);
  });
});

describe('executor-http: an upstream call lets go of its signals when it settles', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      if (req.headers['x-fail']) {
        res.destroy();
        return;
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { ok: true } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it.each([
    ['answered', {}],
    ['failed (connection reset)', { 'x-fail': '1' }],
  ])('%s: no finalizer registered, no listener left on the caller’s signal', async (_case, headers) => {
    const executor = buildHTTPExecutor({ endpoint: url, headers });
    // As in the gateway: a signal that outlives the call (the client's request, or a subscription).
    const callerSignal = new AbortController().signal;
    try {
      const registered = await finalizersRegisteredDuring(async () => {
        for (let i = 0; i < 20; i++) {
          const result = (await executor({ document: parse(`query Q${i} { ok }`), signal: callerSignal })) as { data?: unknown; errors?: unknown[] };
          if (headers['x-fail' as keyof typeof headers]) expect(result.errors).toHaveLength(1);
          else expect(result).toEqual({ data: { ok: true } });
        }
      });
      // Unpatched: a WeakRef'd composition per call, registered twice or more.
      expect(registered).toBe(0);
      expect(abortListeners(callerSignal)).toBe(0);
    } finally {
      await (executor as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]();
    }
  });

  it('a caller’s abort still cancels the call in flight', async () => {
    const hold = createServer((req) => req.resume());
    await new Promise<void>((r) => hold.listen(0, '127.0.0.1', r));
    const executor = buildHTTPExecutor({ endpoint: `http://127.0.0.1:${(hold.address() as AddressInfo).port}/graphql` });
    try {
      const caller = new AbortController();
      const pending = Promise.resolve(executor({ document: parse('{ ok }'), signal: caller.signal }));
      await new Promise((r) => setTimeout(r, 50));
      caller.abort(new Error('client went away'));
      const result = (await pending) as { errors?: { message: string }[] };
      expect(result.errors?.[0]?.message).toMatch(/client went away|abort/i);
    } finally {
      await (executor as unknown as { [Symbol.asyncDispose](): Promise<void> })[Symbol.asyncDispose]();
      hold.closeAllConnections();
      await new Promise((r) => hold.close(r));
    }
  });
});

describe('whatwg-node useRequestDeadline', () => {
  it('composes the request and deadline signals without finalizers, and the deadline still aborts', async () => {
    let seen: AbortSignal | undefined;
    const adapter = createServerAdapter<object>(
      async (request) => {
        seen = request.signal;
        if (new URL(request.url).pathname === '/slow') await new Promise((r) => setTimeout(r, 200));
        return new Response('ok');
      },
      { plugins: [useRequestDeadline({ timeout: 50, response: () => new Response('deadline', { status: 504 }) })] },
    );
    const registered = await finalizersRegisteredDuring(async () => {
      for (let i = 0; i < 20; i++) expect(await (await adapter.fetch('http://hub.test/fast')).text()).toBe('ok');
    });
    expect(registered).toBe(0);
    const slow = await adapter.fetch('http://hub.test/slow');
    expect(slow.status).toBe(504);
    expect(seen?.aborted).toBe(true);
  });
});
