import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partners' query-cost budgets, shared by every gateway instance: each gateway charges its
 * own copy per request and settles the difference here every HUB_COST_SYNC_MS, so a
 * partner's sustained rate is the configured one however many gateways serve it. Only the
 * hub (the settlement endpoint, tenant system) reads or writes it.
 */
export class CostBudgets1733000000010 implements MigrationInterface {
  name = 'CostBudgets1733000000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts.cost_budgets (
        partner_key text PRIMARY KEY,
        available double precision NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`ALTER TABLE accounts.cost_budgets ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY cost_budgets_hub ON accounts.cost_budgets USING (hubsec.is_system()) WITH CHECK (hubsec.is_system())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS accounts.cost_budgets`);
  }
}
