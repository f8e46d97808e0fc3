import type { DataSource } from 'typeorm';
import { BACKGROUND } from './db/query-counter';
import { DurableConsumer } from './eventlog/durable-consumer';
import { EXCHANGE_RATES_SET, type ExchangeRatesSetPayload } from './eventlog/events';
import { foldExchangeRates, type RatesVersion } from './exchange-rates';
import type { Logger } from './logger';

export const EXCHANGE_RATES_TYPES = [EXCHANGE_RATES_SET];

/**
 * The consumer that keeps a subgraph's own copy of the exchange rates in its schema's
 * `exchange_rates` and `exchange_rate_settings` tables (each subgraph migrates its own), with
 * the semantics of shared/exchange-rates.ts. The batch is folded in memory first: one read,
 * then at most a delete, one upsert of the rates and one of the reporting currency, however
 * many versions it holds. Rates are reference data, not work: demo history counts too.
 */
export function createExchangeRatesCopyConsumer(opts: { name: string; schema: 'handoffs' | 'slas'; dataSource: DataSource; log: Logger }): DurableConsumer {
  const { schema } = opts;
  return new DurableConsumer({
    name: opts.name,
    dataSource: opts.dataSource,
    log: opts.log,
    types: EXCHANGE_RATES_TYPES,
    batchSize: 100,
    includeDemoHistory: true,
    async handle(events, manager) {
      const [current]: RatesVersion[] = await manager.query(
        `${BACKGROUND}SELECT reporting_currency AS "reportingCurrency", version FROM ${schema}.exchange_rate_settings`,
      );
      const change = foldExchangeRates(
        current ?? { reportingCurrency: null, version: 0 },
        events.map((e) => e.payload as unknown as ExchangeRatesSetPayload),
      );
      if (!change) return;
      if (change.replaceAll) await manager.query(`${BACKGROUND}DELETE FROM ${schema}.exchange_rates`);
      if (change.rates.length) {
        await manager.query(
          `${BACKGROUND}INSERT INTO ${schema}.exchange_rates AS x (currency, day, rate, version)
           SELECT currency, day, rate, version FROM jsonb_to_recordset($1::jsonb) AS r(currency text, day date, rate numeric, version int)
           ON CONFLICT (currency, day) DO UPDATE SET rate = EXCLUDED.rate, version = EXCLUDED.version WHERE EXCLUDED.version >= x.version`,
          [JSON.stringify(change.rates)],
        );
      }
      await manager.query(
        `${BACKGROUND}INSERT INTO ${schema}.exchange_rate_settings (id, reporting_currency, version) VALUES (true, $1, $2)
         ON CONFLICT (id) DO UPDATE SET reporting_currency = EXCLUDED.reporting_currency, version = EXCLUDED.version`,
        [change.reportingCurrency, change.version],
      );
    },
  });
}
