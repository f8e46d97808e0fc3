import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_JOURNEY_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { DEMO_ROUTING_RULES } from '../../subgraphs/handoffs/src/seed';
import { OwnershipGapRule } from '../../subgraphs/handoffs/src/entities/ownership-gap.entity';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

const OWNERSHIP_GAP_RULES = Object.values(OwnershipGapRule);

describe('the dashboard in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    // The dashboard is bundled by `npm run build`; build it here when a test run comes first.
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'slas', 'scorecards', 'gateway'] });
    browser = await launchChromium();
    // The demo's gaps come from events its seed wrote (a partner suspended in accounts reaches
    // handoffs' projection a moment later): the page is asserted on once they are all there.
    const summary = async () => {
      const res = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${DEMO_PARTNERS[0].apiKey}` },
        body: JSON.stringify({ query: '{ ownershipGapSummary { rule count } }' }),
      });
      return ((await res.json()) as { data?: { ownershipGapSummary: { count: number }[] } }).data?.ownershipGapSummary ?? [];
    };
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
      const rows = await summary();
      if (rows.length === OWNERSHIP_GAP_RULES.length && rows.every((r) => r.count > 0)) break;
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('loads, shows the demo data with the demo key prefilled, and a filter changes the figures', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const base = hub.gatewayUrl.replace(/\/graphql$/, '');
    await page.goto(`${base}/dashboard/`);
    // Dev builds prefill the demo internal key; signing in shows every partner.
    await page.waitForFunction(() => (document.querySelector('input[name=apiKey]') as HTMLInputElement | null)?.value.startsWith('hub_'));
    expect(await page.inputValue('input[name=apiKey]')).toBe(DEMO_PARTNERS[0].apiKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=maturity-matrix]');
    const all = Number(await page.textContent('[data-testid=kpi-proposed]'));
    expect(all).toBeGreaterThan(100);
    expect(await page.locator('[data-testid=leakage-heatmap] tbody tr').count()).toBe(7);
    expect(await page.locator('[data-testid=maturity-matrix] tbody tr').count()).toBe(7);
    expect(await page.textContent('[data-testid=viewer]')).toContain('HQ Revenue Operations');
    // The Journey panel: the demo routing rules with their candidates against their weights.
    await page.waitForSelector('[data-testid=journey] [data-testid=routing-view]');
    expect(await page.locator('[data-testid=routing-view] tbody tr').count()).toBe(DEMO_ROUTING_RULES.length);
    // Demo journey: one stage move per moment came due on start; two onboarding dues were routed
    // (round robin: one each), which closed them as proposed.
    expect(Number(await page.textContent('[data-testid=kpi-due]'))).toBe(DEMO_JOURNEY_CUSTOMERS.length - 2);
    const onboardingRule = page.locator('[data-testid=routing-view] tbody tr', { hasText: 'Closed-won → onboarding' });
    expect(await onboardingRule.locator('td').nth(1).textContent()).toBe('2');
    expect(await onboardingRule.locator('.share').allTextContents()).toEqual([
      expect.stringMatching(/^Northwind Services 50%/),
      expect.stringMatching(/^Initech Implementations 50%/),
    ]);
    // No-owner zones: the demo has customers in every gap kind, so every rule's row counts some.
    const gapRows = page.locator('[data-testid=gaps-by-rule] tbody tr');
    expect(await gapRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-rule')))).toEqual(OWNERSHIP_GAP_RULES);
    const gapCounts = (await gapRows.locator('td:nth-of-type(1)').allTextContents()).map(Number);
    expect(gapCounts.every((n) => n > 0)).toBe(true);
    expect(Number(await page.textContent('[data-testid=kpi-gaps]'))).toBe(gapCounts.reduce((a, n) => a + n, 0));
    // Time to propose: the demo history's dues, per moment, with a median.
    const proposeRows = page.locator('[data-testid=time-to-propose] tbody tr');
    expect(await proposeRows.count()).toBeGreaterThan(0);
    expect(await proposeRows.first().locator('td').nth(2).textContent()).toMatch(/\d/);
    await page.screenshot({ path: join(artifacts, 'dashboard.png'), fullPage: true });

    await page.selectOption('select[name=segment]', 'ENTERPRISE');
    await page.waitForFunction((before) => Number(document.querySelector('[data-testid=kpi-proposed]')?.textContent) !== before, all);
    const enterprise = Number(await page.textContent('[data-testid=kpi-proposed]'));
    expect(enterprise).toBeGreaterThan(0);
    expect(enterprise).toBeLessThan(all);
    await page.screenshot({ path: join(artifacts, 'dashboard-enterprise.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('the Journey panel counts a handoff that just came due, overdue ones apart', async () => {
    // The other internal team's key: the test above spent most of the first key's cost budget
    // loading the dashboard (its query alone costs about 600 points of 2,000), and this one loads it again.
    const internal = DEMO_PARTNERS[1].apiKey;
    const api = async (query: string, variables: Record<string, unknown> = {}) => {
      const res = await fetch(hub.gatewayUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${internal}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as { data: Record<string, any>; errors?: unknown[] };
      expect(body.errors).toBeUndefined();
      return body.data;
    };
    const window = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
    const SUMMARY = `query($from: DateTimeISO!, $to: DateTimeISO!) { handoffDueSummary(from: $from, to: $to) { moment open overdue } }`;
    const openAt = async (moment: string) =>
      ((await api(SUMMARY, window)).handoffDueSummary as { moment: string; open: number }[]).find((r) => r.moment === moment)?.open ?? 0;
    const before = await openAt('CLOSED_WON_TO_ONBOARDING');
    // A customer closes and starts onboarding: the demo playbook's trigger makes the onboarding handoff due.
    const { createCustomer } = await api(
      `mutation { createCustomer(input: { name: "Journey Test Co", segment: MID_MARKET, region: EMEA, lifecycleStage: CLOSED_WON }) { id version } }`,
    );
    await api(`mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, expectedVersion: $v, input: { lifecycleStage: ONBOARDING }) { id } }`, {
      id: createCustomer.id,
      v: createCustomer.version,
    });
    for (let i = 0; i < 100 && (await openAt('CLOSED_WON_TO_ONBOARDING')) === before; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await openAt('CLOSED_WON_TO_ONBOARDING')).toBe(before + 1);
    // The demo's onboarding policy times the proposal (proposeWithin P1D): the new due's PROPOSE clock runs.
    const DUES = `{ handoffsDue(filter: { moment: CLOSED_WON_TO_ONBOARDING, state: OPEN }, first: 100) { nodes { customerId slaClock { target state targetBusinessSeconds } } } }`;
    type Clock = { target: string; state: string; targetBusinessSeconds: number };
    let clock: Clock | null = null;
    for (let i = 0; i < 100 && !clock; i++) {
      const nodes = (await api(DUES)).handoffsDue.nodes as { customerId: string; slaClock: Clock | null }[];
      clock = nodes.find((n) => n.customerId === createCustomer.id)?.slaClock ?? null;
      if (!clock) await new Promise((r) => setTimeout(r, 100));
    }
    expect(clock).toMatchObject({ target: 'PROPOSE', state: 'RUNNING' });
    expect(clock!.targetBusinessSeconds).toBeGreaterThan(0);

    const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${hub.gatewayUrl.replace(/\/graphql$/, '')}/dashboard/`);
    await page.fill('input[name=apiKey]', internal);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=dues-by-moment]');
    const summary = (await api(SUMMARY, window)).handoffDueSummary as { moment: string; open: number; overdue: number }[];
    const total = (k: 'open' | 'overdue') => summary.reduce((a, r) => a + r[k], 0);
    expect(Number(await page.textContent('[data-testid=kpi-due]'))).toBe(total('open'));
    expect(Number(await page.textContent('[data-testid=kpi-overdue]'))).toBe(total('overdue'));
    const onboarding = page.locator('[data-testid=dues-by-moment] tbody tr', { hasText: 'Closed-won → onboarding' });
    expect(await onboarding.locator('td').first().textContent()).toBe(String(before + 1));
    await page.locator('[data-testid=journey]').screenshot({ path: join(artifacts, 'dashboard-journey.png') });
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows a partner only itself, and refuses an unknown key', async () => {
    const page = await browser.newPage();
    const base = hub.gatewayUrl.replace(/\/graphql$/, '');
    await page.goto(`${base}/dashboard/`);
    await page.fill('input[name=apiKey]', 'hub_not_a_key');
    await page.click('button[type=submit]');
    await expect(page.waitForSelector('.error', { timeout: 10_000 }).then((e) => e.textContent())).resolves.toContain('not accepted');
    const acme = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
    await page.fill('input[name=apiKey]', acme.apiKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=maturity-matrix]');
    expect(await page.locator('[data-testid=leakage-heatmap] tbody tr').count()).toBe(1);
    expect(await page.textContent('[data-testid=viewer]')).toContain('Acme Reseller');
    // A partner's Journey panel has its own dues and no routing view (routing rules are internal).
    await page.waitForSelector('[data-testid=journey]');
    expect(await page.locator('[data-testid=routing-view]').count()).toBe(0);
    await page.close();
  });
});
