import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { Dec } from '../../../shared/graphql/money';
import type { CommercialsValue } from './services/commercials';
import { setExchangeRates } from './services/exchange-rates.service';

/**
 * Money in the demo (docs/revenue.md, "Demo data"): commercials on every demo customer, in
 * USD or EUR, and a year of daily EUR→USD rates with USD as the reporting currency. All of
 * it is a pure function of the customer's place in the seed and the day of the first start:
 * no randomness, so every first start holds the same figures (dated from that day).
 *
 * The first twenty customers' ARR is what their last demo renewal left: scorecards' demo
 * history (subgraphs/scorecards/src/seed.ts, demoRenewals) records, for customer i, a renewal
 * a year before its latest one at {@link demoBaseArr}(i), then the latest one of kind
 * DEMO_RENEWAL_KINDS[i % 10], effective {@link demoRenewalDaysAgo}(i) days before the start.
 * The two files keep the same formulas (a subgraph never imports another one's code), and
 * test/e2e/demo-money.e2e.test.ts holds them to each other.
 */

const DAY_MS = 24 * 3600_000;
/** How the latest renewal of demo customer i ended (i % 10). */
export const DEMO_RENEWAL_KINDS = [
  'RENEWED',
  'EXPANDED',
  'CONTRACTED',
  'RENEWED',
  'EXPANDED',
  'CHURNED',
  'EXPANDED',
  'RENEWED',
  'CONTRACTED',
  'EXPANDED',
] as const;
/** Customer i's ARR before its latest renewal: a multiple of 1,500 from 12,000 to 100,500, so a fifth up or down stays whole. */
export const demoBaseArr = (i: number): Dec => new Dec((8 + ((i * 29) % 60)) * 1500);
/** Customer i's latest renewal took effect this many days before the first start (10 to 333). */
export const demoRenewalDaysAgo = (i: number): number => 10 + i * 17;
export const demoCurrency = (i: number): 'USD' | 'EUR' => (i % 2 === 0 ? 'USD' : 'EUR');

/** Customer i's ARR after its latest renewal. */
export function demoArrAfterRenewal(i: number): Dec {
  const base = demoBaseArr(i);
  switch (DEMO_RENEWAL_KINDS[i % 10]) {
    case 'EXPANDED':
      return base.times(6).div(5);
    case 'CONTRACTED':
      return base.times(4).div(5);
    case 'CHURNED':
      return new Dec(0);
    default:
      return base;
  }
}

const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
const PRE_SALE = new Set(['LEAD', 'MQL', 'SQL', 'OPPORTUNITY']);

/**
 * The figures of the demo customer at place i of the seed, with lifecycle stage `stage`.
 * Before the sale a customer also has an open opportunity (pipeline value), which handoffs
 * snapshot for the early moments. Places past the twenty scorecards' history knows (the
 * journey customers, the suspended partner's) have an ARR but no renewal behind it.
 */
export function demoCommercials(i: number, stage: string, now: Date): CommercialsValue {
  const currency = demoCurrency(i);
  const known = i < 20;
  const arr = known ? demoArrAfterRenewal(i) : new Dec((20 + ((i * 13) % 40)) * 1000);
  const churned = arr.isZero();
  const nextRenewal = known ? now.getTime() + (365 - demoRenewalDaysAgo(i)) * DAY_MS : now.getTime() + (30 + i * 11) * DAY_MS;
  return {
    currency,
    arr: arr.toFixed(),
    pipelineValue: PRE_SALE.has(stage)
      ? demoBaseArr(i)
          .times(3)
          .div(2)
          .plus((i * 37) % 100)
          .toFixed()
      : null,
    contractValue: churned ? null : arr.toFixed(),
    contractTermMonths: churned ? null : 12,
    renewalDate: churned ? null : dayOf(nextRenewal),
  };
}

/** Days of demo exchange rates: the year up to the first start, that day included. */
export const DEMO_RATE_DAYS = 366;

/**
 * EUR→USD for the day `d` days before the first start: 1.0400 to 1.1000, a slow zigzag
 * (integers only, so the rates are exact and the same everywhere).
 */
export function demoEurUsd(d: number): string {
  const phase = (d * 3) % 120;
  const basisPoints = 10400 + 5 * (phase < 60 ? phase : 120 - phase) * 2;
  return new Dec(basisPoints).div(10000).toFixed(4);
}

/** The demo's exchange rates, set once (through setExchangeRates, as an internal team would): nothing when any version exists. */
export async function seedExchangeRates(db: DataSource, actor: Identity, now = new Date()): Promise<void> {
  const [{ n }]: [{ n: number }] = await db.query(`SELECT count(*)::int AS n FROM accounts.exchange_rate_versions`);
  if (n > 0) return;
  const rates = Array.from({ length: DEMO_RATE_DAYS }, (_, d) => ({ currency: 'EUR', day: dayOf(now.getTime() - d * DAY_MS), rate: demoEurUsd(d) }));
  await setExchangeRates(db, actor, { reportingCurrency: 'USD', rates });
}
