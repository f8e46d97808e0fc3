import { IDENTITY_HEADER, signIdentity, type Identity } from '../../../shared/auth/identity';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { partnerIdentity, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { DEMO_PARTNERS, DEMO_PEOPLE } from '../src/seed';

/**
 * Accounts' side of sign-in (docs/sign-in.md): the internal routes the gateway calls once it
 * has verified an ID token. Who may call them, what a session carries, when it stops.
 */
const SERVICE: Identity = { role: 'SERVICE', scopes: ['auth'] };
const person = (name: string, partnerKey: string) =>
  DEMO_PEOPLE.find((p) => p.name === name && p.partnerId === DEMO_PARTNERS.find((x) => x.apiKey.includes(partnerKey))!.id)!;
const MORGAN = person('Morgan Admin', 'northwind');
const OLU = person('Olu Onboarding', 'northwind');
const AVERY = person('Avery Admin', 'revops');

describe('accounts sign-in sessions', () => {
  let a: AccountsUnderTest;
  const base = () => a.url.replace(/\/graphql$/, '');
  const post = async (path: string, body: Record<string, unknown>, caller: Identity | null = SERVICE) => {
    const res = await fetch(`${base()}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(caller ? { [IDENTITY_HEADER]: signIdentity(caller, TEST_IDENTITY_SECRET) } : {}) },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };
  const start = async (email: string) => (await post('/internal/sessions', { email })).body.session as Record<string, any>;

  beforeAll(async () => {
    a = await startAccounts({ sessionTtlMs: 30 * 60_000 });
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('answers only the gateway’s SERVICE identity', async () => {
    for (const path of ['/internal/sessions', '/internal/authenticate-session', '/internal/sessions/revoke']) {
      expect((await post(path, { email: MORGAN.email, sessionToken: 'hubs_x' }, null)).status).toBe(401);
      expect((await post(path, { email: MORGAN.email, sessionToken: 'hubs_x' }, partnerIdentity(MORGAN.partnerId))).status).toBe(401);
    }
    expect(await a.db.query(`SELECT 1 FROM accounts.sessions`)).toEqual([]);
  });

  it('starts a session for the address whatever its case, with the configured lifetime and the person’s scopes', async () => {
    const started = await start(MORGAN.email.toUpperCase());
    expect(started).toMatchObject({ status: 'STARTED', person: { id: MORGAN.id }, partner: { id: MORGAN.partnerId } });
    const minutes = (Date.parse(started.expiresAt) - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(29);
    expect(minutes).toBeLessThanOrEqual(30);
    expect(started.identity).toMatchObject({ role: 'PARTNER', partnerId: MORGAN.partnerId, personId: MORGAN.id });
    expect(started.identity.scopes).toContain('apikeys:manage');
    const auth = await post('/internal/authenticate-session', { sessionToken: started.token });
    expect(auth).toMatchObject({ status: 200, body: { identity: started.identity, expiresAt: started.expiresAt } });
    // Not an ADMIN: no key or people management.
    expect((await start(OLU.email)).identity.scopes).not.toContain('apikeys:manage');
    // An internal team's ADMIN acts as INTERNAL with the admin scope.
    expect((await start(AVERY.email)).identity).toMatchObject({ role: 'INTERNAL', scopes: expect.arrayContaining(['admin']) });
  });

  it('refreshes last seen at most once a minute', async () => {
    const { token, identity } = await start(OLU.email);
    await a.db.query(`UPDATE accounts.sessions SET last_seen_at = now() - interval '30 seconds' WHERE id = $1`, [identity.credentialId]);
    const [before] = await a.db.query(`SELECT last_seen_at FROM accounts.sessions WHERE id = $1`, [identity.credentialId]);
    await post('/internal/authenticate-session', { sessionToken: token });
    const [unchanged] = await a.db.query(`SELECT last_seen_at FROM accounts.sessions WHERE id = $1`, [identity.credentialId]);
    expect(unchanged.last_seen_at).toEqual(before.last_seen_at);
    await a.db.query(`UPDATE accounts.sessions SET last_seen_at = now() - interval '2 minutes' WHERE id = $1`, [identity.credentialId]);
    await post('/internal/authenticate-session', { sessionToken: token });
    const [refreshed] = await a.db.query(`SELECT last_seen_at > now() - interval '10 seconds' AS fresh FROM accounts.sessions WHERE id = $1`, [
      identity.credentialId,
    ]);
    expect(refreshed.fresh).toBe(true);
  });

  it('stops a session when it is revoked (twice changes nothing) or its partner is suspended; unknown and malformed tokens are nobody', async () => {
    const { token } = await start(OLU.email);
    expect((await post('/internal/sessions/revoke', { sessionToken: token })).body).toEqual({ revoked: true });
    expect((await post('/internal/sessions/revoke', { sessionToken: token })).body).toEqual({ revoked: false });
    expect((await post('/internal/authenticate-session', { sessionToken: token })).status).toBe(404);

    const other = await start(MORGAN.email);
    await a.db.query(`UPDATE accounts.partners SET status = 'SUSPENDED' WHERE id = $1`, [MORGAN.partnerId]);
    try {
      expect((await post('/internal/authenticate-session', { sessionToken: other.token })).body).toEqual({ identity: null, expiresAt: null });
      expect(await start(MORGAN.email)).toEqual({ status: 'UNKNOWN' });
    } finally {
      await a.db.query(`UPDATE accounts.partners SET status = 'ACTIVE' WHERE id = $1`, [MORGAN.partnerId]);
    }
    for (const sessionToken of ['hubs_unknown', 'hub_demo_acme_reseller', '', 'x'.repeat(500)]) {
      expect((await post('/internal/authenticate-session', { sessionToken })).status).toBe(404);
    }
    expect((await post('/internal/sessions', {})).status).toBe(400);
    expect(await start('')).toEqual({ status: 'UNKNOWN' });
  });
});
