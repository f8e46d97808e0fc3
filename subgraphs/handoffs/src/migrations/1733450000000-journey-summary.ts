import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * routingDecisions sums routed handoffs per rule over a window of proposal times: a partial
 * index keeps that to the routed rows of the window instead of every handoff.
 */
export class HandoffsJourneySummary1733450000000 implements MigrationInterface {
  name = 'HandoffsJourneySummary1733450000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX handoffs_routed_by_proposal_idx ON handoffs.handoffs (proposed_at) INCLUDE (to_partner_id) WHERE routing IS NOT NULL`);
    await q.query(`CREATE INDEX handoff_dues_open_idx ON handoffs.handoff_dues (moment_key, due_at) WHERE state = 'OPEN'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX handoffs.handoff_dues_open_idx`);
    await q.query(`DROP INDEX handoffs.handoffs_routed_by_proposal_idx`);
  }
}
