import { createServer, Socket, type Server } from 'node:net';

/** A TCP proxy in front of Postgres that a test can cut and restore, like a network outage. */
export interface TcpProxy {
  port: number;
  /** Drops every open connection and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts connections again on the same port. */
  restore(): Promise<void>;
  /**
   * Drops the next connection that sends bytes containing `marker` (the statement is on its
   * way, its answer never comes back); every other connection goes on as before.
   */
  dropConnectionSending(marker: string): void;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;
  let listening = false;
  let dropMarker: string | undefined;
  const listen = () =>
    listening
      ? Promise.resolve()
      : new Promise<void>((resolve, reject) => {
          server = createServer((client) => {
            const upstream = new Socket();
            sockets.add(client).add(upstream);
            const drop = () => {
              client.destroy();
              upstream.destroy();
              sockets.delete(client);
              sockets.delete(upstream);
            };
            client.on('error', drop).on('close', drop);
            upstream.on('error', drop).on('close', drop);
            upstream.connect(targetPort, targetHost, () => {
              client.pipe(upstream);
              upstream.pipe(client);
              // After pipe(): a 'data' listener puts the socket in flowing mode, and bytes read
              // before the pipe exists would be lost.
              client.on('data', (chunk: Buffer) => {
                if (dropMarker !== undefined && chunk.includes(dropMarker)) {
                  dropMarker = undefined;
                  drop();
                }
              });
            });
          });
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            port = (server.address() as { port: number }).port;
            listening = true;
            resolve();
          });
        });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
    });
  await listen();
  return {
    get port() {
      return port;
    },
    cut: stop,
    restore: listen,
    dropConnectionSending: (marker) => {
      dropMarker = marker;
    },
    close: stop,
  };
}
