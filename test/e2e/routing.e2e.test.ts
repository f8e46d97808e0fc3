import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const INTERNAL = partner('revops');
const INITECH = partner('initech');
const NORTHWIND = partner('northwind');
// Trey Research: Initech's, no demo handoff; the demo onboarding rule takes turns between Northwind and Initech.
const customer = DEMO_CUSTOMERS.find((c) => c.name === 'Trey Research')!;

const ROUTE = `query($c: ID!) { routeCandidates(customerId: $c, moment: CLOSED_WON_TO_ONBOARDING) {
  customer { id name } ruleVersion strategies chosenPartnerId candidates { partnerId partner { name } outcome rank reasons { code message } } } }`;
const PROPOSE = `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id toPartnerId to { name } routing { ruleVersion strategies reasons { code message } } } }`;
const ROUTING_OF = `query($id: ID!) { handoff(id: $id) { routing { reasons { code message } } } }`;
const input = (moment: string) => ({
  customerId: customer.id,
  moment,
  contextPackage: { summary: 'Signed for two sites; live in March' },
  customerMessage: 'Your onboarding partner will contact you this week.',
  data: {
    contractValue: 48000,
    startDate: '2027-03-01',
    successCriteria: ['Both sites live'],
    executiveSponsor: 'cfo@treyresearch.net',
    contractUrl: 'https://contracts.example.com/trey',
  },
});

describe('routing through the gateway (demo rules)', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'gateway'] });
  });
  afterAll(() => hub?.stop());

  it('routeCandidates names the customer and skips its owner; proposeHandoff without toPartnerId goes where it said, with the reasons per viewer', async () => {
    const seen = await gql(hub.gatewayUrl, ROUTE, { c: customer.id }, INITECH.apiKey);
    expect(seen.errors).toBeUndefined();
    const decision = seen.data!.routeCandidates;
    expect(decision).toMatchObject({
      customer: { id: customer.id, name: 'Trey Research' },
      strategies: ['CAPACITY', 'ROUND_ROBIN'],
      chosenPartnerId: NORTHWIND.id,
    });
    expect(
      decision.candidates.map((c: { partner: { name: string }; outcome: string; reasons: { message: string }[] }) => [
        c.partner.name,
        c.outcome,
        c.reasons.map((r) => r.message),
      ]),
    ).toEqual([
      ['Northwind Services', 'CHOSEN', ['kept: available', 'rank 1']],
      ['Initech Implementations', 'SKIPPED', ['skipped: already owns the customer']],
    ]);

    const proposed = await gql(hub.gatewayUrl, PROPOSE, { input: input('CLOSED_WON_TO_ONBOARDING') }, INITECH.apiKey);
    expect(proposed.errors).toBeUndefined();
    const h = proposed.data!.proposeHandoff;
    expect(h).toMatchObject({ toPartnerId: NORTHWIND.id, to: { name: 'Northwind Services' }, routing: { strategies: ['CAPACITY', 'ROUND_ROBIN'] } });
    // The sender reads the receiver's rank; the receiver and internal teams read its figures.
    expect(h.routing.reasons.map((r: { message: string }) => r.message)).toEqual(['kept: available', 'rank 1']);
    for (const key of [NORTHWIND.apiKey, INTERNAL.apiKey]) {
      const full = await gql(hub.gatewayUrl, ROUTING_OF, { id: h.id }, key);
      expect(full.data!.handoff.routing.reasons.map((r: { message: string }) => r.message)).toEqual([
        expect.stringMatching(/^kept: \d+\/20 open handoffs$/),
        'rank 1: next in the rotation',
      ]);
    }
  });

  it('a moment without a routing rule: BAD_USER_INPUT with reason NO_ROUTE', async () => {
    const res = await gql(hub.gatewayUrl, PROPOSE, { input: input('SUCCESS_TO_RENEWAL') }, INTERNAL.apiKey);
    expect(res.data?.proposeHandoff ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_ROUTE', ruleId: null });
  });
});
