import { signIdentity, verifyIdentity } from '../../shared/auth/identity';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { buildSchema, parse } from 'graphql';
import { actualCost, CostBuckets, requestedCost } from '../../gateway/cost';
import { identityFromClaims, looksLikeJwt } from '../../gateway/jwt';
import { loadTrustedDocuments } from '../../gateway/trusted-documents';
import { hasScopes, requireScopes } from '../../shared/auth/scopes';
import { ConfigError, loadConfig } from '../../shared/config';
import { createHash } from 'node:crypto';

const schema = buildSchema(`
  type Query { me: Viewer!  customers(first: Int, after: String): CustomerConnection!  tags: [Tag!]! }
  type Mutation { createCustomer(name: String!): Customer! }
  type Viewer { role: String! scopes: [String!]! }
  type CustomerConnection { edges: [CustomerEdge!]! pageInfo: PageInfo! }
  type CustomerEdge { node: Customer! cursor: String! }
  type PageInfo { hasNextPage: Boolean! }
  type Customer { id: ID! name: String! tags: [Tag!]! handoffs(first: Int): CustomerConnection! }
  type Tag { name: String! }
`);
const cost = (q: string, variables: Record<string, unknown> = {}) => requestedCost(schema, parse(q), variables, undefined);

describe('query cost', () => {
  it('charges objects, not scalars, and multiplies a page by `first`', () => {
    expect(cost('{ me { role scopes } }')).toBe(1);
    expect(cost('{ customers(first: 5) { edges { node { id name } } } }')).toBe(2 + 5 * 2);
    expect(cost('query($n: Int) { customers(first: $n) { edges { node { id } } } }', { n: 50 })).toBe(2 + 50 * 2);
    // `first` omitted = the default page size (20).
    expect(cost('{ customers { edges { node { id } } } }')).toBe(2 + 20 * 2);
  });

  it('multiplies nested pages and assumes 10 for unpaginated lists', () => {
    expect(cost('{ customers(first: 10) { edges { node { handoffs(first: 10) { edges { node { id } } } } } } }')).toBe(2 + 10 * (1 + 1 + (2 + 10 * 2)));
    expect(cost('{ tags { name } }')).toBe(1 + 10 * 0);
    expect(cost('{ customers(first: 2) { edges { node { tags { name } } } } }')).toBe(2 + 2 * (1 + 1 + 1));
  });

  it('adds 10 per mutation field', () => {
    expect(cost('mutation { createCustomer(name: "x") { id } }')).toBe(10 + 1);
  });

  it('charges nothing for introspection, answered from the schema the gateway holds', () => {
    expect(cost('{ __schema { types { name fields { name args { name } type { name ofType { name } } } } } }')).toBe(0);
    expect(cost('{ __type(name: "Customer") { fields { name } } me { role } }')).toBe(1);
  });

  it('is monotonic in `first`', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 99 }),
        (n) => cost(`{ customers(first: ${n + 1}) { edges { node { id } } } }`) > cost(`{ customers(first: ${n}) { edges { node { id } } } }`),
      ),
    );
  });

  it('measures the actual cost from the response', () => {
    const data = { customers: { edges: [{ node: { id: '1' } }, { node: { id: '2' } }], pageInfo: { hasNextPage: false } } };
    expect(actualCost(data)).toBe(2 + 2 * 2 + 1);
    expect(actualCost({ createCustomer: { id: '1' } }, 1)).toBe(11);
    expect(actualCost(null)).toBe(0);
  });
});

