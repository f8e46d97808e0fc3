import type { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyRlsSql } from '../../../../shared/db/idempotency';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';
const ME = 'hubsec.partner()';

/** The caller sent or received the handoff (handoff_facts is the scorecards' view of it). */
const partyTo = (handoffColumn: string) =>
  `EXISTS (SELECT 1 FROM scorecards.handoff_facts f WHERE f.id = ${handoffColumn} AND ${ME} IN (f.from_partner_id, f.to_partner_id))`;

/**
 * Scorecards' rules, as the resolvers keep them (isolation is enforced twice: here and in Postgres):
 * - projections (handoff_facts, rollups) are written only by the projection consumer and
 *   the rebuild (system); a partner reads the facts of handoffs it is party to and the
 *   rollup cells scored against itself (scopePartners);
 * - feedback, its revisions and customer feedback tokens belong to a handoff: its two
 *   partners and internal teams read and write them (feedback.service, Handoff.feedback);
 *   customers submit through the token routes, which run as the hub after checking the
 *   token's signature.
 * Policies only look down (revisions → feedback → handoff_facts), never back.
 */
const STATEMENTS = [
  ...['handoff_facts', 'rollups', 'feedback', 'feedback_revisions', 'customer_feedback_tokens'].flatMap((t) => [
    `ALTER TABLE scorecards.${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE scorecards.${t} FORCE ROW LEVEL SECURITY`,
  ]),
  `CREATE POLICY handoff_facts_read ON scorecards.handoff_facts FOR SELECT
     USING (${ALL} OR ${ME} IN (from_partner_id, to_partner_id))`,
  `CREATE POLICY handoff_facts_projection ON scorecards.handoff_facts FOR ALL TO PUBLIC
     USING (${SYSTEM}) WITH CHECK (${SYSTEM})`,
  `CREATE POLICY rollups_read ON scorecards.rollups FOR SELECT
     USING (${ALL} OR partner_id = ${ME})`,
  `CREATE POLICY rollups_projection ON scorecards.rollups FOR ALL TO PUBLIC
     USING (${SYSTEM}) WITH CHECK (${SYSTEM})`,
  `CREATE POLICY feedback_parties ON scorecards.feedback
     USING (${ALL} OR ${partyTo('handoff_id')}) WITH CHECK (${ALL} OR ${partyTo('handoff_id')})`,
  `CREATE POLICY feedback_revisions_parties ON scorecards.feedback_revisions
     USING (${ALL} OR EXISTS (SELECT 1 FROM scorecards.feedback fb WHERE fb.id = feedback_id))
     WITH CHECK (${ALL} OR EXISTS (SELECT 1 FROM scorecards.feedback fb WHERE fb.id = feedback_id))`,
  `CREATE POLICY customer_feedback_tokens_parties ON scorecards.customer_feedback_tokens
     USING (${ALL} OR ${partyTo('handoff_id')}) WITH CHECK (${ALL} OR ${partyTo('handoff_id')})`,
  ...idempotencyRlsSql('scorecards'),
];

export class RowLevelSecurity1733000000004 implements MigrationInterface {
  name = 'RowLevelSecurity1733000000004';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of STATEMENTS) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['handoff_facts', 'rollups', 'feedback', 'feedback_revisions', 'customer_feedback_tokens', 'idempotency_keys']) {
      const policies: { policyname: string }[] = await q.query(`SELECT policyname FROM pg_policies WHERE schemaname = 'scorecards' AND tablename = $1`, [t]);
      for (const p of policies) await q.query(`DROP POLICY ${p.policyname} ON scorecards.${t}`);
      await q.query(`ALTER TABLE scorecards.${t} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE scorecards.${t} DISABLE ROW LEVEL SECURITY`);
    }
  }
}
