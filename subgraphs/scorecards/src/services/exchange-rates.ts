import type { EntityManager } from 'typeorm';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { EXCHANGE_RATES_SET, type ExchangeRatesSetPayload } from '../../../../shared/eventlog/events';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { isCurrency } from '../../../../shared/graphql/money';
import { isUsableRate } from '../../../../shared/exchange-rates';
import { VALUE_FIGURES } from './value-figures';
import { REPORTING_CURRENCY_SQL, ROLLUP_KEY_SELECT, rollupCellsOf, upsertValueRollups, VALUE_LOCK_SQL } from './value-cells';

/** The durable consumer's name; its position lives in eventlog.consumers. */
export const EXCHANGE_RATES_CONSUMER = 'scorecards-exchange-rates';
export const EXCHANGE_RATE_EVENT_TYPES = [EXCHANGE_RATES_SET];

/**
 * Keeps scorecards' own copy of the exchange rates, and the value rollups converted with them.
 * Per batch of ExchangeRatesSet events: every version as it came (each once, whatever order
 * the versions arrive in), then the rates in force recomputed from all of them — per currency
 * and day, the newest version giving it among the versions since the reporting currency last
 * changed (events.ts, ExchangeRatesSetPayload); versions are rare and small, so recomputing
 * keeps this order-independent without bookkeeping. Then the value of every (currency, day)
 * whose rate changed — set after the handoffs, corrected by a later version, or gone with a
 * new reporting currency — moves in the value rollups from its old conversion to its new one
 * (or between converted and unconvertible), from the native value cells of that day: a
 * rebuild from the log gives the same rollups.
 */
export async function applyExchangeRates(events: HubEvent[], manager: Pick<EntityManager, 'query'>): Promise<void> {
  // A version number is kept once, as it first came (here and across batches: ON CONFLICT DO NOTHING).
  const byNumber = new Map<number, ExchangeRatesSetPayload & { setAt: string }>();
  for (const e of events) {
    const p = e.payload as unknown as ExchangeRatesSetPayload;
    if (e.type !== EXCHANGE_RATES_SET || !Number.isInteger(p.version) || !isCurrency(p.reportingCurrency) || byNumber.has(p.version)) continue;
    const at = Date.parse(p.at);
    byNumber.set(p.version, { ...p, setAt: Number.isNaN(at) ? e.occurredAt.toISOString() : new Date(at).toISOString() });
  }
  const versions = [...byNumber.values()];
  if (versions.length === 0) return;
  await manager.query(`${BACKGROUND}${VALUE_LOCK_SQL}`);
  // What the value rollups were converted with until now.
  const [{ code: before }]: [{ code: string | null }] = await manager.query(`${BACKGROUND}SELECT ${REPORTING_CURRENCY_SQL} AS code`);
  await manager.query(`${BACKGROUND}CREATE TEMP TABLE scorecards_rates_before ON COMMIT DROP AS SELECT currency, day, rate FROM scorecards.effective_rates`);
  const inserted: { version: number }[] = await manager.query(
    `${BACKGROUND}INSERT INTO scorecards.exchange_rate_versions (version, reporting_currency, set_at)
     SELECT version, reporting_currency, set_at FROM jsonb_to_recordset($1::jsonb) AS r(version int, reporting_currency text, set_at timestamptz)
     ON CONFLICT (version) DO NOTHING RETURNING version`,
    [JSON.stringify(versions.map((p) => ({ version: p.version, reporting_currency: p.reportingCurrency, set_at: p.setAt })))],
  );
  // One rate per (version, currency, day): a version that names a pair twice keeps its last.
  // A version number seen in an earlier batch keeps the rates it came with.
  const fresh = new Set(inserted.map((r) => r.version));
  const rates = new Map<string, { version: number; currency: string; day: string; rate: string }>();
  for (const p of versions.filter((v) => fresh.has(v.version))) {
    for (const r of p.rates ?? []) {
      if (isUsableRate(r) && r.currency !== p.reportingCurrency) rates.set(`${p.version}|${r.currency}|${r.day}`, { version: p.version, ...r });
    }
  }
  if (rates.size > 0) {
    await manager.query(
      `${BACKGROUND}INSERT INTO scorecards.exchange_rates (version, currency, day, rate)
       SELECT version, currency, day, rate FROM jsonb_to_recordset($1::jsonb) AS r(version int, currency text, day date, rate numeric)
       ON CONFLICT (version, currency, day) DO NOTHING`,
      [JSON.stringify([...rates.values()])],
    );
  }
  await manager.query(`${BACKGROUND}DELETE FROM scorecards.effective_rates`);
  await manager.query(
    `${BACKGROUND}INSERT INTO scorecards.effective_rates (currency, day, rate, version)
     WITH cur AS (SELECT version, reporting_currency FROM scorecards.exchange_rate_versions ORDER BY version DESC LIMIT 1),
          since AS (SELECT coalesce(max(v.version), 0) AS after FROM scorecards.exchange_rate_versions v, cur WHERE v.reporting_currency <> cur.reporting_currency)
     SELECT DISTINCT ON (r.currency, r.day) r.currency, r.day, r.rate, r.version
       FROM scorecards.exchange_rates r, since
      WHERE r.version > since.after
      ORDER BY r.currency, r.day, r.version DESC`,
  );
  await manager.query(`${BACKGROUND}${moveConvertedValue}`, [before]);
}

