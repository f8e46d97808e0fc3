import type { MigrationInterface, QueryRunner } from 'typeorm';

const COUNTS = [
  'proposed',
  'accepted',
  'completed',
  'rejected',
  'expired',
  'cancelled',
  'under_sla',
  'sla_met',
  'sla_breached',
  'under_playbook',
  'data_complete',
  'accept_business',
  'complete_business',
  'fb_customer_n',
  'fb_customer_sum',
  'fb_internal_n',
  'fb_internal_sum',
  'fb_partner_n',
  'fb_partner_sum',
  'fb_any',
  'fb_repeat',
  'fb_all_sides',
];
const KEY = 'grain, period_start, partner_id, moment';

/** Sums one histogram column of the fine cells per partner-level cell (sparse: empty buckets left out). */
const mergedHistogram = (column: string) => `
  SELECT ${KEY}, jsonb_object_agg(bucket, jsonb_build_array(n, s)) AS hist
    FROM (SELECT ${KEY}, e.key AS bucket, sum((e.value->>0)::numeric) AS n, sum((e.value->>1)::numeric) AS s
            FROM scorecards.rollups, jsonb_each(${column}) e
           WHERE segment <> '*'
           GROUP BY ${KEY}, e.key) b
   WHERE n <> 0
   GROUP BY ${KEY}`;

/** Adds the partner-level cells from the fine ones. Exported so a test can check it against the projection. */
export const FILL_PARTNER_LEVEL_CELLS = `
      INSERT INTO scorecards.rollups (${KEY}, segment, region, ${COUNTS.join(', ')}, accept_hist, complete_hist)
      SELECT ${KEY}, '*', '*', ${COUNTS.map((c) => `c.${c}`).join(', ')}, coalesce(a.hist, '{}'), coalesce(p.hist, '{}')
        FROM (SELECT ${KEY}, ${COUNTS.map((c) => `sum(${c})::int AS ${c}`).join(', ')}
                FROM scorecards.rollups WHERE segment <> '*' GROUP BY ${KEY}) c
        LEFT JOIN (${mergedHistogram('accept_hist')}) a USING (grain, period_start, partner_id, moment)
        LEFT JOIN (${mergedHistogram('complete_hist')}) p USING (grain, period_start, partner_id, moment)
      ON CONFLICT (grain, period_start, partner_id, segment, region, moment) DO NOTHING`;

/**
 * Partner-level rollup cells: per grain × period × partner × moment, one more cell with
 * segment and region '*' holding the sum of that partner's fine cells over every segment
 * and region. The scorecard by partner and/or moment (the dashboard's, Partner.scorecard's)
 * reads these instead of summing 16 fine cells each, with their histograms, at query time
 * (see docs/scorecards.md, "Storage"). The projection keeps both in the same transaction; this
 * fills them once from the fine cells already there, so no rebuild is needed.
 */
export class PartnerLevelRollups1733200000000 implements MigrationInterface {
  name = 'PartnerLevelRollups1733200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(FILL_PARTNER_LEVEL_CELLS);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM scorecards.rollups WHERE segment = '*'`);
  }
}
