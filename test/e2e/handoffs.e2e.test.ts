import { totalQueryCount } from '../../shared/db/query-counter';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { DEMO_HANDOFFS } from '../../subgraphs/handoffs/src/seed';
import { codes, firstError, gql, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const INTERNAL = partner('revops');
const A = partner('acme');
const B = partner('northwind');
const C = partner('globex');
// Acme's first customer: demo handoffs leave it alone.
const customer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === A.id)!;

const PROPOSE = `mutation($input: ProposeHandoffInput!, $key: String) { proposeHandoff(input: $input, idempotencyKey: $key) { id state customer { id } } }`;
const closedWon = (customerId: string, toPartnerId: string) => ({
  customerId,
  toPartnerId,
  moment: 'CLOSED_WON_TO_ONBOARDING',
  contextPackage: { summary: 'Signed a 3-year deal; go-live promised for Q2', customerSaid: ['SSO is a must'], goals: ['Live in Q2'] },
  customerMessage: 'Northwind Services will onboard you from here.',
  data: {
    contractValue: 250000,
    startDate: '2026-04-01',
    successCriteria: ['SSO live', '200 users onboarded'],
    executiveSponsor: 'cio@contoso-pharma.com',
    contractUrl: 'https://contracts.example.com/contoso',
  },
});

