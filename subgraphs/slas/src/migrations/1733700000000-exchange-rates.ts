import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const SYSTEM = 'hubsec.is_system()';
/** Reference data: every caller reads it; a session that never got a tenant reads nothing. */
const ANY_CALLER = "hubsec.tenant() <> 'none'";

/**
 * slas' copy of the exchange rates (ExchangeRatesSet, shared/exchange-rates.ts): slaClocks
 * ordered by PRIORITY converts a handoff's value at its proposal day's rate. Every caller
 * reads them (a partner's clocks are ordered under its own session; no partner-facing field
 * shows a rate); the consumer alone writes them.
 */
const POLICIES: TablePolicies[] = [
  { table: 'exchange_rates', select: ANY_CALLER, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
  { table: 'exchange_rate_settings', select: ANY_CALLER, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
];

export class SlasExchangeRates1733700000000 implements MigrationInterface {
  name = 'SlasExchangeRates1733700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slas.exchange_rate_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        reporting_currency text NOT NULL,
        version int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE slas.exchange_rates (
        currency text NOT NULL,
        day date NOT NULL,
        rate numeric NOT NULL CHECK (rate > 0),
        version int NOT NULL,
        PRIMARY KEY (currency, day)
      )`);
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('slas', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('slas', table)) await q.query(statement);
      await q.query(`DROP TABLE IF EXISTS slas.${table}`);
    }
  }
}
