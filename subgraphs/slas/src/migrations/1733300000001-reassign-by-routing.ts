import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * REASSIGN may name no partner: handoffs' routing rule of the moment then picks the receiver
 * (docs/routing.md). A partner is still refused for the other escalations.
 */
export class ReassignByRouting1733300000001 implements MigrationInterface {
  name = 'ReassignByRouting1733300000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slas.policy_versions DROP CONSTRAINT policy_versions_check`);
    await q.query(
      `ALTER TABLE slas.policy_versions ADD CONSTRAINT policy_versions_reassign_check CHECK (escalation = 'REASSIGN' OR reassign_to_partner_id IS NULL)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE slas.policy_versions DROP CONSTRAINT policy_versions_reassign_check`);
    await q.query(
      `ALTER TABLE slas.policy_versions ADD CONSTRAINT policy_versions_check CHECK ((escalation = 'REASSIGN') = (reassign_to_partner_id IS NOT NULL))`,
    );
  }
}
