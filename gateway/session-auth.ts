import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie, type SerializeOptions } from 'cookie';
import type { Identity } from '../shared/auth/identity';
import type { SignInConfig } from '../shared/config';
import type { Authenticated, Authenticator } from './authenticator';

/**
 * How the gateway knows who sent a request: an `Authorization` header (API key or JWT, as
 * partners' integrations do) or, for people in a browser, the sign-in session cookie plus
 * proof that the request came from the hub's own pages (docs/sign-in.md, "Cookies and CSRF").
 *
 * - HTTP: a cookie-authenticated request must carry {@link CSRF_HEADER}, an HMAC of the
 *   session secret that the page reads from the {@link CSRF_COOKIE} cookie (signed
 *   double-submit). Another site's page can make the browser send the session cookie, but it
 *   can neither read our cookies nor add a custom header without a CORS preflight, which the
 *   gateway never grants. A present `Origin` must also be our own.
 * - WebSocket: browsers send no custom headers on the upgrade, but always send `Origin`, and
 *   a page cannot forge it: the connection is authenticated by the cookie only when `Origin`
 *   is the hub's own.
 * An `Authorization` header always wins and needs neither (a browser never adds one by itself).
 */

/** The header a signed-in page sends with every call; its value is the {@link CSRF_COOKIE} cookie's. */
export const CSRF_HEADER = 'x-hub-csrf';
/** Readable by the hub's pages (not HttpOnly): the token they echo in {@link CSRF_HEADER}. */
export const CSRF_COOKIE = 'hub_csrf';

/** The headers of a fetch Request or of a Node request. */
export type HeaderSource = Headers | IncomingHttpHeaders;

