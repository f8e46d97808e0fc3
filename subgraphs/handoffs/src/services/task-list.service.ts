import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, forbidden } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { decodeCursor, pageSize, sqlProbes, toConnection, type Connection } from '../../../../shared/graphql/pagination';
import { TaskState } from '../entities/enums';
import { isPositiveIsoDuration } from '../entities/playbook-parts';
import type { Task } from '../entities/task.entity';
import { TASK_COLUMNS, toTask } from './handoff-store';

/** Plain arguments of myTasks / tasks (the resolvers map their inputs to these). */
export interface TaskQuery {
  state?: TaskState | null;
  /** ISO-8601 duration: OPEN tasks due no later than now plus this (overdue ones included). */
  dueWithin?: string | null;
  overdue?: boolean | null;
  first?: number | null;
  after?: string | null;
}

/** OPEN and past due, against the database's now (the same clock the sweep uses). */
const OVERDUE = `(t.status = 'OPEN' AND t.due_at IS NOT NULL AND t.due_at <= now())`;

async function list(db: DataSource, where: string, baseParams: unknown[], q: TaskQuery): Promise<Connection<Task>> {
  const params = [...baseParams];
  let filtered = `FROM handoffs.tasks t WHERE ${where}`;
  if (q.state === TaskState.DONE) filtered += ` AND t.status = 'DONE'`;
  if (q.state === TaskState.OPEN) filtered += ` AND t.status = 'OPEN' AND NOT ${OVERDUE}`;
  if (q.state === TaskState.OVERDUE) filtered += ` AND ${OVERDUE}`;
  if (q.overdue === true) filtered += ` AND ${OVERDUE}`;
  if (q.overdue === false) filtered += ` AND NOT ${OVERDUE}`;
  if (q.dueWithin != null) {
    if (!isPositiveIsoDuration(q.dueWithin)) {
      throw badUserInput('filter.dueWithin must be a positive ISO-8601 duration, e.g. "P3D" or "PT12H"', [
        { field: 'filter.dueWithin', message: 'not a duration' },
      ]);
    }
    filtered += ` AND t.status = 'OPEN' AND t.due_at <= now() + $${params.push(q.dueWithin)}::interval`;
  }
  const base = [...params];
  const limit = pageSize(q.first);
  const cursor = decodeCursor(q.after, 2);
  const at = cursor ? `($${params.push(cursor[0])}::timestamptz, $${params.push(cursor[1])}::uuid)` : '';
  const rows: object[] = await db.query(
    `SELECT ${TASK_COLUMNS} ${filtered} ${cursor ? `AND (t.created_at, t.id) > ${at}` : ''} ORDER BY t.created_at, t.id LIMIT $${params.push(limit + 1)}`,
    params,
  );
  return toConnection(
    rows.map(toTask),
    limit,
    (t) => [t.createdAt.toISOString(), t.id],
    sqlProbes(
      db,
      [`SELECT 1 ${filtered}`, base],
      cursor ? [`SELECT 1 ${filtered} AND (t.created_at, t.id) <= ${at}`, params.slice(0, base.length + 2)] : undefined,
    ),
  );
}

/** The calling person's tasks; a caller that is not a person (a partner-wide key) is FORBIDDEN. */
export function myTasks(db: DataSource, identity: Identity, q: TaskQuery): Promise<Connection<Task>> {
  if (!identity.personId || !identity.partnerId) {
    throw forbidden('myTasks needs a caller that is a person: use an API key bound to a person (createApiKey with personId)');
  }
  return list(db, 't.assignee_person_id = $1 AND t.assignee_partner_id = $2', [identity.personId, identity.partnerId], q);
}

/** A partner's tasks (assigned to it): its own only (FORBIDDEN otherwise); internal teams any partner's. */
export function partnerTasks(db: DataSource, identity: Identity, rawPartnerId: string | null | undefined, q: TaskQuery): Promise<Connection<Task>> {
  const partnerId = rawPartnerId ? assertId(rawPartnerId, 'partnerId') : identity.partnerId;
  if (!partnerId) throw badUserInput('partnerId is required for a caller that acts for no partner', [{ field: 'partnerId', message: 'required' }]);
  if (partnerId !== identity.partnerId && !isInternal(identity)) throw forbidden("A partner sees only its own tasks; internal teams see any partner's");
  return list(db, 't.assignee_partner_id = $1', [partnerId], q);
}
