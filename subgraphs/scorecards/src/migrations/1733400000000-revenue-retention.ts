import type { MigrationInterface, QueryRunner } from 'typeorm';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';
const ME = 'hubsec.partner()';

/** The caller owned the customer at some point (retention_owners): it may read that customer's revenue history. */
const ownedBy = (customerColumn: string) =>
  `EXISTS (SELECT 1 FROM scorecards.retention_owners o WHERE o.customer_id = ${customerColumn} AND o.partner_id = ${ME})`;

/** Projection tables of the retention consumer (written only by it, as the hub). */
const PROJECTIONS: { table: string; read: string }[] = [
  { table: 'retention_owners', read: `partner_id = ${ME}` },
  // Qualified: inside the EXISTS, a bare customer_id would be the owners' own column.
  { table: 'retention_customers', read: ownedBy('retention_customers.id') },
  { table: 'retention_ownership', read: ownedBy('retention_ownership.customer_id') },
  { table: 'retention_arr', read: ownedBy('retention_arr.customer_id') },
  { table: 'renewal_outcomes', read: ownedBy('renewal_outcomes.customer_id') },
  { table: 'handoff_values', read: `${ME} IN (from_partner_id, to_partner_id)` },
  // The nil uuid stands for customers held directly (due-fact.ts NO_PARTNER): internal only.
  { table: 'retention_cells', read: `holder = ${ME}` },
  { table: 'retention_horizon', read: `${ME} IS NOT NULL` },
];

/**
 * Revenue retention and lifetime value (docs/scorecards.md, "Revenue retention"). Tables of
 * their own, fed by their own consumer (consumers/retention.consumer.ts) from customer,
 * ownership, renewal-outcome and handoff events; the scorecard projection's tables are
 * untouched. Facts are append-only and keyed by the event they came from, so replaying a
 * batch changes nothing. `gross_margins` is a source-of-truth table (setGrossMargin).
 *
 * Row-level security: a partner reads the revenue history of the customers it has owned
 * at some point (retention_owners), which is what its own rows are computed from; the
 * resolvers then keep only the periods attributed to it. The gross margin is read by
 * everyone (a partner's lifetime value shows the margin it used) and written by internal
 * teams only.
 */