export function headerOf(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as IncomingHttpHeaders)[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
/** A hostname (no port) a developer's browser reaches over plain HTTP. */
export const isLoopbackHost = (host: string | undefined) => !!host && LOOPBACK.has(host.replace(/:\d+$/, '').toLowerCase());

/** A key for one purpose, derived from the identity secret (the first one, which signs). */
export const derivedKey = (identitySecret: string, purpose: string) => derivedKeys(identitySecret, purpose)[0]!;

/** One key per listed identity secret, the signing one first: tokens made before a rotation still verify. */
const derivedKeys = (identitySecret: string, purpose: string) =>
  identitySecret.split(',').map((secret) => createHmac('sha256', secret).update(`hub-sign-in:${purpose}`).digest());

const equal = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Who a request is, and how it proved it. */
export type RequestAuthentication =
  | {
      ok: true;
      identity: Identity;
      /** `authorization`: an API key or JWT in the header; `session`: the sign-in cookie. */
      via: 'authorization' | 'session';
      /** When the credential ends (JWTs, sessions), ms since the epoch. */
      expiresAt?: number;
      /** Asks again, bypassing nothing: null once the credential no longer holds (for long-lived sockets). */
      recheck(): Promise<Identity | null>;
    }
  /**
   * MISSING: no credential at all; INVALID: a credential nobody knows (or revoked, expired);
   * CSRF: a session cookie without proof that one of our pages sent the request.
   */
  | { ok: false; reason: 'MISSING' | 'INVALID' | 'CSRF' };

/** A request as {@link SessionAuth.authenticateRequest} reads it: a fetch Request or a Node request. */
export interface RequestLike {
  method?: string;
  headers: HeaderSource;
}

/** Options for {@link SessionAuth}. */
export interface SessionAuthOptions {
  authenticator: Authenticator;
  identitySecret: string;
  signIn: SignInConfig;
  /** The hub's public origin (from the configured redirect URI); unset: a loopback request's own. */
  publicOrigin?: string;
}

/**
 * The gateway's one way to authenticate a request (GraphQL over HTTP and WebSocket, and any
 * other gateway route such as exports): {@link authenticateRequest} and {@link authenticateSocket}.
 */
export class SessionAuth {
  private readonly csrfKeys: Buffer[];

  constructor(private readonly opts: SessionAuthOptions) {
    this.csrfKeys = derivedKeys(opts.identitySecret, 'csrf');
  }

  get cookieName(): string {
    return this.opts.signIn.cookieName;
  }

  /** The CSRF token belonging to a session secret: pages echo it, nobody else can compute it. */
  csrfTokenFor(sessionToken: string, key: Buffer = this.csrfKeys[0]!): string {
    return createHmac('sha256', key).update(sessionToken).digest('base64url');
  }

  /** The session secret in a request's cookies, if any. */
  sessionTokenOf(headers: HeaderSource): string | undefined {
    const raw = headerOf(headers, 'cookie');
    if (!raw) return undefined;
    const token = parseCookies(raw)[this.cookieName];
    return token && token.length <= 200 ? token : undefined;
  }

  /** The origin the hub's pages are served from, for the request's Host when none is configured. */
  ownOrigin(headers: HeaderSource): string | undefined {
    if (this.opts.publicOrigin) return this.opts.publicOrigin;
    const host = headerOf(headers, 'host');
    // Without a configured public origin only a developer's loopback host is trusted: the
    // Host header of anything else may be whatever a proxy or attacker put there.
    return isLoopbackHost(host) ? `http://${host!.toLowerCase()}` : undefined;
  }

  /** Whether the request's `Origin` (when it has one) is ours; `required`: it must have one. */
  sameOrigin(headers: HeaderSource, required: boolean): boolean {
    const origin = headerOf(headers, 'origin');
    if (!origin) return !required;
    const own = this.ownOrigin(headers);
    return !!own && origin.toLowerCase() === own.toLowerCase();
  }

  /** Whether the request carries a session cookie and the CSRF token that belongs to it. */
  hasCsrfProof(headers: HeaderSource): boolean {
    const token = this.sessionTokenOf(headers);
    const proof = headerOf(headers, CSRF_HEADER);
    // Any listed identity secret: a page signed in before HUB_IDENTITY_SECRET rotated keeps working.
    return !!token && !!proof && this.csrfKeys.some((key) => equal(proof, this.csrfTokenFor(token, key)));
  }

  /** The Authorization header's credential, else the session cookie with its CSRF proof. */
  async authenticateRequest(req: RequestLike): Promise<RequestAuthentication> {
    const authorization = headerOf(req.headers, 'authorization');
    if (authorization) return this.byAuthorization(authorization);
    const token = this.sessionTokenOf(req.headers);
    if (!token) return { ok: false, reason: 'MISSING' };
    if (!this.hasCsrfProof(req.headers) || !this.sameOrigin(req.headers, false)) return { ok: false, reason: 'CSRF' };
    return this.bySession(token);
  }

  /**
   * A WebSocket connection: the authorization in its connection_init payload, else the
   * session cookie of the upgrade request, accepted only when `Origin` is the hub's own.
   */
  async authenticateSocket(upgrade: { headers: IncomingHttpHeaders }, authorization: string | undefined): Promise<RequestAuthentication> {
    if (authorization) return this.byAuthorization(authorization);
    const token = this.sessionTokenOf(upgrade.headers);
    if (!token) return { ok: false, reason: 'MISSING' };
    if (!this.sameOrigin(upgrade.headers, true)) return { ok: false, reason: 'CSRF' };
    return this.bySession(token);
  }

  private async byAuthorization(authorization: string): Promise<RequestAuthentication> {
    const found = await this.opts.authenticator.resolve(authorization);
    if (!found) return { ok: false, reason: 'INVALID' };
    return this.success(found, 'authorization', () => this.opts.authenticator.authenticate(authorization));
  }

  private async bySession(token: string): Promise<RequestAuthentication> {
    const found = await this.opts.authenticator.session(token);
    if (!found) return { ok: false, reason: 'INVALID' };
    return this.success(found, 'session', async () => (await this.opts.authenticator.session(token))?.identity ?? null);
  }

  private success(found: Authenticated, via: 'authorization' | 'session', recheck: () => Promise<Identity | null>): RequestAuthentication {
    return { ok: true, identity: found.identity, via, expiresAt: found.expiresAt, recheck };
  }

  /** Cookie attributes: HttpOnly unless `readable`, SameSite=Lax, Secure except on a loopback host (when auto). */
  cookieOptions(headers: HeaderSource, extra: SerializeOptions & { readable?: boolean } = {}): SerializeOptions {
    const { readable, ...rest } = extra;
    const secure = this.opts.signIn.cookieSecure === 'true' || !isLoopbackHost(headerOf(headers, 'host'));
    return { path: '/', sameSite: 'lax', secure, httpOnly: !readable, ...rest };
  }

  /** Set-Cookie values that sign a browser in: the session secret (HttpOnly) and its CSRF token (readable). */
  signInCookies(headers: HeaderSource, sessionToken: string, expiresAt: Date): string[] {
    const maxAge = Math.max(0, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
    return [
      serializeCookie(this.cookieName, sessionToken, this.cookieOptions(headers, { maxAge })),
      serializeCookie(CSRF_COOKIE, this.csrfTokenFor(sessionToken), this.cookieOptions(headers, { maxAge, readable: true })),
    ];
  }

  /** Set-Cookie values that sign a browser out. */
  signOutCookies(headers: HeaderSource): string[] {
    return [
      serializeCookie(this.cookieName, '', this.cookieOptions(headers, { maxAge: 0 })),
      serializeCookie(CSRF_COOKIE, '', this.cookieOptions(headers, { maxAge: 0, readable: true })),
    ];
  }
}

/** The outcome of {@link authenticateHttpRequest}: who, or the HTTP answer to give instead. */
export type HttpAuthentication =
  | { ok: true; identity: Identity; via: 'authorization' | 'session' }
  | { ok: false; status: 401 | 403 | 503; code: 'UNAUTHENTICATED' | 'FORBIDDEN' | 'SERVICE_UNAVAILABLE'; message: string };

/**
 * For gateway routes beside /graphql (exports, imports …): the same rules as GraphQL — an
 * Authorization header, or the session cookie with the CSRF header — with the status, code
 * and message to answer a refusal with.
 */
export async function authenticateHttpRequest(auth: SessionAuth, req: RequestLike): Promise<HttpAuthentication> {
  let result: RequestAuthentication;
  try {
    result = await auth.authenticateRequest(req);
  } catch {
    return { ok: false, status: 503, code: 'SERVICE_UNAVAILABLE', message: 'Authentication is temporarily unavailable; retry shortly' };
  }
  if (result.ok) return { ok: true, identity: result.identity, via: result.via };
  if (result.reason === 'CSRF') {
    return {
      ok: false,
      status: 403,
      code: 'FORBIDDEN',
      message: `A signed-in browser request must carry the ${CSRF_HEADER} header and come from the hub's own pages`,
    };
  }
  return { ok: false, status: 401, code: 'UNAUTHENTICATED', message: 'Authentication required: send "Authorization: Bearer <api key or JWT>", or sign in' };
}
