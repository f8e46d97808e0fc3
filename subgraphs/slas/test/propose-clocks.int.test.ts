import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { signIdentity, type Identity } from '../../../shared/auth/identity';
import { countQueries } from '../../../shared/db/query-counter';
import {
  HANDOFF_DUE_DISMISSED,
  HANDOFF_DUE_OPENED,
  HANDOFF_DUE_PROPOSED,
  HANDOFF_DUE_SUPERSEDED,
  SLA_DUE_AT_RISK,
  SLA_DUE_BREACHED,
  SLA_DUE_CLOCK_STARTED,
  SLA_DUE_CLOCK_STOPPED,
  SLA_DUE_ESCALATION_REQUESTED,
  SLA_DUE_EVENT_TYPES,
  type HandoffDueSnapshot,
} from '../../../shared/eventlog/events';
import { Subscription, wsClient } from '../../../test/support/graphql-client';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { ALWAYS_ON, OFFICE_HOURS } from '../src/calendar/business-calendar';
import { CLOCK_CONSUMER } from '../src/consumers/clock.consumer';
import { createDueClockConsumer, DUE_CLOCK_CONSUMER } from '../src/consumers/due-clock.consumer';
import { SlaEscalationAction } from '../src/entities/enums';
import { setSlaPolicy } from '../src/services/policy.service';
import { SlaScheduler } from '../src/services/sla-scheduler';
import { createSlasServer, type SlasServer } from '../src/server';
import { due, emitDues, HOUR, log, policyInput, SERVICE, setPolicy, startSlasDb, type SlasDb } from './support';

/** Friday 15:00 UTC: two office hours left in the week, so a 4-hour target is due on Monday. */
const FRI_15 = '2025-03-07T15:00:00.000Z';
const MON = (hhmm: string) => new Date(`2025-03-10T${hhmm}:00.000Z`);
const REASSIGN_TO = '00000000-0000-4000-8000-0000000007a1';

/**
 * The PROPOSE target (docs/slas.md): a clock on each handoff that came due, from the
 * customer's stage move to the proposal, in business time under the moment's policy.
 */
