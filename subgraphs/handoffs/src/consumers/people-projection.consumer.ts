import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { PERSON_ADDED, PERSON_DEACTIVATED, PERSON_UPDATED, type PersonEventPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { appendEvents } from '../../../../shared/eventlog/event-log';
import { TASK_ASSIGNED } from '../../../../shared/eventlog/events';
import { TASK_COLUMNS, toTask } from '../services/handoff-store';
import { returned } from '../services/sql';
import { taskEvent } from '../services/task.service';

export const PEOPLE_PROJECTION_CONSUMER = 'handoffs.people';
export const PEOPLE_PROJECTION_TYPES = [PERSON_ADDED, PERSON_UPDATED, PERSON_DEACTIVATED];

/**
 * Keeps handoffs' copy of accounts' people (partner, name, e-mail, role, status): whom
 * assignTask and a playbook task's role may give a task to, and whom a customer's journey
 * page names as its contact. The batch is folded to the last snapshot per
 * person, then one upsert; an older snapshot never overwrites a newer one (replays are
 * harmless). A person deactivated hands their OPEN tasks back to their partner (assignee
 * null, a TaskAssigned each) so they show up for someone to take: one more statement, only
 * in a batch that deactivates someone. People are reference data, not work: demo history
 * counts too.
 */
export function createPeopleProjectionConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return new DurableConsumer({
    name: PEOPLE_PROJECTION_CONSUMER,
    dataSource,
    log,
    types: PEOPLE_PROJECTION_TYPES,
    batchSize: 500,
    includeDemoHistory: true,
    async handle(events, manager) {
      const last = new Map<string, PersonEventPayload['person']>();
      for (const e of events) {
        const { person } = e.payload as unknown as PersonEventPayload;
        last.set(person.id, person);
      }
      const rows = [...last.values()].map((p) => ({
        id: p.id,
        partner_id: p.partnerId,
        name: p.name,
        email: p.email,
        role: p.role,
        status: p.status,
        updated_at: p.updatedAt,
      }));
      await manager.query(
        `${BACKGROUND}INSERT INTO handoffs.people AS p (id, partner_id, name, email, role, status, updated_at)
         SELECT id, partner_id, name, email, role, status, updated_at
           FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, partner_id uuid, name text, email text, role text, status text, updated_at timestamptz)
         ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, role = EXCLUDED.role, status = EXCLUDED.status, updated_at = EXCLUDED.updated_at
          WHERE EXCLUDED.updated_at >= p.updated_at`,
        [JSON.stringify(rows)],
      );
      const gone = rows.filter((r) => r.status === 'DEACTIVATED').map((r) => r.id);
      if (gone.length === 0) return;
      const released = returned<object>(
        await manager.query(
          `${BACKGROUND}UPDATE handoffs.tasks t SET assignee_person_id = NULL WHERE t.assignee_person_id = ANY($1::uuid[]) AND t.status = 'OPEN' RETURNING ${TASK_COLUMNS}`,
          [gone],
        ),
      );
      if (released.length)
        await appendEvents(
          manager,
          released.map((row) => taskEvent(TASK_ASSIGNED, toTask(row), null)),
        );
    },
  });
}
