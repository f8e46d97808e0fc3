import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { IDENTITY_HEADER, signIdentity } from '../shared/auth/identity';
import type { Logger } from '../shared/logger';
import { repoRoot } from '../shared/paths';
import { createCustomerJourneyRoutes } from './customer-journey-routes';

/** Options for {@link createDashboardRoutes}. */
export interface DashboardRoutesOptions {
  /** The scorecards subgraph's /graphql URL (its customer feedback route sits beside it). */
  scorecardsUrl?: string;
  /** The handoffs subgraph's /graphql URL (its customer journey route sits beside it). */
  handoffsUrl?: string;
  identitySecret: string;
  log: Logger;
  /** Pre-filled in the dashboard's API-key field (dev only). */
  demoApiKey?: string;
  /** Whether /auth/login signs people in (an OpenID provider is configured). */
  signIn?: boolean;
  /** Development: the dashboard offers an API-key field (the key is kept in the page's memory only). */
  apiKeyEntry?: boolean;
  /** Where the built assets are; default dashboard/dist under the repository root. */
  assetsDir?: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

/** The route the customer feedback page calls; forwarded to scorecards. */
export const CUSTOMER_FEEDBACK_API = '/feedback/api';
const SCORECARDS_CUSTOMER_FEEDBACK = '/public/customer-feedback';

/**
 * Static pages the gateway serves beside /graphql: the dashboard (/dashboard) and the
 * customer feedback page (/feedback). Neither holds data: the dashboard reads the public
 * GraphQL API as the person signed in (or, in development, with an API key typed in), and the feedback page's calls are
 * forwarded to scorecards, where the customer's single-use token is checked. Returns a
 * handler that answers the request and returns true, or returns false for anything else.
 */
export function createDashboardRoutes(opts: DashboardRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const dir = opts.assetsDir ?? join(repoRoot(), 'dashboard', 'dist');
  const scorecardsBase = opts.scorecardsUrl?.replace(/\/graphql$/, '');

  const sendFile = (res: ServerResponse, file: string) => {
    const path = normalize(join(dir, file));
    if (!path.startsWith(dir + sep) || !existsSync(path)) {
      res.writeHead(existsSync(dir) ? 404 : 503, { 'content-type': 'text/plain' });
      res.end(existsSync(dir) ? 'Not found' : 'The dashboard is not built: run `npm run build`');
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
    });
    res.end(readFileSync(path));
  };

  const proxy = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (!scorecardsBase) {
      res.writeHead(503, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: 'Feedback is unavailable', code: 'SERVICE_UNAVAILABLE' } }));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > 16_384) {
        res.writeHead(413, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: { message: 'Request too large', code: 'BAD_USER_INPUT' } }));
      }
      chunks.push(chunk as Buffer);
    }
    try {
      const upstream = await fetch(`${scorecardsBase}${SCORECARDS_CUSTOMER_FEEDBACK}${url.search}`, {
        method: req.method,
        headers: {
          'content-type': 'application/json',
          [IDENTITY_HEADER]: signIdentity({ role: 'SERVICE', scopes: ['customer-feedback'] }, opts.identitySecret),
        },
        body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
      res.writeHead(upstream.status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(await upstream.text());
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'customer feedback forward failed');
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'Feedback is unavailable; please try again shortly', code: 'SERVICE_UNAVAILABLE' } }));
    }
  };

  // The customer's journey page (/journey): its own file, its own headers.
  const journey = createCustomerJourneyRoutes({ handoffsUrl: opts.handoffsUrl, identitySecret: opts.identitySecret, log: opts.log, assetsDir: dir });

  return (req, res) => {
    if (journey(req, res)) return true;
    const url = new URL(req.url ?? '/', 'http://hub.local');
    const path = url.pathname;
    if (path === CUSTOMER_FEEDBACK_API && (req.method === 'GET' || req.method === 'POST')) {
      void proxy(req, res, url);
      return true;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (path === '/dashboard') {
      res.writeHead(301, { location: '/dashboard/' });
      res.end();
      return true;
    }
    if (path === '/dashboard/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ demoApiKey: opts.demoApiKey ?? null, signIn: opts.signIn ?? false, apiKeyEntry: opts.apiKeyEntry ?? false }));
      return true;
    }
    if (path === '/dashboard/') return (void sendFile(res, 'index.html'), true);
    if (path.startsWith('/dashboard/')) return (void sendFile(res, path.slice('/dashboard/'.length)), true);
    if (path === '/feedback') return (void sendFile(res, 'feedback.html'), true);
    return false;
  };
}
