import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Event ids the clock consumer has applied: a redelivered event is skipped, whatever the position says. */
export class AppliedEvents1732500000001 implements MigrationInterface {
  name = 'AppliedEvents1732500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE slas.applied_events (event_id uuid PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS slas.applied_events`);
  }
}
