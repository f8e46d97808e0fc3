import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHubGateway, type HubGateway } from '../../gateway/gateway';
import { loadConfig } from '../../shared/config';
import type { ReceivedMail } from '../../shared/dev/dev-mailbox';
import { createLogger } from '../../shared/logger';
import { contractsDir } from '../../shared/paths';
import { DEMO_CUSTOMERS, DEMO_PARTNERS, DEMO_PEOPLE } from '../../subgraphs/accounts/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const A = partner('acme');
const B = partner('globex');
const customer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === A.id)!;

describe('notifications in development: the runner’s mailbox at /dev/mail', () => {
  let hub: TestHub;
  let production: HubGateway | undefined;

  beforeAll(async () => {
    // As `npm start` runs it: development, no SMTP server configured.
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'gateway'], env: { NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    await production?.stop();
    await hub?.stop();
  });

  it('shows the e-mails a proposal sends to the receiving partner’s people, without the customer record', async () => {
    expect(hub.mailbox).toBeDefined();
    const proposed = await gql(
      hub.gatewayUrl,
      `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id } }`,
      {
        input: {
          customerId: customer.id,
          toPartnerId: B.id,
          moment: 'DIRECT_TO_PARTNER',
          contextPackage: { summary: 'Wants a local partner', customerSaid: ['Prefers EMEA hours'], goals: ['Regional support'] },
          customerMessage: 'Globex will take it from here.',
          data: { dealSize: 120000, products: ['Analytics'], closeDate: '2027-01-31' },
        },
      },
      A.apiKey,
    );
    expect(proposed.errors).toBeUndefined();
    const id = (proposed.data as { proposeHandoff: { id: string } }).proposeHandoff.id;
    const origin = new URL(hub.gatewayUrl).origin;
    const mails = async () => ((await (await fetch(`${origin}/dev/mail.json`)).json()) as ReceivedMail[]).filter((m) => (m.text ?? '').includes(id));
    const people = DEMO_PEOPLE.filter((p) => p.partnerId === B.id).map((p) => p.email);
    const deadline = Date.now() + 15000;
    while ((await mails()).length < people.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const got = await mails();
    expect(got.flatMap((m) => m.envelopeTo).sort()).toEqual([...people].sort());
    for (const m of got) {
      expect(m.subject).toBe(`New Direct → partner handoff proposed by ${A.name}`);
      expect(m.html).toContain('Review and accept or reject');
      expect(`${m.text}${m.html}`).not.toContain(customer.name);
    }
    const page = await fetch(`${origin}/dev/mail`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('New Direct → partner handoff proposed by');
  });

  it('serves no /dev/mail in production', async () => {
    const config = loadConfig({ NODE_ENV: 'test' });
    production = createHubGateway({
      supergraphSdl: readFileSync(join(contractsDir(), 'supergraph.graphql'), 'utf8'),
      subgraphUrls: hub.subgraphUrls as Record<string, string>,
      identitySecret: config.identitySecret,
      authCacheMs: 0,
      log: createLogger('test', 'silent'),
      security: config.security,
      production: true,
      devRoutes: hub.mailbox!.handler('/dev/mail'),
    });
    const url = await production.listen(0);
    const origin = new URL(url).origin;
    expect((await fetch(`${origin}/dev/mail`)).status).toBe(404);
    expect((await fetch(`${origin}/dev/mail.json`)).status).toBe(404);
  });
});
