import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { EXCHANGE_RATES_SET, type ExchangeRatesSetPayload } from '../../../../shared/eventlog/events';
import { badUserInput, forbidden } from '../../../../shared/errors';
import { amountProblem, Dec, isCurrency } from '../../../../shared/graphql/money';
import { canonicalAmount, isDay, type FieldProblem } from './commercials';

export const MAX_RATES_PER_VERSION = 5000;

/** A rate as the services hand it around (rate a canonical decimal string). */
export interface RateValue {
  currency: string;
  day: string;
  rate: string;
  version: number;
}

export interface RatesVersionValue {
  version: number;
  reportingCurrency: string;
  rates: RateValue[];
  setByPartnerId: string | null;
  setAt: Date;
}

export interface ExchangeRatesArgs {
  reportingCurrency: string;
  rates: { currency: string; day: string; rate: string }[];
}

// Serialises setExchangeRates: each call is the next version.
const RATES_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('accounts.exchange_rates', 7))`;

export function assertInternal(identity: Identity, what: string): void {
  if (!isInternal(identity)) throw forbidden(`${what} is for internal teams only`);
}

/** Every problem of an input at once, named by field. */
function problemsOf(input: ExchangeRatesArgs): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const reporting = input.reportingCurrency;
  if (!isCurrency(reporting)) problems.push({ field: 'input.reportingCurrency', message: `"${reporting}" is not an ISO 4217 currency code (e.g. "EUR")` });
  if (input.rates.length > MAX_RATES_PER_VERSION)
    problems.push({
      field: 'input.rates',
      message: `at most ${MAX_RATES_PER_VERSION} rates per version (got ${input.rates.length}); split them over several calls`,
    });
  const seen = new Map<string, number>();
  input.rates.forEach((r, i) => {
    const at = `input.rates[${i}]`;
    if (!isCurrency(r.currency)) problems.push({ field: `${at}.currency`, message: `"${r.currency}" is not an ISO 4217 currency code` });
    else if (r.currency === reporting) problems.push({ field: `${at}.currency`, message: `is the reporting currency itself (its rate is 1 by definition)` });
    if (!isDay(r.day)) problems.push({ field: `${at}.day`, message: 'must be a calendar date written YYYY-MM-DD' });
    const bad = amountProblem(r.rate);
    if (bad) problems.push({ field: `${at}.rate`, message: bad });
    else if (!new Dec(r.rate).isPositive() || new Dec(r.rate).isZero()) problems.push({ field: `${at}.rate`, message: 'must be positive' });
    const key = `${r.currency}|${r.day}`;
    const first = seen.get(key);
    if (first !== undefined) problems.push({ field: `${at}`, message: `repeats ${r.currency} on ${r.day} of input.rates[${first}]` });
    else seen.set(key, i);
  });
  return problems;
}

/**
 * Writes the next version of the exchange rates and appends ExchangeRatesSet (internal
 * teams only: visibleTo []), in one transaction. See ExchangeRatesSetPayload for which
 * rates are in force afterwards.
 */
export async function setExchangeRates(db: DataSource, identity: Identity, input: ExchangeRatesArgs): Promise<RatesVersionValue> {
  assertInternal(identity, 'Setting exchange rates');
  const problems = problemsOf(input);
  if (problems.length) throw badUserInput(`The exchange rates are invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  const rates = input.rates.map((r) => ({ currency: r.currency, day: r.day, rate: canonicalAmount(r.rate) }));
  return db.transaction(async (manager) => {
    await manager.query(RATES_LOCK);
    const [row]: { version: number; set_at: Date }[] = await manager.query(
      `INSERT INTO accounts.exchange_rate_versions (version, reporting_currency, set_by_partner_id)
       SELECT coalesce(max(version), 0) + 1, $1, $2::uuid FROM accounts.exchange_rate_versions
       RETURNING version, set_at`,
      [input.reportingCurrency, identity.partnerId ?? null],
    );
    const version = row!.version;
    if (rates.length > 0) {
      await manager.query(
        `INSERT INTO accounts.exchange_rates (version, currency, day, rate)
         SELECT $1, x.currency, x.day, x.rate FROM jsonb_to_recordset($2::jsonb) AS x(currency text, day date, rate numeric)`,
        [version, JSON.stringify(rates)],
      );
    }
    const setAt = new Date(row!.set_at);
    const payload: ExchangeRatesSetPayload = {
      version,
      reportingCurrency: input.reportingCurrency,
      rates,
      setByPartnerId: identity.partnerId ?? null,
      at: setAt.toISOString(),
    };
    await appendEvent(manager, {
      type: EXCHANGE_RATES_SET,
      source: 'accounts',
      aggregateType: 'ExchangeRates',
      aggregateId: String(version),
      payload: payload as unknown as Record<string, unknown>,
      visibleTo: [],
      actor: identity,
    });
    return {
      version,
      reportingCurrency: input.reportingCurrency,
      rates: rates.map((r) => ({ ...r, version })),
      setByPartnerId: identity.partnerId ?? null,
      setAt,
    };
  });
}

