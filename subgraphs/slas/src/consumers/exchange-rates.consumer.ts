import type { DataSource } from 'typeorm';
import { createExchangeRatesCopyConsumer, EXCHANGE_RATES_TYPES } from '../../../../shared/exchange-rates-copy';
import type { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { Logger } from '../../../../shared/logger';

export const EXCHANGE_RATES_CONSUMER = 'slas.exchange-rates';
export { EXCHANGE_RATES_TYPES };

/** Keeps slas' copy of the exchange rates (slaClocks ordered by PRIORITY converts a handoff's value at the rate of its proposal day). */
export function createExchangeRatesConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return createExchangeRatesCopyConsumer({ name: EXCHANGE_RATES_CONSUMER, schema: 'slas', dataSource, log });
}
