import { randomUUID } from 'node:crypto';
import type { Identity } from '../../../shared/auth/identity';
import { PERSON_ADDED, PERSON_DEACTIVATED, TASK_ASSIGNED, TASK_COMPLETED, TASK_OVERDUE, type PersonSnapshot } from '../../../shared/eventlog/events';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import { PersonRole } from '../../../shared/graphql/enums';
import { subgraphGql } from '../../../test/support/subgraph-client';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import { proposeHandoff } from '../src/services/propose.service';
import { assignTask, completeTask } from '../src/services/task.service';
import { sweepOverdueTasks } from '../src/services/task-overdue.sweeper';
import { acceptHandoff, completeHandoff, rejectHandoff } from '../src/services/transition.service';
import {
  accountsEvents,
  asInternal,
  asPartner,
  eventsOf,
  onboardingPlaybook,
  proposal,
  publish,
  silentLog,
  startHandoffsFixture,
  type HandoffsFixture,
} from './fixture';

const SECRET = 'dev-only-identity-secret-change-me-in-production';
const TASKS = 'id title status state overdue dueAt assigneeRole assignee { id }';

const personEvent = (type: string, partnerId: string, role: PersonRole, status: 'ACTIVE' | 'DEACTIVATED' = 'ACTIVE', id = randomUUID()): NewEvent => {
  const at = new Date().toISOString();
  const person: PersonSnapshot = { id, partnerId, name: `${role} ${id.slice(0, 4)}`, email: `${id}@example.com`, role, status, createdAt: at, updatedAt: at };
  return { type, source: 'accounts', aggregateType: 'Person', aggregateId: id, payload: { person, changed: [] }, visibleTo: [partnerId] };
};

