import { mainReadQuery } from '../../bench/main-read';
import { SUBGRAPH_NAMES } from '../../shared/config';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { finalizersRegisteredDuring } from '../support/finalizers';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

/**
 * The partner's main read through the gateway (four subgraphs, several upstream calls)
 * registers no finalizer: the signals the runtime composes per request and per upstream call
 * are plain listeners, dropped when the work settles (patches/, see
 * test/gateway/signal-patches.test.ts). Finalizers, with the WeakRefs beside them, kept every
 * request's signals alive until a major GC and then ran all their cleanups at once: a stall of
 * about 200 ms every few seconds under load, felt by every request in flight.
 */
describe('gateway: a read leaves nothing for the garbage collector to finalize', () => {
  let hub: TestHub;

  beforeAll(async () => {
    hub = await startTestHub();
  });

  afterAll(async () => {
    await hub?.stop();
  });

  it('the main read, ten times: zero FinalizationRegistry registrations', async () => {
    const { query } = mainReadQuery(SUBGRAPH_NAMES);
    const read = async () => {
      const { errors, data } = await gql<{ customers: { nodes: { handoffs: unknown[] }[] } }>(hub.gatewayUrl, query, { first: 20 }, ACME.apiKey);
      expect(errors).toBeUndefined();
      // Handoffs and their clocks: the read went past the first subgraph.
      expect(data!.customers.nodes.some((c) => c.handoffs.length > 0)).toBe(true);
    };
    await read(); // plans, authentication and connections are made once, not per request

    const registered = await finalizersRegisteredDuring(async () => {
      for (let i = 0; i < 10; i++) await read();
    });
    expect(registered).toBe(0);
  });
});