export class RevenueRetention1733400000000 implements MigrationInterface {
  name = 'RevenueRetention1733400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scorecards.retention_customers (
        id uuid PRIMARY KEY,
        segment text NOT NULL,
        region text NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE scorecards.retention_owners (
        customer_id uuid NOT NULL,
        partner_id uuid NOT NULL,
        PRIMARY KEY (customer_id, partner_id)
      )`);
    await q.query(`CREATE INDEX retention_owners_partner_idx ON scorecards.retention_owners (partner_id, customer_id)`);
    // One row per ownership event (the creation's owner, every OwnershipChanged); partner null = held directly.
    await q.query(`
      CREATE TABLE scorecards.retention_ownership (
        event_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        at timestamptz NOT NULL,
        tx bigint NOT NULL,
        seq bigint NOT NULL,
        partner_id uuid
      )`);
    await q.query(`CREATE INDEX retention_ownership_customer_idx ON scorecards.retention_ownership (customer_id, at)`);
    // One row per customer event that carried commercials: the ARR history and the renewal dates.
    await q.query(`
      CREATE TABLE scorecards.retention_arr (
        event_id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        at timestamptz NOT NULL,
        tx bigint NOT NULL,
        seq bigint NOT NULL,
        arr numeric(24, 6),
        currency text NOT NULL,
        renewal_date date
      )`);
    await q.query(`CREATE INDEX retention_arr_customer_idx ON scorecards.retention_arr (customer_id, at)`);
    await q.query(`CREATE INDEX retention_arr_renewal_idx ON scorecards.retention_arr (renewal_date) WHERE renewal_date IS NOT NULL`);
    await q.query(`
      CREATE TABLE scorecards.renewal_outcomes (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        owner_partner_id uuid,
        kind text NOT NULL CHECK (kind IN ('RENEWED', 'EXPANDED', 'CONTRACTED', 'CHURNED')),
        previous_arr numeric(24, 6),
        new_arr numeric(24, 6) NOT NULL,
        currency text NOT NULL,
        effective_date date NOT NULL,
        recorded_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX renewal_outcomes_customer_idx ON scorecards.renewal_outcomes (customer_id, effective_date)`);
    await q.query(`CREATE INDEX renewal_outcomes_owner_idx ON scorecards.renewal_outcomes (owner_partner_id, effective_date)`);
    // Whether each handoff carried a value at proposal (maturity: measurement & accountability).
    await q.query(`
      CREATE TABLE scorecards.handoff_values (
        id uuid PRIMARY KEY,
        from_partner_id uuid,
        to_partner_id uuid NOT NULL,
        proposed_at timestamptz NOT NULL,
        has_value boolean NOT NULL
      )`);
    await q.query(`CREATE INDEX handoff_values_to_idx ON scorecards.handoff_values (to_partner_id, proposed_at)`);
    await q.query(`CREATE INDEX handoff_values_from_idx ON scorecards.handoff_values (from_partner_id, proposed_at)`);
    // Pre-aggregated retention per calendar quarter × holder × segment × region × cohort ×
    // currency (services/retention-cells.ts): what a query of whole quarters reads instead of
    // every customer's history. Kept by the retention consumer for every quarter up to the
    // horizon; a quarter past it is computed from the histories.
    await q.query(`
      CREATE TABLE scorecards.retention_cells (
        quarter date NOT NULL,
        holder uuid NOT NULL,
        segment text NOT NULL,
        region text NOT NULL,
        cohort text NOT NULL,
        currency text NOT NULL,
        starting numeric(30, 6) NOT NULL DEFAULT 0,
        churned numeric(30, 6) NOT NULL DEFAULT 0,
        contracted numeric(30, 6) NOT NULL DEFAULT 0,
        expanded numeric(30, 6) NOT NULL DEFAULT 0,
        customers int NOT NULL DEFAULT 0,
        churned_customers int NOT NULL DEFAULT 0,
        contracted_customers int NOT NULL DEFAULT 0,
        expanded_customers int NOT NULL DEFAULT 0,
        excluded_customers int NOT NULL DEFAULT 0,
        PRIMARY KEY (quarter, holder, segment, region, cohort, currency)
      ) WITH (fillfactor = 70)`);
    await q.query(`CREATE INDEX retention_cells_holder_idx ON scorecards.retention_cells (holder, quarter)`);
    // One row: the last quarter the cells hold.
    await q.query(`CREATE TABLE scorecards.retention_horizon (id boolean PRIMARY KEY DEFAULT true CHECK (id), quarter date NOT NULL)`);
    await q.query(`
      CREATE TABLE scorecards.gross_margins (
        version serial PRIMARY KEY,
        segment text,
        margin numeric(7, 6) NOT NULL CHECK (margin > 0 AND margin <= 1),
        set_by_partner_id uuid,
        set_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    for (const { table, read } of PROJECTIONS) {
      await q.query(`ALTER TABLE scorecards.${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE scorecards.${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_projection ON scorecards.${table} FOR ALL TO PUBLIC USING (${SYSTEM}) WITH CHECK (${SYSTEM})`);
      await q.query(`CREATE POLICY ${table}_read ON scorecards.${table} FOR SELECT USING (${ALL} OR ${read})`);
    }
    await q.query(`ALTER TABLE scorecards.gross_margins ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE scorecards.gross_margins FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY gross_margins_read ON scorecards.gross_margins FOR SELECT USING (${ALL} OR ${ME} IS NOT NULL)`);
    await q.query(`CREATE POLICY gross_margins_internal ON scorecards.gross_margins FOR INSERT WITH CHECK (${ALL})`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'gross_margins',
      'handoff_values',
      'renewal_outcomes',
      'retention_arr',
      'retention_ownership',
      'retention_owners',
      'retention_customers',
    ]) {
      await q.query(`DROP TABLE IF EXISTS scorecards.${t}`);
    }
  }
}
