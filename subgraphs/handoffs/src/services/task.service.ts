import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { oneRow } from '../../../../shared/db/rows';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import { appendEvents, type NewEvent } from '../../../../shared/eventlog/event-log';
import { TASK_ASSIGNED, TASK_COMPLETED, type TaskEventPayload, type TaskSnapshot } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { TaskStatus } from '../entities/enums';
import type { Handoff } from '../entities/handoff.entity';
import type { PlaybookTaskTemplate } from '../entities/playbook-parts';
import type { Playbook } from '../entities/playbook.entity';
import type { Task } from '../entities/task.entity';
import { TASK_COLUMNS, toTask } from './handoff-store';
import { returned, type Sql } from './sql';

/** Without a playbook the new owner still gets one task, so an accepted customer is never orphaned. */
const fallbackTasks = (h: Handoff): PlaybookTaskTemplate[] => [
  {
    title: `Take over ${h.customerName}`,
    description: 'No playbook for this moment: agree next steps with the customer, then complete the handoff.',
    dueInDays: 2,
  },
];

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function taskSnapshot(t: Task): TaskSnapshot {
  return {
    id: t.id,
    handoffId: t.handoffId,
    customerId: t.customerId,
    assigneePartnerId: t.assigneePartnerId,
    assigneePersonId: t.assigneePersonId,
    assigneeRole: t.assigneeRole,
    title: t.title,
    status: t.status,
    dueAt: iso(t.dueAt),
    createdAt: t.createdAt.toISOString(),
    completedAt: iso(t.completedAt),
  };
}

/** A task event: for the assignee partner (its change feed and webhooks). */
export function taskEvent(type: string, t: Task, actor: Identity | null): NewEvent {
  return {
    type,
    source: 'handoffs',
    aggregateType: 'Task',
    aggregateId: t.id,
    payload: { task: taskSnapshot(t) } satisfies TaskEventPayload as unknown as Record<string, unknown>,
    visibleTo: [t.assigneePartnerId],
    actor,
  };
}

/**
 * Creates the new owner's tasks from the playbook, in one statement. A task whose template
 * names a role goes to the receiver's one ACTIVE person with that role (handoffs' copy of
 * accounts' people); with none or several it stays unassigned for the partner to assign.
 * Returns a TaskAssigned event per task assigned so.
 */
export async function createTasks(sql: Sql, h: Handoff, playbook: Playbook | null, at: Date, actor: Identity | null): Promise<NewEvent[]> {
  const templates = playbook?.tasks?.length ? playbook.tasks : fallbackTasks(h);
  const rows: object[] = await sql.query(
    `INSERT INTO handoffs.tasks AS t (handoff_id, customer_id, assignee_partner_id, title, description, due_at, created_at, assignee_role, assignee_person_id)
     SELECT $1, $2, $3, x.title, x.description, $4::timestamptz + make_interval(days => x.days), $4, x.role,
            (SELECT min(p.id::text)::uuid FROM handoffs.people p WHERE p.partner_id = $3 AND p.role = x.role AND p.status = 'ACTIVE' HAVING count(*) = 1)
       FROM unnest($5::text[], $6::text[], $7::int[], $8::text[]) WITH ORDINALITY AS x(title, description, days, role, n)
      ORDER BY x.n
     RETURNING ${TASK_COLUMNS}`,
    [
      h.id,
      h.customerId,
      h.toPartnerId,
      at,
      templates.map((t) => t.title),
      templates.map((t) => t.description ?? null),
      templates.map((t) => t.dueInDays ?? 0),
      templates.map((t) => t.assigneeRole ?? null),
    ],
  );
  return rows
    .map(toTask)
    .filter((t) => t.assigneePersonId)
    .map((t) => taskEvent(TASK_ASSIGNED, t, actor));
}

