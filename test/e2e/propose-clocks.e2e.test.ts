import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql, Subscription, wsClient } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const INTERNAL = partner('revops').apiKey;
const GLOBEX = partner('globex');
const ACME = partner('acme');
const WEEK = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
/** Fabrikam Logistics: an MQL Globex owns; MQL → SQL matches the demo MQL_TO_SQL playbook's trigger. */
const FABRIKAM = DEMO_CUSTOMERS.find((c) => c.name === 'Fabrikam Logistics')!;

const DUES = `query { handoffsDue(filter: { state: OPEN, moment: MQL_TO_SQL }) { nodes { id customerId slaClock { target state dueAt breachedAt policy { proposeWithin } } } } }`;

describe('the SLA PROPOSE target through the gateway: a due is timed, breaches and alerts its accountable partner', () => {
  let hub: TestHub;
  const clients: { dispose(): Promise<void> | void }[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'slas', 'gateway'] });
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await hub?.stop();
  });

  it('HandoffDue.slaClock federates from slas, and slaDueAlert reaches Globex but not Acme', async () => {
    const input = {
      moment: 'MQL_TO_SQL',
      acceptWithin: 'PT1H',
      completeWithin: 'P1D',
      proposeWithin: 'PT3S',
      calendar: { timeZone: 'UTC', workingHours: WEEK.map((weekday) => ({ weekday, from: '00:00', to: '24:00' })) },
      warningThresholdPercent: 100,
      escalation: 'NOTIFY',
    };
    const set = await gql(
      hub.gatewayUrl,
      `mutation($input: SlaPolicyInput!) { setSlaPolicy(input: $input) { proposeWithin proposeWithinSeconds } }`,
      { input },
      INTERNAL,
    );
    expect(set.data?.setSlaPolicy).toEqual({ proposeWithin: 'PT3S', proposeWithinSeconds: 3 });

    const subscribe = (apiKey: string) => {
      const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${apiKey}` });
      clients.push(client);
      return new Subscription(client, `subscription { slaDueAlert { kind due { id customerId } clock { state } } }`);
    };
    const [forGlobex, forAcme] = [subscribe(GLOBEX.apiKey), subscribe(ACME.apiKey)];
    await Subscription.settle(300);

    const { data } = await gql(hub.gatewayUrl, `query($id: ID!) { customer(id: $id) { version } }`, { id: FABRIKAM.id }, GLOBEX.apiKey);
    const moved = await gql(
      hub.gatewayUrl,
      `mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, expectedVersion: $v, input: { lifecycleStage: SQL }) { version } }`,
      { id: FABRIKAM.id, v: data!.customer.version },
      GLOBEX.apiKey,
    );
    expect(moved.errors).toBeUndefined();

    const alert = await forGlobex.waitFor(1, 20_000);
    expect(alert.data?.slaDueAlert).toMatchObject({ kind: 'BREACHED', due: { customerId: FABRIKAM.id }, clock: { state: 'BREACHED' } });
    const dues = await gql(hub.gatewayUrl, DUES, {}, GLOBEX.apiKey);
    expect(dues.errors).toBeUndefined();
    const mine = (dues.data!.handoffsDue.nodes as { customerId: string; slaClock: unknown }[]).find((d) => d.customerId === FABRIKAM.id);
    expect(mine?.slaClock).toMatchObject({ target: 'PROPOSE', state: 'BREACHED', policy: { proposeWithin: 'PT3S' } });
    await Subscription.settle(300);
    expect(forAcme.received).toEqual([]);
  });
});
