import WebSocket from 'ws';

/**
 * A bare graphql-ws subscriber (protocol graphql-transport-ws) for the fan-out benches:
 * thousands of them must fit in one bench process, so no client library per socket.
 * `onNext` gets each `next` payload and the time it arrived.
 */
export function subscribe(
  url: string,
  connectionParams: Record<string, unknown>,
  query: string,
  onNext: (payload: any, at: bigint) => void,
): Promise<{ close(): void; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws', { perMessageDeflate: false });
    let closedResolve: (code: number) => void;
    const closed = new Promise<number>((r) => (closedResolve = r));
    let ready = false;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
    ws.on('message', (data) => {
      const at = process.hrtime.bigint();
      const msg = JSON.parse(String(data)) as { type: string; payload?: unknown };
      if (msg.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
        ready = true;
        resolve({ close: () => ws.close(1000), closed });
      } else if (msg.type === 'next') onNext(msg.payload, at);
      else if (msg.type === 'ping') ws.send(JSON.stringify({ type: 'pong' }));
      else if (msg.type === 'error') console.error('subscription error', JSON.stringify(msg.payload).slice(0, 300));
    });
    ws.on('error', (err) => (ready ? undefined : reject(err)));
    ws.on('close', (code) => {
      closedResolve(code);
      if (!ready) reject(new Error(`closed with ${code} before ack`));
    });
  });
}

/**
 * Opens `count` subscribers, `concurrency` handshakes at a time. A handshake that fails is
 * retried (as a real client reconnects) up to 5 times; `retries` counts them.
 */
export async function subscribeMany(
  count: number,
  concurrency: number,
  open: (i: number) => Promise<{ close(): void; closed: Promise<number> }>,
): Promise<{ close(): void; closed: Promise<number> }[] & { retries: number }> {
  const subs = Object.assign([] as { close(): void; closed: Promise<number> }[], { retries: 0 });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      for (let attempt = 0; ; attempt++) {
        try {
          subs.push(await open(i));
          break;
        } catch (err) {
          if (attempt >= 5) throw err;
          subs.retries++;
          await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return subs;
}
