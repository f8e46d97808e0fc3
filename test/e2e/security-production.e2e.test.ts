import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getIntrospectionQuery } from 'graphql';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { codes, firstError, gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!.apiKey;
const PRODUCTION = { NODE_ENV: 'production', HUB_IDENTITY_SECRET: 'a-production-identity-secret-for-this-test-only' };

/** No stack, no file path, no source line anywhere in what a client receives. */
const expectNoInternals = (res: unknown) => {
  const text = JSON.stringify(res);
  expect(text).not.toMatch(/stacktrace|\bat \S+ \(|node_modules|\.ts:\d+/);
};

describe('production mode (NODE_ENV=production)', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'gateway'], env: PRODUCTION });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('turns introspection off', async () => {
    // Including the standard query every tool sends, which development answers.
    for (const query of [
      '{ __schema { queryType { name } } }',
      '{ __type(name: "Customer") { fields { name } } }',
      getIntrospectionQuery({ inputValueDeprecation: true, oneOf: true }),
    ]) {
      const res = await gql(hub.gatewayUrl, query, {}, ACME);
      expect(res.data ?? null).toBeNull();
      expect(firstError(res).message).toMatch(/introspection/i);
    }
    // __typename is not introspection of the schema and stays available.
    expect((await gql(hub.gatewayUrl, '{ __typename }', {}, ACME)).data).toEqual({ __typename: 'Query' });
  });

  it('serves no GraphiQL', async () => {
    const res = await fetch(hub.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/html/);
    expect(await res.text()).not.toMatch(/graphiql/i);
  });

  it('suggests no field names', async () => {
    const res = await gql(hub.gatewayUrl, '{ me { rol } customer(id: "x") { nam } }', {}, ACME);
    expect(res.errors!.length).toBeGreaterThan(0);
    for (const e of res.errors!) expect(e.message).not.toMatch(/did you mean/i);
    expect(JSON.stringify(res)).not.toMatch(/"role"|"name"/);
  });

  it('shows no stack traces, whatever the error', async () => {
    const cases = [
      await gql(hub.gatewayUrl, '{ me { role } }'),
      await gql(hub.gatewayUrl, '{ me { role ', {}, ACME),
      await gql(hub.gatewayUrl, 'query($n: Int) { customers(first: $n) { edges { node { id } } } }', { n: 'many' }, ACME),
      await gql(hub.gatewayUrl, '{ customers(first: 101) { edges { node { id } } } }', {}, ACME),
      await gql(hub.gatewayUrl, 'query($id: ID!) { customer(id: $id) { id } }', { id: '00000000-0000-4000-9000-000000000099' }, ACME),
      // Postgres refuses NUL in text: an unexpected database error, masked as INTERNAL_SERVER_ERROR.
      await gql(hub.gatewayUrl, 'query($s: String!) { customerByExternalId(system: $s, externalId: "x") { id } }', { s: 'a\u0000b' }, ACME),
    ];
    expect(cases.map((c) => codes(c)[0])).toEqual([
      'UNAUTHENTICATED',
      'GRAPHQL_PARSE_FAILED',
      'BAD_USER_INPUT',
      'BAD_USER_INPUT',
      'NOT_FOUND',
      'INTERNAL_SERVER_ERROR',
    ]);
    expect(cases[2]?.errors![0]?.message).toMatch(/\$n/);
    for (const c of cases) expectNoInternals(c);
    expect(cases[5]?.errors![0]?.message).toBe('Internal server error');
  });

  it('names no internal service in any error', async () => {
    const cases = [
      // A subgraph's own error, one the gateway raises from a subgraph's answer, a subgraph that is down.
      await gql(hub.gatewayUrl, 'query($id: ID!) { customer(id: $id) { id } }', { id: '00000000-0000-4000-9000-000000000099' }, ACME),
      await gql(hub.gatewayUrl, '{ customers(first: 101) { edges { node { id } } } }', {}, ACME),
      await gql(hub.gatewayUrl, '{ handoffs { nodes { id } } }', {}, ACME),
    ];
    expect(cases.map((c) => codes(c)[0])).toEqual(['NOT_FOUND', 'BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR']);
    for (const e of cases.flatMap((c) => c.errors!)) {
      expect(Object.keys(e.extensions ?? {})).not.toEqual(expect.arrayContaining([expect.stringMatching(/^(serviceName|request|response)$/)]));
      expect(JSON.stringify(e.extensions)).not.toMatch(/accounts|handoffs|127\.0\.0\.1/);
    }
  });
});

describe('trusted documents (HUB_TRUSTED_DOCUMENTS_ONLY=true)', () => {
  let hub: TestHub;
  const registered = '{ me { role partner { name } } }';
  const hash = createHash('sha256').update(registered).digest('hex');

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hub-docs-')), 'trusted-documents.json');
    writeFileSync(file, JSON.stringify({ [hash]: registered }));
    hub = await startTestHub({ services: ['accounts', 'gateway'], env: { ...PRODUCTION, HUB_TRUSTED_DOCUMENTS: file, HUB_TRUSTED_DOCUMENTS_ONLY: 'true' } });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const post = async (body: Record<string, unknown>) => {
    const res = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ACME}` },
      body: JSON.stringify(body),
    });
    return (await res.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
  };

  it('runs a registered operation by its hash (documentId or the APQ extension)', async () => {
    for (const body of [{ documentId: hash }, { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } }]) {
      const res = await post(body);
      expect(res.errors).toBeUndefined();
      expect(res.data.me).toEqual({ role: 'PARTNER', partner: { name: 'Acme Reseller' } });
    }
  });

  it('refuses any other document, and unknown hashes', async () => {
    const arbitrary = await post({ query: registered });
    expect(arbitrary.data ?? null).toBeNull();
    expect(firstError(arbitrary).message).toMatch(/persisted/i);
    const unknown = await post({ documentId: createHash('sha256').update('{ me { scopes } }').digest('hex') });
    expect(unknown.data ?? null).toBeNull();
    expect(firstError(unknown).message).toMatch(/PersistedQueryNotFound/);
  });
});
