import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { Dec } from '../../shared/graphql/money';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { ARTIFACTS_DIR as artifacts, launchChromium } from '../support/browser';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * Each key has its own cost budget (docs/api.md): the first page signs in as revenue
 * operations, the test's own API calls and the second page as customer success (also
 * internal), so neither runs the other's budget dry.
 */
const INTERNAL_KEY = DEMO_PARTNERS[0].apiKey;
const API_KEY = DEMO_PARTNERS[1].apiKey;

interface ValueFigures {
  reportingCurrency: string | null;
  proposed: string;
  accepted: string;
  completed: string;
  revenueAtRisk: string;
  leakage: { total: string };
  unconvertible: { figure: string; currency: string; amount: string; handoffs: number }[];
}
interface ValueRow {
  level: string;
  moment: string | null;
  partner: { id: string } | null;
  value: ValueFigures;
}
interface RetentionRow {
  periodStart: string;
  partnerId: string | null;
  cohort: string | null;
  currency: string | null;
  customers: number;
  netRevenueRetention: string | null;
}
interface Revenue {
  reportingCurrency: string | null;
  total: ValueRow[];
  valueByMoment: ValueRow[];
  valueByPartnerMoment: ValueRow[];
  retentionByPeriod: RetentionRow[];
  retentionByCohort: RetentionRow[];
}

/** A figure as the page shows it ("USD 1,234.50") back to a decimal, independently of the page's own formatting. */
const shown = (text: string | null, currency: string) => {
  const m = new RegExp(`${currency} (-?[\\d,]+\\.\\d{2,})`).exec(text ?? '');
  if (!m) throw new Error(`no ${currency} amount in "${text}"`);
  return new Dec(m[1]!.replace(/,/g, ''));
};

/**
 * The dashboard's money views against the demo data, in headless Chromium: the figures on
 * the page are the API's (asked again here with the very variables the page sent), a
 * segment filter changes them, and a reporting currency without rates shows the parts that
 * do not convert, with their currency, instead of a 0.
 */
