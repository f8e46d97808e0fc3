import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';

/**
 * The caller owns the row's customer. Commercial figures are the owner's and internal
 * teams' only: a collaborator (a previous owner, say) holds a grant on the customer but
 * not this one. customer_access is self-contained, so no policy recursion.
 */
const ownerOf = (customerColumn: string) =>
  `EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = ${customerColumn} AND a.partner_id = hubsec.partner() AND a.kind = 'OWNER')`;

const POLICIES: TablePolicies[] = [
  {
    // The customer's figures now: the owner reads and writes them (updateCustomer, sync,
    // recordRenewalOutcome), internal teams too; no one deletes them but the hub.
    table: 'customer_commercials',
    select: `${ALL} OR ${ownerOf('customer_commercials.customer_id')}`,
    insert: `${ALL} OR ${ownerOf('customer_commercials.customer_id')}`,
    update: { using: `${ALL} OR ${ownerOf('customer_commercials.customer_id')}` },
    delete: SYSTEM,
  },
  {
    // Append-only: every revision of the figures, readable like the figures themselves.
    table: 'customer_commercials_history',
    select: `${ALL} OR ${ownerOf('customer_commercials_history.customer_id')}`,
    insert: `${ALL} OR ${ownerOf('customer_commercials_history.customer_id')}`,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // Recorded by the owner or internal teams (and the hub, from a completed renewal
    // handoff); never rewritten.
    table: 'renewal_outcomes',
    select: `${ALL} OR ${ownerOf('renewal_outcomes.customer_id')}`,
    insert: `${ALL} OR ${ownerOf('renewal_outcomes.customer_id')}`,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // Which currency the hub reports in is no secret (every signed-in caller may read
    // Query.reportingCurrency); only internal teams set a version.
    table: 'exchange_rate_versions',
    select: `hubsec.tenant() <> 'none'`,
    insert: ALL,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // The rates themselves are internal configuration.
    table: 'exchange_rates',
    select: ALL,
    insert: ALL,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
];

/**
 * Money in accounts (docs/revenue.md): a customer's commercial figures and their history,
 * renewal outcomes, and versioned exchange rates. Amounts are `numeric(24, 6)` (the
 * Decimal scalar's range), rates `numeric` (exact, whatever the scalar lets through).
 */
export class Revenue1733000000030 implements MigrationInterface {
  name = 'Revenue1733000000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts.customer_commercials (
        customer_id uuid PRIMARY KEY REFERENCES accounts.customers(id) ON DELETE CASCADE,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        arr numeric(24, 6) CHECK (arr >= 0),
        pipeline_value numeric(24, 6) CHECK (pipeline_value >= 0),
        contract_value numeric(24, 6) CHECK (contract_value >= 0),
        contract_term_months int CHECK (contract_term_months > 0),
        renewal_date date,
        customer_version int NOT NULL,
        updated_by_partner_id uuid REFERENCES accounts.partners(id),
        updated_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      CREATE TABLE accounts.customer_commercials_history (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES accounts.customers(id) ON DELETE CASCADE,
        customer_version int NOT NULL,
        currency text NOT NULL,
        arr numeric(24, 6),
        pipeline_value numeric(24, 6),
        contract_value numeric(24, 6),
        contract_term_months int,
        renewal_date date,
        source text NOT NULL CHECK (source IN ('UPDATE', 'SYNC', 'RENEWAL_OUTCOME')),
        changed_by_partner_id uuid REFERENCES accounts.partners(id),
        changed_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (customer_id, customer_version)
      )`);
    await q.query(`
      CREATE TABLE accounts.renewal_outcomes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        customer_id uuid NOT NULL REFERENCES accounts.customers(id) ON DELETE CASCADE,
        owner_partner_id uuid REFERENCES accounts.partners(id),
        kind text NOT NULL CHECK (kind IN ('RENEWED', 'EXPANDED', 'CONTRACTED', 'CHURNED')),
        previous_arr numeric(24, 6),
        new_arr numeric(24, 6) NOT NULL CHECK (new_arr >= 0),
        currency text NOT NULL,
        effective_date date NOT NULL,
        handoff_id uuid UNIQUE,
        recorded_by_partner_id uuid REFERENCES accounts.partners(id),
        recorded_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX renewal_outcomes_customer_idx ON accounts.renewal_outcomes (customer_id, seq)`);
    await q.query(`
      CREATE TABLE accounts.exchange_rate_versions (
        version int PRIMARY KEY CHECK (version > 0),
        reporting_currency text NOT NULL CHECK (reporting_currency ~ '^[A-Z]{3}$'),
        set_by_partner_id uuid REFERENCES accounts.partners(id),
        set_at timestamptz(3) NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`
      CREATE TABLE accounts.exchange_rates (
        version int NOT NULL REFERENCES accounts.exchange_rate_versions(version),
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        day date NOT NULL,
        rate numeric NOT NULL CHECK (rate > 0),
        PRIMARY KEY (version, currency, day)
      )`);
    // The rates in force: per (currency, day), the newest version's.
    await q.query(`CREATE INDEX exchange_rates_in_force_idx ON accounts.exchange_rates (currency, day, version DESC)`);
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('accounts', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of [...POLICIES].reverse()) {
      for (const statement of dropRlsPolicySql('accounts', table)) await q.query(statement);
    }
    for (const t of ['exchange_rates', 'exchange_rate_versions', 'renewal_outcomes', 'customer_commercials_history', 'customer_commercials']) {
      await q.query(`DROP TABLE IF EXISTS accounts.${t}`);
    }
  }
}
