import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
const customer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === ACME.id)!;

describe('a subscription outliving the upstream request timeout', () => {
  let hub: TestHub;
  let client: ReturnType<typeof wsClient>;

  beforeAll(async () => {
    // The request timeout bounds queries and mutations, never a subscription's stream.
    hub = await startTestHub({ services: ['accounts', 'gateway'], env: { HUB_REQUEST_TIMEOUT_MS: '500' } });
    client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${ACME.apiKey}` });
  });
  afterAll(async () => {
    await client?.dispose();
    await hub?.stop();
  });

  it('still delivers events after the timeout has passed', async () => {
    const sub = new Subscription(client, `subscription($id: ID) { customerUpdated(customerId: $id) { id version } }`, { id: customer.id });
    await new Promise((r) => setTimeout(r, 1200));
    const res = await gql(hub.gatewayUrl, `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { name: "Later" }) { version } }`, { id: customer.id }, ACME.apiKey);
    expect(res.errors).toBeUndefined();
    expect((await sub.waitFor(1)).data!.customerUpdated).toEqual({ id: customer.id, version: 2 });
    sub.close();
  });
});
