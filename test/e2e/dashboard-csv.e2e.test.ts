import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser } from 'playwright-core';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;

describe('the dashboard’s spreadsheet page in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startTestHub();
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('maps a semicolon file’s columns, dry-runs it (nothing written), applies it, and downloads the result and an export', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1400, height: 1800 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const base = hub.gatewayUrl.replace(/\/graphql$/, '');
    await page.goto(`${base}/dashboard/`);
    await page.fill('input[name=apiKey]', ACME.apiKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=csv-panel]');

    const file =
      '\uFEFFID;Company;Web;Segment;Region;Stage\nB-1;Browser One;browser-1.example.com;SMB;NA;Lead\nB-2;Browser Two;browser-2.example.com;SMB;NA;Nope\n';
    await page.setInputFiles('input[name=csvFile]', { name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(file, 'utf8') });
    await page.waitForSelector('[data-testid=csv-mapping]');
    expect(await page.textContent('[data-testid=csv-mapping] caption')).toContain('semicolon');
    // Columns named like fields map themselves; the others are mapped by hand.
    expect(await page.inputValue('select[name="map:Stage"]')).toBe('lifecycleStage');
    expect(await page.inputValue('select[name="map:ID"]')).toBe('');
    await page.selectOption('select[name="map:ID"]', 'externalId');
    await page.selectOption('select[name="map:Company"]', 'name');
    await page.selectOption('select[name="map:Web"]', 'domain');
    await page.fill('input[name=system]', 'acme-browser');

    const linked = async () =>
      (await hub.db.asAdmin<{ n: number }>(`SELECT count(*)::int AS n FROM accounts.customer_external_ids WHERE system = 'acme-browser'`))[0]!.n;
    await page.click('button[name=dryRun]');
    await page.waitForSelector('[data-testid=csv-outcome]');
    expect(await page.textContent('[data-testid=csv-outcome] p')).toContain('Dry run');
    expect(await page.textContent('[data-outcome=CREATED]')).toContain('1');
    expect(await page.textContent('[data-outcome=INVALID]')).toContain('1');
    expect(await page.locator('[data-testid=csv-outcome] tbody tr').count()).toBe(2);
    expect(await linked()).toBe(0);

    await page.click('button[name=apply]');
    await page.waitForFunction(() => document.querySelector('[data-testid=csv-outcome] p')?.textContent?.startsWith('Applied'));
    expect(await linked()).toBe(1);
    const [result] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=csv-result]')]);
    const resultRows: Record<string, string>[] = parse(readFileSync((await result.path())!, 'utf8'), { bom: true, columns: true });
    expect(resultRows.map((r) => [r.externalId, r.outcome])).toEqual([
      ['B-1', 'CREATED'],
      ['B-2', 'INVALID'],
    ]);

    const [exported] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-customers]')]);
    expect(exported.suggestedFilename()).toBe('customers.csv');
    const customers: Record<string, string>[] = parse(readFileSync((await exported.path())!, 'utf8'), { bom: true, columns: true });
    expect(customers.some((c) => c.domain === 'browser-1.example.com' && c.ownerPartnerId === ACME.id)).toBe(true);
    await page.screenshot({ path: join(artifacts, 'dashboard-csv.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 60_000);
});
