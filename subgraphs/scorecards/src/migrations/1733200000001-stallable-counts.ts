import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What makes a handoff stallable (handoff-fact.ts isStallable), as SQL over handoff_facts. */
const STALLABLE = `state IN ('PROPOSED', 'ACCEPTED') AND NOT on_hold AND last_action_at < due_at`;

/**
 * Counts the stallable handoffs of every rollup cell, fine and partner-level, from
 * handoff_facts (periods as in periods.ts: UTC calendar periods, ISO weeks). Exported so a
 * test can check it against what the projection keeps.
 */
export const FILL_STALLABLE = `
  UPDATE scorecards.rollups r SET stallable = s.n
    FROM (SELECT g.grain, date_trunc(lower(g.grain), f.proposed_at AT TIME ZONE 'UTC')::date AS period_start,
                 f.to_partner_id AS partner_id, x.segment, x.region, f.moment, count(*)::int AS n
            FROM scorecards.handoff_facts f
           CROSS JOIN (VALUES ('DAY'), ('WEEK'), ('MONTH'), ('QUARTER')) g(grain)
           CROSS JOIN LATERAL (VALUES (f.segment, f.region), ('*', '*')) x(segment, region)
           WHERE ${STALLABLE.replace(/(state|on_hold|last_action_at|due_at)/g, 'f.$1')}
           GROUP BY 1, 2, 3, 4, 5, 6) s
   WHERE (r.grain, r.period_start, r.partner_id, r.segment, r.region, r.moment) = (s.grain, s.period_start, s.partner_id, s.segment, s.region, s.moment)`;

/**
 * Stalled handoffs (open, not on hold, past their due time with no action since) depend on
 * the time of the query, so they were counted from handoff_facts at every query: tens of
 * thousands of rows for a busy quarter. Now each rollup cell also counts its stallable
 * handoffs (which only events change), and a query subtracts those whose due time is still
 * ahead: current work in progress, found by this index on due_at. Holding every column the
 * query and the row-level security policy read, it answers with an index-only scan.
 */
export class StallableCounts1733200000001 implements MigrationInterface {
  name = 'StallableCounts1733200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scorecards.rollups ADD COLUMN stallable int NOT NULL DEFAULT 0`);
    await q.query(FILL_STALLABLE);
    await q.query(`
      CREATE INDEX handoff_facts_not_due_idx ON scorecards.handoff_facts (due_at, proposed_at)
        INCLUDE (to_partner_id, segment, region, moment, from_partner_id)
        WHERE ${STALLABLE}`);
    // Only the per-query stalled count used it.
    await q.query(`DROP INDEX scorecards.handoff_facts_open_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX handoff_facts_open_idx ON scorecards.handoff_facts (proposed_at) WHERE state IN ('PROPOSED', 'ACCEPTED')`);
    await q.query(`DROP INDEX scorecards.handoff_facts_not_due_idx`);
    await q.query(`ALTER TABLE scorecards.rollups DROP COLUMN stallable`);
  }
}