describe('handoffs: tasks to people', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  // B: one onboarding lead, two success managers, a deactivated sales rep. A: one onboarding lead.
  const people = { b1: randomUUID(), b2: randomUUID(), b3: randomUUID(), b4: randomUUID(), a1: randomUUID() };
  const asPerson = (partnerId: string, personId: string): Identity => ({ ...asPartner(partnerId), personId });
  const q = (query: string, variables: Record<string, unknown>, who: Identity) => subgraphGql(url, query, variables, who);
  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'OK',
      (e: { extensions?: { code?: string } }) => e.extensions?.code,
    );
  const taskRows = async (handoffId: string) =>
    (await f.db.query(`SELECT id, title, assignee_person_id, assignee_role, status FROM handoffs.tasks WHERE handoff_id = $1 ORDER BY created_at, title`, [
      handoffId,
    ])) as { id: string; title: string; assignee_person_id: string | null; assignee_role: string | null; status: string }[];
  const until = async (check: () => Promise<boolean>) => {
    // The people consumer applies the events in its own time: on a loaded machine, seconds.
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !(await check())) await new Promise((r) => setTimeout(r, 25));
    expect(await check()).toBe(true);
  };

  /** A handoff A → B, accepted by B's onboarding lead (a person), proposed by A's person. */
  const accepted = async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPerson(f.A, people.a1), proposal(customer, f.B), null);
    return acceptHandoff(f.db, asPerson(f.B, people.b1), h.id);
  };

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I, {
      ...onboardingPlaybook(),
      tasks: [
        { title: '1 welcome', description: null, dueInDays: 1, assigneeRole: PersonRole.ONBOARDING_LEAD },
        { title: '2 kick-off', description: null, dueInDays: 5, assigneeRole: PersonRole.SUCCESS_MANAGER },
        { title: '3 quote', description: null, dueInDays: 3, assigneeRole: PersonRole.SALES_REP },
        { title: '4 anyone', description: null, dueInDays: 2 },
      ],
    });
    server = await createHandoffsServer({ dataSource: f.db, identitySecret: SECRET, log: silentLog, taskOverduePollMs: 3_600_000 });
    url = await server.listen(0);
    await accountsEvents(f.db, [
      personEvent(PERSON_ADDED, f.B, PersonRole.ONBOARDING_LEAD, 'ACTIVE', people.b1),
      personEvent(PERSON_ADDED, f.B, PersonRole.SUCCESS_MANAGER, 'ACTIVE', people.b2),
      personEvent(PERSON_ADDED, f.B, PersonRole.SUCCESS_MANAGER, 'ACTIVE', people.b3),
      personEvent(PERSON_ADDED, f.B, PersonRole.SALES_REP, 'ACTIVE', people.b4),
      personEvent(PERSON_DEACTIVATED, f.B, PersonRole.SALES_REP, 'DEACTIVATED', people.b4),
      personEvent(PERSON_ADDED, f.A, PersonRole.ONBOARDING_LEAD, 'ACTIVE', people.a1),
    ]);
    // The server's people projection applies them.
    await until(async () => (await f.db.query(`SELECT 1 FROM handoffs.people WHERE id = $1 AND status = 'DEACTIVATED'`, [people.b4])).length === 1);
    await until(async () => (await f.db.query(`SELECT 1 FROM handoffs.people`)).length === 5);
  });
  afterAll(async () => {
    await server?.stop();
    await f?.stop();
  });

  it('on acceptance gives each role task to the one ACTIVE person with the role; with two or none it stays unassigned', async () => {
    const h = await accepted();
    const rows = await taskRows(h.id);
    expect(rows.map((t) => [t.title, t.assignee_role, t.assignee_person_id])).toEqual([
      ['1 welcome', 'ONBOARDING_LEAD', people.b1], // exactly one
      ['2 kick-off', 'SUCCESS_MANAGER', null], // two
      ['3 quote', 'SALES_REP', null], // none ACTIVE (the only one is deactivated)
      ['4 anyone', null, null],
    ]);
    const assigned = await eventsOf(f.db, rows[0]!.id, TASK_ASSIGNED);
    expect(assigned).toHaveLength(1);
    expect(assigned[0]!.visible_to).toEqual([f.B]);
    expect(assigned[0]!.payload.task).toMatchObject({ assigneePersonId: people.b1, assigneePartnerId: f.B, status: 'OPEN' });
    expect(await eventsOf(f.db, rows[1]!.id)).toEqual([]);
  });

  it('records the person who proposed and accepted a handoff, in the API and in the events', async () => {
    const h = await accepted();
    expect(h).toMatchObject({ proposedByPersonId: people.a1, acceptedByPersonId: people.b1, rejectedByPersonId: null, completedByPersonId: null });
    const [proposed, acceptedEvent] = (await eventsOf(f.db, h.id)).filter((e) => e.type.startsWith('Handoff'));
    expect(proposed!.payload.handoff).toMatchObject({ proposedByPersonId: people.a1, acceptedByPersonId: null });
    expect(acceptedEvent!.payload.handoff).toMatchObject({ proposedByPersonId: people.a1, acceptedByPersonId: people.b1 });
    const res = await q(
      `query($id: ID!) { handoff(id: $id) { proposedBy { id } proposedByPerson { id } acceptedBy { id } rejectedBy { id } completedBy { id } } }`,
      { id: h.id },
      asPartner(f.B),
    );
    expect(res.data!.handoff).toEqual({
      proposedBy: { id: f.A },
      proposedByPerson: { id: people.a1 },
      acceptedBy: { id: people.b1 },
      rejectedBy: null,
      completedBy: null,
    });

    const done = await completeHandoff(f.db, asPerson(f.B, people.b2), h.id, { kickoffDate: '2026-03-02' });
    expect(done.completedByPersonId).toBe(people.b2);
    const rejectedOne = await proposeHandoff(f.db, asPartner(f.A), proposal(await f.customer(f.A), f.B), null);
    expect(rejectedOne.proposedByPersonId).toBeNull();
    const rejected = await rejectHandoff(f.db, asPerson(f.B, people.b3), rejectedOne.id, 'No capacity');
    expect(rejected.rejectedByPersonId).toBe(people.b3);
    expect((await eventsOf(f.db, rejected.id, 'HandoffRejected'))[0]!.payload.handoff.rejectedByPersonId).toBe(people.b3);
  });

  it('assignTask: the task’s partner gives it to its ACTIVE person; a person of another partner, a deactivated or unknown one is refused', async () => {
    const h = await accepted();
    const [, kickoff, quote] = await taskRows(h.id);
    const assigned = await assignTask(f.db, asPartner(f.B), kickoff!.id, people.b2);
    expect(assigned.assigneePersonId).toBe(people.b2);
    expect(await eventsOf(f.db, kickoff!.id, TASK_ASSIGNED)).toHaveLength(1);
    // The same person again: nothing new.
    await assignTask(f.db, asPerson(f.B, people.b3), kickoff!.id, people.b2);
    expect(await eventsOf(f.db, kickoff!.id, TASK_ASSIGNED)).toHaveLength(1);
    // An internal team may reassign.
    expect((await assignTask(f.db, asInternal(f.I), kickoff!.id, people.b3)).assigneePersonId).toBe(people.b3);

    // A person of A on B's task: BAD_USER_INPUT, even for an internal team.
    expect(await codeOf(assignTask(f.db, asPartner(f.B), quote!.id, people.a1))).toBe('BAD_USER_INPUT');
    expect(await codeOf(assignTask(f.db, asInternal(f.I), quote!.id, people.a1))).toBe('BAD_USER_INPUT');
    expect(await codeOf(assignTask(f.db, asPartner(f.B), quote!.id, people.b4))).toBe('BAD_USER_INPUT'); // deactivated
    expect(await codeOf(assignTask(f.db, asPartner(f.B), quote!.id, randomUUID()))).toBe('BAD_USER_INPUT');
    expect(await codeOf(assignTask(f.db, asPartner(f.B), quote!.id, 'nope'))).toBe('BAD_USER_INPUT');
    // A is a party of the handoff but not the task's partner; C is no party at all.
    expect(await codeOf(assignTask(f.db, asPerson(f.A, people.a1), quote!.id, people.b2))).toBe('FORBIDDEN');
    expect(await codeOf(assignTask(f.db, asPartner(f.C), quote!.id, people.b2))).toBe('NOT_FOUND');
    expect(await codeOf(assignTask(f.db, asPartner(f.B), randomUUID(), people.b2))).toBe('NOT_FOUND');
    expect((await taskRows(h.id))[2]!.assignee_person_id).toBeNull();
    expect(await eventsOf(f.db, quote!.id)).toEqual([]);

    await completeTask(f.db, asPartner(f.B), quote!.id);
    expect((await eventsOf(f.db, quote!.id, TASK_COMPLETED))[0]!.payload.task).toMatchObject({ status: 'DONE' });
    expect(await codeOf(assignTask(f.db, asPartner(f.B), quote!.id, people.b2))).toBe('CONFLICT');
  });

  it('myTasks: the calling person’s tasks, by state, due window and overdue; a caller that is no person is refused', async () => {
    const h = await accepted();
    const [welcome, , , anyone] = await taskRows(h.id);
    await assignTask(f.db, asPartner(f.B), anyone!.id, people.b1);
    // The welcome task is now past due; the other is due in two days.
    await f.db.query(`UPDATE handoffs.tasks SET due_at = now() - interval '1 hour' WHERE id = $1`, [welcome!.id]);
    const MY = `query($filter: TaskFilter) { myTasks(filter: $filter, first: 100) { totalCount nodes { ${TASKS} } } }`;
    const mine = async (filter: Record<string, unknown> | null) =>
      ((await q(MY, { filter }, asPerson(f.B, people.b1))).data!.myTasks.nodes as { id: string; state: string; overdue: boolean; assignee: { id: string } }[])
        .filter((t) => [welcome!.id, anyone!.id].includes(t.id))
        // Tasks of one acceptance share their creation instant, so the list orders them by id: compare in a fixed order.
        .sort((x, y) => [welcome!.id, anyone!.id].indexOf(x.id) - [welcome!.id, anyone!.id].indexOf(y.id));
    const all = await mine(null);
    expect(all.map((t) => [t.id, t.state, t.overdue, t.assignee.id])).toEqual([
      [welcome!.id, 'OVERDUE', true, people.b1],
      [anyone!.id, 'OPEN', false, people.b1],
    ]);
    expect((await mine({ overdue: true })).map((t) => t.id)).toEqual([welcome!.id]);
    expect((await mine({ overdue: false })).map((t) => t.id)).toEqual([anyone!.id]);
    expect((await mine({ state: 'OVERDUE' })).map((t) => t.id)).toEqual([welcome!.id]);
    expect((await mine({ state: 'OPEN' })).map((t) => t.id)).toEqual([anyone!.id]);
    expect((await mine({ dueWithin: 'PT1H' })).map((t) => t.id)).toEqual([welcome!.id]);
    expect((await mine({ dueWithin: 'P3D' })).map((t) => t.id)).toEqual([welcome!.id, anyone!.id]);
    await completeTask(f.db, asPerson(f.B, people.b1), anyone!.id);
    expect((await mine({ state: 'DONE' })).map((t) => [t.id, t.state, t.overdue])).toEqual([[anyone!.id, 'DONE', false]]);
    // Another person of B sees none of b1's.
    const other = await q(MY, { filter: null }, asPerson(f.B, people.b2));
    expect((other.data!.myTasks.nodes as { assignee: { id: string } }[]).every((t) => t.assignee.id === people.b2)).toBe(true);

    expect((await q(MY, { filter: { dueWithin: 'three days' } }, asPerson(f.B, people.b1))).errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    const noPerson = await q(MY, { filter: null }, asPartner(f.B));
    expect(noPerson.errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect(noPerson.errors![0]!.message).toMatch(/person/);
  });

  it("tasks: a partner lists its own tasks with the same filters; another partner's is FORBIDDEN; internal any", async () => {
    const h = await accepted();
    const ids = (await taskRows(h.id)).map((t) => t.id);
    const LIST = `query($p: ID, $filter: TaskFilter) { tasks(partnerId: $p, filter: $filter, first: 100) { nodes { id assignee { id } } } }`;
    const own = await q(LIST, { p: null, filter: null }, asPartner(f.B));
    expect(own.errors).toBeUndefined();
    const ownIds = (own.data!.tasks.nodes as { id: string }[]).map((t) => t.id);
    expect(ownIds).toEqual(expect.arrayContaining(ids));
    const open = await q(LIST, { p: f.B, filter: { state: 'OPEN' } }, asPartner(f.B));
    expect((open.data!.tasks.nodes as { id: string }[]).map((t) => t.id)).toEqual(expect.arrayContaining(ids));
    expect((await q(LIST, { p: f.B, filter: null }, asPartner(f.A))).errors![0]!.extensions!.code).toBe('FORBIDDEN');
    expect((await q(LIST, { p: null, filter: null }, asPartner(f.A))).data!.tasks.nodes).toEqual([]);
    const internal = await q(LIST, { p: f.B, filter: null }, asInternal(f.I));
    expect((internal.data!.tasks.nodes as { id: string }[]).map((t) => t.id)).toEqual(ownIds);
  });

  it('the overdue sweep appends TaskOverdue once per task that passed its due time, never for a DONE one', async () => {
    const h = await accepted();
    const [welcome, kickoff, quote] = await taskRows(h.id);
    await completeTask(f.db, asPartner(f.B), quote!.id);
    const later = new Date(Date.now() + 400 * 24 * 3600 * 1000); // past every demo due time
    const first = await sweepOverdueTasks(f.db, { now: later, batchSize: 2 });
    expect(first).toBeGreaterThanOrEqual(3);
    expect(await sweepOverdueTasks(f.db, { now: later })).toBe(0);
    for (const t of [welcome!, kickoff!]) {
      const overdue = await eventsOf(f.db, t.id, TASK_OVERDUE);
      expect(overdue).toHaveLength(1);
      expect(overdue[0]!.visible_to).toEqual([f.B]);
    }
    expect(await eventsOf(f.db, quote!.id, TASK_OVERDUE)).toEqual([]);
  });

  it('two sweeps at once record each task once (SKIP LOCKED)', async () => {
    await accepted();
    const later = new Date(Date.now() + 800 * 24 * 3600 * 1000);
    const before = Number((await f.db.query(`SELECT count(*) AS n FROM eventlog.events WHERE type = $1`, [TASK_OVERDUE]))[0].n);
    const [x, y] = await Promise.all([sweepOverdueTasks(f.db, { now: later, batchSize: 1 }), sweepOverdueTasks(f.db, { now: later, batchSize: 1 })]);
    const after = Number((await f.db.query(`SELECT count(*) AS n FROM eventlog.events WHERE type = $1`, [TASK_OVERDUE]))[0].n);
    expect(x + y).toBe(after - before);
    const dup: unknown[] = await f.db.query(`SELECT aggregate_id FROM eventlog.events WHERE type = $1 GROUP BY aggregate_id HAVING count(*) > 1`, [
      TASK_OVERDUE,
    ]);
    expect(dup).toEqual([]);
  });

  it('deactivating a person hands their OPEN tasks back to the partner (TaskAssigned, assignee null); DONE ones keep the name', async () => {
    const b5 = randomUUID();
    await accountsEvents(f.db, [personEvent(PERSON_ADDED, f.B, PersonRole.SUCCESS_MANAGER, 'ACTIVE', b5)]);
    await until(async () => (await f.db.query(`SELECT 1 FROM handoffs.people WHERE id = $1`, [b5])).length === 1);
    const h = await accepted();
    const [, kickoff, quote] = await taskRows(h.id);
    await assignTask(f.db, asPartner(f.B), kickoff!.id, b5);
    await assignTask(f.db, asPartner(f.B), quote!.id, b5);
    await completeTask(f.db, asPartner(f.B), quote!.id);
    const later = new Date(Date.now() + 1000).toISOString();
    const gone = personEvent(PERSON_DEACTIVATED, f.B, PersonRole.SUCCESS_MANAGER, 'DEACTIVATED', b5);
    (gone.payload as { person: PersonSnapshot }).person.updatedAt = later;
    await accountsEvents(f.db, [gone]);
    await until(async () => (await taskRows(h.id))[1]!.assignee_person_id === null);
    const rows = await taskRows(h.id);
    expect([rows[1]!.assignee_person_id, rows[2]!.assignee_person_id]).toEqual([null, b5]);
    const events = await eventsOf(f.db, kickoff!.id, TASK_ASSIGNED);
    expect(events.map((e) => e.payload.task.assigneePersonId)).toEqual([b5, null]);
    expect(await codeOf(assignTask(f.db, asPartner(f.B), kickoff!.id, b5))).toBe('BAD_USER_INPUT');
  });
});
