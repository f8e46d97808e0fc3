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
    hub = await startTestHub({ services: ['accounts', 'gateway'], env: { HUB_REQUEST_TIMEOUT_MS: '2000' } });
    client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${ACME.apiKey}` });
  });
  afterAll(async () => {
    await client?.dispose();
    await hub?.stop();
  });

  it('still delivers events after the timeout has passed', async () => {
    const sub = new Subscription(client, `subscription($id: ID) { customerUpdated(customerId: $id) { id version } }`, { id: customer.id });
    await new Promise((r) => setTimeout(r, 2400));
    const res = await gql(
      hub.gatewayUrl,
      `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 1, input: { name: "Later" }) { version } }`,
      { id: customer.id },
      ACME.apiKey,
    );
    expect(res.errors).toBeUndefined();
    expect((await sub.waitFor(1)).data!.customerUpdated).toEqual({ id: customer.id, version: 2 });
    sub.close();
  });

  it('keeps a subscription over HTTP (server-sent events) open past the timeout too', async () => {
    const abort = new AbortController();
    const res = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${ACME.apiKey}` },
      body: JSON.stringify({ query: `subscription($id: ID) { customerUpdated(customerId: $id) { id version } }`, variables: { id: customer.id } }),
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += Buffer.from(value).toString('utf8');
      }
    })().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 2400));
    const current = await gql(hub.gatewayUrl, `query($id: ID!) { customer(id: $id) { version } }`, { id: customer.id }, ACME.apiKey);
    const version = current.data!.customer.version as number;
    const update = await gql(
      hub.gatewayUrl,
      `mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, expectedVersion: $v, input: { name: "Later still" }) { version } }`,
      { id: customer.id, v: version },
      ACME.apiKey,
    );
    expect(update.errors).toBeUndefined();
    const deadline = Date.now() + 5000;
    while (!text.includes(`"version":${version + 1}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(text).toContain(`"customerUpdated":{"id":"${customer.id}","version":${version + 1}}`);
    abort.abort();
    await pump;
  });
});
