import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = '(SELECT hubsec.sees_all())';
const SYSTEM = '(SELECT hubsec.is_system())';
const ME = '(SELECT hubsec.partner())';
/** Reference data: every caller reads it; a session that never got a tenant reads nothing. */
const ANY_CALLER = "(SELECT hubsec.tenant()) <> 'none'";

/**
 * - exchange_rates, exchange_rate_settings: handoffs' copy of accounts' rates (the
 *   ExchangeRatesSet events), written by the hub's consumer only. Every caller reads them:
 *   a partner's inbox ordered by PRIORITY converts its handoffs' values under its own session
 *   (the rates themselves are in no partner-facing field).
 * - handoff_sla_clocks: the last state slas reported per SLA clock of a handoff (due time,
 *   at risk); seen by the parties of the handoff, as the handoff itself.
 */
const POLICIES: TablePolicies[] = [
  { table: 'exchange_rates', select: ANY_CALLER, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
  { table: 'exchange_rate_settings', select: ANY_CALLER, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
  {
    table: 'handoff_sla_clocks',
    select: `${ALL} OR EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.id = handoff_sla_clocks.handoff_id
      AND ${ME} IN (h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id))`,
    insert: SYSTEM,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
];

/** A value snapshot's three columns: all set or all null, the amount an exact decimal. */
const VALUE_COLUMNS = `ADD COLUMN value_amount numeric, ADD COLUMN value_currency text,
  ADD COLUMN value_source text CHECK (value_source IN ('PLAYBOOK_FIELD', 'PIPELINE', 'ARR')),
  ADD CONSTRAINT %_value_whole CHECK ((value_amount IS NULL) = (value_currency IS NULL) AND (value_amount IS NULL) = (value_source IS NULL))`;

/** Whoever writes the row, its value snapshot never changes once written (docs/handoffs.md#value). */
const fixedValue = (table: string) => `
  CREATE FUNCTION handoffs.${table}_value_fixed() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
  BEGIN
    IF (NEW.value_amount, NEW.value_currency, NEW.value_source) IS DISTINCT FROM (OLD.value_amount, OLD.value_currency, OLD.value_source) THEN
      RAISE EXCEPTION '% %: its value is a snapshot taken once and does not change', TG_TABLE_NAME, OLD.id USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END $$`;

/**
 * Money (docs/handoffs.md#value): the customer's commercials in handoffs' projection, the value
 * snapshot of a handoff and of a due, handoffs' copy of the exchange rates, and the SLA clock
 * states a handoff's priority reads its risk from.
 */
export class HandoffsMoney1733700000000 implements MigrationInterface {
  name = 'HandoffsMoney1733700000000';

  async up(q: QueryRunner): Promise<void> {
    // Accounts' figures as the last event carried them; null: not known.
    await q.query(`
      ALTER TABLE handoffs.customers
        ADD COLUMN commercials_currency text, ADD COLUMN arr numeric, ADD COLUMN pipeline_value numeric, ADD COLUMN contract_value numeric,
        ADD COLUMN contract_term_months int, ADD COLUMN renewal_date date`);
    // The projection's columns are accounts' to set: a request (an accept) changes none of them.
    await q.query(`
      CREATE OR REPLACE FUNCTION handoffs.customers_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF NOT hubsec.is_system() AND (NEW.id, NEW.name, NEW.segment, NEW.region, NEW.lifecycle_stage, NEW.commercials_currency, NEW.arr,
                                       NEW.pipeline_value, NEW.contract_value, NEW.contract_term_months, NEW.renewal_date)
                                      IS DISTINCT FROM (OLD.id, OLD.name, OLD.segment, OLD.region, OLD.lifecycle_stage, OLD.commercials_currency, OLD.arr,
                                       OLD.pipeline_value, OLD.contract_value, OLD.contract_term_months, OLD.renewal_date) THEN
          RAISE EXCEPTION 'customer % is projected from accounts; only its events change it here', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of ['handoffs', 'handoff_dues']) {
      await q.query(`ALTER TABLE handoffs.${table} ${VALUE_COLUMNS.replace('%', table)}`);
      await q.query(fixedValue(table));
      await q.query(`CREATE TRIGGER ${table}_value_fixed BEFORE UPDATE ON handoffs.${table} FOR EACH ROW EXECUTE FUNCTION handoffs.${table}_value_fixed()`);
    }

    await q.query(`
      CREATE TABLE handoffs.exchange_rate_settings (
        id boolean PRIMARY KEY DEFAULT true CHECK (id),
        reporting_currency text NOT NULL,
        version int NOT NULL
      )`);
    await q.query(`
      CREATE TABLE handoffs.exchange_rates (
        currency text NOT NULL,
        day date NOT NULL,
        rate numeric NOT NULL CHECK (rate > 0),
        version int NOT NULL,
        PRIMARY KEY (currency, day)
      )`);
    await q.query(`
      CREATE TABLE handoffs.handoff_sla_clocks (
        clock_id uuid PRIMARY KEY,
        handoff_id uuid NOT NULL,
        target text NOT NULL,
        state text NOT NULL,
        started_at timestamptz(3) NOT NULL,
        due_at timestamptz(3),
        at_risk_at timestamptz(3),
        last_event_tx numeric NOT NULL,
        last_event_seq numeric NOT NULL
      )`);
    await q.query(`CREATE INDEX handoff_sla_clocks_handoff_idx ON handoffs.handoff_sla_clocks (handoff_id, target)`);
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('handoffs', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('handoffs', table)) await q.query(statement);
      await q.query(`DROP TABLE IF EXISTS handoffs.${table}`);
    }
    for (const table of ['handoffs', 'handoff_dues']) {
      await q.query(`DROP TRIGGER IF EXISTS ${table}_value_fixed ON handoffs.${table}`);
      await q.query(`DROP FUNCTION IF EXISTS handoffs.${table}_value_fixed()`);
      await q.query(
        `ALTER TABLE handoffs.${table} DROP CONSTRAINT IF EXISTS ${table}_value_whole, DROP COLUMN value_source, DROP COLUMN value_currency, DROP COLUMN value_amount`,
      );
    }
    await q.query(`
      CREATE OR REPLACE FUNCTION handoffs.customers_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF NOT hubsec.is_system() AND (NEW.id, NEW.name, NEW.segment, NEW.region, NEW.lifecycle_stage)
                                      IS DISTINCT FROM (OLD.id, OLD.name, OLD.segment, OLD.region, OLD.lifecycle_stage) THEN
          RAISE EXCEPTION 'customer % is projected from accounts; only its events change it here', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      ALTER TABLE handoffs.customers DROP COLUMN renewal_date, DROP COLUMN contract_term_months, DROP COLUMN contract_value,
        DROP COLUMN pipeline_value, DROP COLUMN arr, DROP COLUMN commercials_currency`);
  }
}
