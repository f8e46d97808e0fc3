import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import * as oidc from 'openid-client';
import type { OidcClientConfig } from '../shared/config';
import type { Logger } from '../shared/logger';
import { AuthUnavailableError, type Authenticator } from './authenticator';
import { CSRF_HEADER, derivedKey, isLoopbackHost, type SessionAuth } from './session-auth';

/**
 * Sign-in with the company's OpenID provider (docs/sign-in.md): the authorization code flow
 * with PKCE. The gateway is only the provider's client: it proves who the browser's person is
 * (a validated ID token and its e-mail claim) and asks accounts, which owns people and
 * sessions, for a session. Nothing about who may sign in is decided here.
 */

export const SIGN_IN_PATHS = { login: '/auth/login', callback: '/auth/callback', logout: '/auth/logout' } as const;

/** Carries state, nonce and PKCE verifier from /auth/login to /auth/callback, signed, for 10 minutes. */
const FLOW_COOKIE = 'hub_sign_in';
const FLOW_TTL_S = 600;
const DEFAULT_RETURN = '/dashboard/';

/** Options for {@link createSignInRoutes}. */
export interface SignInRoutesOptions {
  oidc: OidcClientConfig;
  auth: SessionAuth;
  authenticator: Authenticator;
  identitySecret: string;
  log: Logger;
}

/** What /auth/login remembers for /auth/callback. */
interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  returnTo: string;
  redirectUri: string;
  partnerId?: string;
  exp: number;
}

/** What accounts answers to a session request (subgraphs/accounts/src/services/session.service.ts). */
type SessionAnswer =
  | { status: 'STARTED'; token: string; expiresAt: string; person: { name: string }; partner: { name: string } }
  | { status: 'UNKNOWN' }
  | { status: 'AMBIGUOUS'; partners: { id: string; name: string }[] };

/**
 * Only a path of this site: `/dashboard/?x=1` yes; `//evil.example`, `/\evil`, `https://…` no
 * (the browser would leave the hub). Anything else becomes the dashboard.
 */
