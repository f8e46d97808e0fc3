import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PROPOSE target: how long the accountable party may take, in business time, from a
 * customer's stage move to proposing the handoff that came due. Optional per policy version
 * (null: no PROPOSE clock), set and versioned with the version's other targets.
 */
export class ProposeWithin1733600000000 implements MigrationInterface {
  name = 'ProposeWithin1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slas.policy_versions ADD COLUMN propose_within text, ADD COLUMN propose_ms bigint CHECK (propose_ms > 0)`);
    await q.query(`ALTER TABLE slas.policy_versions ADD CONSTRAINT policy_versions_propose_check CHECK ((propose_within IS NULL) = (propose_ms IS NULL))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slas.policy_versions DROP CONSTRAINT policy_versions_propose_check`);
    await q.query(`ALTER TABLE slas.policy_versions DROP COLUMN propose_ms, DROP COLUMN propose_within`);
  }
}