describe('handoffs through the gateway', () => {
  let hub: TestHub;
  const clients: { dispose(): Promise<void> | void }[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'gateway'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await hub?.stop();
  });

  it('serves the demo playbooks and handoffs', async () => {
    const res = await gql(
      hub.gatewayUrl,
      `{ playbooks { moment version requiredFields { name type } } handoffs(first: 50) { nodes { id state } } }`,
      {},
      INTERNAL.apiKey,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.playbooks.map((p: any) => p.moment).sort()).toEqual([
      'CLOSED_WON_TO_ONBOARDING',
      'DIRECT_TO_PARTNER',
      'MQL_TO_SQL',
      'ONBOARDING_TO_SUCCESS',
      'SUCCESS_TO_RENEWAL',
    ]);
    const states = new Set(res.data!.handoffs.nodes.map((h: any) => h.state));
    expect([...states].sort()).toEqual(['ACCEPTED', 'CANCELLED', 'COMPLETED', 'PROPOSED', 'REJECTED']);
    expect(res.data!.handoffs.nodes.map((h: any) => h.id).sort()).toEqual(DEMO_HANDOFFS.map((h) => h.id).sort());
  });

  it('A proposes, B accepts: both receive ownershipChanged with the customer name from accounts, C nothing', async () => {
    const subscribe = (apiKey: string, query: string, variables: Record<string, unknown> = {}) => {
      const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${apiKey}` });
      clients.push(client);
      return new Subscription(client, query, variables);
    };
    const OWNERSHIP = `subscription($p: ID) { ownershipChanged(partnerId: $p) { from { id name } to { id name } customer { id name segment } handoff { id state } } }`;
    const inboxB = subscribe(B.apiKey, `subscription($p: ID) { handoffUpdated(partnerId: $p) { id state customerName from { name } } }`, { p: B.id });
    const ownershipA = subscribe(A.apiKey, OWNERSHIP, { p: A.id });
    const ownershipB = subscribe(B.apiKey, OWNERSHIP, { p: B.id });
    const ownershipC = subscribe(C.apiKey, OWNERSHIP);
    const handoffsC = subscribe(C.apiKey, `subscription { handoffUpdated { id } }`);
    await Subscription.settle(500);

    const proposed = await gql(hub.gatewayUrl, PROPOSE, { input: closedWon(customer.id, B.id), key: 'e2e-1' }, A.apiKey);
    expect(proposed.errors).toBeUndefined();
    const id = proposed.data!.proposeHandoff.id;
    expect((await inboxB.waitFor(1)).data!.handoffUpdated).toEqual({ id, state: 'PROPOSED', customerName: customer.name, from: { name: A.name } });

    // Before accepting, B sees the handoff and its context, not the customer record.
    const peek = await gql(
      hub.gatewayUrl,
      `query($id: ID!) { handoff(id: $id) { contextPackage { summary } customer { name } } partner(id: "${B.id}") { inbox { nodes { id } } } }`,
      { id },
      B.apiKey,
    );
    expect(peek.errors).toBeUndefined();
    expect(peek.data!.handoff).toEqual({ contextPackage: { summary: 'Signed a 3-year deal; go-live promised for Q2' }, customer: null });
    expect(peek.data!.partner.inbox.nodes).toContainEqual({ id });

    const accepted = await gql(
      hub.gatewayUrl,
      `mutation($id: ID!) { acceptHandoff(id: $id) { state customer { id name owner { name } } tasks { title } } }`,
      { id },
      B.apiKey,
    );
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptHandoff).toMatchObject({ state: 'ACCEPTED', customer: { id: customer.id, name: customer.name, owner: { name: B.name } } });
    expect(accepted.data!.acceptHandoff.tasks.length).toBeGreaterThan(0);

    const expected = {
      from: { id: A.id, name: A.name },
      to: { id: B.id, name: B.name },
      customer: { id: customer.id, name: customer.name, segment: customer.segment },
      handoff: { id, state: 'ACCEPTED' },
    };
    expect((await ownershipA.waitFor(1)).data!.ownershipChanged).toEqual(expected);
    expect((await ownershipB.waitFor(1)).data!.ownershipChanged).toEqual(expected);
    expect((await inboxB.waitFor(2)).data!.handoffUpdated.state).toBe('ACCEPTED');

    // B now reads the record from accounts; A keeps it as a collaborator; C never sees it.
    const CUSTOMER = `query($id: ID!) { customer(id: $id) { name owner { id } ownershipHistory { from { id } to { id } } } }`;
    expect((await gql(hub.gatewayUrl, CUSTOMER, { id: customer.id }, B.apiKey)).data!.customer).toEqual({
      name: customer.name,
      owner: { id: B.id },
      ownershipHistory: [{ from: { id: A.id }, to: { id: B.id } }],
    });
    expect((await gql(hub.gatewayUrl, CUSTOMER, { id: customer.id }, A.apiKey)).data!.customer.owner).toEqual({ id: B.id });
    expect(codes(await gql(hub.gatewayUrl, CUSTOMER, { id: customer.id }, C.apiKey))).toEqual(['NOT_FOUND']);

    await Subscription.settle(500);
    expect(ownershipC.received).toEqual([]);
    expect(handoffsC.received).toEqual([]);
    for (const s of [inboxB, ownershipA, ownershipB, ownershipC, handoffsC]) s.close();
  });

  it('refuses a foreign or unauthenticated subscription', async () => {
    const c = wsClient(hub.gatewayUrl, { authorization: `Bearer ${C.apiKey}` });
    clients.push(c);
    // Refused when subscribing: the gateway relays the subgraph's error as the only result.
    const refusal = async (query: string, variables: Record<string, unknown>) => {
      const sub = new Subscription(c, query, variables);
      const result = await sub.waitFor(1, 3000).catch((err: unknown) => ({ errors: [{ message: String(err), extensions: {} as Record<string, unknown> }] }));
      sub.close();
      return result.errors?.map((e) => e.extensions?.code);
    };
    expect(await refusal(`subscription($p: ID) { ownershipChanged(partnerId: $p) { customer { id } } }`, { p: B.id })).toEqual(['FORBIDDEN']);
    expect(await refusal(`subscription($id: ID) { handoffUpdated(customerId: $id) { id } }`, { id: customer.id })).toEqual(['NOT_FOUND']);

    let closed: number | undefined;
    const anonymous = wsClient(hub.gatewayUrl, {}, (code) => (closed = code));
    clients.push(anonymous);
    const refused = new Subscription(anonymous, `subscription { ownershipChanged { customer { id } } }`);
    await expect(refused.waitFor(1, 3000)).rejects.toBeDefined();
    expect(closed).toBe(4401);
  });

  it('answers errors with stable codes through the gateway', async () => {
    const noKey = await gql(hub.gatewayUrl, `{ handoffs { nodes { id } } }`);
    expect(codes(noKey)).toEqual(['UNAUTHENTICATED']);
    const missing = await gql(hub.gatewayUrl, PROPOSE, { input: { ...closedWon(DEMO_CUSTOMERS[2]!.id, C.id), data: {} } }, INTERNAL.apiKey);
    expect(firstError(missing).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect((firstError(missing).extensions!.fields as { field: string }[]).map((f) => f.field)).toEqual([
      'input.data.contractValue',
      'input.data.startDate',
      'input.data.successCriteria',
      'input.data.executiveSponsor',
      'input.data.contractUrl',
    ]);
    const publish = await gql(
      hub.gatewayUrl,
      `mutation { publishPlaybook(input: { moment: MQL_TO_SQL, name: "x", responsibleRole: "y" }) { id } }`,
      {},
      A.apiKey,
    );
    expect(codes(publish)).toEqual(['FORBIDDEN']);
  });

  it('treats a JSON argument or input field written inline exactly like the same value in variables', async () => {
    // completeHandoff(deliverables: JSON): the same field-level BAD_USER_INPUT either way.
    const accepted = DEMO_HANDOFFS.find((h) => h.outcome.state === 'ACCEPTED')!;
    const receiver = DEMO_PARTNERS.find((p) => p.id === accepted.to)!;
    const COMPLETE = `mutation($id: ID!, $d: JSON) { completeHandoff(id: $id, deliverables: $d) { id state deliverables } }`;
    const inlineComplete = await gql(
      hub.gatewayUrl,
      `mutation { completeHandoff(id: "${accepted.id}", deliverables: { kickoffDate: "2027-01-20" }) { id state deliverables } }`,
      {},
      receiver.apiKey,
    );
    const variableComplete = await gql(hub.gatewayUrl, COMPLETE, { id: accepted.id, d: { kickoffDate: '2027-01-20' } }, receiver.apiKey);
    expect(inlineComplete.errors).toEqual(variableComplete.errors);
    expect(codes(inlineComplete)).toEqual(['BAD_USER_INPUT']);
    expect((firstError(inlineComplete)!.extensions!.fields as { field: string }[]).map((f) => f.field)).toEqual([
      'deliverables.onboardingPlanUrl',
      'deliverables.goLiveTarget',
    ]);

    // proposeHandoff(input: { data: JSON }): likewise, and nothing is written.
    const input = { ...closedWon(DEMO_CUSTOMERS[2]!.id, C.id), data: { contractValue: 'lots', startDate: '2026-04-01' } };
    const inlineInput = `{ customerId: "${input.customerId}", toPartnerId: "${input.toPartnerId}", moment: CLOSED_WON_TO_ONBOARDING, contextPackage: { summary: "${input.contextPackage.summary}", customerSaid: ["SSO is a must"], goals: ["Live in Q2"] }, customerMessage: "${input.customerMessage}", data: { contractValue: "lots", startDate: "2026-04-01" } }`;
    const inlinePropose = await gql(hub.gatewayUrl, `mutation { proposeHandoff(input: ${inlineInput}) { id } }`, {}, INTERNAL.apiKey);
    const variablePropose = await gql(hub.gatewayUrl, PROPOSE, { input }, INTERNAL.apiKey);
    expect(inlinePropose.errors).toEqual(variablePropose.errors);
    expect((firstError(inlinePropose)!.extensions!.fields as { field: string; message: string }[]).slice(0, 2)).toEqual([
      { field: 'input.data.contractValue', message: 'must be a number; got "lots"' },
      { field: 'input.data.successCriteria', message: expect.stringMatching(/^is required/) },
    ]);

    // A complete inline value is accepted and stored as sent.
    const deliverables = { kickoffDate: '2027-01-20', onboardingPlanUrl: 'https://docs.example.com/plan', goLiveTarget: '2027-03-01' };
    const done = await gql(
      hub.gatewayUrl,
      `mutation { completeHandoff(id: "${accepted.id}", deliverables: { kickoffDate: "2027-01-20", onboardingPlanUrl: "https://docs.example.com/plan", goLiveTarget: "2027-03-01" }) { id state deliverables } }`,
      {},
      receiver.apiKey,
    );
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeHandoff).toEqual({ id: accepted.id, state: 'COMPLETED', deliverables });
  });

  it('resolves customers(first: 100) { owner handoffs ownershipHistory } with one statement per entity type per subgraph', async () => {
    const QUERY = `query($n: Int) { customers(first: $n) { nodes { id owner { name } handoffs { state } ownershipHistory { at } } } }`;
    // Warm up (auth cache off; the first request also loads the query plan).
    await gql(hub.gatewayUrl, QUERY, { n: 100 }, INTERNAL.apiKey);
    const measure = async (n: number) => {
      const before = totalQueryCount();
      const res = await gql(hub.gatewayUrl, QUERY, { n }, INTERNAL.apiKey);
      expect(res.errors).toBeUndefined();
      return { count: totalQueryCount() - before, rows: res.data!.customers.nodes.length };
    };
    const small = await measure(2);
    const large = await measure(100);
    expect(large.rows).toBeGreaterThanOrEqual(20);
    // accounts: the API key, the customers page, the owners (Partner); handoffs: the
    // customers' projection rows, their handoffs, their ownership history.
    expect(large.count).toBeLessThanOrEqual(6);
    expect(large.count).toBe(small.count);
  });
});
