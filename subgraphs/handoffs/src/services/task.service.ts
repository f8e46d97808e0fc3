import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { conflict, forbidden, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { TaskStatus } from '../entities/enums';
import type { Handoff } from '../entities/handoff.entity';
import type { PlaybookTaskTemplate } from '../entities/playbook-parts';
import type { Playbook } from '../entities/playbook.entity';
import type { Task } from '../entities/task.entity';
import { TASK_COLUMNS, toTask } from './handoff-store';
import { returned, type Sql } from './sql';
import { oneRow } from '../../../../shared/db/rows';

/** Without a playbook the new owner still gets one task, so an accepted customer is never orphaned. */
const fallbackTasks = (h: Handoff): PlaybookTaskTemplate[] => [
  {
    title: `Take over ${h.customerName}`,
    description: 'No playbook for this moment: agree next steps with the customer, then complete the handoff.',
    dueInDays: 2,
  },
];

/** Creates the new owner's tasks from the playbook, in one statement. */
export async function createTasks(sql: Sql, h: Handoff, playbook: Playbook | null, at: Date): Promise<void> {
  const templates = playbook?.tasks?.length ? playbook.tasks : fallbackTasks(h);
  await sql.query(
    `INSERT INTO handoffs.tasks (handoff_id, customer_id, assignee_partner_id, title, description, due_at, created_at)
     SELECT $1, $2, $3, t.title, t.description, $4::timestamptz + make_interval(days => t.days), $4
       FROM unnest($5::text[], $6::text[], $7::int[]) AS t(title, description, days)`,
    [h.id, h.customerId, h.toPartnerId, at, templates.map((t) => t.title), templates.map((t) => t.description ?? null), templates.map((t) => t.dueInDays ?? 0)],
  );
}

/** Marks a task done: its assignee or an internal team. */
export async function completeTask(db: DataSource, identity: Identity, rawId: string): Promise<Task> {
  const id = assertId(rawId, 'id');
  return db.transaction(async (sql) => {
    const rows: (object & { parties: (string | null)[] })[] = await sql.query(
      `SELECT ${TASK_COLUMNS}, ARRAY[h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id]::text[] AS parties
         FROM handoffs.tasks t JOIN handoffs.handoffs h ON h.id = t.handoff_id WHERE t.id = $1 FOR UPDATE OF t`,
      [id],
    );
    const internal = isInternal(identity);
    // Tasks are part of their handoff: whoever sees the handoff sees them; only the assignee closes them.
    const [found] = rows;
    if (!found || (!internal && !found.parties.includes(identity.partnerId ?? ''))) throw notFound('Task', id);
    const { parties: _parties, ...row } = found;
    const task = toTask(row);
    if (!internal && task.assigneePartnerId !== identity.partnerId) throw forbidden(`Only the assignee (${task.assigneePartnerId}) can complete task ${id}`);
    if (task.status === TaskStatus.DONE) throw conflict(`Task ${id} is already DONE`, { currentStatus: task.status });
    const updated = returned<object>(
      await sql.query(`UPDATE handoffs.tasks t SET status = 'DONE', completed_at = now() WHERE t.id = $1 RETURNING ${TASK_COLUMNS}`, [id]),
    );
    return toTask(oneRow(updated, 'UPDATE handoffs.tasks'));
  });
}
