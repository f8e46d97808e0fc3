import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import { API_KEY_REVOKED } from '../../shared/eventlog/events';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startGateway } from '../support/gateway';
import { codes, firstError, gql, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { RawGraphQLSocket } from '../security/ws-raw';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const ACME = partner('acme');
const GLOBEX = partner('globex');
const REVOPS = partner('revops');
const acmeCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === ACME.id)!;

const JWT_SECRET = 'a-test-jwt-secret-of-at-least-32-characters';
const ISSUER = 'https://idp.example.test/';
const AUDIENCE = 'partner-handoff-hub';

const hs256 = (claims: JWTPayload, opts: { secret?: string; issuer?: string; audience?: string; expiresIn?: string | number } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(opts.secret ?? JWT_SECRET));

/** Polls until `fn` holds: revocation reaches gateways through NOTIFY, just after the commit. */
async function eventually(fn: () => Promise<boolean>, timeoutMs = 3000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return fn();
}

const ME = '{ me { role scopes partner { id } } }';
const CREATE_KEY = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { id prefix label scopes status partnerId } } }`;

describe('identity: API keys, JWTs, scopes, key management, WebSocket rules', () => {
  let hub: TestHub;
  const closers: (() => unknown)[] = [];

  beforeAll(async () => {
    hub = await startTestHub({
      services: ['accounts', 'gateway'],
      env: {
        HUB_JWT_SECRET: JWT_SECRET,
        HUB_JWT_ISSUER: ISSUER,
        HUB_JWT_AUDIENCE: AUDIENCE,
        // A long cache: only the revocation notice can make a revoked key stop at once.
        HUB_AUTH_CACHE_MS: '600000',
        HUB_WS_INIT_TIMEOUT_MS: '300',
        HUB_WS_MAX_SUBSCRIPTIONS: '3',
      },
    });
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await hub?.stop();
  });

  const socket = (url = hub.gatewayUrl) => {
    const s = new RawGraphQLSocket(url);
    closers.push(() => s.close());
    return s;
  };
  const newKey = async (as: string, input: Record<string, unknown>) => {
    const res = await gql(hub.gatewayUrl, CREATE_KEY, { input }, as);
    expect(res.errors).toBeUndefined();
    return res.data!.createApiKey as { secret: string; apiKey: { id: string; prefix: string; scopes: string[] } };
  };

  describe('JWT', () => {
    it('maps partner, role and scopes from the claims; unknown scopes, and admin for a partner, grant nothing', async () => {
      const token = await hs256({ partner_id: ACME.id, role: 'partner', scope: 'customers:read handoffs:read admin billing:everything' });
      const res = await gql(hub.gatewayUrl, ME, {}, token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.me).toEqual({ role: 'PARTNER', scopes: ['customers:read', 'handoffs:read'], partner: { id: ACME.id } });
      const internal = await gql(hub.gatewayUrl, ME, {}, await hs256({ partner_id: REVOPS.id, role: 'internal', scp: ['admin', 'customers:read'] }));
      expect(internal.data!.me).toEqual({ role: 'INTERNAL', scopes: ['admin', 'customers:read'], partner: { id: REVOPS.id } });
    });

    it('refuses a wrong issuer, audience, secret, algorithm, an expired token and one without a partner', async () => {
      const now = Math.floor(Date.now() / 1000);
      const claims = { partner_id: ACME.id, scope: 'customers:read' };
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      const body = Buffer.from(JSON.stringify({ ...claims, iss: ISSUER, aud: AUDIENCE, exp: now + 300 })).toString('base64url');
      const bad = [
        await hs256(claims, { issuer: 'https://evil.example/' }),
        await hs256(claims, { audience: 'someone-else' }),
        await hs256(claims, { secret: 'another-secret-another-secret-another-secret' }),
        await hs256(claims, { expiresIn: now - 120 }),
        await hs256({ scope: 'customers:read' }),
        await hs256({ partner_id: ACME.id, role: 'superuser' }),
        `${header}.${body}.`,
        `${header}.${body}.c2lnbmF0dXJl`,
      ];
      for (const token of bad) expect(codes(await gql(hub.gatewayUrl, ME, {}, token))).toEqual(['UNAUTHENTICATED']);
    });

    it('refuses a validly signed JWT naming an unknown or suspended partner, or the internal role for a partner that is not an internal team', async () => {
      const suspended = partner('initech');
      await hub.db.asAdmin(`UPDATE accounts.partners SET status = 'SUSPENDED' WHERE id = $1`, [suspended.id]);
      const tokens = [
        await hs256({ partner_id: '00000000-0000-4000-8000-0000000000ff', scope: 'customers:read' }),
        await hs256({ partner_id: suspended.id, scope: 'customers:read' }),
        await hs256({ partner_id: GLOBEX.id, role: 'internal', scope: 'customers:read' }),
      ];
      for (const token of tokens) expect(codes(await gql(hub.gatewayUrl, ME, {}, token))).toEqual(['UNAUTHENTICATED']);
      // The same partner with its own role is fine.
      expect((await gql(hub.gatewayUrl, ME, {}, await hs256({ partner_id: GLOBEX.id, scope: 'customers:read' }))).data!.me).toMatchObject({ role: 'PARTNER' });
    });

    it('authenticates connection_init with a JWT and closes the socket (4401) when the JWT expires', async () => {
      const ws = socket();
      expect(
        await ws.init({
          authorization: `Bearer ${await hs256({ partner_id: ACME.id, scope: 'customers:read' }, { expiresIn: Math.floor(Date.now() / 1000) + 1 })}`,
        }),
      ).toBe('ack');
      expect(await ws.closeCode(5000)).toBe(4401);
    });
  });

  describe('scopes, per operation and field', () => {
    it('lets a read-only credential read but not write, and writes nothing', async () => {
      const token = await hs256({ partner_id: ACME.id, scope: 'customers:read' });
      const read = await gql(hub.gatewayUrl, `{ customers(first: 50) { edges { node { id } } } }`, {}, token);
      expect(read.errors).toBeUndefined();
      const before = read.data!.customers.edges.length;
      const write = await gql(hub.gatewayUrl, `mutation { createCustomer(input: { name: "Scope Test", segment: SMB, region: NA }) { id } }`, {}, token);
      expect(codes(write)).toEqual(['FORBIDDEN']);
      expect(firstError(write).extensions).toMatchObject({ missingScopes: ['customers:write'] });
      const after = await gql(hub.gatewayUrl, `{ customers(first: 50) { edges { node { id } } } }`, {}, token);
      expect(after.data!.customers.edges.length).toBe(before);
    });

    it('refuses reads, partner admin and subscriptions without the scope', async () => {
      const token = await hs256({ partner_id: ACME.id, scope: 'handoffs:read' });
      expect(codes(await gql(hub.gatewayUrl, `query($id: ID!) { customer(id: $id) { id } }`, { id: acmeCustomer.id }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await gql(hub.gatewayUrl, `{ customers { edges { node { id } } } }`, {}, token))).toEqual(['FORBIDDEN']);
      // No scope needed for who I am and the partner directory.
      expect((await gql(hub.gatewayUrl, `{ me { role } partners(first: 1) { edges { node { id } } } }`, {}, token)).errors).toBeUndefined();
      const internalNoAdmin = await hs256({ partner_id: REVOPS.id, role: 'internal', scope: 'customers:read' });
      expect(
        codes(await gql(hub.gatewayUrl, `mutation { createPartner(input: { name: "X", kind: AGENCY, region: NA }) { id } }`, {}, internalNoAdmin)),
      ).toEqual(['FORBIDDEN']);

      const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${token}` });
      closers.push(() => client.dispose());
      // Refused when it subscribes, not at its first event (no customer changes meanwhile).
      const sub = new Subscription(client, `subscription { customerUpdated { id } }`);
      const refused = await sub.waitFor(1, 3000);
      expect(refused.data ?? null).toBeNull();
      expect(codes(refused)).toEqual(['FORBIDDEN']);
      sub.close();
    });
  });

  describe('API key management', () => {
    it('creates a key whose secret is shown once and listed only by prefix', async () => {
      const created = await newKey(ACME.apiKey, { label: 'crm sync', scopes: ['customers:read'] });
      expect(created.secret).toMatch(/^hub_[\w-]{43}$/);
      expect(created.apiKey).toMatchObject({
        prefix: created.secret.slice(0, 12),
        label: 'crm sync',
        scopes: ['customers:read'],
        status: 'ACTIVE',
        partnerId: ACME.id,
      });
      const list = await gql(hub.gatewayUrl, `{ apiKeys(first: 100) { edges { node { id prefix label scopes status } } } }`, {}, ACME.apiKey);
      expect(list.data!.apiKeys.edges.map((e: any) => e.node.id)).toContain(created.apiKey.id);
      expect(JSON.stringify(list)).not.toContain(created.secret);
      // The new key does what its scopes say, and no more.
      const me = await gql(hub.gatewayUrl, ME, {}, created.secret);
      expect(me.data!.me).toEqual({ role: 'PARTNER', scopes: ['customers:read'], partner: { id: ACME.id } });
      expect(codes(await gql(hub.gatewayUrl, CREATE_KEY, { input: { label: 'escalate' } }, created.secret))).toEqual(['FORBIDDEN']);
    });

    it('never grants more than the partner kind or the creator holds', async () => {
      expect(codes(await gql(hub.gatewayUrl, CREATE_KEY, { input: { label: 'x', scopes: ['admin'] } }, ACME.apiKey))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await gql(hub.gatewayUrl, CREATE_KEY, { input: { label: 'x', scopes: ['root'] } }, ACME.apiKey))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await gql(hub.gatewayUrl, CREATE_KEY, { input: { label: '', scopes: [] } }, ACME.apiKey))).toEqual(['BAD_USER_INPUT']);
      const limited = await newKey(ACME.apiKey, { label: 'manager', scopes: ['apikeys:manage', 'customers:read'] });
      expect(codes(await gql(hub.gatewayUrl, CREATE_KEY, { input: { label: 'x', scopes: ['customers:write'] } }, limited.secret))).toEqual(['FORBIDDEN']);
      const defaulted = await newKey(limited.secret, { label: 'defaults' });
      expect(defaulted.apiKey.scopes.sort()).toEqual(['apikeys:manage', 'customers:read']);
    });

    it("hides other partners' keys (NOT_FOUND) and lets only internal admins manage them", async () => {
      const acmeKey = await newKey(ACME.apiKey, { label: 'private' });
      expect(codes(await gql(hub.gatewayUrl, `mutation($id: ID!) { revokeApiKey(id: $id) { id } }`, { id: acmeKey.apiKey.id }, GLOBEX.apiKey))).toEqual([
        'NOT_FOUND',
      ]);
      expect(codes(await gql(hub.gatewayUrl, `mutation($id: ID!) { rotateApiKey(id: $id) { secret } }`, { id: acmeKey.apiKey.id }, GLOBEX.apiKey))).toEqual([
        'NOT_FOUND',
      ]);
      expect(codes(await gql(hub.gatewayUrl, `query($p: ID) { apiKeys(partnerId: $p) { edges { node { id } } } }`, { p: ACME.id }, GLOBEX.apiKey))).toEqual([
        'FORBIDDEN',
      ]);
      expect(codes(await gql(hub.gatewayUrl, CREATE_KEY, { input: { label: 'x', partnerId: ACME.id } }, GLOBEX.apiKey))).toEqual(['FORBIDDEN']);
      expect((await gql(hub.gatewayUrl, ME, {}, acmeKey.secret)).data!.me.partner.id).toBe(ACME.id);
      const admin = await gql(hub.gatewayUrl, `query($p: ID) { apiKeys(partnerId: $p, first: 100) { edges { node { id } } } }`, { p: ACME.id }, REVOPS.apiKey);
      expect(admin.data!.apiKeys.edges.map((e: any) => e.node.id)).toContain(acmeKey.apiKey.id);
    });

    it('rotates: the new secret works, the old one stops at once even though the gateway had cached it', async () => {
      const old = await newKey(ACME.apiKey, { label: 'to rotate' });
      expect((await gql(hub.gatewayUrl, ME, {}, old.secret)).errors).toBeUndefined(); // now cached for 10 minutes
      const rotated = await gql(
        hub.gatewayUrl,
        `mutation($id: ID!) { rotateApiKey(id: $id) { secret apiKey { id label status } } }`,
        { id: old.apiKey.id },
        ACME.apiKey,
      );
      expect(rotated.errors).toBeUndefined();
      const fresh = rotated.data!.rotateApiKey;
      expect(fresh.apiKey).toMatchObject({ label: 'to rotate', status: 'ACTIVE' });
      expect(fresh.apiKey.id).not.toBe(old.apiKey.id);
      expect(await eventually(async () => codes(await gql(hub.gatewayUrl, ME, {}, old.secret)).includes('UNAUTHENTICATED'))).toBe(true);
      expect((await gql(hub.gatewayUrl, ME, {}, fresh.secret)).errors).toBeUndefined();
      // Rotating a revoked key is a conflict, not a second new key.
      expect(codes(await gql(hub.gatewayUrl, `mutation($id: ID!) { rotateApiKey(id: $id) { secret } }`, { id: old.apiKey.id }, ACME.apiKey))).toEqual([
        'CONFLICT',
      ]);
    });

    it('revokes: open WebSockets on every gateway instance close with 4403, and the log records it without the secret', async () => {
      const key = await newKey(ACME.apiKey, { label: 'to revoke' });
      // A second gateway instance on the same database: revocation must reach it too.
      const { gateway: second, url: secondUrl } = await startGateway({
        subgraphUrls: hub.subgraphUrls as Record<string, string>,
        env: { DATABASE_URL: hub.databaseUrl, HUB_AUTH_CACHE_MS: '600000' },
        authCacheMs: 600_000,
        databaseUrl: hub.databaseUrl,
      });
      closers.push(() => second.stop());

      const onFirst = socket();
      const onSecond = socket(secondUrl);
      expect(await onFirst.init({ authorization: `Bearer ${key.secret}` })).toBe('ack');
      expect(await onSecond.init({ authorization: `Bearer ${key.secret}` })).toBe('ack');
      const other = socket();
      expect(await other.init({ authorization: `Bearer ${ACME.apiKey}` })).toBe('ack');

      const revoked = await gql(hub.gatewayUrl, `mutation($id: ID!) { revokeApiKey(id: $id) { status revokedAt } }`, { id: key.apiKey.id }, ACME.apiKey);
      expect(revoked.data!.revokeApiKey.status).toBe('REVOKED');
      expect(await onFirst.closeCode()).toBe(4403);
      expect(await onSecond.closeCode()).toBe(4403);
      expect(other.closed).toBeUndefined();

      expect(await socket().init({ authorization: `Bearer ${key.secret}` })).toBe(4401);
      expect(codes(await gql(secondUrl, ME, {}, key.secret))).toEqual(['UNAUTHENTICATED']);
      // Revoking again changes nothing and records nothing more.
      const again = await gql(hub.gatewayUrl, `mutation($id: ID!) { revokeApiKey(id: $id) { status revokedAt } }`, { id: key.apiKey.id }, ACME.apiKey);
      expect(again.data!.revokeApiKey).toEqual(revoked.data!.revokeApiKey);
      const events: { payload: any; visible_to: string[] }[] = await hub.dataSources.accounts!.query(
        `SELECT payload, visible_to FROM eventlog.events WHERE type = $1 AND aggregate_id = $2`,
        [API_KEY_REVOKED, key.apiKey.id],
      );
      expect(events).toHaveLength(1);
      expect(events[0]?.payload).toMatchObject({ reason: 'REVOKED', apiKey: { id: key.apiKey.id, partnerId: ACME.id, prefix: key.apiKey.prefix } });
      expect(events[0]?.visible_to).toEqual([ACME.id]);
      expect(JSON.stringify(events)).not.toContain(key.secret);
    });
  });

  describe('WebSocket protocol rules', () => {
    it('closes 4401 for no or unknown credentials', async () => {
      expect(await socket().init({})).toBe(4401);
      expect(await socket().init({ authorization: 'Bearer hub_unknown' })).toBe(4401);
    });

    it('closes 4408 when connection_init does not arrive in time', async () => {
      const ws = socket();
      await ws.send({ type: 'ping' });
      expect(await ws.closeCode()).toBe(4408);
    });

    it('closes 4409 on a duplicate subscription id', async () => {
      const ws = socket();
      expect(await ws.init({ authorization: `Bearer ${ACME.apiKey}` })).toBe('ack');
      const subscribe = { id: 'same', type: 'subscribe', payload: { query: 'subscription { customerUpdated { id } }' } };
      await ws.send(subscribe);
      await ws.send(subscribe);
      expect(await ws.closeCode()).toBe(4409);
    });

    it('caps subscriptions per connection', async () => {
      const ws = socket();
      expect(await ws.init({ authorization: `Bearer ${ACME.apiKey}` })).toBe('ack');
      for (const id of ['1', '2', '3', '4']) await ws.send({ id, type: 'subscribe', payload: { query: 'subscription { customerUpdated { id } }' } });
      await ws.until(() => ws.messages.some((m) => m.id === '4' && m.type === 'error'));
      const error = ws.messages.find((m) => m.id === '4')!;
      expect(error.payload[0].extensions.code).toBe('RATE_LIMITED');
      expect(ws.messages.filter((m) => m.type === 'error' && m.id !== '4')).toEqual([]);
      expect(ws.closed).toBeUndefined();
    });
  });
});

