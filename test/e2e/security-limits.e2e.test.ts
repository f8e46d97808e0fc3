import { connect } from 'node:net';
import { getIntrospectionQuery, type IntrospectionQuery } from 'graphql';
import { totalQueryCount } from '../../shared/db/query-counter';
import { ALL_DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startTestHub, type TestHub } from '../support/hub';

const key = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.apiKey;
const ACME = key('acme');
const GLOBEX = key('globex');
const INTERNAL = key('revops');
const SUCCESS_TEAM = key('internal_success');

interface RawResponse {
  status: number;
  body: any;
  headers: Headers;
  /** SQL statements the hub ran while answering. */
  sql: number;
}

/**
 * Hostile and heavy requests through the whole hub (gateway + accounts). Every refusal is
 * checked to have run no SQL: nothing reached a subgraph, not even authentication.
 */
describe('gateway limits: hostile documents, cost, HTTP rules', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub({
      services: ['accounts', 'gateway'],
      env: { HUB_COST_BUCKET_SIZE: '1000', HUB_COST_RESTORE_RATE: '1', HUB_MAX_QUERY_COST: '1000' },
    });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function send(body: string, opts: { apiKey?: string; headers?: Record<string, string>; method?: string; query?: string } = {}): Promise<RawResponse> {
    const before = totalQueryCount();
    const res = await fetch(hub.gatewayUrl + (opts.query ?? ''), {
      method: opts.method ?? 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.apiKey ?? ACME}`, ...opts.headers },
      body: opts.method === 'GET' ? undefined : body,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers, sql: totalQueryCount() - before };
  }
  const op = (query: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query, variables });
  const codesOf = (r: RawResponse) => (r.body.errors ?? []).map((e: any) => e.extensions?.code);

  const attacks: [string, () => string, string][] = [
    ['deep nesting (ofType chain)', () => op(`{ __type(name: "Query") { ${'ofType { '.repeat(20)}name${' }'.repeat(20)} } }`), 'QUERY_LIMIT_EXCEEDED'],
    [
      'circular introspection',
      () => op('{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } } } }'),
      'QUERY_LIMIT_EXCEEDED',
    ],
    [
      'deep nesting hidden in fragments',
      () =>
        op(
          `{ __type(name: "Query") { ...F0 } } ${Array.from({ length: 14 }, (_, i) => `fragment F${i} on __Type { ${i < 13 ? `ofType { ...F${i + 1} }` : 'name'} }`).join(' ')}`,
        ),
      'QUERY_LIMIT_EXCEEDED',
    ],
    [
      'circular introspection 32 levels deep',
      () => op(`{ __schema { types { ${'fields { type { '.repeat(16)}name${' } }'.repeat(16)} } } }`),
      'QUERY_LIMIT_EXCEEDED',
    ],
    [
      'nested introspection lists hidden in fragments',
      () =>
        op(
          '{ __schema { types { ...T } } } fragment T on __Type { fields { type { ofType { ...U } } } } fragment U on __Type { interfaces { name } possibleTypes { ...V } } fragment V on __Type { inputFields { name } }',
        ),
      'QUERY_LIMIT_EXCEEDED',
    ],
    [
      'alias flood inside __schema',
      () => op(`{ __schema { ${Array.from({ length: 40 }, (_, i) => `t${i}: types { fields { name } }`).join(' ')} } }`),
      'QUERY_LIMIT_EXCEEDED',
    ],
    ['alias flood', () => op(`{ ${Array.from({ length: 200 }, (_, i) => `a${i}: me { role }`).join(' ')} }`), 'QUERY_LIMIT_EXCEEDED'],
    ['directive flood', () => op(`{ me ${'@include(if: true) '.repeat(100)}{ role } }`), 'QUERY_LIMIT_EXCEEDED'],
    ['field repetition', () => op(`{ me { ${'role '.repeat(5000)}} }`), 'GRAPHQL_PARSE_FAILED'],
    [
      'huge list literal',
      () =>
        op(
          `{ customers(filter: { search: "x" }, first: 1) { edges { node { id } } } } # ${'x'.repeat(10)}\nquery Q { partners(first: [${Array.from({ length: 3000 }, () => '1').join(',')}]) { edges { node { id } } } }`,
        ),
      'GRAPHQL_PARSE_FAILED',
    ],
    ['fragment cycle', () => op('query { me { ...A } } fragment A on Viewer { ...B } fragment B on Viewer { ...A }'), 'GRAPHQL_VALIDATION_FAILED'],
  ];

  it.each(attacks)('refuses %s before anything runs (no SQL)', async (_name, body, code) => {
    const res = await send(body());
    expect(res.body.data ?? null).toBeNull();
    expect(codesOf(res)).toContain(code);
    expect(res.sql).toBe(0);
  });

  it("reports graphql-js's introspection depth rule as a hub limit, once", async () => {
    const res = await send(op(`{ __schema { types { ${'fields { type { '.repeat(16)}name${' } }'.repeat(16)} } } }`));
    expect(res.body.errors).toEqual([
      { message: 'Maximum introspection depth exceeded', locations: [{ line: 1, column: 3 }], extensions: { code: 'QUERY_LIMIT_EXCEEDED' } },
    ]);
  });

  // What GraphiQL, graphql-codegen, Postman and Apollo tooling send, as the latest of them send it.
  const toolQueries: [string, string][] = [
    ['getIntrospectionQuery()', getIntrospectionQuery()],
    ['with inputValueDeprecation', getIntrospectionQuery({ inputValueDeprecation: true })],
    [
      'with every option (GraphiQL 5, codegen)',
      getIntrospectionQuery({
        descriptions: true,
        specifiedByUrl: true,
        directiveIsRepeatable: true,
        schemaDescription: true,
        inputValueDeprecation: true,
        oneOf: true,
      }),
    ],
  ];

  it.each(toolQueries)('answers the standard introspection query (%s) for every authenticated caller', async (_name, query) => {
    for (const partner of DEMO_PARTNERS) {
      const res = await send(JSON.stringify({ query, operationName: 'IntrospectionQuery' }), { apiKey: partner.apiKey });
      expect(res.body.errors).toBeUndefined();
      const schema = (res.body.data as IntrospectionQuery).__schema;
      const queryType = schema.types.find((t) => t.name === 'Query');
      expect(queryType?.kind === 'OBJECT' && queryType.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['customers', 'handoffs', 'me']));
    }
  });

  it('refuses introspection without credentials', async () => {
    const res = await send(JSON.stringify({ query: getIntrospectionQuery() }), { headers: { authorization: '' } });
    expect(codesOf(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.data ?? null).toBeNull();
  });

  it('refuses an over-long string or list in variables by body size (413, no SQL)', async () => {
    for (const variables of [{ s: 'x'.repeat(200_000) }, { ids: Array.from({ length: 50_000 }, (_, i) => i) }]) {
      const res = await send(op('query($s: String) { me { role } }', variables));
      expect(res.status).toBe(413);
      expect(codesOf(res)).toEqual(['PAYLOAD_TOO_LARGE']);
      expect(res.sql).toBe(0);
    }
  });

  /** Writes raw bytes to the gateway; every status line it answers with, and whether it reset the connection. */
  async function rawExchange(request: string): Promise<{ statuses: number[]; reset: boolean }> {
    const { hostname, port } = new URL(hub.gatewayUrl);
    const socket = connect(Number(port), hostname);
    let received = '';
    let reset = false;
    socket.on('data', (d) => (received += d.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET') throw err;
      reset = true;
    });
    // Not end(): a half-closed client may lose the answers to requests still in flight.
    socket.write(request);
    await new Promise((r) => socket.on('close', r));
    return { statuses: [...received.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => Number(m[1])), reset };
  }
  const rawStatuses = async (request: string) => (await rawExchange(request)).statuses;

  // The body limit is the declared length (Yoga's own streaming check is off, gateway.ts):
  // these are the ways a client could try to send more than it declared.
  it('a body without Content-Length is refused (411) before it is read', async () => {
    const chunk = '{"query":"{ me { role } }"}';
    const statuses = await rawStatuses(
      `POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nAuthorization: Bearer ${ACME}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    expect(statuses).toEqual([411]);
  });

  it('Content-Length beside Transfer-Encoding is refused by the HTTP parser (400)', async () => {
    const { statuses, reset } = await rawExchange(
      `POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${'x'.repeat(200_000).length.toString(16)}\r\n${'x'.repeat(200_000)}\r\n0\r\n\r\n`,
    );
    // Node 22+ answers 400 and then closes with the body unread, which resets the connection;
    // the client may lose the 400 to that reset. Either way nothing past the parser ran.
    expect(statuses.filter((s) => s !== 400)).toEqual([]);
    expect({ answered: statuses.length, reset }).toEqual(statuses.length === 1 ? { answered: 1, reset } : { answered: 0, reset: true });
  });

  it('bytes beyond the declared Content-Length are not body: they are read as the next request', async () => {
    const body = '{"query":"{ me { role } }"}';
    const statuses = await rawStatuses(
      `POST /graphql HTTP/1.1\r\nHost: hub\r\nContent-Type: application/json\r\nAuthorization: Bearer ${ACME}\r\nContent-Length: ${body.length}\r\n\r\n${body}GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n`,
    );
    // The declared body is answered; what followed it was parsed as a request of its own.
    expect(statuses).toEqual([200, 200]);
  });

  it('refuses batched requests (batching is off by default)', async () => {
    const res = await send(JSON.stringify([{ query: '{ me { role } }' }, { query: '{ me { role } }' }]));
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/batching/i);
    expect(res.sql).toBe(0);
  });

  it('refuses an operation whose requested cost is over the maximum, before authentication', async () => {
    const query = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: customers(first: 100) { edges { node { id externalIds { system } } } }`).join(' ')} }`;
    const res = await send(op(query));
    expect(codesOf(res)).toEqual(['MAX_COST_EXCEEDED']);
    expect(res.body.errors[0].extensions.cost).toEqual({ requestedQueryCost: expect.any(Number), maximumQueryCost: 1000 });
    expect(res.body.errors[0].extensions.cost.requestedQueryCost).toBeGreaterThan(1000);
    expect(res.sql).toBe(0);
  });

  it('counts `first` in the requested cost and reports requested, actual and throttle status like Shopify', async () => {
    const small = await send(op('{ customers(first: 5) { edges { node { id } } } }'), { apiKey: INTERNAL });
    const large = await send(op('{ customers(first: 100) { edges { node { id } } } }'), { apiKey: INTERNAL });
    expect(small.body.errors).toBeUndefined();
    expect(small.body.extensions.cost).toEqual({
      requestedQueryCost: 2 + 5 * 2,
      actualQueryCost: 2 + 5 * 2,
      throttleStatus: { maximumAvailable: 1000, currentlyAvailable: expect.any(Number), restoreRate: 1 },
    });
    expect(large.body.extensions.cost.requestedQueryCost).toBe(2 + 100 * 2);
    // Fewer demo customers exist: the difference is refunded to the bucket.
    expect(large.body.extensions.cost.actualQueryCost).toBe(2 + ALL_DEMO_CUSTOMERS.length * 2);
  });

  it("answers RATE_LIMITED with a retry-after once a partner's budget is spent, without touching other partners", async () => {
    // An internal team sees every demo customer; each alias asks for exactly that many, so a
    // call costs the same up front and in the end: as many aliases as keep two calls within
    // the bucket (1000), which then runs dry on the third.
    const all = ALL_DEMO_CUSTOMERS.length;
    const perAlias = 2 + 2 * all;
    const aliases = Math.floor(500 / perAlias);
    const cost = aliases * perAlias;
    expect(3 * cost).toBeGreaterThan(1000);
    const heavy = op(`{ ${Array.from({ length: aliases }, (_, i) => `a${i}: customers(first: ${all}) { edges { node { id name } } }`).join(' ')} }`);
    const first = await send(heavy, { apiKey: SUCCESS_TEAM });
    const second = await send(heavy, { apiKey: SUCCESS_TEAM });
    const limited = await send(heavy, { apiKey: SUCCESS_TEAM });
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.body.extensions.cost).toMatchObject({ requestedQueryCost: cost, actualQueryCost: cost });
    expect(second.body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(cost);
    expect(codesOf(limited)).toEqual(['RATE_LIMITED']);
    expect(limited.status).toBe(429);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(limited.body.errors[0].extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfter,
      cost: { requestedQueryCost: cost, throttleStatus: { maximumAvailable: 1000 } },
    });
    expect(limited.body.data ?? null).toBeNull();
    expect(limited.sql).toBe(1); // authentication only: nothing ran
    // Other partners' buckets are untouched.
    for (const apiKey of [ACME, GLOBEX]) expect((await send(heavy, { apiKey })).body.errors).toBeUndefined();
  });

  describe('GraphQL over HTTP and CSRF', () => {
    it('refuses non-JSON POST bodies with 415 (forms and text/plain need no CORS preflight)', async () => {
      for (const type of ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data; boundary=x', 'application/graphql']) {
        const res = await send('query=%7B%20me%20%7B%20role%20%7D%20%7D', { headers: { 'content-type': type } });
        expect(res.status).toBe(415);
        expect(res.sql).toBe(0);
      }
    });

    it('runs queries over GET but never mutations (405)', async () => {
      const q = await send('', { method: 'GET', query: `?query=${encodeURIComponent('{ me { role } }')}` });
      expect(q.status).toBe(200);
      expect(q.body.data.me.role).toBe('PARTNER');
      const m = await send('', {
        method: 'GET',
        query: `?query=${encodeURIComponent('mutation { createCustomer(input: { name: "x", segment: SMB, region: NA }) { id } }')}`,
      });
      expect(m.status).toBe(405);
      expect(m.sql).toBe(0);
    });
  });
});
