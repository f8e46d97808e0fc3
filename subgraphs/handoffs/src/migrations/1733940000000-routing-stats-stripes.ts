import type { MigrationInterface, QueryRunner } from 'typeorm';

const FIGURES = 'proposed, accepted, rejected, expired, sla_met, sla_breached, rating_sum, rating_count';
const COVERED = 'accepted, rejected, expired, sla_met, sla_breached, rating_sum, rating_count';

/**
 * routing_stats_daily's counters are striped: each (moment, segment, receiver, day) is up to
 * ROUTING_STATS_STRIPES rows (services/routing/stats.ts picks one by handoff), which SCORECARD
 * sums as it already sums the days of its window. With one row per bucket every accept of the
 * same receiver, segment and moment on a day waited for the previous one's commit on that row's
 * lock: accepts ran one at a time however many came in. Same table, same policies: no new
 * row-level security policy.
 */
export class HandoffsRoutingStatsStripes1733940000000 implements MigrationInterface {
  name = 'HandoffsRoutingStatsStripes1733940000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handoffs.routing_stats_daily ADD COLUMN stripe smallint NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE handoffs.routing_stats_daily DROP CONSTRAINT routing_stats_daily_pkey`);
    await q.query(`ALTER TABLE handoffs.routing_stats_daily ADD PRIMARY KEY (moment_key, segment, partner_id, day, stripe) INCLUDE (${COVERED})`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Folds the stripes back into one row per bucket.
    await q.query(`
      CREATE TEMP TABLE routing_stats_folded ON COMMIT DROP AS
      SELECT moment_key, segment, partner_id, day, ${FIGURES.split(', ')
        .map((c) => `sum(${c})::int AS ${c}`)
        .join(', ')}
        FROM handoffs.routing_stats_daily GROUP BY moment_key, segment, partner_id, day`);
    await q.query(`DELETE FROM handoffs.routing_stats_daily`);
    await q.query(`ALTER TABLE handoffs.routing_stats_daily DROP CONSTRAINT routing_stats_daily_pkey`);
    await q.query(`ALTER TABLE handoffs.routing_stats_daily DROP COLUMN stripe`);
    await q.query(`INSERT INTO handoffs.routing_stats_daily (moment_key, segment, partner_id, day, ${FIGURES})
                   SELECT moment_key, segment, partner_id, day, ${FIGURES} FROM routing_stats_folded`);
    await q.query(`ALTER TABLE handoffs.routing_stats_daily ADD PRIMARY KEY (moment_key, segment, partner_id, day) INCLUDE (${COVERED})`);
  }
}
