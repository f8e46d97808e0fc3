import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { DEMO_PARTNERS, DEMO_PEOPLE } from '../../subgraphs/accounts/src/seed';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey === 'hub_demo_acme_reseller')!;
const RILEY = DEMO_PEOPLE.find((p) => p.name === 'Riley Admin' && p.partnerId === ACME.id)!;

/**
 * A person signs in to the dashboard in headless Chromium through the local OpenID provider
 * (its login page, the demo person's button), sees their partner's figures, and signs out.
 */
describe('dashboard sign-in in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;

  beforeAll(async () => {
    hub = await startTestHub({
      services: ['accounts', 'handoffs', 'slas', 'scorecards', 'gateway'],
      env: { HUB_OIDC_DEV_PROVIDER: 'true', HUB_OIDC_DEV_PORT: '0' },
    });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('signs in as a demo person, shows that person and only their partner’s data, keeps nothing in storage, and signs out', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const base = new URL(hub.gatewayUrl).origin;
    await page.goto(`${base}/dashboard/`);
    await page.click('[data-testid=sign-in]');
    // The provider's login page: pick the demo person.
    await page.waitForSelector('text=Development sign-in');
    await page.click(`button[value="${RILEY.email}"]`);
    await page.waitForURL(`${base}/dashboard/`);
    await page.waitForSelector('[data-testid=maturity-matrix]');
    const viewer = await page.textContent('[data-testid=viewer]');
    expect(viewer).toContain(RILEY.name);
    expect(viewer).toContain(ACME.name);
    // A partner sees its own row only.
    expect(await page.locator('[data-testid=leakage-heatmap] tbody tr').count()).toBe(1);
    // No API-key field while signed in, and no credential in storage; the session cookie is HttpOnly.
    expect(await page.locator('input[name=apiKey]').count()).toBe(0);
    expect(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }))).toEqual({ local: 0, session: 0 });
    expect(await page.evaluate(() => document.cookie)).not.toContain('hub_session');
    const cookies = await page.context().cookies(base);
    expect(cookies.find((c) => c.name === 'hub_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    await page.screenshot({ path: join(artifacts, 'dashboard-signed-in.png') });

    // GraphiQL in development works with the same session: its page carries the CSRF token.
    const graphiql = await page.evaluate(async () => (await fetch('/graphql', { headers: { accept: 'text/html' } })).text());
    const token = (await page.context().cookies(base)).find((c) => c.name === 'hub_csrf')!.value;
    expect(graphiql).toContain(token);
    const me = await page.evaluate(async (csrf) => {
      const res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-csrf': csrf },
        body: JSON.stringify({ query: '{ me { person { name } } }' }),
      });
      return (await res.json()) as { data?: { me: { person: { name: string } } } };
    }, token);
    expect(me.data?.me.person.name).toBe(RILEY.name);

    await page.click('[data-testid=sign-out]');
    await page.waitForSelector('[data-testid=sign-in]');
    expect((await page.context().cookies(base)).filter((c) => c.name === 'hub_session')).toEqual([]);
    const revoked = await hub.db.asAdmin<{ live: number }>(`SELECT count(*)::int AS live FROM accounts.sessions WHERE person_id = $1 AND revoked_at IS NULL`, [
      RILEY.id,
    ]);
    expect(revoked).toEqual([{ live: 0 }]);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('keeps a typed API key in memory only: a reload forgets it', async () => {
    const page = await browser.newPage();
    const base = new URL(hub.gatewayUrl).origin;
    await page.goto(`${base}/dashboard/`);
    await page.fill('input[name=apiKey]', ACME.apiKey);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=maturity-matrix]');
    expect(await page.evaluate(() => localStorage.length + sessionStorage.length)).toBe(0);
    await page.reload();
    await page.waitForSelector('[data-testid=sign-in]');
    expect(await page.locator('[data-testid=maturity-matrix]').count()).toBe(0);
    await page.close();
  });
});
