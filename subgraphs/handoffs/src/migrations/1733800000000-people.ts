import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = '(SELECT hubsec.sees_all())';
const SYSTEM = '(SELECT hubsec.is_system())';
const ME = '(SELECT hubsec.partner())';

/**
 * handoffs' copy of accounts' people (from the Person* events): whom a task may go to.
 * A partner reads its own people; internal teams all; only the projection consumer writes.
 */
const PEOPLE: TablePolicies = {
  table: 'people',
  select: `${ALL} OR partner_id = ${ME}`,
  insert: SYSTEM,
  update: { using: SYSTEM },
  delete: SYSTEM,
};

/**
 * People on tasks and handoffs (docs/people.md): a task's assignee person, the playbook role
 * it was meant for, and when the overdue sweep recorded it overdue (TaskOverdue, once); the
 * person behind each step of a handoff.
 */
export class HandoffsPeople1733800000000 implements MigrationInterface {
  name = 'HandoffsPeople1733800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handoffs.people (
        id uuid PRIMARY KEY,
        partner_id uuid NOT NULL,
        role text NOT NULL,
        status text NOT NULL,
        updated_at timestamptz(3) NOT NULL
      )`);
    await q.query(`CREATE INDEX people_partner_role_idx ON handoffs.people (partner_id, role) WHERE status = 'ACTIVE'`);
    await q.query(`ALTER TABLE handoffs.tasks ADD COLUMN assignee_person_id uuid, ADD COLUMN assignee_role text, ADD COLUMN overdue_at timestamptz(3)`);
    await q.query(`CREATE INDEX tasks_person_idx ON handoffs.tasks (assignee_person_id, status) WHERE assignee_person_id IS NOT NULL`);
    // The sweep's work queue: OPEN tasks not yet recorded overdue, by due time.
    await q.query(`CREATE INDEX tasks_overdue_queue_idx ON handoffs.tasks (due_at) WHERE status = 'OPEN' AND overdue_at IS NULL AND due_at IS NOT NULL`);
    await q.query(`
      ALTER TABLE handoffs.handoffs
        ADD COLUMN proposed_by_person_id uuid,
        ADD COLUMN accepted_by_person_id uuid,
        ADD COLUMN rejected_by_person_id uuid,
        ADD COLUMN completed_by_person_id uuid`);
    for (const sql of rlsPolicySql('handoffs', PEOPLE)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropRlsPolicySql('handoffs', 'people')) await q.query(sql);
    await q.query(`DROP TABLE handoffs.people`);
    await q.query(`ALTER TABLE handoffs.tasks DROP COLUMN assignee_person_id, DROP COLUMN assignee_role, DROP COLUMN overdue_at`);
    await q.query(
      `ALTER TABLE handoffs.handoffs DROP COLUMN proposed_by_person_id, DROP COLUMN accepted_by_person_id, DROP COLUMN rejected_by_person_id, DROP COLUMN completed_by_person_id`,
    );
  }
}