describe('per-partner leaky bucket', () => {
  it('takes, refuses with a retry-after, refunds and restores over time', () => {
    let now = 0;
    const buckets = new CostBuckets({ capacity: 100, restoreRate: 10, now: () => now });
    expect(buckets.take('a', 80)).toMatchObject({ ok: true, status: { currentlyAvailable: 20, maximumAvailable: 100, restoreRate: 10 } });
    expect(buckets.take('a', 50)).toEqual({ ok: false, retryAfterSeconds: 3, status: { maximumAvailable: 100, currentlyAvailable: 20, restoreRate: 10 } });
    expect(buckets.take('b', 100).ok).toBe(true);
    expect(buckets.refund('a', 30).currentlyAvailable).toBe(50);
    now = 10_000;
    expect(buckets.take('a', 100).ok).toBe(true);
    expect(buckets.refund('a', 1000).currentlyAvailable).toBe(100);
  });

  it('records net charges for settlement across gateways and adopts the shared level minus what was charged meanwhile', () => {
    let now = 0;
    const b = new CostBuckets({ capacity: 100, restoreRate: 10, now: () => now });
    b.take('a', 60);
    b.refund('a', 20);
    b.take('b', 10);
    expect(b.takeCharges()).toEqual(
      new Map([
        ['a', 40],
        ['b', 10],
      ]),
    );
    b.take('a', 5); // charged while the settlement is under way: it belongs to the next one
    b.adopt('a', 30); // the shared level: another gateway spent too
    expect(b.take('a', 30).ok).toBe(false);
    expect(b.take('a', 25).ok).toBe(true);
    now = 1000;
    // Partners served lately are settled with 0, so their next request sees others' spending.
    expect(b.takeCharges()).toEqual(
      new Map([
        ['a', 30],
        ['b', 0],
      ]),
    );
    now = 120_000;
    expect(b.takeCharges()).toEqual(new Map());
    b.restoreCharges(new Map([['a', 7]]));
    expect(b.takeCharges()).toEqual(new Map([['a', 7]]));
  });

  it('settles an idle partner with a zero every 5 s, and not at all a minute after it was last served', () => {
    let now = 0;
    const b = new CostBuckets({ capacity: 100, restoreRate: 10, now: () => now });
    b.take('a', 10);
    expect(b.takeCharges()).toEqual(new Map([['a', 10]]));
    let zeros = 0;
    for (now = 500; now <= 60_000; now += 500) {
      const taken = b.takeCharges();
      if (taken.size > 0) {
        expect(taken).toEqual(new Map([['a', 0]]));
        zeros++;
      }
      b.adopt('a', 90); // what a settlement does with the answer
    }
    expect(zeros).toBe(12);
    now = 60_500;
    expect(b.takeCharges()).toEqual(new Map()); // an idle gateway settles nothing
  });

  it('never goes below zero nor above capacity', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5000 }))), (ops) => {
        let now = 0;
        const b = new CostBuckets({ capacity: 200, restoreRate: 5, now: () => now });
        for (const [c, dt] of ops) {
          now += dt;
          const r = b.take('p', c);
          if (r.status.currentlyAvailable < 0 || r.status.currentlyAvailable > 200) return false;
        }
        return true;
      }),
    );
  });
});

describe('signed identity and secret rotation', () => {
  const OLD = 'o'.repeat(40);
  const NEW = 'n'.repeat(40);
  const who = { partnerId: '00000000-0000-4000-8000-000000000001', role: 'PARTNER' as const, scopes: ['customers:read'] };

  it('signs with the first secret and accepts any listed one, so gateways and subgraphs can roll one at a time', () => {
    const byOldGateway = signIdentity(who, OLD);
    const byRotatingGateway = signIdentity(who, `${NEW},${OLD}`);
    expect(verifyIdentity(byOldGateway, `${OLD},${NEW}`)).toEqual(who);
    expect(verifyIdentity(byRotatingGateway, `${OLD},${NEW}`)).toEqual(who);
    expect(verifyIdentity(byRotatingGateway, NEW)).toEqual(who);
    // Once the old secret is dropped, what it signed stops working.
    expect(verifyIdentity(byOldGateway, NEW)).toBeNull();
    expect(verifyIdentity(byRotatingGateway, OLD)).toBeNull();
  });

  it('carries the acting person inside the signature, and refuses a person id that is not a string', () => {
    const person = { ...who, personId: '00000000-0000-4000-a100-000000000001' };
    expect(verifyIdentity(signIdentity(person, NEW), NEW)).toEqual(person);
    // A forged payload naming another person fails the signature; a well-signed malformed one fails the shape check.
    const [payload, signature] = signIdentity(who, NEW).split('.');
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), personId: person.personId })).toString(
      'base64url',
    );
    expect(verifyIdentity(`${forged}.${signature}`, NEW)).toBeNull();
    expect(verifyIdentity(signIdentity({ ...who, personId: 42 } as unknown as typeof person, NEW), NEW)).toBeNull();
  });

  it('refuses a configured secret shorter than 32 characters, also inside a list', () => {
    expect(() => loadConfig({ HUB_IDENTITY_SECRET: `${NEW},short` })).toThrow(/HUB_IDENTITY_SECRET/);
    expect(loadConfig({ HUB_IDENTITY_SECRET: `${NEW},${OLD}` }).identitySecret).toBe(`${NEW},${OLD}`);
  });
});

