import { codegenConfig } from '../../clients/typescript/codegen';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { driftFromCheckedIn, generateInMemory } from '../support/codegen';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

/**
 * A partner points graphql-codegen at the dev gateway instead of the checked-in SDL: the
 * gateway must answer the codegen's introspection, and what it generates from the live
 * schema must be the typed client we ship.
 */
describe('graphql-codegen against a running gateway', () => {
  let hub: TestHub;

  beforeAll(async () => {
    // The gateway serves the checked-in supergraph; accounts resolves the API key.
    hub = await startTestHub({ services: ['accounts', 'gateway'] });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('introspects the gateway with a partner API key and generates exactly the checked-in client', async () => {
    const files = await generateInMemory(codegenConfig({ [hub.gatewayUrl]: { headers: { authorization: `Bearer ${ACME.apiKey}` } } }));
    expect(driftFromCheckedIn(files)).toEqual([]);
  });
});