describe('JWTs signed by an identity provider (JWKS)', () => {
  let hub: TestHub;
  let jwks: Server;
  let sign: (claims: JWTPayload) => Promise<string>;

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwks.listen(0, '127.0.0.1', () => r()));
    sign = (claims) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setAudience(AUDIENCE).setExpirationTime('5m').sign(privateKey);
    hub = await startTestHub({
      services: ['accounts', 'gateway'],
      env: {
        HUB_JWT_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`,
        HUB_JWT_ISSUER: ISSUER,
        HUB_JWT_AUDIENCE: AUDIENCE,
      },
    });
  });
  afterAll(async () => {
    await hub?.stop();
    await new Promise((r) => jwks?.close(r));
  });

  it('accepts a token signed with the published key and refuses an HS256 one', async () => {
    const ok = await gql(hub.gatewayUrl, ME, {}, await sign({ partner_id: GLOBEX.id, scope: 'customers:read' }));
    expect(ok.data!.me).toEqual({ role: 'PARTNER', scopes: ['customers:read'], partner: { id: GLOBEX.id } });
    // Algorithm confusion: an HS256 token "signed" with anything must not pass a JWKS setup.
    expect(codes(await gql(hub.gatewayUrl, ME, {}, await hs256({ partner_id: GLOBEX.id })))).toEqual(['UNAUTHENTICATED']);
  });
});
