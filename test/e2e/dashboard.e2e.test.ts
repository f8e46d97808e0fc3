import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

const root = join(__dirname, '..', '..');

describe('the dashboard in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    // The dashboard is bundled by `npm run build`; build it here when a test run comes first.
    if (!existsSync(join(root, 'dashboard', 'dist', 'app.js'))) execFileSync(process.execPath, [join(root, 'dashboard', 'build.mjs')], { stdio: 'ignore' });
    hub = await startTestHub({ services: ['accounts', 'scorecards', 'gateway'] });
    browser = await launchChromium();
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
    await page.close();
  });
});
