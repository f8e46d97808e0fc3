import { createServer, type ServerResponse, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { upstreamTimeoutMs, type HubGateway } from '../../gateway/gateway';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startGateway } from '../support/gateway';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
// Room for a cold first request on a loaded machine; the hung call then takes 80 % of it.
const REQUEST_TIMEOUT_MS = 6000;

/**
 * A subgraph that never answers costs its own fields, not the response: every upstream call
 * has 80 % of the request deadline, after which its fields fail with GATEWAY_TIMEOUT and the
 * other subgraphs' data still arrives. The timer is cleared when a call settles
 * (patches/@graphql-hive+gateway-runtime: AbortSignal.timeout() kept one per call alive for
 * the whole timeout).
 */
describe('upstream timeout: a hung subgraph', () => {
  let hub: TestHub;
  let hung: Server;
  let gateway: HubGateway;
  let gatewayUrl: string;
  const stuck: ServerResponse[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'scorecards'] });
    hung = createServer((req, res) => {
      req.resume();
      stuck.push(res);
    });
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    ({ gateway, url: gatewayUrl } = await startGateway({
      subgraphUrls: {
        accounts: hub.subgraphUrls.accounts!,
        handoffs: hub.subgraphUrls.handoffs!,
        scorecards: hub.subgraphUrls.scorecards!,
        slas: `http://127.0.0.1:${(hung.address() as AddressInfo).port}/graphql`,
      },
      env: { HUB_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    }));
    // Warm (authentication, first plans), so that the timing below is the hung call's.
    expect((await gql(gatewayUrl, '{ customers(first: 20) { nodes { id name handoffs { id state } } } }', {}, ACME.apiKey)).errors).toBeUndefined();
  });

  afterAll(async () => {
    await gateway?.stop();
    for (const res of stuck) res.destroy();
    hung.closeAllConnections();
    await new Promise((r) => hung.close(r));
    await hub?.stop();
  });

  it('answers with the other subgraphs’ data and GATEWAY_TIMEOUT for the hung one’s fields, before the deadline', async () => {
    const started = Date.now();
    const res = await gql<{ customers: { nodes: { id: string; name: string; handoffs: { id: string; slaClocks: unknown }[] }[] } }>(
      gatewayUrl,
      '{ customers(first: 20) { nodes { id name handoffs { id state slaClocks { state } } } } }',
      {},
      ACME.apiKey,
    );
    const elapsed = Date.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(upstreamTimeoutMs(REQUEST_TIMEOUT_MS) - 50);
    expect(elapsed).toBeLessThan(REQUEST_TIMEOUT_MS);
    const nodes = res.data!.customers.nodes;
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.every((n) => typeof n.name === 'string')).toBe(true);
    expect(nodes.some((n) => n.handoffs.length > 0)).toBe(true);
    expect(res.errors!.length).toBeGreaterThan(0);
    expect(new Set(res.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['GATEWAY_TIMEOUT']));
    expect(stuck.length).toBeGreaterThan(0);
  });

  it('leaves no timer behind for a call that settles', async () => {
    const timeout = jest.spyOn(AbortSignal, 'timeout');
    try {
      for (let i = 0; i < 5; i++) {
        const res = await gql(gatewayUrl, '{ customers(first: 5) { nodes { id handoffs { id state } } } }', {}, ACME.apiKey);
        expect(res.errors).toBeUndefined();
      }
      // Unpatched, every upstream call started an AbortSignal.timeout() nothing could clear.
      expect(timeout.mock.calls.filter(([ms]) => ms === upstreamTimeoutMs(REQUEST_TIMEOUT_MS))).toEqual([]);
    } finally {
      timeout.mockRestore();
    }
  });
});
