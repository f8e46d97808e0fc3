import type { Server } from 'node:http';

/**
 * Graceful HTTP shutdown: stop accepting connections now, let requests already in flight
 * finish (idle keep-alive connections are closed as soon as they are idle), and cut
 * whatever is still open after `graceMs`. Resolves when the server is closed.
 */
export function drainHttpServer(server: Server, graceMs = 10_000): Promise<void> {
  if (!server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // A keep-alive connection turns idle after its response; close it then, not mid-request.
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  return closed.finally(() => {
    clearInterval(sweep);
    clearTimeout(deadline);
  });
}