export function safeReturnTo(raw: string | null | undefined): string {
  if (!raw || raw.length > 512 || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\') || [...raw].some((c) => c <= ' ' || c === '\u007f'))
    return DEFAULT_RETURN;
  const base = 'http://hub.invalid';
  const url = new URL(raw, base);
  return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : DEFAULT_RETURN;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A small self-contained page (no script, no outside resource) for the outcomes a person must read. */
function page(res: ServerResponse, status: number, title: string, paragraphs: string[], extraHeaders: Record<string, string | string[]> = {}): void {
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · Partner Handoff Hub</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#1f2933}h1{font-size:1.4rem}a{color:#2357c6}</style></head>
<body><main><h1>${escapeHtml(title)}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('')}</main></body></html>`;
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    ...extraHeaders,
  });
  res.end(body);
}

/**
 * The /auth/* routes, as a handler that answers and returns true, or returns false for
 * any other path (like the dashboard's pages).
 */
export function createSignInRoutes(opts: SignInRoutesOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  const flowKey = derivedKey(opts.identitySecret, 'flow');
  const sign = (payload: string) => createHmac('sha256', flowKey).update(payload).digest('base64url');
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    // Discovered on first use and kept; a failure is retried by the next sign-in.
    discovered ??= oidc
      .discovery(
        new URL(opts.oidc.issuer),
        opts.oidc.clientId,
        opts.oidc.clientSecret,
        undefined,
        // Plain HTTP only for a development issuer (configuration refuses it in production).
        new URL(opts.oidc.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests], timeout: 10 } : { timeout: 10 },
      )
      .catch((err: unknown) => {
        discovered = undefined;
        throw err;
      });
    return discovered;
  };

  const redirectUriFor = (req: IncomingMessage): string | undefined => {
    if (opts.oidc.redirectUri) return opts.oidc.redirectUri;
    const host = req.headers.host;
    return isLoopbackHost(host) ? `http://${host!.toLowerCase()}${SIGN_IN_PATHS.callback}` : undefined;
  };

  const flowCookie = (req: IncomingMessage, value: string, maxAge: number) =>
    serializeCookie(FLOW_COOKIE, value, opts.auth.cookieOptions(req.headers, { path: SIGN_IN_PATHS.callback, maxAge }));

  const readFlow = (req: IncomingMessage): Flow | undefined => {
    const raw = parseCookies(req.headers.cookie ?? '')[FLOW_COOKIE];
    const [payload, signature] = raw?.split('.') ?? [];
    if (!payload || !signature) return undefined;
    const expected = Buffer.from(sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const flow = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Flow;
      return flow.exp * 1000 > Date.now() ? flow : undefined;
    } catch {
      return undefined;
    }
  };

  const tryAgain = (returnTo = DEFAULT_RETURN) => `<a href="${SIGN_IN_PATHS.login}?returnTo=${encodeURIComponent(returnTo)}">Sign in again</a>`;

  async function login(req: IncomingMessage, res: ServerResponse, url: URL) {
    const redirectUri = redirectUriFor(req);
    if (!redirectUri) {
      opts.log.error('sign-in needs HUB_OIDC_REDIRECT_URI for a non-loopback host');
      return page(res, 500, 'Sign-in is not configured', ['The hub has no registered redirect URI for this address (HUB_OIDC_REDIRECT_URI).']);
    }
    let config: oidc.Configuration;
    try {
      config = await configuration();
    } catch (err) {
      opts.log.error({ err: (err as Error).message, issuer: opts.oidc.issuer }, 'OpenID provider unreachable');
      return page(res, 503, 'Sign-in is unavailable', ['The company’s sign-in service cannot be reached right now. Please try again in a moment.']);
    }
    const partner = url.searchParams.get('partner');
    const flow: Flow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      returnTo: safeReturnTo(url.searchParams.get('returnTo')),
      redirectUri,
      ...(partner && /^[0-9a-f-]{36}$/i.test(partner) ? { partnerId: partner } : {}),
      exp: Math.floor(Date.now() / 1000) + FLOW_TTL_S,
    };
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: opts.oidc.scopes,
      response_type: 'code',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
    });
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    res.writeHead(303, {
      location: authorizationUrl.href,
      'cache-control': 'no-store',
      'set-cookie': flowCookie(req, `${payload}.${sign(payload)}`, FLOW_TTL_S),
    });
    res.end();
  }

  async function callback(req: IncomingMessage, res: ServerResponse, url: URL) {
    const flow = readFlow(req);
    const clearFlow = { 'set-cookie': flowCookie(req, '', 0) };
    if (!flow) return page(res, 400, 'Sign-in expired', [`This sign-in took too long or was started in another browser. ${tryAgain()}.`], clearFlow);
    if (url.searchParams.has('error')) {
      return page(res, 403, 'Sign-in was not completed', [`The company’s sign-in service did not sign you in. ${tryAgain(flow.returnTo)}.`], clearFlow);
    }
    let email: unknown;
    let verified: unknown;
    try {
      const config = await configuration();
      const current = new URL(flow.redirectUri);
      current.search = url.search;
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims();
      if (!claims) throw new Error('no ID token');
      email = claims[opts.oidc.emailClaim];
      verified = claims.email_verified;
      // Conforming providers put scope claims (email) in the UserInfo answer rather than the
      // ID token of a code flow; ask there, for the subject the ID token names.
      if (email === undefined) {
        const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
        email = info[opts.oidc.emailClaim];
        verified = info.email_verified;
      }
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'sign-in callback refused');
      return page(res, 400, 'Sign-in failed', [`The answer of the company’s sign-in service could not be verified. ${tryAgain(flow.returnTo)}.`], clearFlow);
    }
    if (typeof email !== 'string' || !email || verified === false || (opts.oidc.requireEmailVerified && verified !== true)) {
      return page(
        res,
        403,
        'No verified e-mail address',
        ['The company’s sign-in service did not confirm an e-mail address for you, so the hub cannot tell who you are.'],
        clearFlow,
      );
    }
    let answer: { status: number; body: { session: SessionAnswer } };
    try {
      answer = await opts.authenticator.sessionRequest<{ session: SessionAnswer }>('/internal/sessions', {
        email,
        ...(flow.partnerId ? { partnerId: flow.partnerId } : {}),
      });
    } catch (err) {
      if (!(err instanceof AuthUnavailableError)) throw err;
      return page(res, 503, 'Sign-in is unavailable', ['The hub cannot start your session right now. Please try again in a moment.'], clearFlow);
    }
    const session = answer.body.session;
    if (session.status === 'AMBIGUOUS') {
      const links = session.partners.map(
        (p) =>
          `<a href="${SIGN_IN_PATHS.login}?partner=${encodeURIComponent(p.id)}&amp;returnTo=${encodeURIComponent(flow.returnTo)}">${escapeHtml(p.name)}</a>`,
      );
      return page(res, 409, 'Which partner?', [`${escapeHtml(email)} works for several partners on the hub. Sign in for:`, links.join('<br>')], clearFlow);
    }
    if (session.status !== 'STARTED') {
      // The same page whether nobody has the address or its person was deactivated: which
      // addresses the hub knows is nobody's business but its admins'.
      return page(
        res,
        403,
        'You cannot sign in to the hub',
        [
          `No one with the e-mail address ${escapeHtml(email)} can sign in to the Partner Handoff Hub.`,
          'Ask an admin of your partner to add you, then sign in again.',
        ],
        clearFlow,
      );
    }
    res.writeHead(303, {
      location: flow.returnTo,
      'cache-control': 'no-store',
      'set-cookie': [...opts.auth.signInCookies(req.headers, session.token, new Date(session.expiresAt)), clearFlow['set-cookie']],
    });
    res.end();
  }

  async function logout(req: IncomingMessage, res: ServerResponse) {
    const token = opts.auth.sessionTokenOf(req.headers);
    // Another site must not sign people out either: our pages send the CSRF token, a form of ours its Origin.
    const ours = opts.auth.hasCsrfProof(req.headers) || opts.auth.sameOrigin(req.headers, true);
    if (!ours) {
      res.writeHead(403, { 'content-type': 'application/json' });
      return void res.end(JSON.stringify({ error: { message: `Sign-out must come from the hub's pages (${CSRF_HEADER} header)`, code: 'FORBIDDEN' } }));
    }
    if (token) {
      try {
        await opts.authenticator.sessionRequest('/internal/sessions/revoke', { sessionToken: token });
      } catch (err) {
        if (!(err instanceof AuthUnavailableError)) throw err;
        res.writeHead(503, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ error: { message: 'Sign-out is unavailable; try again shortly', code: 'SERVICE_UNAVAILABLE' } }));
      }
    }
    const cookies = opts.auth.signOutCookies(req.headers);
    if ((req.headers.accept ?? '').includes('text/html')) {
      res.writeHead(303, { location: DEFAULT_RETURN, 'set-cookie': cookies });
      return void res.end();
    }
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store', 'set-cookie': cookies });
    res.end(JSON.stringify({ signedOut: true }));
  }

  const fail = (res: ServerResponse, err: unknown) => {
    opts.log.error({ err: (err as Error).message }, 'sign-in route failed');
    if (!res.headersSent) page(res, 500, 'Sign-in failed', ['Something went wrong on the hub. Please try again.']);
    else res.end();
  };

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const route =
      req.method === 'GET' && url.pathname === SIGN_IN_PATHS.login
        ? () => login(req, res, url)
        : req.method === 'GET' && url.pathname === SIGN_IN_PATHS.callback
          ? () => callback(req, res, url)
          : req.method === 'POST' && url.pathname === SIGN_IN_PATHS.logout
            ? () => logout(req, res)
            : undefined;
    if (!route) return false;
    route().catch((err: unknown) => fail(res, err));
    return true;
  };
}
