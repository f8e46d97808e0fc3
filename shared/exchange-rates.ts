import type { ExchangeRatesSetPayload } from './eventlog/events';
import { isCurrency } from './graphql/money';

/**
 * The semantics of ExchangeRatesSet for a subgraph that keeps its own copy of the rates
 * (handoffs, slas: priority converts values with them), pure: the rate in force for a
 * (currency, day) is the newest version's that gives it, among the versions of the current
 * reporting currency; a version with another reporting currency replaces every earlier rate;
 * a version at or below the one applied (a replay) changes nothing.
 */

/** What a copy holds of the versions it applied. */
export interface RatesVersion {
  reportingCurrency: string | null;
  version: number;
}

export interface RateRow {
  currency: string;
  day: string;
  rate: string;
  version: number;
}

/** What to write: drop every rate first (replaceAll), then upsert `rates` (a newer version wins), then the new version. */
export interface RatesChange extends RatesVersion {
  replaceAll: boolean;
  rates: RateRow[];
}

/** A rate as the API of accounts takes it: a positive decimal string (rates may carry more decimals than amounts). */
const RATE = /^(0|[1-9]\d{0,17})(\.\d{1,18})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const isCalendarDay = (day: string) => {
  const t = Date.parse(`${day}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().startsWith(day);
};

/**
 * A rate to convert with: a positive decimal string of a known currency on a calendar day.
 * accounts checks all three before it emits them; a copy checks again because its numeric and
 * date casts would fail a whole batch on one bad row.
 */
export const isUsableRate = (r: { currency: unknown; day: unknown; rate: unknown }): r is { currency: string; day: string; rate: string } =>
  typeof r.currency === 'string' &&
  isCurrency(r.currency) &&
  typeof r.day === 'string' &&
  DAY.test(r.day) &&
  isCalendarDay(r.day) &&
  typeof r.rate === 'string' &&
  RATE.test(r.rate) &&
  /[1-9]/.test(r.rate);

/** Folds a batch of ExchangeRatesSet payloads (in log order) into one change; null when nothing changes. */
export function foldExchangeRates(current: RatesVersion, payloads: ExchangeRatesSetPayload[]): RatesChange | null {
  let { reportingCurrency, version } = current;
  let replaceAll = false;
  const rates = new Map<string, RateRow>();
  for (const p of payloads) {
    if (!Number.isInteger(p.version) || p.version <= version || !isCurrency(p.reportingCurrency)) continue;
    if (p.reportingCurrency !== reportingCurrency) {
      replaceAll = true;
      rates.clear();
      reportingCurrency = p.reportingCurrency;
    }
    version = p.version;
    for (const r of p.rates ?? []) {
      if (!isUsableRate(r)) continue;
      rates.set(`${r.currency}|${r.day}`, { currency: r.currency, day: r.day, rate: r.rate, version: p.version });
    }
  }
  if (version === current.version) return null;
  return { reportingCurrency, version, replaceAll: replaceAll && current.reportingCurrency !== null, rates: [...rates.values()] };
}