describe('JWT claims', () => {
  const config = { partnerClaim: 'partner_id', roleClaim: 'role', scopeClaim: 'scope' };
  const id = '00000000-0000-4000-8000-000000000011';

  it('maps partner, role and known scopes', () => {
    expect(identityFromClaims({ partner_id: id.toUpperCase(), scope: 'customers:read customers:read x', exp: 10, jti: 't1' }, config)).toEqual({
      identity: { partnerId: id, role: 'PARTNER', scopes: ['customers:read'], credentialId: 'jwt:t1' },
      expiresAt: 10_000,
    });
    expect(identityFromClaims({ partner_id: id, role: 'INTERNAL', scp: ['admin'] }, config)!.identity).toMatchObject({ role: 'INTERNAL', scopes: ['admin'] });
  });

  it('refuses tokens without a well-formed partner or with an unknown role', () => {
    expect(identityFromClaims({ scope: 'customers:read' }, config)).toBeNull();
    expect(identityFromClaims({ partner_id: 'acme' }, config)).toBeNull();
    expect(identityFromClaims({ partner_id: id, role: 'SERVICE' }, config)).toBeNull();
  });

  it('tells JWTs from API keys', () => {
    expect(looksLikeJwt('eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.sig')).toBe(true);
    expect(looksLikeJwt('hub_demo_acme_reseller')).toBe(false);
  });
});

describe('scopes', () => {
  it('names what is missing', () => {
    const ctx = { identity: { scopes: ['customers:read'] } };
    expect(hasScopes(ctx.identity, 'customers:read')).toBe(true);
    expect(() => requireScopes(ctx, 'customers:read')).not.toThrow();
    expect(() => requireScopes(ctx, 'customers:read', 'customers:write')).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN', missingScopes: ['customers:write'] }) }),
    );
  });
});

describe('trusted documents and security configuration', () => {
  const file = (content: unknown) => {
    const path = join(mkdtempSync(join(tmpdir(), 'hub-td-')), 'docs.json');
    writeFileSync(path, JSON.stringify(content));
    return path;
  };

  it('loads a map or an Apollo manifest and refuses ids that are not the sha256 of the body', () => {
    const body = '{ me { role } }';
    const hash = 'a'.repeat(64);
    expect(() => loadTrustedDocuments(file({ [hash]: body }))).toThrow(/does not match/);
    const real = createHash('sha256').update(body).digest('hex');
    expect(loadTrustedDocuments(file({ [real]: body })).get(real)).toBe(body);
    expect(
      loadTrustedDocuments(file({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: real, body, name: 'Me', type: 'query' }] })).size,
    ).toBe(1);
  });

  it('validates JWT and trusted-document settings', () => {
    expect(() => loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32) })).toThrow(ConfigError);
    expect(() => loadConfig({ HUB_JWT_SECRET: 'short', HUB_JWT_ISSUER: 'i', HUB_JWT_AUDIENCE: 'a' })).toThrow(ConfigError);
    expect(() => loadConfig({ HUB_TRUSTED_DOCUMENTS_ONLY: 'true' })).toThrow(/HUB_TRUSTED_DOCUMENTS/);
    // Deduplication changes who shares an answer: only an exact true or false is taken.
    expect(() => loadConfig({ HUB_UPSTREAM_DEDUPLICATION: 'yes' })).toThrow(/HUB_UPSTREAM_DEDUPLICATION/);
    expect(loadConfig({ HUB_UPSTREAM_DEDUPLICATION: 'false' }).security.upstreamDeduplication).toBe(false);
    expect(loadConfig({ HUB_JWT_SECRET: 'x'.repeat(32), HUB_JWT_ISSUER: 'i', HUB_JWT_AUDIENCE: 'a' }).security.jwt).toMatchObject({
      issuer: 'i',
      audience: 'a',
      partnerClaim: 'partner_id',
    });
    expect(loadConfig({}).security).toMatchObject({ jwt: undefined, maxBatch: 0, maxDepth: 12 });
  });
});
