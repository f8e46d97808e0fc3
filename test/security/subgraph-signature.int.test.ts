import { IDENTITY_HEADER, signIdentity, type Identity } from '../../shared/auth/identity';
import { totalQueryCount } from '../../shared/db/query-counter';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startAccounts, type AccountsUnderTest } from '../support/accounts-subgraph';
import { partnerIdentity, TEST_IDENTITY_SECRET } from '../support/subgraph-client';
import { RawGraphQLSocket } from './ws-raw';

const acme = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
const acmeCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === acme.id)!;
const otherCustomer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId && c.ownerPartnerId !== acme.id)!;
const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id name } } }`;

/** Ways to get an identity header wrong; none may get past the subgraph. */
function forgeries(): [string, Record<string, string>][] {
  const valid = signIdentity(partnerIdentity(acme.id), TEST_IDENTITY_SECRET);
  const [payload, mac = ''] = valid.split('.');
  const escalated = Buffer.from(JSON.stringify({ partnerId: acme.id, role: 'INTERNAL', scopes: ['admin'], exp: Math.floor(Date.now() / 1000) + 60 })).toString(
    'base64url',
  );
  return [
    ['no identity', {}],
    ['an identity signed with another secret', { [IDENTITY_HEADER]: signIdentity(partnerIdentity(acme.id), 'not-the-secret-not-the-secret-not-it') }],
    ['an expired identity', { [IDENTITY_HEADER]: signIdentity(partnerIdentity(acme.id), TEST_IDENTITY_SECRET, 60, Date.now() - 120_000) }],
    ['a payload swapped under a valid signature', { [IDENTITY_HEADER]: `${escalated}.${mac}` }],
    ['a truncated signature', { [IDENTITY_HEADER]: `${payload}.${mac.slice(0, 10)}` }],
    ['garbage', { [IDENTITY_HEADER]: 'internal' }],
  ];
}

describe('a subgraph called directly, without the gateway', () => {
  let accounts: AccountsUnderTest;
  const sockets: RawGraphQLSocket[] = [];

  beforeAll(async () => {
    accounts = await startAccounts();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await accounts?.stop();
  });

  const post = async (query: string, variables: Record<string, unknown>, headers: Record<string, string>) => {
    const before = totalQueryCount();
    const res = await fetch(accounts.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as any, sql: totalQueryCount() - before };
  };

  describe.each(forgeries())('refuses %s', (_name, headers) => {
    it.each([
      ['a query', '{ customers { edges { node { id name } } } }', {}],
      ['a mutation', 'mutation { createPartner(input: { name: "Evil", kind: AGENCY, region: NA }) { id } }', {}],
      ['an _entities query', ENTITIES, { r: [{ __typename: 'Customer', id: otherCustomer.id }] }],
      ['introspection', '{ __schema { queryType { name } } }', {}],
    ])('on HTTP: %s', async (_what, query, variables) => {
      const res = await post(query, variables, headers);
      expect(res.status).toBe(401);
      expect(res.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(res.body.data).toBeUndefined();
      expect(res.sql).toBe(0);
    });

    it('on HTTP GET', async () => {
      const res = await fetch(`${accounts.url}?query=${encodeURIComponent('{ me { role } }')}`, { headers });
      expect(res.status).toBe(401);
    });

    it('on WebSocket: connection_init is refused and the socket closed', async () => {
      const ws = new RawGraphQLSocket(accounts.url);
      sockets.push(ws);
      expect(await ws.init({ identity: headers[IDENTITY_HEADER] })).toBe(4403);
    });
  });

  it('on WebSocket, a subscribe before connection_init closes the socket (4401)', async () => {
    const ws = new RawGraphQLSocket(accounts.url);
    sockets.push(ws);
    await ws.send({ id: '1', type: 'subscribe', payload: { query: 'subscription { customerUpdated { id } }' } });
    expect(await ws.closeCode()).toBe(4401);
  });

  it('answers /healthz and /readyz without any identity', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const res = await fetch(accounts.url.replace('/graphql', path));
      expect(res.status).toBe(200);
    }
  });

  it('lets only the gateway’s service identity resolve API keys', async () => {
    const url = accounts.url.replace('/graphql', '/internal/authenticate');
    const ask = (identity: Identity | null) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(identity ? { [IDENTITY_HEADER]: signIdentity(identity, TEST_IDENTITY_SECRET) } : {}) },
        body: JSON.stringify({ apiKey: acme.apiKey }),
      });
    expect((await ask(null)).status).toBe(401);
    expect((await ask(partnerIdentity(acme.id))).status).toBe(401);
    expect((await ask({ role: 'INTERNAL', partnerId: acme.id, scopes: ['admin'] })).status).toBe(401);
    const ok = await ask({ role: 'SERVICE', scopes: ['auth'] });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as any).identity).toMatchObject({ partnerId: acme.id, role: 'PARTNER' });
  });

  it('with a valid signature, _entities still hides what the partner may not see', async () => {
    const headers = { [IDENTITY_HEADER]: signIdentity(partnerIdentity(acme.id), TEST_IDENTITY_SECRET) };
    const res = await post(
      ENTITIES,
      {
        r: [
          { __typename: 'Customer', id: acmeCustomer.id },
          { __typename: 'Customer', id: otherCustomer.id },
        ],
      },
      headers,
    );
    expect(res.status).toBe(200);
    expect(res.body.data._entities).toEqual([{ id: acmeCustomer.id, name: acmeCustomer.name }, null]);
  });

  it('with a valid signature but without customers:read, _entities is FORBIDDEN', async () => {
    const headers = { [IDENTITY_HEADER]: signIdentity({ ...partnerIdentity(acme.id), scopes: ['handoffs:read'] }, TEST_IDENTITY_SECRET) };
    const res = await post(ENTITIES, { r: [{ __typename: 'Customer', id: acmeCustomer.id }] }, headers);
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'FORBIDDEN', missingScopes: ['customers:read'] });
    expect(JSON.stringify(res.body)).not.toContain(acmeCustomer.name);
  });
});
