import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { IDENTITY_HEADER } from '../shared/auth/identity';
import type { CsvConfig } from '../shared/config';
import type { Logger } from '../shared/logger';
import { AuthUnavailableError, type Authenticator } from './authenticator';
import { authenticateHttpRequest } from './http-authentication';
import type { IdentitySigner } from './identity-signer';

/**
 * The CSV routes (docs/csv.md) and the subgraph that owns each. The gateway only
 * authenticates and forwards: the owning subgraph serves the same path beside its /graphql,
 * with the caller's signed identity, and decides what the caller may import or see.
 */
export const CSV_ROUTES: Record<string, { method: 'GET' | 'POST'; subgraph: string }> = {
  '/import/customers.csv': { method: 'POST', subgraph: 'accounts' },
  '/export/customers.csv': { method: 'GET', subgraph: 'accounts' },
  '/export/inbox.csv': { method: 'GET', subgraph: 'handoffs' },
  '/export/tasks.csv': { method: 'GET', subgraph: 'handoffs' },
  '/export/scorecard.csv': { method: 'GET', subgraph: 'scorecards' },
};

/** Options for {@link createCsvRoutes}. */
export interface CsvRoutesOptions {
  subgraphUrls: Record<string, string>;
  authenticator: Authenticator;
  signer: IdentitySigner;
  csv: CsvConfig;
  log: Logger;
}

/** Request headers passed on to the subgraph (never the caller's credential). */
const FORWARDED_REQUEST = ['content-type', 'content-length', 'accept', 'x-request-id'];
/** Response headers passed back. */
const FORWARDED_RESPONSE = ['content-type', 'content-disposition', 'cache-control', 'x-content-type-options', 'content-length'];

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  if (res.headersSent) return void res.destroy();
  const body = JSON.stringify({ error: { message, code, ...extra } });
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

/** True when `path` is one of the CSV routes (whatever the method). */
export const isCsvRoute = (path: string) => Object.hasOwn(CSV_ROUTES, path);

/**
 * Handles the CSV routes: returns true when it took the request. Streams both ways: the
 * upload is piped to the subgraph as it arrives and the subgraph's CSV piped back, so
 * neither side's memory grows with the file. An import over the size limit is refused from
 * its Content-Length with 413, before authentication and unread (one without a length: 411).
 */
export function createCsvRoutes(opts: CsvRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const bases = Object.fromEntries(Object.entries(opts.subgraphUrls).map(([name, url]) => [name, url.replace(/\/graphql$/, '')]));

  const forward = async (req: IncomingMessage, res: ServerResponse, url: URL, subgraph: string, method: 'GET' | 'POST') => {
    if (method === 'POST') {
      const length = req.headers['content-length'];
      if (length === undefined) {
        return sendError(
          res,
          411,
          'LENGTH_REQUIRED',
          'Send the file with a Content-Length header (curl --data-binary @file.csv does)',
          {},
          { connection: 'close' },
        );
      }
      if (!/^\d+$/.test(length) || Number(length) > opts.csv.maxBytes) {
        return sendError(
          res,
          413,
          'PAYLOAD_TOO_LARGE',
          `The file is ${length} bytes; an import takes at most ${opts.csv.maxBytes} bytes (${Math.floor(opts.csv.maxBytes / (1024 * 1024))} MiB): split it`,
          { maxBytes: opts.csv.maxBytes },
          { connection: 'close' },
        );
      }
    }
    let identity;
    try {
      identity = await authenticateHttpRequest(opts.authenticator, req);
    } catch (err) {
      if (!(err instanceof AuthUnavailableError)) throw err;
      return sendError(res, 503, 'SERVICE_UNAVAILABLE', 'Authentication is temporarily unavailable; retry shortly', {}, { connection: 'close' });
    }
    if (!identity) {
      return sendError(
        res,
        401,
        'UNAUTHENTICATED',
        'Authentication required: send "Authorization: Bearer <api key or JWT>"',
        {},
        {
          'www-authenticate': 'Bearer',
          connection: 'close',
        },
      );
    }
    const base = bases[subgraph];
    if (!base) return sendError(res, 503, 'SERVICE_UNAVAILABLE', `The ${subgraph} service is not part of this hub`);

    const headers: Record<string, string> = { [IDENTITY_HEADER]: opts.signer.sign(identity) };
    for (const h of FORWARDED_REQUEST) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = v;
    }
    const upstream = httpRequest(`${base}${url.pathname}${url.search}`, { method, headers });
    // One deadline for the whole transfer: an import reads at the pace it applies rows.
    const deadline = setTimeout(() => {
      upstream.destroy(new Error('CSV deadline passed'));
      if (!res.headersSent) sendError(res, 504, 'GATEWAY_TIMEOUT', `The transfer took longer than ${opts.csv.timeoutMs} ms; split the file`);
      else res.destroy();
    }, opts.csv.timeoutMs);
    deadline.unref();
    res.on('close', () => {
      clearTimeout(deadline);
      // The client went away (or the answer is complete): stop the subgraph's work too.
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.on('response', (answer) => {
      const out: Record<string, string> = {};
      for (const h of FORWARDED_RESPONSE) {
        const v = answer.headers[h];
        if (typeof v === 'string') out[h] = v;
      }
      for (const [h, v] of Object.entries(answer.headers)) if (h.startsWith('x-hub-csv-') && typeof v === 'string') out[h] = v;
      res.writeHead(answer.statusCode ?? 502, out);
      answer.pipe(res);
      answer.on('error', () => res.destroy());
    });
    upstream.on('error', (err) => {
      if (res.headersSent) return void res.destroy();
      opts.log.warn({ err: err.message, subgraph }, 'CSV forward failed');
      sendError(res, 503, 'SERVICE_UNAVAILABLE', 'The service is unavailable; please try again shortly', {}, { connection: 'close' });
    });
    if (method === 'POST') req.pipe(upstream);
    else upstream.end();
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    const route = CSV_ROUTES[url.pathname];
    if (!route || !Object.hasOwn(CSV_ROUTES, url.pathname)) return false;
    if (req.method !== route.method) {
      sendError(res, 405, 'METHOD_NOT_ALLOWED', `${url.pathname} takes ${route.method}`, {}, { allow: route.method });
      return true;
    }
    forward(req, res, url, route.subgraph, route.method).catch((err: Error) => {
      opts.log.error({ err: err.message }, 'CSV route failed');
      sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Something went wrong; please try again');
    });
    return true;
  };
}

/**
 * The slow-loris guard for every other request: its body must have arrived within `ms`
 * (what the HTTP server's requestTimeout did before the CSV routes needed a longer one).
 */
export function enforceArrivalDeadline(req: IncomingMessage, res: ServerResponse, ms: number): void {
  if (req.complete) return;
  const timer = setTimeout(() => {
    if (req.complete) return;
    if (!res.headersSent) {
      res.writeHead(408, { 'content-type': 'text/plain', connection: 'close' });
      res.end('Request Timeout');
    }
    req.socket.destroy();
  }, ms);
  timer.unref();
  const clear = () => clearTimeout(timer);
  req.once('end', clear);
  res.once('close', clear);
}
