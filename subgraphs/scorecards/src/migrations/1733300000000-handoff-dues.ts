import type { MigrationInterface, QueryRunner } from 'typeorm';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';
const ME = 'hubsec.partner()';

/** The counts a due adds to its rollup cell (due-fact.ts dueContributionOf). */
export const DUE_COUNTS = ['dues', 'dues_proposed', 'dues_proposed_late', 'dues_open', 'np_superseded', 'np_dismissed', 'np_breached', 'propose_business'];

/**
 * Handoffs that came due (docs/journeys.md) in the scorecards: whether each was proposed,
 * and how long that took. Two projection tables, rebuilt from the log like the others:
 * - due_facts: one row per HandoffDue, folded from its HandoffDue* and SlaDue* events; a
 *   partner reads the dues it was accountable for (the party its figures are scored against);
 * - customers: the segment and region of each customer (CustomerCreated / CustomerUpdated),
 *   which a due takes when it opens: the due events name only the customer. Internal only:
 *   no partner query reads it.
 * The rollups gain the due counts and a time-to-propose histogram. Dues already in the log
 * are not folded by this migration (the projection's position is past them): run
 * `npm run scorecards:rebuild` once after upgrading.
 */
export class HandoffDues1733300000000 implements MigrationInterface {
  name = 'HandoffDues1733300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE scorecards.due_facts (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        accountable_partner_id uuid,
        moment text NOT NULL,
        custom_moment text,
        segment text NOT NULL DEFAULT '',
        region text NOT NULL DEFAULT '',
        stage_moved_at timestamptz NOT NULL,
        state text NOT NULL,
        handoff_id uuid,
        proposed_at timestamptz,
        closed_at timestamptz,
        breached_at timestamptz,
        business_seconds float8,
        propose_seconds float8
      )`);
    // The maturity assessment reads a partner's dues of a window.
    await q.query(`CREATE INDEX due_facts_accountable_idx ON scorecards.due_facts (accountable_partner_id, stage_moved_at)`);
    await q.query(`
      CREATE TABLE scorecards.customers (
        id uuid PRIMARY KEY,
        segment text NOT NULL DEFAULT '',
        region text NOT NULL DEFAULT ''
      )`);
    await q.query(
      `ALTER TABLE scorecards.rollups ${DUE_COUNTS.map((c) => `ADD COLUMN ${c} int NOT NULL DEFAULT 0`).join(', ')}, ADD COLUMN propose_hist jsonb NOT NULL DEFAULT '{}'`,
    );
    for (const t of ['due_facts', 'customers']) {
      await q.query(`ALTER TABLE scorecards.${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE scorecards.${t} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${t}_projection ON scorecards.${t} FOR ALL TO PUBLIC USING (${SYSTEM}) WITH CHECK (${SYSTEM})`);
    }
    await q.query(`CREATE POLICY due_facts_read ON scorecards.due_facts FOR SELECT USING (${ALL} OR accountable_partner_id = ${ME})`);
    await q.query(`CREATE POLICY customers_read ON scorecards.customers FOR SELECT USING (${ALL})`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scorecards.rollups ${[...DUE_COUNTS, 'propose_hist'].map((c) => `DROP COLUMN ${c}`).join(', ')}`);
    await q.query(`DROP TABLE scorecards.customers`);
    await q.query(`DROP TABLE scorecards.due_facts`);
  }
}