describe('slas: PROPOSE clocks on handoffs that came due (real Postgres)', () => {
  let s: SlasDb;
  const apply = async () => {
    const c = createDueClockConsumer(s.db, log);
    await c.drain();
    await c.stop();
  };
  const scheduler = (now: Date) => new SlaScheduler({ dataSource: s.db, log, consumerName: CLOCK_CONSUMER, now: () => now });
  const clockOf = async (dueId: string) => (await s.db.query(`SELECT * FROM slas.due_clocks WHERE due_id = $1`, [dueId]))[0];
  const eventsOf = async (dueId: string, types: string[] = SLA_DUE_EVENT_TYPES): Promise<{ type: string; payload: any; visible_to: string[] }[]> =>
    s.db.query(`SELECT type, payload, visible_to FROM eventlog.events WHERE type = ANY($1) AND payload->'due'->>'id' = $2 ORDER BY seq`, [types, dueId]);
  const closed = (d: HandoffDueSnapshot, state: HandoffDueSnapshot['state'], at: Date): HandoffDueSnapshot => ({ ...d, state, closedAt: at.toISOString() });
  const opened = (patch: Partial<HandoffDueSnapshot> = {}) =>
    due({ stageMove: { fromStage: 'CLOSED_WON', toStage: 'ONBOARDING', eventId: randomUUID(), at: FRI_15 }, ...patch });

  beforeAll(async () => {
    s = await startSlasDb();
    const office = { calendar: OFFICE_HOURS('UTC'), proposeWithin: 'PT4H', warningThresholdPercent: 75 };
    await setPolicy(s.db, {
      ...office,
      moment: 'CLOSED_WON_TO_ONBOARDING' as never,
      escalation: SlaEscalationAction.REASSIGN,
      reassignToPartnerId: REASSIGN_TO,
    });
    await setPolicy(s.db, { ...office, moment: 'SUCCESS_TO_RENEWAL' as never, escalation: SlaEscalationAction.REASSIGN });
    await setPolicy(s.db, { ...office, moment: 'DIRECT_TO_PARTNER' as never, escalation: SlaEscalationAction.RECLAIM });
  });
  afterAll(async () => {
    await s?.stop();
  });

  describe('SlaPolicy.proposeWithin', () => {
    it('is optional, versioned with the other targets, and measured on the calendar', async () => {
      const none = await setPolicy(s.db, { moment: 'ONBOARDING_TO_SUCCESS' as never });
      expect(none).toMatchObject({ version: 1, proposeWithin: null, proposeMs: null });
      const v2 = await setPolicy(s.db, { moment: 'ONBOARDING_TO_SUCCESS' as never, proposeWithin: 'P1D', calendar: OFFICE_HOURS('UTC') });
      expect(v2).toMatchObject({ id: none.id, version: 2, proposeWithin: 'P1D', proposeMs: 8 * HOUR });
      const again = await setPolicy(s.db, { moment: 'ONBOARDING_TO_SUCCESS' as never, proposeWithin: 'P1D', calendar: OFFICE_HOURS('UTC') });
      expect(again.version).toBe(2);
      const v3 = await setPolicy(s.db, { moment: 'ONBOARDING_TO_SUCCESS' as never, proposeWithin: null, calendar: OFFICE_HOURS('UTC') });
      expect(v3).toMatchObject({ version: 3, proposeWithin: null });
    });

    it('a bad proposeWithin is BAD_USER_INPUT naming the field, and sets nothing', async () => {
      for (const proposeWithin of ['P1M', 'soon', 'PT0S']) {
        await expect(setSlaPolicy(s.db, SERVICE, policyInput({ moment: 'MQL_TO_SQL' as never, proposeWithin }))).rejects.toMatchObject({
          extensions: { code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: 'input.proposeWithin' })] },
        });
      }
      expect(await s.db.query(`SELECT 1 FROM slas.policies WHERE moment = 'MQL_TO_SQL'`)).toHaveLength(0);
    });
  });

  describe('clocks from HandoffDue* events', () => {
    it('HandoffDueOpened starts a RUNNING clock due in business time (over the weekend), with SlaDueClockStarted to the accountable partner', async () => {
      const d = opened();
      await emitDues(s.db, [{ type: HANDOFF_DUE_OPENED, due: d }]);
      await apply();
      const c = await clockOf(d.id);
      expect(c).toMatchObject({ state: 'RUNNING', accountable_partner_id: d.accountablePartnerId, target_ms: String(4 * HOUR), next_action: 'WARN' });
      expect(c.started_at.toISOString()).toBe(FRI_15);
      // Friday 15:00–17:00, then Monday 09:00–11:00; the warning at 3 hours, Monday 10:00.
      expect(c.due_at.toISOString()).toBe(MON('11:00').toISOString());
      expect(c.warning_at.toISOString()).toBe(MON('10:00').toISOString());
      const [started] = await eventsOf(d.id);
      expect(started).toMatchObject({
        type: SLA_DUE_CLOCK_STARTED,
        visible_to: [d.accountablePartnerId],
        payload: {
          due: { id: d.id },
          clock: { id: c.id, dueId: d.id, target: 'PROPOSE', state: 'RUNNING', dueAt: MON('11:00').toISOString(), targetBusinessSeconds: 4 * 3600 },
        },
      });
    });

    it('HandoffDueProposed stops it MET with the business time it took', async () => {
      const d = opened();
      await emitDues(s.db, [{ type: HANDOFF_DUE_OPENED, due: d }]);
      await emitDues(s.db, [{ type: HANDOFF_DUE_PROPOSED, due: { ...closed(d, 'PROPOSED', MON('09:30')), handoffId: randomUUID() } }]);
      await apply();
      const c = await clockOf(d.id);
      expect(c).toMatchObject({ state: 'MET', elapsed_ms: String(2.5 * HOUR), next_action: null, next_action_at: null });
      expect([c.stopped_at.toISOString(), c.decided_at.toISOString()]).toEqual([MON('09:30').toISOString(), MON('09:30').toISOString()]);
      const events = await eventsOf(d.id);
      expect(events.map((e) => e.type)).toEqual([SLA_DUE_CLOCK_STARTED, SLA_DUE_CLOCK_STOPPED]);
      expect(events[1]!.payload).toMatchObject({ clock: { state: 'MET', businessSecondsElapsed: 9000 }, due: { state: 'PROPOSED' } });
    });

    it('HandoffDueDismissed and HandoffDueSuperseded stop it CANCELLED; a late one stays BREACHED and announces the breach', async () => {
      const dismissed = opened();
      const superseded = opened();
      const late = opened();
      // Opened and superseded in one batch, as handoffs writes a customer's two moves of one batch.
      const both = opened();
      await emitDues(
        s.db,
        [dismissed, superseded, late].map((d) => ({ type: HANDOFF_DUE_OPENED, due: d })),
      );
      await emitDues(s.db, [
        { type: HANDOFF_DUE_DISMISSED, due: closed(dismissed, 'DISMISSED', MON('09:30')) },
        { type: HANDOFF_DUE_SUPERSEDED, due: closed(superseded, 'SUPERSEDED', MON('10:30')) },
        { type: HANDOFF_DUE_DISMISSED, due: closed(late, 'DISMISSED', MON('12:00')) },
        { type: HANDOFF_DUE_OPENED, due: both },
        { type: HANDOFF_DUE_SUPERSEDED, due: closed(both, 'SUPERSEDED', MON('09:00')) },
      ]);
      await apply();
      expect(await clockOf(dismissed.id)).toMatchObject({ state: 'CANCELLED', decided_at: null });
      expect(await clockOf(superseded.id)).toMatchObject({ state: 'CANCELLED', elapsed_ms: String(3.5 * HOUR) });
      expect(await clockOf(both.id)).toMatchObject({ state: 'CANCELLED', elapsed_ms: String(2 * HOUR) });
      const breached = await clockOf(late.id);
      expect(breached).toMatchObject({ state: 'BREACHED', elapsed_ms: String(5 * HOUR) });
      expect(breached.breached_at.toISOString()).toBe(MON('11:00').toISOString());
      expect((await eventsOf(late.id)).map((e) => e.type)).toEqual([SLA_DUE_CLOCK_STARTED, SLA_DUE_BREACHED, SLA_DUE_CLOCK_STOPPED]);
      expect((await eventsOf(both.id)).map((e) => e.type)).toEqual([SLA_DUE_CLOCK_STARTED, SLA_DUE_CLOCK_STOPPED]);
    });

    it('no clock without a policy for the moment, or when its policy sets no proposeWithin', async () => {
      const noPolicy = opened({ moment: 'MQL_TO_SQL' });
      const noTarget = opened({ moment: 'ONBOARDING_TO_SUCCESS' });
      await emitDues(
        s.db,
        [noPolicy, noTarget].map((d) => ({ type: HANDOFF_DUE_OPENED, due: d })),
      );
      await emitDues(s.db, [{ type: HANDOFF_DUE_PROPOSED, due: closed(noTarget, 'PROPOSED', MON('09:30')) }]);
      await apply();
      expect(await clockOf(noPolicy.id)).toBeUndefined();
      expect(await clockOf(noTarget.id)).toBeUndefined();
      expect(await eventsOf(noTarget.id)).toEqual([]);
    });

    it('applies each event once when the position is replayed', async () => {
      const d = opened();
      await emitDues(s.db, [{ type: HANDOFF_DUE_OPENED, due: d }]);
      await apply();
      await emitDues(s.db, [{ type: HANDOFF_DUE_PROPOSED, due: closed(d, 'PROPOSED', MON('09:30')) }]);
      await apply();
      const before = await clockOf(d.id);
      await s.db.query(`UPDATE eventlog.consumers SET tx = '0', seq = 0 WHERE name = $1`, [DUE_CLOCK_CONSUMER]);
      await apply();
      expect(await s.db.query(`SELECT id FROM slas.due_clocks WHERE due_id = $1`, [d.id])).toHaveLength(1);
      expect(await clockOf(d.id)).toEqual(before);
      expect((await eventsOf(d.id)).map((e) => e.type)).toEqual([SLA_DUE_CLOCK_STARTED, SLA_DUE_CLOCK_STOPPED]);
    });

    it('a batch costs the same statements for 40 dues as for 4', async () => {
      const batch = async (n: number) => {
        const ds = Array.from({ length: n }, () => opened());
        await emitDues(
          s.db,
          ds.map((d) => ({ type: HANDOFF_DUE_OPENED, due: d })),
        );
        await emitDues(
          s.db,
          ds.map((d, i) => ({ type: i % 2 ? HANDOFF_DUE_PROPOSED : HANDOFF_DUE_DISMISSED, due: closed(d, i % 2 ? 'PROPOSED' : 'DISMISSED', MON('09:30')) })),
        );
        const { statements } = await countQueries(apply);
        // A multi-row VALUES grows with the batch; the statement is the same one.
        const states: { state: string; n: number }[] = await s.db.query(
          `SELECT state, count(*)::int AS n FROM slas.due_clocks WHERE due_id = ANY($1::uuid[]) GROUP BY state ORDER BY state`,
          [ds.map((d) => d.id)],
        );
        expect(states).toEqual([
          { state: 'CANCELLED', n: n / 2 },
          { state: 'MET', n: n / 2 },
        ]);
        return statements.map((q) => q.replace(/\s+/g, ' ').slice(0, 90));
      };
      const few = await batch(4);
      const many = await batch(40);
      expect(many).toEqual(few);
      expect(many.length).toBeLessThanOrEqual(12);
    });
  });

  describe('the scheduler', () => {
    it('turns a PROPOSE clock AT_RISK at the warning and BREACHED at its due time, in business time; REASSIGN asks handoffs to propose it', async () => {
      const d = opened();
      await emitDues(s.db, [{ type: HANDOFF_DUE_OPENED, due: d }]);
      await apply();
      // The weekend counts nothing: nothing is at risk on Sunday night.
      await scheduler(new Date('2025-03-09T23:00:00Z')).sweep();
      expect((await clockOf(d.id)).state).toBe('RUNNING');
      await scheduler(MON('10:30')).sweep();
      const atRisk = await clockOf(d.id);
      expect(atRisk).toMatchObject({ state: 'AT_RISK', next_action: 'BREACH' });
      expect(atRisk.at_risk_at.toISOString()).toBe(MON('10:00').toISOString());
      await scheduler(MON('11:01')).sweep();
      const breached = await clockOf(d.id);
      expect(breached).toMatchObject({ state: 'BREACHED', next_action: null, next_action_at: null, stopped_at: null });
      expect([breached.breached_at.toISOString(), breached.decided_at.toISOString()]).toEqual([MON('11:00').toISOString(), MON('11:00').toISOString()]);
      const events = await eventsOf(d.id);
      expect(events.map((e) => e.type)).toEqual([SLA_DUE_CLOCK_STARTED, SLA_DUE_AT_RISK, SLA_DUE_BREACHED, SLA_DUE_ESCALATION_REQUESTED]);
      expect(events[2]!.payload).toMatchObject({ escalation: 'REASSIGN', clock: { state: 'BREACHED', breachedAt: MON('11:00').toISOString() } });
      expect(events[3]).toMatchObject({
        visible_to: [d.accountablePartnerId],
        payload: {
          action: 'REASSIGN',
          reassignToPartnerId: REASSIGN_TO,
          due: { id: d.id, customerId: d.customerId },
          clock: { id: breached.id, target: 'PROPOSE' },
        },
      });
      // The late proposal stops it, BREACHED still, without a second breach.
      await emitDues(s.db, [{ type: HANDOFF_DUE_PROPOSED, due: closed(d, 'PROPOSED', MON('12:00')) }]);
      await apply();
      expect(await clockOf(d.id)).toMatchObject({ state: 'BREACHED', elapsed_ms: String(5 * HOUR) });
      expect((await eventsOf(d.id, [SLA_DUE_BREACHED])).length).toBe(1);
    });

    it('REASSIGN without a partner leaves the receiver to routing; NOTIFY and RECLAIM only alert', async () => {
      const routed = opened({ moment: 'SUCCESS_TO_RENEWAL' });
      const alertOnly = opened({ moment: 'DIRECT_TO_PARTNER' });
      await emitDues(
        s.db,
        [routed, alertOnly].map((d) => ({ type: HANDOFF_DUE_OPENED, due: d })),
      );
      await apply();
      // Down over the whole of Monday: the first sweep breaches at the due time, no stale warning.
      await scheduler(MON('20:00')).sweep();
      expect((await eventsOf(routed.id)).map((e) => e.type)).toEqual([SLA_DUE_CLOCK_STARTED, SLA_DUE_BREACHED, SLA_DUE_ESCALATION_REQUESTED]);
      expect((await eventsOf(routed.id, [SLA_DUE_ESCALATION_REQUESTED]))[0]!.payload).toMatchObject({ action: 'REASSIGN', reassignToPartnerId: null });
      expect((await eventsOf(alertOnly.id)).map((e) => e.type)).toEqual([SLA_DUE_CLOCK_STARTED, SLA_DUE_BREACHED]);
      expect((await eventsOf(alertOnly.id, [SLA_DUE_BREACHED]))[0]!.payload).toMatchObject({ escalation: 'NOTIFY' });
    });

    it('waits for HandoffDue* events not applied yet: a proposal in time is never breached', async () => {
      const d = opened();
      await emitDues(s.db, [{ type: HANDOFF_DUE_OPENED, due: d }]);
      await apply();
      await emitDues(s.db, [{ type: HANDOFF_DUE_PROPOSED, due: closed(d, 'PROPOSED', MON('10:45')) }]);
      await scheduler(MON('11:30')).sweep();
      expect((await clockOf(d.id)).state).toBe('RUNNING');
      await apply();
      expect((await clockOf(d.id)).state).toBe('MET');
      expect(await eventsOf(d.id, [SLA_DUE_BREACHED, SLA_DUE_AT_RISK])).toEqual([]);
    });

    it('applyToRunningClocks moves running PROPOSE clocks to the new version', async () => {
      const d = opened({ moment: 'SUCCESS_TO_RENEWAL' });
      await emitDues(s.db, [{ type: HANDOFF_DUE_OPENED, due: d }]);
      await apply();
      const v2 = await setPolicy(
        s.db,
        {
          moment: 'SUCCESS_TO_RENEWAL' as never,
          calendar: OFFICE_HOURS('UTC'),
          proposeWithin: 'PT6H',
          warningThresholdPercent: 75,
          escalation: SlaEscalationAction.REASSIGN,
          applyToRunningClocks: true,
        },
        MON('09:30'),
      );
      expect(await clockOf(d.id)).toMatchObject({ policy_version: v2.version, target_ms: String(6 * HOUR), state: 'RUNNING' });
      expect((await clockOf(d.id)).due_at.toISOString()).toBe(MON('13:00').toISOString());
    });
  });
});

