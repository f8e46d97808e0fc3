import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { composeSupergraph } from '../../gateway/compose';
import { unifiedGraphHandlerFor } from '../../gateway/query-planner';

const startJsonServer = async (answer: (body: { query: string; variables?: Record<string, unknown> }) => unknown) => {
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer(JSON.parse(raw))));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` };
};

/** A bare runtime with the native planner in front of the given subgraphs. */
const nativeGateway = (subgraphs: Parameters<typeof composeSupergraph>[0]) =>
  createGatewayRuntime({
    supergraph: composeSupergraph(subgraphs).supergraphSdl,
    unifiedGraphHandler: unifiedGraphHandlerFor('native'),
    transports: { http: httpTransport },
    logging: false,
    landingPage: false,
    graphiql: false,
  });

const stopServer = async (server: Server | undefined) => {
  if (!server) return;
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
};

/**
 * patches/@graphql-hive+router-runtime: the native planner's response projection asks once
 * per enum value whether it is @inaccessible and remembers the answer, instead of rebuilding
 * the value's directives for every enum value of every response (about 7 % of what the
 * gateway allocated per main read). An inaccessible value a subgraph returns still reaches
 * the client as null, on the first response and on every later one (what this guards; the
 * allocation saved shows in `npm run bench`, P2).
 */
describe('@graphql-hive/router-runtime as patched: enum projection', () => {
  let subgraph: Server;
  let gateway: GatewayRuntime;

  beforeAll(async () => {
    const palette = await startJsonServer(() => ({ data: { colors: ['RED', 'SECRET', 'BLUE'], favourite: 'SECRET' } }));
    subgraph = palette.server;
    const sdl = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@inaccessible"])
      enum Color { RED BLUE SECRET @inaccessible }
      type Query { colors: [Color] favourite: Color }
    `;
    gateway = nativeGateway([{ name: 'palette', url: palette.url, sdl }]);
  });

  afterAll(async () => {
    await gateway?.[Symbol.asyncDispose]();
    await stopServer(subgraph);
  });

  it('an @inaccessible enum value comes back null, every time; the others pass', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await gateway.fetch('http://hub.test/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ colors favourite }' }),
      });
      const body = (await res.json()) as { data: { colors: (string | null)[]; favourite: string | null } };
      expect(body.data).toEqual({ colors: ['RED', null, 'BLUE'], favourite: null });
    }
  });

  it('the schema the gateway serves does not list the value at all', async () => {
    const res = await gateway.fetch('http://hub.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __type(name: "Color") { enumValues { name } } }' }),
    });
    const body = (await res.json()) as { data: { __type: { enumValues: { name: string }[] } } };
    expect(body.data.__type.enumValues.map((v) => v.name).sort()).toEqual(['BLUE', 'RED']);
  });
});

/**
 * patches/@graphql-hive+router-runtime: the key that deduplicates entity representations
 * before an entity fetch is built by appending to one string instead of through five arrays
 * per object. The key must mean what it meant: equal representations (nested key fields
 * included, whatever order their properties arrived in) travel once; different ones each
 * travel; every row gets its own entity back.
 */
describe('@graphql-hive/router-runtime as patched: representation keys', () => {
  let shelf: Server;
  let people: Server;
  let gateway: GatewayRuntime;
  const sent: unknown[][] = [];

  beforeAll(async () => {
    const author = (id: string, code: string, idFirst: boolean) =>
      idFirst ? { __typename: 'Author', id, org: { code } } : { org: { code }, __typename: 'Author', id };
    const shelfServer = await startJsonServer(() => ({
      data: {
        books: [
          { title: 'a', author: author('1', 'EU', true) },
          { title: 'b', author: author('1', 'EU', false) },
          { title: 'c', author: author('1', 'US', true) },
          { title: 'd', author: author('2', 'EU', false) },
        ],
      },
    }));
    const peopleServer = await startJsonServer(({ variables }) => {
      const representations = variables!.representations as { id: string; org: { code: string } }[];
      sent.push(representations);
      return { data: { _entities: representations.map((r) => ({ __typename: 'Author', name: `${r.id}@${r.org.code}` })) } };
    });
    shelf = shelfServer.server;
    people = peopleServer.server;
    const link = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';
    gateway = nativeGateway([
      {
        name: 'shelf',
        url: shelfServer.url,
        sdl: `${link}
          type Query { books: [Book] }
          type Book { title: String author: Author }
          type Author @key(fields: "id org { code }", resolvable: false) { id: ID! org: Org! }
          type Org @shareable { code: String! }`,
      },
      {
        name: 'people',
        url: peopleServer.url,
        sdl: `${link}
          type Author @key(fields: "id org { code }") { id: ID! org: Org! name: String }
          type Org @shareable { code: String! }`,
      },
    ]);
  });

  afterAll(async () => {
    await gateway?.[Symbol.asyncDispose]();
    await stopServer(shelf);
    await stopServer(people);
  });

  it('sends each distinct representation once and hands every row its own entity', async () => {
    const res = await gateway.fetch('http://hub.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ books { title author { name } } }' }),
    });
    const body = (await res.json()) as { data: { books: { title: string; author: { name: string } }[] } };
    expect(body.data.books).toEqual([
      { title: 'a', author: { name: '1@EU' } },
      { title: 'b', author: { name: '1@EU' } },
      { title: 'c', author: { name: '1@US' } },
      { title: 'd', author: { name: '2@EU' } },
    ]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(3);
  });
});