/** A rate as the rollups apply it: 1 in the reporting currency, the rate in force otherwise, null without one. */
const rateIn = (rc: string, currency: string, rate: string) => `CASE WHEN ${currency} = ${rc} THEN 1::numeric ELSE ${rate} END`;

/**
 * Moves the value of each (currency, day) whose rate changed ($1: the reporting currency
 * before): out at the old rate (or out of the unconvertible part), in at the new one (or into
 * it). When the reporting currency changed, every day of the old and the new one moves too.
 */
const moveConvertedValue = `
  WITH rc AS (SELECT ${REPORTING_CURRENCY_SQL} AS code),
  pairs AS (
    SELECT currency, day FROM scorecards_rates_before
    UNION SELECT currency, day FROM scorecards.effective_rates
    UNION SELECT DISTINCT v.currency, v.day FROM scorecards.value_cells v, rc WHERE $1::text IS DISTINCT FROM rc.code AND v.currency IN ($1::text, rc.code)
  ),
  moved AS (
    SELECT * FROM (
      SELECT p.currency, p.day, ${rateIn('$1::text', 'p.currency', 'o.rate')} AS old_rate, ${rateIn('rc.code', 'p.currency', 'e.rate')} AS new_rate
        FROM pairs p CROSS JOIN rc
        LEFT JOIN scorecards_rates_before o ON o.currency = p.currency AND o.day = p.day
        LEFT JOIN scorecards.effective_rates e ON e.currency = p.currency AND e.day = p.day) m
     WHERE old_rate IS DISTINCT FROM new_rate
  )
  ${upsertValueRollups(`
    SELECT ${ROLLUP_KEY_SELECT},
           ${VALUE_FIGURES.map(
             (f) => `sum(v.${f}_n * ((m.new_rate IS NOT NULL)::int - (m.old_rate IS NOT NULL)::int))::int,
           sum(v.${f}_amount * coalesce(m.new_rate, 0) - v.${f}_amount * coalesce(m.old_rate, 0)),
           sum(v.${f}_n * ((m.new_rate IS NULL)::int - (m.old_rate IS NULL)::int))::int,
           sum(v.${f}_amount * ((m.new_rate IS NULL)::int - (m.old_rate IS NULL)::int))`,
           ).join(',\n           ')}
    FROM ${rollupCellsOf('moved m JOIN scorecards.value_cells v ON v.currency = m.currency AND v.day = m.day')}`)}`;
