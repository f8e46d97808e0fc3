import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { Dec } from '../../../shared/graphql/money';
import { demoArrAfterRenewal, demoBaseArr, demoCurrency, demoRenewalDaysAgo } from '../../../shared/demo/revenue-plan';
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
 * Both follow shared/demo/revenue-plan.ts.
 */

const DAY_MS = 24 * 3600_000;
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
