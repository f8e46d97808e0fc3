import { createHook } from 'node:async_hooks';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import WebSocket, { WebSocketServer } from 'ws';

/**
 * patches/graphql-ws: a lazy client's close timer (`lazyCloseTimeout`, 3 s in the gateway's
 * upstream WebSocket transport) is cleared by dispose() and never armed after it. Without
 * it, stopping a gateway left a ref'd timer per upstream client that held the process (and
 * jest's workers: "A worker process has failed to exit gracefully") for 3 s after shutdown.
 * Drop it once graphql-ws's dispose() clears that timer itself (not the case in 6.4.2).
 */
describe('graphql-ws client as patched', () => {
  let server: Server;
  let wss: WebSocketServer;
  let url: string;
  let closes = 0;
  const clients: Client[] = [];

  beforeAll(async () => {
    const schema = buildSchema('type Query { ok: Boolean } type Subscription { greeting: String }');
    const roots = {
      subscription: {
        greeting: async function* () {
          yield { greeting: 'hello' };
        },
      },
    };
    server = createServer();
    wss = new WebSocketServer({ server, path: '/graphql' });
    wss.on('connection', (socket) => socket.on('close', () => closes++));
    useServer({ schema, roots }, wss);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** Timers created meanwhile that are still pending and keep the process alive. */
  const pendingTimers = async (fn: () => Promise<void>) => {
    const timers = new Map<number, { hasRef(): boolean; _destroyed?: boolean }>();
    const hook = createHook({
      init(id, type, _trigger, resource) {
        if (type === 'Timeout') timers.set(id, resource as { hasRef(): boolean });
      },
      destroy(id) {
        timers.delete(id);
      },
    }).enable();
    try {
      await fn();
    } finally {
      hook.disable();
    }
    return [...timers.values()].filter((t) => t.hasRef() && !t._destroyed).length;
  };

  const subscribeOnce = (client: Client) =>
    new Promise<unknown[]>((resolve, reject) => {
      const got: unknown[] = [];
      client.subscribe({ query: 'subscription { greeting }' }, { next: (v) => got.push(v), error: reject, complete: () => resolve(got) });
    });

  it('dispose() right after the last operation completed closes the socket and leaves no close timer behind', async () => {
    const client = createClient({ url, lazy: true, lazyCloseTimeout: 60_000, retryAttempts: 0, webSocketImpl: WebSocket });
    clients.push(client);
    const before = closes;
    const pending = await pendingTimers(async () => {
      expect(await subscribeOnce(client)).toEqual([{ data: { greeting: 'hello' } }]);
      await client.dispose();
      for (let i = 0; i < 100 && closes === before; i++) await new Promise((r) => setImmediate(r));
    });
    expect(closes).toBe(before + 1);
    expect(pending).toBe(0);
  });

  it('without dispose, the lazy close still keeps the socket open for the next operation', async () => {
    const client = createClient({ url, lazy: true, lazyCloseTimeout: 60_000, retryAttempts: 0, webSocketImpl: WebSocket });
    clients.push(client);
    const before = closes;
    await subscribeOnce(client);
    await subscribeOnce(client);
    expect(closes).toBe(before);
    await client.dispose();
  });
});
