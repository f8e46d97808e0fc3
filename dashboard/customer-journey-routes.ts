import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { IDENTITY_HEADER, signIdentity } from '../shared/auth/identity';
import type { Logger } from '../shared/logger';
import { repoRoot } from '../shared/paths';

/** The customer's journey page (docs/customer-journey.md), its data route and its assets. */
export const CUSTOMER_JOURNEY_PAGE = '/journey';
export const CUSTOMER_JOURNEY_API = '/journey/api';
const HANDOFFS_CUSTOMER_JOURNEY = '/public/customer-journey';

/** The page's only assets, under /journey/, and what they are. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/journey/customer-journey.js': { file: 'customer-journey.js', type: 'text/javascript; charset=utf-8' },
  '/journey/customer-journey.js.map': { file: 'customer-journey.js.map', type: 'application/json' },
  '/journey/customer-journey.css': { file: 'customer-journey.css', type: 'text/css; charset=utf-8' },
};

/**
 * The page carries the customer's token in its address, so nothing may take it elsewhere:
 * no referrer, scripts, styles and calls from this origin only, no form posts, no framing.
 */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
};

/** Tokens are a few hundred characters; anything much longer is not one. */
const MAX_QUERY = 2048;

export interface CustomerJourneyRoutesOptions {
  /** The handoffs subgraph's /graphql URL (its public customer journey route sits beside it). */
  handoffsUrl?: string;
  identitySecret: string;
  log: Logger;
  assetsDir?: string;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json', ...PAGE_HEADERS });
  res.end(JSON.stringify(body));
};

/**
 * Serves /journey without sign-in and forwards /journey/api to handoffs with the gateway's
 * SERVICE identity (scope customer-journey), where the token is checked; the gateway itself
 * decides nothing about it. Returns true when it answered the request.
 */
export function createCustomerJourneyRoutes(opts: CustomerJourneyRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const dir = opts.assetsDir ?? join(repoRoot(), 'dashboard', 'dist');
  const handoffsBase = opts.handoffsUrl?.replace(/\/graphql$/, '');

  const sendFile = (res: ServerResponse, file: string, type: string) => {
    const path = join(dir, file);
    if (!existsSync(path)) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      return void res.end('The customer journey page is not built: run `npm run build`');
    }
    res.writeHead(200, { 'content-type': type, ...PAGE_HEADERS });
    res.end(readFileSync(path));
  };

  const forward = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    // A GET has no body: one that comes with more than a little is refused unread.
    if (Number(req.headers['content-length'] ?? 0) > 1024) return json(res, 413, { error: { message: 'Request too large', code: 'BAD_USER_INPUT' } });
    if (url.search.length > MAX_QUERY) return json(res, 400, { error: { message: 'This link is not valid.', code: 'BAD_USER_INPUT' } });
    if (!handoffsBase) return json(res, 503, { error: { message: 'This page is unavailable; please try again shortly', code: 'SERVICE_UNAVAILABLE' } });
    try {
      const token = url.searchParams.get('token') ?? '';
      const upstream = await fetch(`${handoffsBase}${HANDOFFS_CUSTOMER_JOURNEY}?token=${encodeURIComponent(token)}`, {
        headers: { [IDENTITY_HEADER]: signIdentity({ role: 'SERVICE', scopes: ['customer-journey'] }, opts.identitySecret) },
        signal: AbortSignal.timeout(10_000),
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json', ...PAGE_HEADERS });
      res.end(await upstream.text());
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'customer journey forward failed');
      json(res, 503, { error: { message: 'This page is unavailable; please try again shortly', code: 'SERVICE_UNAVAILABLE' } });
    }
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub.local');
    const path = url.pathname;
    if (path !== CUSTOMER_JOURNEY_PAGE && !path.startsWith(`${CUSTOMER_JOURNEY_PAGE}/`)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
      res.end('Method not allowed');
      return true;
    }
    if (path === CUSTOMER_JOURNEY_API) return (void forward(req, res, url), true);
    if (path === CUSTOMER_JOURNEY_PAGE) return (void sendFile(res, 'customer-journey.html', 'text/html; charset=utf-8'), true);
    const asset = ASSETS[path];
    if (asset) return (void sendFile(res, asset.file, asset.type), true);
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('Not found');
    return true;
  };
}
