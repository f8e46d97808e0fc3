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

/** A rate as the API of accounts takes it: a positive decimal string. */
const RATE = /^(0|[1-9]\d{0,17})(\.\d{1,18})?$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

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
      // A rate that is not a positive decimal of a known currency on a calendar day is not one to convert with.
      if (!isCurrency(r.currency) || !DAY.test(r.day) || typeof r.rate !== 'string' || !RATE.test(r.rate) || /^0(\.0*)?$/.test(r.rate)) continue;
      rates.set(`${r.currency}|${r.day}`, { currency: r.currency, day: r.day, rate: r.rate, version: p.version });
    }
  }
  if (version === current.version) return null;
  return { reportingCurrency, version, replaceAll: replaceAll && current.reportingCurrency !== null, rates: [...rates.values()] };
}
