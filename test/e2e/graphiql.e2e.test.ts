import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

/** GraphiQL, as a partner's developer first meets the hub: it must have introspected the schema. */
describe('GraphiQL in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'gateway'] });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('introspects the schema: the Docs panel lists Query.customers and autocomplete offers a field', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(hub.gatewayUrl);

    await page.click('[aria-label="Show Documentation Explorer"]');
    await page.click('a.graphiql-doc-explorer-type-name:text-is("Query")', { timeout: 15_000 });
    await page.waitForSelector('.graphiql-doc-explorer-field-name:text-is("customers")');
    await page.screenshot({ path: join(artifacts, 'graphiql-docs.png') });

    // Replace the example operation and ask the editor for completions inside a selection set.
    await page.click('.graphiql-query-editor .monaco-editor .view-lines');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type('{ custo');
    await page.keyboard.press('Control+Space');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    await suggestions.first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(artifacts, 'graphiql-autocomplete.png') });
    expect(await suggestions.allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^customers/), expect.stringMatching(/^customerByExternalId/)]),
    );
    expect(await page.locator('.graphiql-doc-explorer-error').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);
});
