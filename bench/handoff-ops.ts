import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { bearer, graphql } from './support';

/** The two partners the handoff benches move customers between. */
export const FROM = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
export const TO = DEMO_PARTNERS.find((p) => p.apiKey.includes('northwind'))!;

export const PROPOSE = `mutation P($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id state } }`;
export const ACCEPT = `mutation A($id: ID!) { acceptHandoff(id: $id) { id state } }`;

export const proposal = (customerId: string) => ({
  customerId,
  toPartnerId: TO.id,
  moment: 'CLOSED_WON_TO_ONBOARDING',
  contextPackage: { summary: 'Benchmark handoff', customerSaid: ['Fast please'], goals: ['Live soon'] },
  customerMessage: 'Northwind Services will onboard you from here.',
  data: {
    contractValue: 1000,
    startDate: '2026-04-01',
    successCriteria: ['Live'],
    executiveSponsor: 'cio@example.com',
    contractUrl: 'https://contracts.example.com/bench',
  },
});

/** Creates `count` customers owned by {@link FROM} through the gateway, `concurrency` at a time. */
export async function createCustomers(gatewayUrl: string, count: number, concurrency = 8): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const data = await graphql<{ createCustomer: { id: string } }>(
        gatewayUrl,
        `mutation C($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
        { input: { name: `Bench customer ${i}`, segment: 'SMB', region: 'NA', lifecycleStage: 'CLOSED_WON' } },
        bearer(FROM.apiKey),
      );
      ids.push(data.createCustomer.id);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/**
 * Proposes until handoffs knows the customer (its projection of accounts' events may lag a
 * new customer by a moment), then returns the handoff id.
 */
export async function proposeWhenKnown(url: string, headers: Record<string, string>, customerId: string): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      return (await graphql<{ proposeHandoff: { id: string } }>(url, PROPOSE, { input: proposal(customerId) }, headers)).proposeHandoff.id;
    } catch (err) {
      if (attempt >= 50 || !/NOT_FOUND/.test((err as Error).message)) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
