import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { codes, gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { adminUrl } from '../support/database';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!.apiKey;
const QUERY = `{ customers(first: 3) { edges { node { id name } } } }`;

describe('a database outage mid-flight', () => {
  let hub: TestHub;
  let proxy: TcpProxy;

  beforeAll(async () => {
    const target = new URL(adminUrl());
    proxy = await startTcpProxy(target.hostname, Number(target.port));
    hub = await startTestHub({
      services: ['accounts', 'gateway'],
      // Keys stay cached, so requests reach the subgraph and meet the outage there.
      env: { HUB_AUTH_CACHE_MS: '600000' },
      connectVia: (url) => {
        const u = new URL(url);
        u.port = String(proxy.port);
        return u.toString();
      },
    });
  });
  afterAll(async () => {
    await proxy.restore().catch(() => undefined);
    await hub?.stop();
    await proxy?.close();
  });

  it('answers INTERNAL_SERVER_ERROR without a stack while Postgres is gone, and recovers when it returns', async () => {
    const healthy = await gql(hub.gatewayUrl, QUERY, {}, ACME);
    expect(healthy.errors).toBeUndefined();

    await proxy.cut();
    const down = await gql(hub.gatewayUrl, QUERY, {}, ACME);
    expect(codes(down)).toEqual(['INTERNAL_SERVER_ERROR']);
    expect(JSON.stringify(down)).not.toMatch(/stack|at .*\.ts|ECONNREFUSED|Connection terminated/i);
    const ready = await fetch(hub.subgraphUrls.accounts!.replace('/graphql', '/readyz'));
    expect(ready.status).toBe(503);
    const gatewayReady = await fetch(hub.gatewayUrl.replace('/graphql', '/readyz'));
    expect(gatewayReady.status).toBe(503);
    expect((await gatewayReady.json()).subgraphs.accounts).toBe('unavailable');

    await proxy.restore();
    let recovered = await gql(hub.gatewayUrl, QUERY, {}, ACME);
    for (let i = 0; i < 20 && recovered.errors; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recovered = await gql(hub.gatewayUrl, QUERY, {}, ACME);
    }
    expect(recovered.errors).toBeUndefined();
    expect(recovered.data).toEqual(healthy.data);
  });
});