/** The reporting currency of the newest version; null before any was set. */
export async function reportingCurrency(manager: EntityManager): Promise<string | null> {
  const rows: { reporting_currency: string }[] = await manager.query(
    `SELECT reporting_currency FROM accounts.exchange_rate_versions ORDER BY version DESC LIMIT 1`,
  );
  return rows[0]?.reporting_currency ?? null;
}

export interface RatesFilter {
  currency?: string | null;
  from?: string | null;
  to?: string | null;
}

export function ratesFilterProblems(filter: RatesFilter | null | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!filter) return problems;
  if (filter.currency != null && !isCurrency(filter.currency))
    problems.push({ field: 'filter.currency', message: `"${filter.currency}" is not an ISO 4217 currency code` });
  for (const k of ['from', 'to'] as const) {
    const v = filter[k];
    if (v != null && !isDay(v)) problems.push({ field: `filter.${k}`, message: 'must be a calendar date written YYYY-MM-DD' });
  }
  if (filter.from != null && filter.to != null && isDay(filter.from) && isDay(filter.to) && filter.from > filter.to)
    problems.push({ field: 'filter.to', message: 'must not be before filter.from' });
  return problems;
}

/**
 * The rates in force (ExchangeRatesSetPayload's rule), ordered by currency then day, from
 * after the (currency, day) cursor: per (currency, day), the newest version that gives it,
 * among the versions since the reporting currency last changed. One statement.
 */
export function ratesInForceSql(filter: RatesFilter | null | undefined, cursor: [string, string] | undefined, limit?: number): [string, unknown[]] {
  const params: unknown[] = [];
  const where: string[] = ['r.version > base.b'];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (filter?.currency) where.push(`r.currency = ${p(filter.currency)}`);
  if (filter?.from) where.push(`r.day >= ${p(filter.from)}::date`);
  if (filter?.to) where.push(`r.day <= ${p(filter.to)}::date`);
  if (cursor) where.push(`(r.currency, r.day) > (${p(cursor[0])}, ${p(cursor[1])}::date)`);
  const sql = `WITH cur AS (SELECT reporting_currency FROM accounts.exchange_rate_versions ORDER BY version DESC LIMIT 1),
       base AS (SELECT coalesce(max(v.version), 0) AS b FROM accounts.exchange_rate_versions v, cur WHERE v.reporting_currency <> cur.reporting_currency)
  SELECT DISTINCT ON (r.currency, r.day) r.currency, to_char(r.day, 'YYYY-MM-DD') AS day, r.rate::text AS rate, r.version
    FROM accounts.exchange_rates r, base
   WHERE ${where.join(' AND ')}
   ORDER BY r.currency, r.day, r.version DESC${limit === undefined ? '' : ` LIMIT ${p(limit)}`}`;
  return [sql, params];
}

export const rateFromRow = (r: { currency: string; day: string; rate: string; version: number }): RateValue => ({
  currency: r.currency,
  day: r.day,
  rate: canonicalAmount(r.rate),
  version: r.version,
});
