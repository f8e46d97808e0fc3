import { totalQueryCount } from '../../shared/db/query-counter';
import { subscriptionsOpen } from '../../shared/observability/metrics';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const INTERNAL = partner('revops');
const A = partner('acme');
const B = partner('northwind');
const C = partner('globex');

// Fields from two subgraphs: the customer's name and segment come from accounts.
const OWNERSHIP = `subscription { ownershipChanged { customerId customer { name segment } handoff { id state } } }`;
const PROPOSE = `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id } }`;
const closedWon = (customerId: string) => ({
  customerId,
  toPartnerId: B.id,
  moment: 'CLOSED_WON_TO_ONBOARDING',
  contextPackage: { summary: 'Signed', customerSaid: ['Fast please'], goals: ['Live soon'] },
  customerMessage: 'Northwind Services will onboard you from here.',
  data: {
    contractValue: 1000,
    startDate: '2026-04-01',
    successCriteria: ['Live'],
    executiveSponsor: 'cio@example.com',
    contractUrl: 'https://contracts.example.com/x',
  },
});

const openUpstream = async (service: string) => (await subscriptionsOpen.get()).values.find((v) => v.labels.service === service)?.value ?? 0;

describe('identical subscriptions share one execution through the gateway', () => {
  let hub: TestHub;
  const clients: { dispose(): Promise<void> | void }[] = [];
  let made = 0;

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'gateway'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await hub?.stop();
  });

  const subscribe = (apiKey: string, query = OWNERSHIP) => {
    const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${apiKey}` });
    clients.push(client);
    return new Subscription(client, query);
  };
  /** Creates a customer for Acme and hands it to Northwind; resolves with the customer. */
  const handOver = async () => {
    const created = await gql(
      hub.gatewayUrl,
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id name segment } }`,
      { input: { name: `Shared subscriptions ${++made}`, segment: 'SMB', region: 'NA', lifecycleStage: 'CLOSED_WON' } },
      A.apiKey,
    );
    expect(created.errors).toBeUndefined();
    const customer = created.data!.createCustomer as { id: string; name: string; segment: string };
    const customerId = customer.id;
    const proposed = await gql(hub.gatewayUrl, PROPOSE, { input: closedWon(customerId) }, A.apiKey);
    expect(proposed.errors).toBeUndefined();
    const accepted = await gql(hub.gatewayUrl, `mutation($id: ID!) { acceptHandoff(id: $id) { id } }`, { id: proposed.data!.proposeHandoff.id }, B.apiKey);
    expect(accepted.errors).toBeUndefined();
    return customer;
  };
  const waitForUpstream = async (service: string, expected: number) => {
    const deadline = Date.now() + 5000;
    while ((await openUpstream(service)) !== expected && Date.now() < deadline) await Subscription.settle(50);
    return openUpstream(service);
  };

  it('subscribes upstream once per caller and query, delivers to every subscriber, and leaves other callers alone', async () => {
    const baseline = await openUpstream('handoffs');
    const internal = Array.from({ length: 12 }, () => subscribe(INTERNAL.apiKey));
    const receivers = Array.from({ length: 4 }, () => subscribe(B.apiKey));
    const outsider = subscribe(C.apiKey);
    await Subscription.settle(500);
    // Three callers with one query each: three upstream subscriptions, not seventeen.
    expect(await waitForUpstream('handoffs', baseline + 3)).toBe(baseline + 3);

    const customer = await handOver();
    for (const s of [...internal, ...receivers]) {
      expect((await s.waitFor(1)).data!.ownershipChanged).toMatchObject({
        customerId: customer.id,
        customer: { name: customer.name, segment: customer.segment },
        handoff: { state: 'ACCEPTED' },
      });
    }

    // Half the internal subscribers leave: the rest keep receiving.
    for (const s of internal.slice(0, 6)) s.close();
    const second = await handOver();
    for (const s of internal.slice(6)) expect((await s.waitFor(2)).data!.ownershipChanged.customerId).toBe(second.id);
    for (const s of internal.slice(0, 6)) expect(s.received).toHaveLength(1);

    await Subscription.settle(300);
    expect(outsider.received).toEqual([]);

    // The last subscriber of a stream ends its upstream subscription.
    for (const s of [...internal, ...receivers, outsider]) s.close();
    expect(await waitForUpstream('handoffs', baseline)).toBe(baseline);
  });

  it('costs the same SQL per change however many subscribers receive it', async () => {
    const measure = async (subs: Subscription[]) => {
      await Subscription.settle(500);
      const counts = subs.map((s) => s.received.length);
      const before = totalQueryCount();
      await handOver();
      await Promise.all(subs.map((s, i) => s.waitFor(counts[i]! + 1)));
      // Let stragglers (projections) settle so both measurements see the same work.
      await Subscription.settle(300);
      return totalQueryCount() - before;
    };
    // Unrelated background statements can only add to a window: the smaller of two
    // measurements is the change's own cost.
    const few = [subscribe(INTERNAL.apiKey), subscribe(B.apiKey), subscribe(A.apiKey)];
    const withFew = Math.min(await measure(few), await measure(few));
    const many = [...few, ...Array.from({ length: 8 }, () => [subscribe(INTERNAL.apiKey), subscribe(B.apiKey), subscribe(A.apiKey)]).flat()];
    const withMany = Math.min(await measure(many), await measure(many));
    // 24 more subscribers: a statement per subscriber would add at least 24.
    expect(withMany - withFew).toBeLessThan(2);
    expect(withMany - withFew).toBeGreaterThan(-2);
    for (const s of many) s.close();
  });
});
