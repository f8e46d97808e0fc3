import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { signCustomerLinkToken } from '../../shared/auth/customer-link-token';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { TEST_IDENTITY_SECRET } from '../support/subgraph-client';

const PUBLIC_URL = 'https://customers.hub.example';
const key = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.apiKey;
const partnerId = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.id;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** What must never reach the customer: hidden data, context and every id of the handoff's world. */
const HIDDEN = ['INTERNAL', 'cfo@journey-test.example', 'contracts.example', 'crm.example', '24000', 'plans.example'];

describe('the customer journey page through the gateway, in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;
  let base: string;
  let handoffId: string;
  let customerId: string;
  let token: string;

  const api = async (query: string, variables: Record<string, unknown>, apiKey: string) => {
    const res = await gql(hub.gatewayUrl, query, variables, apiKey);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  /** Opens a URL, records every request the page makes, and waits for the page to settle on data or an error. */
  const open = async (url: string) => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => !document.getElementById('journey')!.hidden || !document.getElementById('error')!.hidden);
    return { page, requests, errors };
  };

  /** Every attribute that could lead anywhere, and the whole document as the browser holds it. */
  const linksOf = (page: Page) =>
    page.evaluate(() => {
      const out: string[] = [];
      for (const e of Array.from(document.querySelectorAll('*'))) {
        for (const a of ['href', 'src', 'action', 'formaction', 'srcset', 'poster', 'data', 'ping', 'background']) {
          const v = e.getAttribute(a);
          if (v !== null) out.push(v);
        }
      }
      return out;
    });
  const html = (page: Page) => page.evaluate(() => document.documentElement.outerHTML);

  /** Every request goes to this page, its data route, its assets, or the feedback route with the page's own token. */
  const expectOwnRequestsOnly = (requests: string[], withToken: string) => {
    for (const r of requests) {
      const u = new URL(r);
      expect(u.origin).toBe(base);
      const allowed =
        (u.pathname === '/journey' && u.searchParams.get('token') === withToken) ||
        (u.pathname === '/journey/api' && u.searchParams.get('token') === withToken) ||
        (u.pathname === '/feedback/api' && (u.search === '' || u.searchParams.get('token') === withToken)) ||
        ['/journey/customer-journey.js', '/journey/customer-journey.css', '/favicon.ico'].includes(u.pathname);
      expect([r, allowed]).toEqual([r, true]);
    }
  };

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'slas', 'scorecards', 'gateway'], env: { HUB_PUBLIC_URL: PUBLIC_URL } });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
    browser = await launchChromium();

    customerId = (await api(`mutation { createCustomer(input: { name: "Journey Test Co", segment: SMB, region: NA }) { id } }`, {}, key('revops')))
      .createCustomer.id;
    const proposed = await api(
      `mutation($i: ProposeHandoffInput!) { proposeHandoff(input: $i) { id } }`,
      {
        i: {
          customerId,
          toPartnerId: partnerId('northwind'),
          moment: 'CLOSED_WON_TO_ONBOARDING',
          contextPackage: {
            summary: 'INTERNAL: price-sensitive, negotiated hard',
            goals: ['Go live before the April board meeting'],
            customerSaid: ['We tried two vendors before and had to explain everything twice'],
            contacts: [{ name: 'Casey Customer', email: 'cfo@journey-test.example' }],
            links: ['https://crm.example/deals/77'],
            notes: 'INTERNAL note for the receiver',
          },
          customerMessage: 'Welcome aboard! Northwind Services will run your onboarding from here.',
          data: {
            contractValue: 24000,
            startDate: '2026-04-01',
            successCriteria: ['Single sign-on for all staff', 'Reports in week one'],
            executiveSponsor: 'cfo@journey-test.example',
            contractUrl: 'https://contracts.example/77',
          },
        },
      },
      key('revops'),
    );
    handoffId = proposed.proposeHandoff.id;
    await api(`mutation($id: ID!) { acceptHandoff(id: $id) { id } }`, { id: handoffId }, key('northwind'));
    const set = await api(
      `mutation($id: ID!) { setCustomerActionStatus(handoffId: $id, position: 0, status: DONE) { customerActions { status } } }`,
      { id: handoffId },
      key('northwind'),
    );
    expect(set.setCustomerActionStatus.customerActions.map((a: { status: string }) => a.status)).toEqual(['DONE', 'OPEN', 'OPEN']);
    const link = await api(`mutation($id: ID!) { issueCustomerJourneyLink(handoffId: $id) { url expiresAt } }`, { id: handoffId }, key('revops'));
    const url = new URL(link.issueCustomerJourneyLink.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${PUBLIC_URL}/journey`);
    token = url.searchParams.get('token')!;
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('opens the link without sign-in and shows what the playbook marks for the customer, and nothing that leads elsewhere', async () => {
    const res = await fetch(`${base}/journey?token=${encodeURIComponent(token)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self'");
    const data = await fetch(`${base}/journey/api?token=${encodeURIComponent(token)}`);
    const json = await data.text();
    expect(data.status).toBe(200);
    expect(json.match(UUID)).toBeNull();

    const { page, requests, errors } = await open(`${base}/journey?token=${encodeURIComponent(token)}`);
    await page.screenshot({ path: join(artifacts, 'customer-journey.png'), fullPage: true });
    expect(errors).toEqual([]);
    expect(await page.textContent('h1')).toBe('Closed-won to onboarding');
    const text = (await page.textContent('main'))!;
    expect(text).toContain('Welcome aboard! Northwind Services will run your onboarding from here.');
    expect(text).toContain('Northwind Services now looks after you (Onboarding manager).');
    // The playbook's first task went to Northwind's one onboarding lead: the customer's contact.
    expect(text).toContain('Your contact: Olu Onboarding, olu@northwind-services.example.com');
    expect(await page.$$eval('#actions li', (lis) => lis.map((li) => [li.textContent, (li as HTMLElement).dataset.status]))).toEqual([
      ['Welcome email introducing the onboarding manager', 'DONE'],
      ['Kick-off meeting within 5 business days', 'OPEN'],
      ['Onboarding plan shared after kick-off', 'OPEN'],
    ]);
    expect(text).toContain('Go live before the April board meeting');
    expect(text).toContain('We tried two vendors before and had to explain everything twice');
    expect(await page.$$eval('#details dt', (dts) => dts.map((d) => d.textContent))).toEqual([
      'Contracted start date',
      'What the customer must achieve for the project to count as a success',
    ]);
    expect(text).toContain('Single sign-on for all staff');
    expect(await page.isHidden('#feedback-section')).toBe(true);

    const doc = await html(page);
    for (const hidden of HIDDEN) expect(doc).not.toContain(hidden);
    // No id of anything: not the handoff, its customer, its partners, people or tasks.
    expect(doc.match(UUID)).toBeNull();
    for (const id of [handoffId, customerId, partnerId('northwind'), partnerId('revops')]) expect(doc).not.toContain(id);
    expect(new Set(await linksOf(page))).toEqual(new Set(['/journey/customer-journey.css', '/journey/customer-journey.js']));
    expectOwnRequestsOnly(requests, token);
    await page.close();
  });

  it('issuing the link and ticking off an action reach the new owner’s change feed like other handoff events, without the token', async () => {
    // The whole feed, from its oldest change (the demo history comes first): page to the end.
    const nodes: { type: string; aggregateId: string; payload: unknown }[] = [];
    for (let after: string | null = null, more = true; more;) {
      const page = await api(
        `query($after: String) { changes(first: 250, after: $after) { nodes { type aggregateId payload } pageInfo { endCursor hasNextPage } } }`,
        { after },
        key('northwind'),
      );
      nodes.push(...page.changes.nodes);
      more = page.changes.pageInfo.hasNextPage;
      after = page.changes.pageInfo.endCursor;
    }
    const mine = nodes.filter((c) => c.aggregateId === handoffId);
    expect(mine.map((c) => c.type)).toEqual(['HandoffProposed', 'HandoffAccepted', 'CustomerActionStatusSet', 'CustomerJourneyLinkIssued']);
    expect(mine[3]!.payload).toEqual({
      link: { id: expect.any(String), handoffId, issuedByPartnerId: partnerId('revops'), issuedAt: expect.any(String), expiresAt: expect.any(String) },
    });
    expect(JSON.stringify(nodes)).not.toContain(token.split('.')[1]);
  });

  it('once the handoff is complete, shows the deliverables the customer may see and takes its feedback once, through the customer feedback route', async () => {
    await api(
      `mutation($id: ID!, $d: JSON) { completeHandoff(id: $id, deliverables: $d) { state } }`,
      { id: handoffId, d: { kickoffDate: '2026-04-03', onboardingPlanUrl: 'https://plans.example/77', goLiveTarget: '2026-05-15' } },
      key('northwind'),
    );
    // scorecards records the link as the customer's feedback token from the event log, a moment later.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      if ((await fetch(`${base}/feedback/api?token=${encodeURIComponent(token)}`)).status === 200) break;
    }
    const { page, requests, errors } = await open(`${base}/journey?token=${encodeURIComponent(token)}`);
    await page.waitForSelector('#feedback', { state: 'visible' });
    expect(errors).toEqual([]);
    expect(await page.$$eval('#details dt', (dts) => dts.map((d) => d.textContent))).toEqual([
      'Contracted start date',
      'What the customer must achieve for the project to count as a success',
      'When the kick-off took place',
      'The agreed go-live date',
    ]);
    expect((await linksOf(page)).every((l) => l.startsWith('/journey/'))).toBe(true);
    await page.check('input[name=rating][value="5"]');
    await page.check('input[name=tags][value="clear next steps"]');
    await page.fill('textarea[name=comment]', 'Nobody asked me anything twice.');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.getElementById('feedback-status')!.textContent!.includes('Thank you'));
    expect(await page.isHidden('#feedback')).toBe(true);
    const doc = await html(page);
    expect(doc.match(UUID)).toBeNull();
    for (const hidden of HIDDEN) expect(doc).not.toContain(hidden);
    expectOwnRequestsOnly(requests, token);
    await page.close();

    const feedback = await api(`query($id: ID!) { handoff(id: $id) { feedback { source rating comment } } }`, { id: handoffId }, key('revops'));
    expect(feedback.handoff.feedback).toEqual([{ source: 'CUSTOMER', rating: 5, comment: 'Nobody asked me anything twice.' }]);
    // Used once: the page now thanks instead of asking again.
    const again = await open(`${base}/journey?token=${encodeURIComponent(token)}`);
    await again.page.waitForFunction(() => document.getElementById('feedback-status')!.textContent!.includes('Thank you'));
    expect(await again.page.isHidden('#feedback')).toBe(true);
    await again.page.close();
  });

  it('shows a clear error and no data for a tampered, expired or swapped token', async () => {
    const other = (await api(`query { handoffs(first: 1, filter: { states: [ACCEPTED] }) { nodes { id } } }`, {}, key('revops'))).handoffs.nodes[0].id;
    const [payload, mac] = token.slice('cft_'.length).split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const swapped = `cft_${Buffer.from(JSON.stringify({ ...claims, h: other })).toString('base64url')}.${mac}`;
    const tampered = `cft_${payload.slice(0, -3)}${payload.endsWith('A') ? 'BBB' : 'AAA'}.${mac}`;
    const expired = signCustomerLinkToken(handoffId, new Date(Date.now() - 60_000), TEST_IDENTITY_SECRET, { purpose: 'journey' }).token;
    for (const [what, bad, message] of [
      ['tampered', tampered, /not valid/],
      ['swapped handoff', swapped, /not valid/],
      ['expired', expired, /expired/],
      ['no token', '', /not valid/],
    ] as const) {
      const { page, requests, errors } = await open(`${base}/journey?token=${encodeURIComponent(bad)}`);
      expect([what, errors]).toEqual([what, []]);
      expect(await page.isVisible('#error')).toBe(true);
      expect(await page.isHidden('#journey')).toBe(true);
      expect(await page.textContent('#error-message')).toMatch(message);
      const doc = await html(page);
      for (const leak of ['Journey Test Co', 'Welcome aboard', 'Northwind', 'Olu', ...HIDDEN]) expect([what, doc.includes(leak)]).toEqual([what, false]);
      expect(doc.match(UUID)).toBeNull();
      expectOwnRequestsOnly(requests, bad);
      await page.close();
    }
  });

  it('a revoked link shows the customer that it was withdrawn and nothing else, and takes no feedback; the first link still works', async () => {
    const issued = await api(`mutation($id: ID!) { issueCustomerJourneyLink(handoffId: $id) { id url } }`, { id: handoffId }, key('northwind'));
    const second = new URL(issued.issueCustomerJourneyLink.url).searchParams.get('token')!;
    const feedbackStatus = async () => {
      const res = await fetch(`${base}/feedback/api?token=${encodeURIComponent(second)}`);
      return { status: res.status, body: (await res.json()) as { error?: { reason?: string } } };
    };
    // scorecards records the new link as a feedback token from the event log, a moment later.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && (await feedbackStatus()).status !== 200;) await new Promise((r) => setTimeout(r, 100));
    expect((await feedbackStatus()).status).toBe(200);

    const revoked = await api(
      `mutation($id: ID!) { revokeCustomerJourneyLink(linkId: $id) { id status revokedByPartnerId } }`,
      { id: issued.issueCustomerJourneyLink.id },
      key('northwind'),
    );
    expect(revoked.revokeCustomerJourneyLink).toEqual({
      id: issued.issueCustomerJourneyLink.id,
      status: 'REVOKED',
      revokedByPartnerId: partnerId('northwind'),
    });
    const listed = await api(`query($id: ID!) { handoff(id: $id) { journeyLinks { id status } } }`, { id: handoffId }, key('revops'));
    expect(listed.handoff.journeyLinks.map((l: { status: string }) => l.status)).toEqual(['ACTIVE', 'REVOKED']);

    const data = await fetch(`${base}/journey/api?token=${encodeURIComponent(second)}`);
    expect(data.status).toBe(410);
    const { page, requests, errors } = await open(`${base}/journey?token=${encodeURIComponent(second)}`);
    expect(errors).toEqual([]);
    expect(await page.isHidden('#journey')).toBe(true);
    expect(await page.textContent('#error-message')).toMatch(/^This link was withdrawn/);
    const doc = await html(page);
    for (const leak of ['Journey Test Co', 'Welcome aboard', 'Northwind', 'Olu', ...HIDDEN]) expect(doc).not.toContain(leak);
    expect(doc.match(UUID)).toBeNull();
    expectOwnRequestsOnly(requests, second);
    await page.close();

    // The feedback route follows from the event log, a moment later.
    for (const deadline = Date.now() + 20_000; Date.now() < deadline && (await feedbackStatus()).status !== 410;) await new Promise((r) => setTimeout(r, 100));
    expect(await feedbackStatus()).toEqual({ status: 410, body: { error: expect.objectContaining({ reason: 'TOKEN_REVOKED' }) } });
    const post = await fetch(`${base}/feedback/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: second, rating: 1, comment: 'not mine' }),
    });
    expect(post.status).toBe(410);
    expect((await fetch(`${base}/journey/api?token=${encodeURIComponent(token)}`)).status).toBe(200);
  });
});
