import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, type GatewayRuntime } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import { composeSupergraph } from '../../gateway/compose';
import { unifiedGraphHandlerFor } from '../../gateway/query-planner';

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
    subgraph = createServer((req, res) => {
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ data: { colors: ['RED', 'SECRET', 'BLUE'], favourite: 'SECRET' } }));
    });
    await new Promise<void>((r) => subgraph.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(subgraph.address() as AddressInfo).port}/graphql`;
    const sdl = `
      extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@inaccessible"])
      enum Color { RED BLUE SECRET @inaccessible }
      type Query { colors: [Color] favourite: Color }
    `;
    gateway = createGatewayRuntime({
      supergraph: composeSupergraph([{ name: 'palette', url, sdl }]),
      unifiedGraphHandler: unifiedGraphHandlerFor('native'),
      transports: { http: httpTransport },
      logging: false,
      landingPage: false,
      graphiql: false,
    });
  });

  afterAll(async () => {
    await gateway?.[Symbol.asyncDispose]();
    subgraph.closeAllConnections();
    await new Promise((r) => subgraph.close(r));
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
