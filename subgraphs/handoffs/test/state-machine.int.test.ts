import { GraphQLError } from 'graphql';
import {
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_HELD,
  HANDOFF_PROPOSED,
  HANDOFF_REJECTED,
  HANDOFF_RESUMED,
  OWNERSHIP_CHANGED,
} from '../../../shared/eventlog/events';
import { HandoffState, RejectionReasonCode } from '../src/entities/enums';
import { selectHandoff } from '../src/services/handoff-store';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff, cancelHandoff, completeHandoff, holdHandoff, rejectHandoff, resumeHandoff } from '../src/services/transition.service';
import { asInternal, asPartner, eventsOf, proposal, publish, startHandoffsFixture, type HandoffsFixture } from './fixture';

/** The error a promise rejects with, as a GraphQLError. */
async function failure(p: Promise<unknown>): Promise<GraphQLError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof GraphQLError)) throw new Error(`expected a GraphQLError, got ${String(err)}`);
  return err;
}

describe('handoff state machine', () => {
  let f: HandoffsFixture;
  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
  });
  afterAll(() => f?.stop());

  const snapshot = async (id: string) => ({
    row: await selectHandoff(f.db.manager, id, false),
    events: (await f.db.query(`SELECT count(*)::int AS n FROM eventlog.events`))[0].n,
    history: (await f.db.query(`SELECT count(*)::int AS n FROM handoffs.ownership_changes`))[0].n,
    tasks: (await f.db.query(`SELECT count(*)::int AS n FROM handoffs.tasks`))[0].n,
  });

  it('runs PROPOSED → ACCEPTED → COMPLETED, moving ownership and creating tasks in the acceptance transaction', async () => {
    const customer = await f.customer(f.A);
    const proposed = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), 'key-1');
    expect(proposed).toMatchObject({
      state: HandoffState.PROPOSED,
      fromPartnerId: f.A,
      toPartnerId: f.B,
      playbookVersion: 1,
      requiredDataComplete: true,
      toPartnerTier: 'PLATINUM',
    });

    const accepted = await acceptHandoff(f.db, asPartner(f.B), proposed.id);
    expect(accepted.state).toBe(HandoffState.ACCEPTED);
    expect(accepted.acceptedAt).toBeInstanceOf(Date);
    const [owner] = await f.db.query(`SELECT owner_partner_id FROM handoffs.customers WHERE id = $1`, [customer]);
    expect(owner.owner_partner_id).toBe(f.B);
    const access = await f.db.query(`SELECT partner_id, kind FROM handoffs.customer_access WHERE customer_id = $1 ORDER BY kind`, [customer]);
    expect(access).toEqual([
      { partner_id: f.A, kind: 'COLLABORATOR' },
      { partner_id: f.B, kind: 'OWNER' },
    ]);
    const history = await f.db.query(
      `SELECT from_partner_id, to_partner_id, handoff_id, actor_partner_id, reason FROM handoffs.ownership_changes WHERE customer_id = $1`,
      [customer],
    );
    expect(history).toEqual([{ from_partner_id: f.A, to_partner_id: f.B, handoff_id: proposed.id, actor_partner_id: f.B, reason: 'HANDOFF_ACCEPTED' }]);
    const tasks = await f.db.query(`SELECT title, assignee_partner_id, status FROM handoffs.tasks WHERE handoff_id = $1 ORDER BY title`, [proposed.id]);
    expect(tasks).toEqual([
      { title: 'Run the kick-off', assignee_partner_id: f.B, status: 'OPEN' },
      { title: 'Send the welcome email', assignee_partner_id: f.B, status: 'OPEN' },
    ]);

    // HandoffAccepted and OwnershipChanged commit in one transaction.
    const accepts = await eventsOf(f.db, proposed.id, HANDOFF_ACCEPTED);
    const ownership = await eventsOf(f.db, customer, OWNERSHIP_CHANGED);
    expect(ownership).toHaveLength(1);
    expect(ownership[0]?.tx).toBe(accepts[0]!.tx);
    expect(ownership[0]?.payload).toMatchObject({
      customerId: customer,
      fromPartnerId: f.A,
      toPartnerId: f.B,
      handoffId: proposed.id,
      previousOwnerAccess: 'COLLABORATOR',
    });
    expect(accepts[0]?.payload.handoff).toMatchObject({
      id: proposed.id,
      state: 'ACCEPTED',
      fromPartnerId: f.A,
      toPartnerId: f.B,
      customerSegment: 'ENTERPRISE',
    });
    expect(accepts[0]?.visible_to.sort()).toEqual([f.A, f.B].sort());

    const completed = await completeHandoff(f.db, asPartner(f.B), proposed.id, { kickoffDate: '2026-03-03' });
    expect(completed).toMatchObject({ state: HandoffState.COMPLETED, deliverables: { kickoffDate: '2026-03-03' } });
    expect((await eventsOf(f.db, proposed.id)).map((e) => e.type)).toEqual([HANDOFF_PROPOSED, HANDOFF_ACCEPTED, HANDOFF_COMPLETED]);
  });

  it('refuses every transition the machine does not have, naming the current and allowed states, and changes nothing', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    await rejectHandoff(f.db, asPartner(f.B), h.id, 'We do not serve this region', RejectionReasonCode.WRONG_REGION);
    const before = await snapshot(h.id);
    for (const attempt of [
      acceptHandoff(f.db, asPartner(f.B), h.id),
      rejectHandoff(f.db, asPartner(f.B), h.id, 'again'),
      completeHandoff(f.db, asPartner(f.B), h.id, { kickoffDate: '2026-03-03' }),
      cancelHandoff(f.db, asPartner(f.A), h.id, 'too late'),
      holdHandoff(f.db, asPartner(f.A), h.id, 'waiting'),
    ]) {
      const err = await failure(attempt);
      expect(err.extensions.code).toBe('CONFLICT');
      expect(err.extensions.currentState).toBe('REJECTED');
      expect(err.message).toContain('REJECTED');
    }
    const acceptErr = await failure(acceptHandoff(f.db, asPartner(f.B), h.id));
    expect(acceptErr.extensions).toMatchObject({ currentState: 'REJECTED', allowedStates: ['PROPOSED'], nextStates: [] });
    expect(acceptErr.message).toMatch(/is REJECTED; acceptHandoff needs it to be PROPOSED/);
    expect(await snapshot(h.id)).toEqual(before);
  });

  it('completes only from ACCEPTED, and names where a PROPOSED handoff may go', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const err = await failure(completeHandoff(f.db, asPartner(f.B), h.id, { kickoffDate: '2026-03-03' }));
    expect(err.extensions).toMatchObject({
      code: 'CONFLICT',
      currentState: 'PROPOSED',
      allowedStates: ['ACCEPTED'],
      nextStates: ['ACCEPTED', 'REJECTED', 'CANCELLED', 'EXPIRED'],
    });
  });

  it('records the rejection reason code and text; the customer stays with the sender', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const rejected = await rejectHandoff(f.db, asPartner(f.B), h.id, '  No capacity this quarter ', RejectionReasonCode.NO_CAPACITY);
    expect(rejected).toMatchObject({ state: HandoffState.REJECTED, reasonCode: 'NO_CAPACITY', reason: 'No capacity this quarter' });
    expect(rejected.closedAt).toBeInstanceOf(Date);
    const [event] = await eventsOf(f.db, h.id, HANDOFF_REJECTED);
    expect(event?.payload).toMatchObject({ reasonCode: 'NO_CAPACITY', reason: 'No capacity this quarter' });
    const [owner] = await f.db.query(`SELECT owner_partner_id FROM handoffs.customers WHERE id = $1`, [customer]);
    expect(owner.owner_partner_id).toBe(f.A);
    expect(await f.db.query(`SELECT 1 FROM handoffs.customer_access WHERE customer_id = $1 AND partner_id = $2`, [customer, f.B])).toEqual([]);
    // A reason is required.
    const other = await f.customer(f.A);
    const h2 = await proposeHandoff(f.db, asPartner(f.A), proposal(other, f.B), null);
    expect((await failure(rejectHandoff(f.db, asPartner(f.B), h2.id, '   '))).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'reason', message: 'must not be empty' }],
    });
  });

  it('lets only the receiver accept, reject and complete, and only the sender or internal cancel', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    expect((await failure(acceptHandoff(f.db, asPartner(f.A), h.id))).extensions.code).toBe('FORBIDDEN');
    expect((await failure(acceptHandoff(f.db, asInternal(f.I), h.id))).extensions.code).toBe('FORBIDDEN');
    expect((await failure(cancelHandoff(f.db, asPartner(f.B), h.id, 'no'))).extensions.code).toBe('FORBIDDEN');
    // Partner C is not named on it: the handoff does not exist for C.
    expect((await failure(acceptHandoff(f.db, asPartner(f.C), h.id))).extensions.code).toBe('NOT_FOUND');
    expect((await failure(cancelHandoff(f.db, asPartner(f.C), h.id, 'no'))).extensions.code).toBe('NOT_FOUND');
    const cancelled = await cancelHandoff(f.db, asInternal(f.I), h.id, 'Customer paused the project');
    expect(cancelled).toMatchObject({ state: HandoffState.CANCELLED, reason: 'Customer paused the project' });
    expect((await eventsOf(f.db, h.id, HANDOFF_CANCELLED))[0]?.payload.reason).toBe('Customer paused the project');
  });

  it('lets only the owner (or internal) propose, one open handoff per customer, never to the owner itself', async () => {
    const customer = await f.customer(f.A);
    expect((await failure(proposeHandoff(f.db, asPartner(f.C), proposal(customer, f.B), null))).extensions.code).toBe('NOT_FOUND');
    const bad = await failure(proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.A), null));
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.toPartnerId' }] });
    const first = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const second = await failure(proposeHandoff(f.db, asInternal(f.I), proposal(customer, f.C), null));
    expect(second.extensions).toMatchObject({ code: 'CONFLICT', openHandoffId: first.id });
    // After acceptance, A is a collaborator: it sees the customer but may not hand it on.
    await acceptHandoff(f.db, asPartner(f.B), first.id);
    await completeHandoff(f.db, asPartner(f.B), first.id, { kickoffDate: '2026-03-03' });
    expect((await failure(proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.C), null))).extensions.code).toBe('FORBIDDEN');
    const next = await proposeHandoff(f.db, asPartner(f.B), proposal(customer, f.C), null);
    expect(next.fromPartnerId).toBe(f.B);
  });

  it('replays an idempotency key with the same input, and refuses it with another', async () => {
    const customer = await f.customer(f.A);
    const input = proposal(customer, f.B);
    const a = await proposeHandoff(f.db, asPartner(f.A), input, 'retry-me');
    const b = await proposeHandoff(f.db, asPartner(f.A), input, 'retry-me');
    expect(b.id).toBe(a.id);
    expect(await eventsOf(f.db, a.id, HANDOFF_PROPOSED)).toHaveLength(1);
    const err = await failure(proposeHandoff(f.db, asPartner(f.A), { ...input, customerMessage: 'different' }, 'retry-me'));
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'idempotencyKey' }] });
  });

  it('holds and resumes an open handoff, emitting HandoffHeld and HandoffResumed', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const held = await holdHandoff(f.db, asPartner(f.B), h.id, 'Customer is on holiday until Monday');
    expect(held).toMatchObject({ onHold: true, holdReason: 'Customer is on holiday until Monday', state: 'PROPOSED' });
    expect((await failure(holdHandoff(f.db, asPartner(f.A), h.id, 'again'))).extensions.code).toBe('CONFLICT');
    expect((await failure(holdHandoff(f.db, asPartner(f.C), h.id, 'x'))).extensions.code).toBe('NOT_FOUND');
    const resumed = await resumeHandoff(f.db, asPartner(f.A), h.id);
    expect(resumed).toMatchObject({ onHold: false, holdReason: null });
    expect((await failure(resumeHandoff(f.db, asPartner(f.A), h.id))).extensions.code).toBe('CONFLICT');
    const types = (await eventsOf(f.db, h.id)).map((e) => e.type);
    expect(types).toEqual([HANDOFF_PROPOSED, HANDOFF_HELD, HANDOFF_RESUMED]);
    expect((await eventsOf(f.db, h.id, HANDOFF_HELD))[0]?.payload).toMatchObject({ reason: 'Customer is on holiday until Monday', handoff: { onHold: true } });
  });

  it('keeps ownership history append-only in the database itself', async () => {
    await expect(f.db.query(`UPDATE handoffs.ownership_changes SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(f.db.query(`DELETE FROM handoffs.ownership_changes`)).rejects.toThrow(/append-only/);
  });

  it('enforces one open handoff per customer in the database too', async () => {
    const customer = await f.customer(f.A);
    await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    await expect(
      f.db.query(
        `INSERT INTO handoffs.handoffs (customer_id, customer_name, moment, state, to_partner_id, context_package, customer_message, required_data_complete)
         VALUES ($1, 'x', 'MQL_TO_SQL', 'PROPOSED', $2, '{}', 'x', true)`,
        [customer, f.C],
      ),
    ).rejects.toThrow(/handoffs_one_open_per_customer/);
  });
});
