import { SessionAuth } from '../../gateway/session-auth';
import { Authenticator } from '../../gateway/authenticator';
import { loadConfig } from '../../shared/config';
import { createLogger } from '../../shared/logger';
import { DEMO_PARTNERS, DEMO_PEOPLE } from '../../subgraphs/accounts/src/seed';
import { RawGraphQLSocket } from '../security/ws-raw';
import { startGateway } from '../support/gateway';
import { codes, gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { cookieOf, signInAs, type BrowserLike } from '../support/sign-in';

/**
 * Sign-in end to end through the real OpenID flow: the gateway's /auth/login, the local
 * oidc-provider's login form (the dev provider `npm start` runs), the code exchange and ID
 * token checks at /auth/callback, and the session accounts keeps. No part is faked.
 */
const person = (name: string) => DEMO_PEOPLE.find((p) => p.name === name)!;
const partnerName = (id: string) => DEMO_PARTNERS.find((p) => p.id === id)!.name;
const RILEY = person('Riley Admin'); // Acme Reseller
const SASHA = person('Sasha Sales'); // Acme Reseller
const PAT = person('Pat Manager'); // Acme Reseller
const INTERNAL_KEY = DEMO_PARTNERS.find((p) => p.apiKey === 'hub_demo_internal_revops')!.apiKey;
const ME = '{ me { role scopes partner { id name } person { id name email } } }';
const SESSION_COOKIE = 'hub_session';

describe('sign-in with OpenID Connect', () => {
  let hub: TestHub;
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    hub = await startTestHub({
      services: ['accounts', 'gateway'],
      env: { HUB_OIDC_DEV_PROVIDER: 'true', HUB_OIDC_DEV_PORT: '0', HUB_WS_INIT_TIMEOUT_MS: '500' },
    });
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await hub?.stop();
  });

  const origin = () => new URL(hub.gatewayUrl).origin;
  /** A GraphQL call as the signed-in browser: its cookies, and the CSRF header unless told otherwise. */
  const asBrowser = (browser: BrowserLike, query: string, headers: Record<string, string> = {}, variables: Record<string, unknown> = {}) =>
    gql(hub.gatewayUrl, query, variables, undefined, {
      cookie: browser.cookieHeader(hub.gatewayUrl),
      'x-hub-csrf': cookieOf(browser, hub.gatewayUrl, 'hub_csrf') ?? '',
      origin: origin(),
      ...headers,
    });
  const socket = (headers: Record<string, string>) => {
    const s = new RawGraphQLSocket(hub.gatewayUrl, headers);
    closers.push(() => s.close());
    return s;
  };

  it('signs a demo person in: back on the dashboard with an HttpOnly, SameSite=Lax session cookie, and `me` is that person', async () => {
    const { browser, res, url } = await signInAs(hub.gatewayUrl, RILEY.email);
    expect(res.status).toBe(303);
    expect(new URL(url).pathname).toBe('/dashboard/');
    const session = browser.setCookies.find((c) => c.name === SESSION_COOKIE)!;
    expect(session.value).toMatch(/^hubs_[\w-]{43}$/);
    expect(session.attributes).toMatchObject({ httponly: true, samesite: 'Lax', path: '/' });
    // Plain HTTP on 127.0.0.1 (development): not Secure, or the browser would drop it.
    expect(session.attributes.secure).toBeUndefined();
    const csrf = browser.setCookies.find((c) => c.name === 'hub_csrf')!;
    expect(csrf.attributes.httponly).toBeUndefined();

    const me = await asBrowser(browser, ME);
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({
      role: 'PARTNER',
      partner: { id: RILEY.partnerId, name: partnerName(RILEY.partnerId) },
      person: { id: RILEY.id, name: RILEY.name, email: RILEY.email },
    });
    // An ADMIN manages its partner's keys and people.
    expect(me.data!.me.scopes).toContain('apikeys:manage');

    // Accounts stores a hash only.
    const rows = await hub.db.asAdmin<{ secret_hash: string; person_id: string }>(`SELECT secret_hash, person_id FROM accounts.sessions WHERE person_id = $1`, [
      RILEY.id,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.secret_hash).not.toContain(session.value);
    expect(rows[0]!.secret_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a cookie-authenticated call without the CSRF proof, with a wrong one, or from another origin; an API key needs none', async () => {
    const { browser } = await signInAs(hub.gatewayUrl, PAT.email);
    for (const headers of [{ 'x-hub-csrf': '' }, { 'x-hub-csrf': 'forged-token' }, { origin: 'https://evil.example' }] as Record<string, string>[]) {
      const refused = await asBrowser(browser, ME, headers);
      expect(refused.status).toBe(403);
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      expect(refused.data ?? undefined).toBeUndefined();
    }
    // A non-admin's session cannot manage keys.
    const me = await asBrowser(browser, ME);
    expect(me.data!.me.scopes).not.toContain('apikeys:manage');
    // The Authorization header wins over a cookie, and needs no CSRF proof.
    const withKey = await gql(hub.gatewayUrl, ME, {}, INTERNAL_KEY, { cookie: browser.cookieHeader(hub.gatewayUrl) });
    expect(withKey.data!.me.role).toBe('INTERNAL');
  });

  it('refuses a tampered session cookie, even with the CSRF token that belongs to it', async () => {
    const { browser } = await signInAs(hub.gatewayUrl, RILEY.email);
    const real = cookieOf(browser, hub.gatewayUrl, SESSION_COOKIE)!;
    const tampered = `${real.slice(0, -1)}${real.endsWith('A') ? 'B' : 'A'}`;
    browser.setCookie(hub.gatewayUrl, SESSION_COOKIE, tampered);
    // The CSRF token of the real session does not fit the tampered one.
    expect(codes(await asBrowser(browser, ME))).toEqual(['FORBIDDEN']);
    // Computed for the tampered secret (as only the hub could), it passes CSRF and fails as a session.
    const config = loadConfig({ NODE_ENV: 'test' });
    const auth = new SessionAuth({
      authenticator: new Authenticator({
        accountsBaseUrl: 'http://unused.invalid',
        identitySecret: config.identitySecret,
        cacheMs: 0,
        log: createLogger('t', 'silent'),
      }),
      identitySecret: config.identitySecret,
      signIn: config.signIn,
    });
    const refused = await asBrowser(browser, ME, { 'x-hub-csrf': auth.csrfTokenFor(tampered) });
    expect(refused.status).toBe(401);
    expect(codes(refused)).toEqual(['UNAUTHENTICATED']);
  });

  it('an unknown e-mail address gets a clear 403 page and no session; so does a deactivated person', async () => {
    const { browser, res, url } = await signInAs(hub.gatewayUrl, 'nobody@unknown.example.com');
    expect(new URL(url).pathname).toBe('/auth/callback');
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('text/html');
    const html = await res.text();
    expect(html).toContain('You cannot sign in to the hub');
    expect(html).toContain('nobody@unknown.example.com');
    expect(browser.setCookies.filter((c) => c.name === SESSION_COOKIE || c.name === 'hub_csrf')).toEqual([]);
    expect(
      await hub.db.asAdmin(
        `SELECT 1 FROM accounts.sessions s JOIN accounts.people p ON p.id = s.person_id WHERE lower(p.email) = 'nobody@unknown.example.com'`,
      ),
    ).toEqual([]);
  });

  it('refuses a tampered or missing sign-in state at the callback', async () => {
    const { browser } = await signInAs(hub.gatewayUrl, RILEY.email);
    const callback = `${origin()}/auth/callback?code=x&state=y`;
    const missing = await browser.request(callback);
    expect(missing.status).toBe(400);
    browser.setCookie(hub.gatewayUrl, 'hub_sign_in', 'eyJzdGF0ZSI6InkifQ.forged', '/auth/callback');
    const forged = await browser.request(callback);
    expect(forged.status).toBe(400);
    expect(await forged.text()).toContain('Sign-in expired');
  });

  it('sends returnTo only to a path of the hub', async () => {
    for (const [returnTo, expected] of [
      ['/dashboard/?period=P30D', '/dashboard/?period=P30D'],
      ['//evil.example/x', '/dashboard/'],
      ['https://evil.example/', '/dashboard/'],
      ['/\\evil.example', '/dashboard/'],
    ] as const) {
      const { url } = await signInAs(hub.gatewayUrl, RILEY.email, `returnTo=${encodeURIComponent(returnTo)}`);
      expect(`${new URL(url).pathname}${new URL(url).search}`).toBe(expected);
      expect(new URL(url).origin).toBe(origin());
    }
  });

  it('signs out: the session is revoked in accounts and its cookie no longer works', async () => {
    const { browser } = await signInAs(hub.gatewayUrl, RILEY.email);
    const cookie = browser.cookieHeader(hub.gatewayUrl);
    const csrf = cookieOf(browser, hub.gatewayUrl, 'hub_csrf')!;
    // Not from another site: no CSRF token and a foreign Origin.
    const forced = await fetch(`${origin()}/auth/logout`, { method: 'POST', headers: { cookie, origin: 'https://evil.example' } });
    expect(forced.status).toBe(403);
    expect(codes(await asBrowser(browser, ME))).toEqual([]);

    const out = await browser.request(`${origin()}/auth/logout`, { method: 'POST', headers: { 'x-hub-csrf': csrf } });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=;`) && /Max-Age=0/.test(c))).toBe(true);
    const after = await gql(hub.gatewayUrl, ME, {}, undefined, { cookie, 'x-hub-csrf': csrf });
    expect(after.status).toBe(401);
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
    const token = /hub_session=([^;]+)/.exec(cookie)![1]!;
    const revoked = await hub.db.asAdmin<{ revoked: boolean }>(
      `SELECT revoked_at IS NOT NULL AS revoked FROM accounts.sessions WHERE secret_hash = encode(sha256($1::bytea), 'hex')`,
      [decodeURIComponent(token)],
    );
    expect(revoked).toEqual([{ revoked: true }]);
  });

  it('refuses an expired session', async () => {
    const { browser } = await signInAs(hub.gatewayUrl, PAT.email);
    expect(codes(await asBrowser(browser, ME))).toEqual([]);
    await hub.db.asAdmin(
      `UPDATE accounts.sessions SET created_at = now() - interval '2 hours', expires_at = now() - interval '1 second' WHERE person_id = $1 AND revoked_at IS NULL`,
      [PAT.id],
    );
    expect(codes(await asBrowser(browser, ME))).toEqual(['UNAUTHENTICATED']);
  });

  it('authenticates a WebSocket of our own origin by its cookie; another origin is refused', async () => {
    const { browser } = await signInAs(hub.gatewayUrl, RILEY.email);
    const cookie = browser.cookieHeader(hub.gatewayUrl);
    expect(await socket({ cookie, origin: origin() }).init({})).toBe('ack');
    expect(await socket({ cookie, origin: 'https://evil.example' }).init({})).toBe(4401);
    expect(await socket({ cookie }).init({})).toBe(4401);
  });

  it('deactivating the person ends its sessions at once: the next HTTP call is UNAUTHENTICATED, its WebSockets close, on every gateway', async () => {
    const { browser } = await signInAs(hub.gatewayUrl, SASHA.email);
    const cookie = browser.cookieHeader(hub.gatewayUrl);
    const csrf = cookieOf(browser, hub.gatewayUrl, 'hub_csrf')!;
    // A second gateway that remembers sessions for 10 minutes: only the revocation notice can stop it.
    const { gateway: second, url: secondUrl } = await startGateway({
      subgraphUrls: hub.subgraphUrls as Record<string, string>,
      authCacheMs: 600_000,
      databaseUrl: hub.databaseUrl,
    });
    closers.push(() => second.stop());
    const secondOrigin = new URL(secondUrl).origin;
    expect(codes(await gql(secondUrl, ME, {}, undefined, { cookie, 'x-hub-csrf': csrf }))).toEqual([]);
    const onFirst = socket({ cookie, origin: origin() });
    expect(await onFirst.init({})).toBe('ack');
    const onSecond = new RawGraphQLSocket(secondUrl, { cookie, origin: secondOrigin });
    closers.push(() => onSecond.close());
    expect(await onSecond.init({})).toBe('ack');

    const done = await gql(hub.gatewayUrl, `mutation($id: ID!) { deactivatePerson(id: $id) { status } }`, { id: SASHA.id }, INTERNAL_KEY);
    expect(done.data!.deactivatePerson.status).toBe('DEACTIVATED');
    const next = await asBrowser(browser, ME);
    expect(next.status).toBe(401);
    expect(codes(next)).toEqual(['UNAUTHENTICATED']);
    expect(await onFirst.closeCode()).toBe(4403);
    expect(await onSecond.closeCode()).toBe(4403);
    expect(codes(await gql(secondUrl, ME, {}, undefined, { cookie, 'x-hub-csrf': csrf }))).toEqual(['UNAUTHENTICATED']);
    // And a deactivated person cannot sign in again: the same page as an unknown address.
    const again = await signInAs(hub.gatewayUrl, SASHA.email);
    expect(again.res.status).toBe(403);
    expect(await again.res.text()).toContain('You cannot sign in to the hub');
  });

  it('asks which partner when people of several partners share the address, and signs in for the one chosen', async () => {
    const other = DEMO_PARTNERS.find((p) => p.apiKey === 'hub_demo_globex_channel')!;
    const added = await gql(
      hub.gatewayUrl,
      `mutation($input: AddPersonInput!) { addPerson(input: $input) { id } }`,
      { input: { partnerId: other.id, name: 'Riley Twin', email: RILEY.email.toUpperCase(), role: 'SALES_REP' } },
      INTERNAL_KEY,
    );
    expect(added.errors).toBeUndefined();
    const { res } = await signInAs(hub.gatewayUrl, RILEY.email);
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain(partnerName(RILEY.partnerId));
    expect(html).toContain(other.name);
    const { browser, res: chosen } = await signInAs(hub.gatewayUrl, RILEY.email, `partner=${other.id}`);
    expect(chosen.status).toBe(303);
    const me = await asBrowser(browser, ME);
    expect(me.data!.me.partner.id).toBe(other.id);
    expect(me.data!.me.person.name).toBe('Riley Twin');
  });
});
