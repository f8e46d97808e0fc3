import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * API keys are paged by (created_at, id) with the time in the cursor at millisecond
 * precision, as JavaScript holds it. At microsecond precision a cursor sorted before its
 * own row, so the next page repeated it. Milliseconds, like every other paged table.
 */
export class ApiKeyCursorPrecision1733000000020 implements MigrationInterface {
  name = 'ApiKeyCursorPrecision1733000000020';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts.api_keys ALTER COLUMN created_at TYPE timestamptz(3)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts.api_keys ALTER COLUMN created_at TYPE timestamptz`);
  }
}