/** A task the caller may see (a party of its handoff, or internal), locked; NOT_FOUND otherwise. */
async function lockVisibleTask(sql: Sql, identity: Identity, id: string): Promise<Task> {
  const rows: (object & { parties: (string | null)[] })[] = await sql.query(
    `SELECT ${TASK_COLUMNS}, ARRAY[h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id]::text[] AS parties
       FROM handoffs.tasks t JOIN handoffs.handoffs h ON h.id = t.handoff_id WHERE t.id = $1 FOR UPDATE OF t`,
    [id],
  );
  // Tasks are part of their handoff: whoever sees the handoff sees them.
  const [found] = rows;
  if (!found || (!isInternal(identity) && !found.parties.includes(identity.partnerId ?? ''))) throw notFound('Task', id);
  const { parties: _parties, ...row } = found;
  return toTask(row);
}

/** Marks a task done: its assignee or an internal team. Writes TaskCompleted. */
export async function completeTask(db: DataSource, identity: Identity, rawId: string): Promise<Task> {
  const id = assertId(rawId, 'id');
  return db.transaction(async (sql) => {
    const task = await lockVisibleTask(sql, identity, id);
    if (!isInternal(identity) && task.assigneePartnerId !== identity.partnerId)
      throw forbidden(`Only the assignee (${task.assigneePartnerId}) can complete task ${id}`);
    if (task.status === TaskStatus.DONE) throw conflict(`Task ${id} is already DONE`, { currentStatus: task.status });
    const updated = returned<object>(
      await sql.query(`UPDATE handoffs.tasks t SET status = 'DONE', completed_at = now() WHERE t.id = $1 RETURNING ${TASK_COLUMNS}`, [id]),
    );
    const done = toTask(oneRow(updated, 'UPDATE handoffs.tasks'));
    await appendEvents(sql, [taskEvent(TASK_COMPLETED, done, identity)]);
    return done;
  });
}

/**
 * Gives a task to a person of its assignee partner: anyone acting for that partner (its
 * people included) or an internal team. The person must be ACTIVE and of the task's partner:
 * a person of another partner is BAD_USER_INPUT, worded like an unknown one, so the answer
 * never tells a partner whom another partner employs. Assigning the current person again
 * changes nothing; a DONE task is CONFLICT. Writes TaskAssigned.
 */
export async function assignTask(db: DataSource, identity: Identity, rawTaskId: string, rawPersonId: string): Promise<Task> {
  const id = assertId(rawTaskId, 'taskId');
  const personId = assertId(rawPersonId, 'personId');
  return db.transaction(async (sql) => {
    const task = await lockVisibleTask(sql, identity, id);
    if (!isInternal(identity) && task.assigneePartnerId !== identity.partnerId) {
      throw forbidden(`Only the task's partner (${task.assigneePartnerId}) or an internal team can assign task ${id}`);
    }
    if (task.status === TaskStatus.DONE) throw conflict(`Task ${id} is already DONE`, { currentStatus: task.status });
    const [person]: { status: string }[] = await sql.query(`SELECT status FROM handoffs.people WHERE id = $1 AND partner_id = $2`, [
      personId,
      task.assigneePartnerId,
    ]);
    if (!person) {
      throw badUserInput(`personId: ${personId} is not a person of the task's partner ${task.assigneePartnerId}`, [
        { field: 'personId', message: "not a person of the task's partner" },
      ]);
    }
    if (person.status !== 'ACTIVE') throw badUserInput(`personId: person ${personId} is deactivated`, [{ field: 'personId', message: 'deactivated' }]);
    if (task.assigneePersonId === personId) return task;
    const updated = returned<object>(
      await sql.query(`UPDATE handoffs.tasks t SET assignee_person_id = $2 WHERE t.id = $1 RETURNING ${TASK_COLUMNS}`, [id, personId]),
    );
    const assigned = toTask(oneRow(updated, 'UPDATE handoffs.tasks (assign)'));
    await appendEvents(sql, [taskEvent(TASK_ASSIGNED, assigned, identity)]);
    return assigned;
  });
}