/** HandoffDue.slaClock and slaDueAlert through the slas subgraph's own server (a database of their own: its scheduler runs on wall time). */
describe('slas: the PROPOSE clock API (subgraph server, real Postgres)', () => {
  let s: SlasDb;
  let server: SlasServer;
  let url: string;
  const clients: Client[] = [];
  const A = '00000000-0000-4000-8000-0000000007b1';
  const B = '00000000-0000-4000-8000-0000000007b2';
  const HQ = '00000000-0000-4000-8000-0000000007b9';
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  const dueOf = (accountablePartnerId: string | null, movedMinutesAgo: number) =>
    due({
      moment: 'DIRECT_TO_PARTNER',
      accountablePartnerId,
      stageMove: { fromStage: 'SQL', toStage: 'OPPORTUNITY', eventId: randomUUID(), at: minutesAgo(movedMinutesAgo) },
    });
  // The server's scheduler runs beside: its transactions may hold the new events back for a moment.
  const apply = async () => {
    const c = createDueClockConsumer(s.db, log);
    await c.catchUp(15_000);
    await c.stop();
  };
  const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on HandoffDue { id slaClock {
      id target state startedAt dueAt stoppedAt businessSecondsElapsed targetBusinessSeconds atRiskAt breachedAt accountablePartnerId
      policy { version proposeWithin } due { id } } } } }`;
  const slaClocks = async (who: Identity, ids: string[]) => {
    const res = await subgraphGql(url, ENTITIES, { r: ids.map((id) => ({ __typename: 'HandoffDue', id })) }, who);
    expect(res.errors).toBeUndefined();
    return (res.data!._entities as { id: string; slaClock: Record<string, unknown> | null }[]).map((e) => e.slaClock);
  };

  beforeAll(async () => {
    s = await startSlasDb();
    await setPolicy(s.db, { moment: 'DIRECT_TO_PARTNER' as never, calendar: ALWAYS_ON('UTC'), proposeWithin: 'PT1H', warningThresholdPercent: 80 });
    server = await createSlasServer({ dataSource: s.db, identitySecret: TEST_IDENTITY_SECRET, log, schedulerPollMs: 60_000 });
    url = await server.listen(0);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await server?.stop();
    await s?.stop();
  });

  it('HandoffDue.slaClock: the accountable partner and internal teams see it, another partner gets null', async () => {
    const [dA, dB, dHq] = [dueOf(A, 10), dueOf(B, 10), dueOf(null, 10)];
    await emitDues(
      s.db,
      [dA, dB, dHq].map((d) => ({ type: HANDOFF_DUE_OPENED, due: d })),
    );
    await apply();
    const ids = [dA.id, dB.id, dHq.id];
    const [a, b, hq] = await slaClocks(internalIdentity(HQ), ids);
    expect(a).toMatchObject({
      target: 'PROPOSE',
      state: 'RUNNING',
      startedAt: dA.stageMove.at,
      dueAt: new Date(Date.parse(dA.stageMove.at) + HOUR).toISOString(),
      stoppedAt: null,
      targetBusinessSeconds: 3600,
      atRiskAt: null,
      breachedAt: null,
      accountablePartnerId: A,
      policy: { version: 1, proposeWithin: 'PT1H' },
      due: { id: dA.id },
    });
    expect(a!.businessSecondsElapsed).toBeGreaterThanOrEqual(600);
    expect([b, hq]).toEqual([expect.objectContaining({ accountablePartnerId: B }), expect.objectContaining({ accountablePartnerId: null })]);
    expect(await slaClocks(partnerIdentity(A), ids)).toEqual([expect.objectContaining({ id: a!.id }), null, null]);
    expect(await slaClocks(partnerIdentity(B), ids)).toEqual([null, expect.objectContaining({ id: b!.id }), null]);
    // A due without a clock (no policy for its moment) has none for anybody.
    const unknown = due({ moment: 'MQL_TO_SQL' });
    await emitDues(s.db, [{ type: HANDOFF_DUE_OPENED, due: unknown }]);
    await apply();
    expect(await slaClocks(internalIdentity(HQ), [unknown.id])).toEqual([null]);
  });

  it('slaDueAlert: AT_RISK and BREACHED go to the accountable partner and internal teams, to nobody else, whatever they name', async () => {
    const subscribe = (identity: Identity, query = `subscription { slaDueAlert { id kind escalation occurredAt due { id } clock { state target } } }`) => {
      const client = wsClient(url, { identity: signIdentity(identity, TEST_IDENTITY_SECRET) });
      clients.push(client);
      return new Subscription(client, query);
    };
    const [forA, forB, forHq] = [subscribe(partnerIdentity(A)), subscribe(partnerIdentity(B)), subscribe(internalIdentity(HQ))];
    const bNamingA = subscribe(partnerIdentity(B), `subscription { slaDueAlert(partnerId: "${A}") { id } }`);
    const hqNamingB = subscribe(internalIdentity(HQ), `subscription { slaDueAlert(partnerId: "${B}") { id } }`);
    await Subscription.settle(300);
    // At risk (past 48 of 60 minutes), and breached (past 60).
    const [risky, late] = [dueOf(A, 55), dueOf(A, 90)];
    await emitDues(
      s.db,
      [risky, late].map((d) => ({ type: HANDOFF_DUE_OPENED, due: d })),
    );
    await apply();
    await new SlaScheduler({ dataSource: s.db, log, consumerName: CLOCK_CONSUMER }).sweep();
    await server.relay.flush();
    for (const sub of [forA, forHq]) {
      await sub.waitFor(2);
      const alerts = sub.received.map((r) => r.data!.slaDueAlert as { kind: string; due: { id: string }; escalation: string | null; clock: { state: string } });
      expect(alerts.map((x) => [x.due.id, x.kind, x.escalation]).sort()).toEqual(
        [
          [risky.id, 'AT_RISK', null],
          [late.id, 'BREACHED', 'NOTIFY'],
        ].sort(),
      );
      expect(alerts.find((x) => x.due.id === late.id)!.clock).toEqual({ state: 'BREACHED', target: 'PROPOSE' });
    }
    await Subscription.settle(300);
    expect(forB.received).toEqual([]);
    expect(bNamingA.received).toEqual([]);
    expect(hqNamingB.received).toEqual([]);
  });
  it('Partner.slaAttainment(target: PROPOSE) counts the PROPOSE clocks the partner was accountable for', async () => {
    const ATTAINMENT = `query($r: [_Any!]!, $t: SlaTarget) { _entities(representations: $r) { ... on Partner { slaAttainment(period: "LAST_7_DAYS", target: $t) { met breached } } } }`;
    const attainment = async (t: string | null) => {
      const res = await subgraphGql(url, ATTAINMENT, { r: [{ __typename: 'Partner', id: A }], t }, partnerIdentity(A));
      expect(res.errors).toBeUndefined();
      return res.data!._entities[0].slaAttainment;
    };
    // The breached due above; its two others are still open. Handoffs' clocks (the default) have none.
    expect(await attainment('PROPOSE')).toEqual({ met: 0, breached: 1 });
    expect(await attainment(null)).toEqual({ met: 0, breached: 0 });
  });
});
