import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The customer's journey page (docs/customer-journey.md):
 * - a playbook says which parts of the context package the customer may see
 *   (customer_visible_context; each data/deliverable field says so itself, in its jsonb);
 * - a handoff records which of its playbook's customer-facing actions are done
 *   (customer_actions: `{ "<position>": { "doneAt": …, "byPartnerId": … } }`), on the
 *   handoff row, so the handoffs policies already cover it;
 * - handoffs' copy of people keeps their name and e-mail: the page names the customer's
 *   contact person. The people projection replays from the start to fill them in (its
 *   upsert is idempotent and a replayed deactivation finds no task left to release).
 * No new table, hence no new row-level security policy.
 */
export class HandoffsCustomerJourney1733920000000 implements MigrationInterface {
  name = 'HandoffsCustomerJourney1733920000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handoffs.playbooks ADD COLUMN customer_visible_context jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await q.query(`ALTER TABLE handoffs.handoffs ADD COLUMN customer_actions jsonb NOT NULL DEFAULT '{}'::jsonb`);
    await q.query(`ALTER TABLE handoffs.people ADD COLUMN name text, ADD COLUMN email text`);
    await q.query(`UPDATE eventlog.consumers SET tx = '0'::xid8, seq = 0, updated_at = now() WHERE name = 'handoffs.people'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handoffs.people DROP COLUMN name, DROP COLUMN email`);
    await q.query(`ALTER TABLE handoffs.handoffs DROP COLUMN customer_actions`);
    await q.query(`ALTER TABLE handoffs.playbooks DROP COLUMN customer_visible_context`);
  }
}
