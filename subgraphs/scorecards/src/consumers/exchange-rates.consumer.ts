import type { DataSource } from 'typeorm';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { Logger } from '../../../../shared/logger';
import { applyExchangeRates, EXCHANGE_RATE_EVENT_TYPES, EXCHANGE_RATES_CONSUMER } from '../services/exchange-rates';

/**
 * Scorecards' own copy of the exchange rates (ExchangeRatesSet from accounts), and the
 * conversion of the value rollups when a rate changes. Apart from the projection, so no
 * handoff event costs this consumer a statement; the two take the same lock before they touch
 * the value rollups (value-cells.ts VALUE_LOCK_SQL).
 */
export function createExchangeRatesConsumer(opts: { dataSource: DataSource; log: Logger }): DurableConsumer {
  return new DurableConsumer({
    name: EXCHANGE_RATES_CONSUMER,
    dataSource: opts.dataSource,
    log: opts.log,
    types: EXCHANGE_RATE_EVENT_TYPES,
    batchSize: 500,
    handle: (events, manager) => applyExchangeRates(events, manager),
  });
}
