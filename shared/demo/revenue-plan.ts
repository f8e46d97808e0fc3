import { Dec } from '../graphql/money';

/**
 * The demo's revenue plan, which two seeds follow (docs/revenue.md, "Demo data"): accounts
 * gives demo customer i the ARR its latest renewal left, and scorecards' demo history records
 * those renewals. Each subgraph seeds only its own data; this is the one place both read what
 * customer i's money is, so the two can never disagree. Pure functions of the customer's
 * place in the seed: every first start holds the same figures (dated from that day).
 */

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
export type DemoRenewalKind = (typeof DEMO_RENEWAL_KINDS)[number];

/** How many demo customers have a renewal history. */
export const DEMO_RENEWAL_CUSTOMERS = 20;

export const demoRenewalKind = (i: number): DemoRenewalKind => DEMO_RENEWAL_KINDS[i % DEMO_RENEWAL_KINDS.length]!;

/** Customer i's ARR before its latest renewal: a multiple of 1,500 from 12,000 to 100,500, so a fifth up or down stays whole. */
export const demoBaseArr = (i: number): Dec => new Dec((8 + ((i * 29) % 60)) * 1500);

/** Customer i's latest renewal took effect this many days before the first start (10 to 333). */
export const demoRenewalDaysAgo = (i: number): number => 10 + i * 17;

/** Customer i's currency: even places in USD, odd ones in EUR. */
export const demoCurrency = (i: number): 'USD' | 'EUR' => (i % 2 === 0 ? 'USD' : 'EUR');

/** Customer i's ARR after its latest renewal. */
export function demoArrAfterRenewal(i: number): Dec {
  const base = demoBaseArr(i);
  switch (demoRenewalKind(i)) {
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
