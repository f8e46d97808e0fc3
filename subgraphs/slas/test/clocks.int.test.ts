import {
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_HELD,
  HANDOFF_PROPOSED,
  HANDOFF_RESUMED,
  SLA_AT_RISK,
  SLA_BREACHED,
  SLA_CLOCK_STARTED,
  SLA_CLOCK_STOPPED,
  SLA_ESCALATION_REQUESTED,
} from '../../../shared/eventlog/events';
import { OFFICE_HOURS } from '../src/calendar/business-calendar';
import { PartnerTier, Segment, SlaEscalationAction } from '../src/entities/enums';
import { CLOCK_CONSUMER, createClockConsumer } from '../src/consumers/clock.consumer';
import { selectPolicy } from '../src/services/policy.service';
import { SlaScheduler } from '../src/services/sla-scheduler';
import { HOUR, clocksOf, emit, eventsOf, handoff, log, setPolicy, startSlasDb, type SlasDb } from './support';

const T0 = new Date('2025-03-03T08:00:00Z'); // a Monday

describe('slas: policies, clocks and the breach scheduler (real Postgres)', () => {
  let s: SlasDb;
  const consumer = () => createClockConsumer(s.db, log);
  const apply = async () => {
    const c = consumer();
    await c.drain();
    await c.stop();
  };
  const scheduler = (now: Date, batchSize = 500) => new SlaScheduler({ dataSource: s.db, log, consumerName: CLOCK_CONSUMER, now: () => now, batchSize });

  beforeAll(async () => {
    s = await startSlasDb();
  });
  afterAll(async () => {
    await s?.stop();
  });

  describe('policy precedence', () => {
    it('picks moment + tier + segment, then tier, then segment, then the moment default', async () => {
      const base = { moment: 'SUCCESS_TO_RENEWAL' as never };
      const def = await setPolicy(s.db, { ...base, acceptWithin: 'PT1H' });
      const seg = await setPolicy(s.db, { ...base, customerSegment: Segment.ENTERPRISE, acceptWithin: 'PT2H' });
      const tier = await setPolicy(s.db, { ...base, partnerTier: PartnerTier.PLATINUM, acceptWithin: 'PT3H' });
      const both = await setPolicy(s.db, { ...base, partnerTier: PartnerTier.PLATINUM, customerSegment: Segment.ENTERPRISE, acceptWithin: 'PT4H' });
      const pick = async (t: string | null, g: string | null) => (await selectPolicy(s.db, 'SUCCESS_TO_RENEWAL', t, g))!.id;
      expect(await pick('PLATINUM', 'ENTERPRISE')).toBe(both.id);
      expect(await pick('PLATINUM', 'SMB')).toBe(tier.id);
      expect(await pick('GOLD', 'ENTERPRISE')).toBe(seg.id);
      expect(await pick('GOLD', 'SMB')).toBe(def.id);
      expect(await pick(null, null)).toBe(def.id);
      expect(await selectPolicy(s.db, 'MQL_TO_SQL', 'GOLD', 'SMB')).toBeNull();
    });

    it('versions a scope on each change, and not on a repeat', async () => {
      const v1 = await setPolicy(s.db, { moment: 'ONBOARDING_TO_SUCCESS' as never, acceptWithin: 'PT5H' });
      const again = await setPolicy(s.db, { moment: 'ONBOARDING_TO_SUCCESS' as never, acceptWithin: 'PT5H' });
      const v2 = await setPolicy(s.db, { moment: 'ONBOARDING_TO_SUCCESS' as never, acceptWithin: 'PT6H' });
      expect([v1.version, again.version, v2.version]).toEqual([1, 1, 2]);
      expect(v2.id).toBe(v1.id);
      expect(v2.acceptMs).toBe(6 * HOUR);
    });
  });

  describe('clocks from handoff events', () => {
    let policyId: string;
    beforeAll(async () => {
      policyId = (await setPolicy(s.db, { acceptWithin: 'PT10H', completeWithin: 'PT20H', warningThresholdPercent: 80 })).id;
    });

    it('starts ACCEPT on proposal, decides it MET on acceptance, starts and stops COMPLETE', async () => {
      const h = handoff({ proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await apply();
      let [accept] = await clocksOf(s.db, h.id);
      expect(accept).toMatchObject({ target: 'ACCEPT', state: 'RUNNING', policy_id: policyId, accountable_partner_id: h.toPartnerId });
      expect(accept.due_at.toISOString()).toBe('2025-03-03T18:00:00.000Z');
      expect(accept.warning_at.toISOString()).toBe('2025-03-03T16:00:00.000Z');
      expect(accept.next_action).toBe('WARN');

      const acceptedAt = new Date(T0.getTime() + 3 * HOUR);
      await emit(s.db, HANDOFF_ACCEPTED, { ...h, state: 'ACCEPTED', acceptedAt: acceptedAt.toISOString() });
      await apply();
      let complete;
      [accept, complete] = await clocksOf(s.db, h.id);
      expect(accept).toMatchObject({ state: 'MET', elapsed_ms: String(3 * HOUR), next_action: null });
      expect(accept.decided_at.toISOString()).toBe(acceptedAt.toISOString());
      expect(complete).toMatchObject({ target: 'COMPLETE', state: 'RUNNING' });
      expect(complete.due_at.toISOString()).toBe(new Date(acceptedAt.getTime() + 20 * HOUR).toISOString());

      await emit(s.db, HANDOFF_COMPLETED, {
        ...h,
        state: 'COMPLETED',
        acceptedAt: acceptedAt.toISOString(),
        completedAt: new Date(acceptedAt.getTime() + 25 * HOUR).toISOString(),
      });
      await apply();
      [, complete] = await clocksOf(s.db, h.id);
      expect(complete).toMatchObject({ state: 'BREACHED', elapsed_ms: String(25 * HOUR) });
      const types = (await eventsOf(s.db, [SLA_CLOCK_STARTED, SLA_CLOCK_STOPPED, SLA_BREACHED], h.id)).map((e) => e.type);
      expect(types).toEqual([SLA_CLOCK_STARTED, SLA_CLOCK_STOPPED, SLA_CLOCK_STARTED, SLA_BREACHED, SLA_CLOCK_STOPPED]);
    });

    it('applies each event once even when the consumer position is replayed', async () => {
      const h = handoff({ proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await apply();
      await s.db.query(`UPDATE eventlog.consumers SET tx = '0', seq = 0 WHERE name = $1`, [CLOCK_CONSUMER]);
      await apply();
      expect(await clocksOf(s.db, h.id)).toHaveLength(1);
      expect(await eventsOf(s.db, [SLA_CLOCK_STARTED], h.id)).toHaveLength(1);
    });

    it('pauses on hold with its reason, resumes, and moves dueAt by the paused time', async () => {
      const h = handoff({ proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await emit(s.db, HANDOFF_HELD, { ...h, onHold: true }, { at: new Date(T0.getTime() + HOUR), reason: 'waiting on the customer' });
      await apply();
      let [c] = await clocksOf(s.db, h.id);
      expect(c).toMatchObject({ state: 'PAUSED', pause_reason: 'waiting on the customer', elapsed_ms: String(HOUR), due_at: null, next_action: null });
      await emit(s.db, HANDOFF_RESUMED, h, { at: new Date(T0.getTime() + 3 * HOUR) });
      await apply();
      [c] = await clocksOf(s.db, h.id);
      expect(c).toMatchObject({ state: 'RUNNING', paused_ms: String(2 * HOUR), pause_reason: null });
      expect(c.due_at.toISOString()).toBe(new Date(T0.getTime() + 12 * HOUR).toISOString());
      const pauses = await s.db.query(`SELECT reason, business_ms FROM slas.clock_pauses WHERE clock_id = $1`, [c.id]);
      expect(pauses).toEqual([{ reason: 'waiting on the customer', business_ms: String(2 * HOUR) }]);
    });

    it('cancels open clocks when the handoff is cancelled, but a breach stays a breach', async () => {
      const h = handoff({ proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await emit(s.db, HANDOFF_CANCELLED, { ...h, state: 'CANCELLED', closedAt: new Date(T0.getTime() + HOUR).toISOString() });
      await apply();
      expect((await clocksOf(s.db, h.id))[0].state).toBe('CANCELLED');
      const late = handoff({ proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, late);
      await emit(s.db, HANDOFF_CANCELLED, { ...late, state: 'CANCELLED', closedAt: new Date(T0.getTime() + 11 * HOUR).toISOString() });
      await apply();
      expect((await clocksOf(s.db, late.id))[0]).toMatchObject({ state: 'BREACHED' });
    });

    it('re-evaluates running clocks under a new version and keeps the time already paused', async () => {
      const moment = 'CLOSED_WON_TO_ONBOARDING';
      await setPolicy(s.db, { moment: moment as never, acceptWithin: 'PT10H', calendar: OFFICE_HOURS('UTC') });
      const h = handoff({ moment, proposedAt: '2025-03-03T09:00:00Z' });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await emit(s.db, HANDOFF_HELD, { ...h, onHold: true }, { at: new Date('2025-03-03T10:00:00Z'), reason: 'customer travelling' });
      await emit(s.db, HANDOFF_RESUMED, h, { at: new Date('2025-03-03T14:00:00Z') });
      await apply();
      // New terms: 24x7 and 12h; the 4h pause stays out, so 9:00→16:00 minus the pause = 3h used.
      const v2 = await setPolicy(s.db, { moment: moment as never, acceptWithin: 'PT12H', applyToRunningClocks: true }, new Date('2025-03-03T16:00:00Z'));
      const [c] = await clocksOf(s.db, h.id);
      expect(c).toMatchObject({ policy_version: v2.version, elapsed_ms: String(3 * HOUR), paused_ms: String(4 * HOUR), target_ms: String(12 * HOUR) });
      expect(c.due_at.toISOString()).toBe('2025-03-04T01:00:00.000Z');
    });
  });

  describe('the scheduler', () => {
    beforeAll(async () => {
      await setPolicy(s.db, { moment: 'MQL_TO_SQL' as never, acceptWithin: 'PT10H', warningThresholdPercent: 50, escalation: SlaEscalationAction.RECLAIM });
    });

    it('flips AT_RISK past the warning, then BREACHED with an escalation request', async () => {
      const h = handoff({ moment: 'MQL_TO_SQL', proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await apply();
      expect(await scheduler(new Date(T0.getTime() + 4 * HOUR)).sweep()).toBe(0);
      await scheduler(new Date(T0.getTime() + 6 * HOUR)).sweep();
      let [c] = await clocksOf(s.db, h.id);
      expect(c.state).toBe('AT_RISK');
      expect(c.at_risk_at.toISOString()).toBe(new Date(T0.getTime() + 5 * HOUR).toISOString());
      await scheduler(new Date(T0.getTime() + 10 * HOUR + 1000)).sweep();
      [c] = await clocksOf(s.db, h.id);
      expect(c).toMatchObject({ state: 'BREACHED', next_action_at: null });
      const events = await eventsOf(s.db, [SLA_AT_RISK, SLA_BREACHED, SLA_ESCALATION_REQUESTED], h.id);
      expect(events.map((e) => e.type)).toEqual([SLA_AT_RISK, SLA_BREACHED, SLA_ESCALATION_REQUESTED]);
      expect(events[2]?.payload).toMatchObject({ action: 'RECLAIM', reassignToPartnerId: null, clock: { id: c.id, state: 'BREACHED' } });
      expect(events[2]?.visible_to.sort()).toEqual([h.fromPartnerId, h.toPartnerId].sort());
    });

    it('REASSIGN without a partner asks handoffs to reassign with reassignToPartnerId null (routing picks)', async () => {
      const policy = await setPolicy(s.db, { moment: 'SUCCESS_TO_RENEWAL' as never, acceptWithin: 'PT10H', escalation: SlaEscalationAction.REASSIGN });
      expect(policy.reassignToPartnerId).toBeNull();
      const h = handoff({ moment: 'SUCCESS_TO_RENEWAL', proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await apply();
      await scheduler(new Date(T0.getTime() + 10 * HOUR + 1000)).sweep();
      const [escalation] = await eventsOf(s.db, [SLA_ESCALATION_REQUESTED], h.id);
      expect(escalation!.payload).toMatchObject({ action: 'REASSIGN', reassignToPartnerId: null });
    });

    it('handles on start what came due while no instance ran (breach only, no stale warning)', async () => {
      const h = handoff({ moment: 'MQL_TO_SQL', proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await apply();
      // "Down" for two days: the first sweep after start breaches it at its due time.
      await scheduler(new Date(T0.getTime() + 48 * HOUR)).sweep();
      const [c] = await clocksOf(s.db, h.id);
      expect(c.state).toBe('BREACHED');
      expect(c.breached_at.toISOString()).toBe(new Date(T0.getTime() + 10 * HOUR).toISOString());
      expect((await eventsOf(s.db, [SLA_AT_RISK, SLA_BREACHED], h.id)).map((e) => e.type)).toEqual([SLA_BREACHED]);
    });

    it('waits for handoff events the consumer has not applied yet (an on-time acceptance is never breached)', async () => {
      const h = handoff({ moment: 'MQL_TO_SQL', proposedAt: T0.toISOString() });
      await emit(s.db, HANDOFF_PROPOSED, h);
      await apply();
      await emit(s.db, HANDOFF_ACCEPTED, { ...h, state: 'ACCEPTED', acceptedAt: new Date(T0.getTime() + 9 * HOUR).toISOString() });
      await scheduler(new Date(T0.getTime() + 11 * HOUR)).sweep();
      expect((await clocksOf(s.db, h.id))[0].state).toBe('RUNNING');
      await apply();
      expect((await clocksOf(s.db, h.id))[0].state).toBe('MET');
      expect(await eventsOf(s.db, [SLA_BREACHED], h.id)).toHaveLength(0);
    });

    it('with two instances sweeping at once, flips each clock exactly once', async () => {
      const hs = Array.from({ length: 240 }, () => handoff({ moment: 'MQL_TO_SQL', proposedAt: T0.toISOString() }));
      for (const h of hs) await emit(s.db, HANDOFF_PROPOSED, h);
      await apply();
      const later = new Date(T0.getTime() + 30 * HOUR);
      const [{ due }] = await s.db.query(`SELECT count(*)::int AS due FROM slas.clocks WHERE next_action_at <= $1`, [later]);
      const [a, b] = [scheduler(later, 20), scheduler(later, 20)];
      const flipped = await Promise.all([a.sweep(), b.sweep(), a.sweep(), b.sweep()]);
      expect(flipped.reduce((x, y) => x + y, 0)).toBe(due);
      const rows: { id: string; n: string }[] = await s.db.query(
        `SELECT c.id, count(e.*) AS n FROM slas.clocks c LEFT JOIN eventlog.events e ON e.type = 'SlaBreached' AND e.aggregate_id = c.id::text
          WHERE c.handoff_id = ANY($1::uuid[]) GROUP BY c.id`,
        [hs.map((h) => h.id)],
      );
      expect(rows).toHaveLength(240);
      expect(rows.every((r) => r.n === '1')).toBe(true);
    });
  });
});
