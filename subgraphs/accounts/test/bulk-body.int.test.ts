import { IDENTITY_HEADER, signIdentity } from '../../../shared/auth/identity';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { partnerIdentity, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { realisticCustomerRow } from '../../../test/support/sync-rows';
import { DEMO_PARTNERS } from '../src/seed';

const ACME = partnerIdentity(DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!.id);
const UPSERT = `mutation($system: String!, $input: [UpsertCustomerInput!]!) { upsertCustomers(system: $system, input: $input) { created invalid } }`;

/**
 * The gateway admits a bulk mutation up to HUB_MAX_BULK_BODY_BYTES and forwards it whole:
 * accounts must take what the gateway may send, whatever that limit is configured to.
 */
describe('accounts takes the bulk bodies the gateway admits', () => {
  let accounts: AccountsUnderTest;
  const bulkLimit = 3 * 1024 * 1024;

  beforeAll(async () => {
    accounts = await startAccounts({ maxBulkBodyBytes: bulkLimit });
  });
  afterAll(async () => {
    await accounts?.stop();
  });

  const post = (body: string) =>
    fetch(accounts.url, { method: 'POST', headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: signIdentity(ACME, TEST_IDENTITY_SECRET) }, body });

  it('applies a batch just under the configured bulk limit', async () => {
    const input = Array.from({ length: 1000 }, (_, i) => ({
      ...realisticCustomerRow('BIG', i),
      context: { goals: [], painPoints: [], notes: 'n'.repeat(2500) },
    }));
    const body = JSON.stringify({ query: UPSERT, variables: { system: 'acme-big', input } });
    expect(Buffer.byteLength(body)).toBeGreaterThan(2.5 * 1024 * 1024);
    expect(Buffer.byteLength(body)).toBeLessThan(bulkLimit);
    const res = await post(body);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown }).data).toEqual({ upsertCustomers: { created: 1000, invalid: 0 } });
  });

  it('still refuses a body no gateway would send', async () => {
    const res = await post(JSON.stringify({ query: UPSERT, variables: { system: 'acme-big', input: [], pad: 'x'.repeat(4 * 1024 * 1024) } }));
    expect(res.status).toBe(413);
  });
});
