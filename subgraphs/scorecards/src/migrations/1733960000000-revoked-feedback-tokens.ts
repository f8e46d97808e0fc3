import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A customer journey link is also its customer's feedback link; when handoffs revokes one
 * (CustomerJourneyLinkRevoked), its feedback token stops being usable: revoked_at, set by the
 * journey links consumer. The existing row-level security of the table covers the column.
 */
export class RevokedFeedbackTokens1733960000000 implements MigrationInterface {
  name = 'RevokedFeedbackTokens1733960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scorecards.customer_feedback_tokens ADD COLUMN revoked_at timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE scorecards.customer_feedback_tokens DROP COLUMN revoked_at`);
  }
}