describe('the dashboard’s revenue views in headless Chromium', () => {
  let hub: TestHub;
  let browser: Browser;
  const api = async <T>(query: string, variables: Record<string, unknown> = {}): Promise<T> => {
    const res = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ query, variables }),
    });
    const body = (await res.json()) as { data: T; errors?: unknown[] };
    expect(body.errors).toBeUndefined();
    return body.data;
  };
  /** Signs in and waits for the page's revenue request; its query and variables are what the API is asked again. */
  const revenueRequest = (page: Page) =>
    page
      .waitForRequest((r) => r.method() === 'POST' && (r.postData() ?? '').includes('query Revenue'))
      .then((r) => JSON.parse(r.postData()!) as { query: string; variables: Record<string, unknown> });

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'slas', 'scorecards', 'gateway'] });
    browser = await launchChromium();
    // The demo's money reaches scorecards as events: wait until the rates and renewals are folded in.
    const ready = async () => {
      const d = await api<{ scorecard: ValueRow[]; revenueRetention: RetentionRow[] }>(
        `{ scorecard(filter: { groupBy: [], collapsePeriods: true }) { level value { reportingCurrency proposed } }
           revenueRetention(groupBy: []) { customers } }`,
      );
      const total = d.scorecard.find((r) => r.level === 'GRAND_TOTAL');
      return total?.value.reportingCurrency === 'USD' && new Dec(total.value.proposed).gt(0) && d.revenueRetention.some((r) => r.customers > 0);
    };
    for (let deadline = Date.now() + 30_000; Date.now() < deadline && !(await ready());) await new Promise((r) => setTimeout(r, 200));
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
  });

  it('shows the API’s money figures in USD, and a segment filter changes them', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${hub.gatewayUrl.replace(/\/graphql$/, '')}/dashboard/`);
    await page.fill('input[name=apiKey]', INTERNAL_KEY);
    const sent = revenueRequest(page);
    await page.click('button[type=submit]');
    const first = await sent;
    await page.waitForSelector('[data-testid=value-funnel]');
    const answer = await api<Revenue>(first.query, first.variables);

    expect(answer.reportingCurrency).toBe('USD');
    expect(await page.textContent('[data-testid=reporting-currency]')).toContain('USD');
    const total = answer.total.find((r) => r.level === 'GRAND_TOTAL')!.value;
    expect(total.unconvertible).toEqual([]);
    expect(new Dec(total.proposed).gt(0)).toBe(true);
    expect(shown(await page.textContent('[data-testid=kpi-value-proposed]'), 'USD').eq(total.proposed)).toBe(true);
    expect(shown(await page.textContent('[data-testid=kpi-value-completed]'), 'USD').eq(total.completed)).toBe(true);
    expect(shown(await page.textContent('[data-testid=kpi-revenue-at-risk]'), 'USD').eq(total.revenueAtRisk)).toBe(true);
    expect(shown(await page.textContent('[data-testid=kpi-value-leaked]'), 'USD').eq(total.leakage.total)).toBe(true);

    // The value funnel: one row per moment, each figure the API's.
    const moments = answer.valueByMoment.filter((r) => r.level === 'GROUP');
    expect(await page.locator('[data-testid=value-funnel] tbody tr').count()).toBe(moments.length);
    for (const m of moments) {
      const row = page.locator(`[data-testid=value-funnel] tbody tr[data-moment="${m.moment}"]`);
      for (const figure of ['proposed', 'accepted', 'completed'] as const) {
        expect(shown(await row.locator(`td[data-figure=${figure}]`).textContent(), 'USD').eq(m.value[figure])).toBe(true);
      }
    }
    // The leakage heat-map in money: a cell per partner × moment, the API's leaked value.
    const cells = answer.valueByPartnerMoment.filter((r) => r.level === 'GROUP' && r.partner);
    expect(cells.length).toBeGreaterThan(0);
    for (const c of cells.slice(0, 5)) {
      const cell = page.locator(`[data-testid=value-leakage-heatmap] tr[data-partner="${c.partner!.id}"] td[data-moment="${c.moment}"]`);
      expect(shown(await cell.textContent(), 'USD').eq(c.value.leakage.total)).toBe(true);
    }
    // NRR per partner and quarter, and per cohort: the API's ratios on the cells.
    for (const [testid, rows, column] of [
      [
        'retention-by-period',
        answer.retentionByPeriod,
        (r: RetentionRow) => `${r.periodStart.slice(0, 4)}-Q${Math.ceil(Number(r.periodStart.slice(5, 7)) / 3)}`,
      ],
      ['retention-by-cohort', answer.retentionByCohort, (r: RetentionRow) => r.cohort ?? '—'],
    ] as const) {
      const counted = rows.filter((r) => r.customers > 0 && r.partnerId && r.netRevenueRetention !== null);
      expect(counted.length).toBeGreaterThan(0);
      for (const r of counted.slice(0, 4)) {
        const cell = page.locator(`[data-testid=${testid}] tr[data-partner="${r.partnerId}"][data-currency="${r.currency}"] td[data-column="${column(r)}"]`);
        expect(await cell.getAttribute('data-nrr')).toBe(r.netRevenueRetention);
      }
    }
    await page.locator('[data-testid=revenue]').screenshot({ path: join(artifacts, 'dashboard-revenue.png') });

    // A segment: the page asks again, and shows the API's (smaller) figures for it.
    const again = revenueRequest(page);
    await page.selectOption('select[name=segment]', 'ENTERPRISE');
    const second = await again;
    expect(second.variables).toMatchObject({ total: { segments: ['ENTERPRISE'] }, retention: { segment: 'ENTERPRISE' } });
    const enterprise = (await api<Revenue>(second.query, second.variables)).total.find((r) => r.level === 'GRAND_TOTAL')!.value;
    expect(new Dec(enterprise.proposed).lt(total.proposed)).toBe(true);
    // The page shows the amount the API gave for the segment (the exact string on the element).
    await page.waitForFunction(
      (expected) => document.querySelector('[data-testid=kpi-value-proposed] .money')?.getAttribute('data-amount') === expected,
      enterprise.proposed,
    );
    expect(shown(await page.textContent('[data-testid=kpi-value-proposed]'), 'USD').eq(enterprise.proposed)).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows what does not convert, with its currency, never as 0', async () => {
    // A new reporting currency with no rates: only EUR values convert (at 1); the USD ones have no rate.
    await api(`mutation { setExchangeRates(input: { reportingCurrency: "EUR", rates: [] }) { version } }`);
    const TOTAL = `{ scorecard(filter: { groupBy: [], collapsePeriods: true }) { level value { reportingCurrency proposed unconvertible { figure currency amount handoffs } } } }`;
    let total: ValueFigures | undefined;
    for (let deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
      total = (await api<{ scorecard: ValueRow[] }>(TOTAL)).scorecard.find((r) => r.level === 'GRAND_TOTAL')?.value;
      if (total?.reportingCurrency === 'EUR') break;
    }
    expect(total?.reportingCurrency).toBe('EUR');
    const usd = total!.unconvertible.find((u) => u.figure === 'PROPOSED' && u.currency === 'USD');
    expect(usd).toBeDefined();

    const page = await browser.newPage({ viewport: { width: 1400, height: 2400 } });
    await page.goto(`${hub.gatewayUrl.replace(/\/graphql$/, '')}/dashboard/`);
    await page.fill('input[name=apiKey]', API_KEY);
    await page.click('button[type=submit]');
    await page.waitForSelector('[data-testid=value-funnel]');
    expect(await page.textContent('[data-testid=reporting-currency]')).toContain('EUR');
    const kpi = await page.textContent('[data-testid=kpi-value-proposed]');
    // The converted part in EUR, and the USD part named with its amount as not convertible.
    expect(shown(kpi, 'EUR').gt(0)).toBe(true);
    expect(await page.locator('[data-testid=kpi-value-proposed] [data-testid=unconvertible]').textContent()).toMatch(/USD [\d,]+\.\d{2,} not convertible/);
    expect(shown(await page.locator('[data-testid=kpi-value-proposed] [data-testid=unconvertible]').textContent(), 'USD').eq(usd!.amount)).toBe(true);
    await page.close();
  });
});
