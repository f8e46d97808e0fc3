import { HANDOFF_EXPIRED, HANDOFF_PROPOSED, OWNERSHIP_CHANGED, SLA_ESCALATION_REQUESTED, type SlaEscalationPayload } from '../../../shared/eventlog/events';
import { createSlaEscalationConsumer } from '../src/consumers/sla-escalation.consumer';
import type { Handoff } from '../src/entities/handoff.entity';
import { handoffSnapshot } from '../src/services/handoff-events';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff } from '../src/services/transition.service';
import { accountsEvents, asPartner, eventsOf, proposal, publish, silentLog, startHandoffsFixture, type HandoffsFixture } from './fixture';

describe('SLA escalations (SlaEscalationRequested → EXPIRED)', () => {
  let f: HandoffsFixture;
  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
  });
  afterAll(() => f?.stop());

  /** What slas would write. */
  const escalate = (h: Handoff, action: 'RECLAIM' | 'REASSIGN', reassignToPartnerId: string | null = null) => {
    const payload: SlaEscalationPayload = {
      clock: {
        id: '00000000-0000-4000-b000-000000000001',
        handoffId: h.id,
        policyId: '00000000-0000-4000-b000-000000000002',
        policyVersion: 1,
        target: h.state === 'ACCEPTED' ? 'COMPLETE' : 'ACCEPT',
        state: 'BREACHED',
        startedAt: h.proposedAt.toISOString(),
        dueAt: new Date().toISOString(),
        stoppedAt: null,
        businessSecondsElapsed: 100,
        targetBusinessSeconds: 50,
      },
      handoff: handoffSnapshot(h),
      action,
      reassignToPartnerId,
    };
    return accountsEvents(f.db, [
      { type: SLA_ESCALATION_REQUESTED, source: 'slas', aggregateType: 'SlaClock', aggregateId: payload.clock.id, payload: payload as never, visibleTo: [] },
    ]);
  };
  const consumer = () => createSlaEscalationConsumer(f.db, silentLog);
  const customerRow = async (id: string) => (await f.db.query(`SELECT owner_partner_id AS owner FROM handoffs.customers WHERE id = $1`, [id]))[0].owner;
  const state = async (id: string) => (await f.db.query(`SELECT state FROM handoffs.handoffs WHERE id = $1`, [id]))[0].state;

  it('RECLAIM of a PROPOSED handoff expires it; the customer never left the sender', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    await escalate(h, 'RECLAIM');
    await consumer().drain();
    expect(await state(h.id)).toBe('EXPIRED');
    expect(await customerRow(customer)).toBe(f.A);
    expect(await eventsOf(f.db, h.id, HANDOFF_EXPIRED)).toHaveLength(1);
    expect(await eventsOf(f.db, customer, OWNERSHIP_CHANGED)).toHaveLength(0);
  });

  it('RECLAIM of an ACCEPTED handoff returns the customer to the sender and revokes the receiver', async () => {
    const customer = await f.customer(f.A);
    const proposed = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const accepted = await acceptHandoff(f.db, asPartner(f.B), proposed.id);
    await escalate(accepted, 'RECLAIM');
    await consumer().drain();
    expect(await state(proposed.id)).toBe('EXPIRED');
    expect(await customerRow(customer)).toBe(f.A);
    const changes = await eventsOf(f.db, customer, OWNERSHIP_CHANGED);
    expect(changes.map((e) => [e.payload.fromPartnerId, e.payload.toPartnerId, e.payload.reason])).toEqual([
      [f.A, f.B, 'HANDOFF_ACCEPTED'],
      [f.B, f.A, 'HANDOFF_RECLAIMED'],
    ]);
    expect(changes[1]?.payload.previousOwnerAccess).toBe('NONE');
    expect(await f.db.query(`SELECT partner_id, kind FROM handoffs.customer_access WHERE customer_id = $1`, [customer])).toEqual([
      { partner_id: f.A, kind: 'OWNER' },
    ]);
  });

  it('REASSIGN expires the handoff and proposes it afresh to the new partner, with the same context', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    await escalate(h, 'REASSIGN', f.C);
    await consumer().drain();
    expect(await state(h.id)).toBe('EXPIRED');
    const [next] = await f.db.query(
      `SELECT state, from_partner_id, to_partner_id, reassigned_from_id, context_package, playbook_id FROM handoffs.handoffs WHERE customer_id = $1 AND id <> $2`,
      [customer, h.id],
    );
    expect(next).toMatchObject({ state: 'PROPOSED', from_partner_id: f.A, to_partner_id: f.C, reassigned_from_id: h.id, playbook_id: h.playbookId });
    expect(next.context_package.summary).toBe(h.contextPackage.summary);
  });

  it('REASSIGN to an impossible partner still reclaims; a replayed escalation changes nothing', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    await escalate(h, 'REASSIGN', f.A); // the sender itself
    await escalate(h, 'RECLAIM'); // the same breach again
    await consumer().drain();
    expect(await state(h.id)).toBe('EXPIRED');
    expect(await eventsOf(f.db, h.id, HANDOFF_EXPIRED)).toHaveLength(1);
    expect((await f.db.query(`SELECT count(*)::int AS n FROM handoffs.handoffs WHERE customer_id = $1`, [customer]))[0].n).toBe(1);
    expect((await eventsOf(f.db, h.id)).map((e) => e.type)).toEqual([HANDOFF_PROPOSED, HANDOFF_EXPIRED]);
  });
});
