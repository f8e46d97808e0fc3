import { randomUUID } from 'node:crypto';
import type { Identity } from '../../../shared/auth/identity';
import { traceSql } from '../../../shared/db/sql-meter';
import { withTenant } from '../../../shared/db/tenant-context';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import {
  CUSTOMER_UPDATED,
  HANDOFF_DUE_DISMISSED,
  HANDOFF_DUE_OPENED,
  HANDOFF_DUE_PROPOSED,
  HANDOFF_DUE_SUPERSEDED,
  HANDOFF_PROPOSED,
  type CustomerEventPayload,
} from '../../../shared/eventlog/events';
import { createAccountsProjectionConsumer } from '../src/consumers/accounts-projection.consumer';
import { HandoffDueState, HandoffMoment, LifecycleStage } from '../src/entities/enums';
import { RoutingStrategy } from '../src/entities/routing.entity';
import type { PlaybookTrigger } from '../src/entities/playbook-parts';
import type { PlaybookInput } from '../src/resolvers/playbook.inputs';
import { dismissHandoffDue, openDuesForMoves } from '../src/services/handoff-due.service';
import { publishPlaybook } from '../src/services/playbook.service';
import { proposeHandoff } from '../src/services/propose.service';
import { setRoutingRule } from '../src/services/routing/rules.service';
import { acceptHandoff } from '../src/services/transition.service';
import {
  accountsEvents,
  asInternal,
  asPartner,
  customerCreated,
  eventsOf,
  onboardingPlaybook,
  proposal,
  silentLog,
  startHandoffsFixture,
  type HandoffsFixture,
} from './fixture';

/**
 * Handoffs come due (docs/journeys.md): a customer's lifecycle stage move, as handoffs'
 * projection of accounts sees it, opens a HandoffDue when it matches the trigger of a
 * moment's current playbook — exactly once, with routing's suggestion, closed by the
 * proposal, a dismissal or a later move.
 */
describe('handoffs: a stage move that matches a playbook trigger opens a HandoffDue (real Postgres)', () => {
  let f: HandoffsFixture;
  const as = <T>(identity: Identity, fn: () => Promise<T>): Promise<T> => withTenant(identity, fn);

  /** What accounts writes when a customer's fields change: the whole snapshot after the change. */
  const customerUpdated = (id: string, owner: string | null, lifecycleStage: LifecycleStage): NewEvent => {
    const created = customerCreated(id, `Customer ${id.slice(0, 4)}`, owner);
    const { customer } = created.payload as unknown as CustomerEventPayload;
    return { ...created, type: CUSTOMER_UPDATED, payload: { customer: { ...customer, lifecycleStage }, changed: ['lifecycleStage'] } };
  };
  const move = async (customerId: string, owner: string | null, ...stages: LifecycleStage[]) => {
    for (const stage of stages) await accountsEvents(f.db, [customerUpdated(customerId, owner, stage)]);
    await f.project();
  };
  const dues = (customerId: string): Promise<{ id: string; state: string; moment: string; cause_event_id: string; superseded_by_event_id: string | null }[]> =>
    f.db.query(`SELECT id, state, moment, cause_event_id, superseded_by_event_id FROM handoffs.handoff_dues WHERE customer_id = $1 ORDER BY opened_at, id`, [
      customerId,
    ]);
  const stageEvents = (customerId: string): Promise<{ id: string }[]> =>
    f.db.query(`SELECT id FROM eventlog.events WHERE aggregate_id = $1 AND type = $2 ORDER BY tx, seq`, [customerId, CUSTOMER_UPDATED]);
  const dueRow = async (id: string) =>
    (
      await f.db.query(
        `SELECT state, accountable_partner_id, suggested_partner_id, suggestion_rule_id, from_stage, to_stage, cause_event_id, moved_at, due_at,
                propose_within, auto_propose, playbook_version, handoff_id, dismissed_reason, dismissed_by_partner_id, superseded_by_event_id, closed_at
           FROM handoffs.handoff_dues WHERE id = $1`,
        [id],
      )
    )[0];

  /** Onboarding's trigger: CLOSED_WON → ONBOARDING, to be proposed within two days. */
  const onboarding = (over: Partial<PlaybookTrigger> = {}): PlaybookInput => ({
    ...onboardingPlaybook(),
    trigger: { fromStage: LifecycleStage.CLOSED_WON, toStage: LifecycleStage.ONBOARDING, description: 'Contract countersigned', proposeWithin: 'P2D', ...over },
  });

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publishPlaybook(f.db, asInternal(f.I), onboarding({ autoPropose: true }));
    // B first in the rotation, then C: a suggestion that moved the rotation would suggest C next.
    await as(asInternal(f.I), () =>
      setRoutingRule(f.db, asInternal(f.I), {
        moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
        customMoment: null,
        customerSegment: null,
        customerRegion: null,
        currentOwnerKind: null,
        strategies: [RoutingStrategy.ROUND_ROBIN],
        candidates: [
          { partnerId: f.B, weight: 1, regions: [], segments: [], maxOpen: null, paused: false },
          { partnerId: f.C, weight: 1, regions: [], segments: [], maxOpen: null, paused: false },
        ],
        rerouteOnReject: false,
        minSample: 10,
        changeNote: null,
      }),
    );
  });
  afterAll(() => f?.stop());

  it('a matching stage move opens one OPEN due: the owner accountable, routing’s first candidate suggested, dueAt two days on', async () => {
    const c = await f.customer(f.A);
    await move(c, f.A, LifecycleStage.ONBOARDING);
    const [due, ...more] = await dues(c);
    expect(more).toEqual([]);
    const [cause] = await stageEvents(c);
    const row = await dueRow(due!.id);
    expect(row).toMatchObject({
      state: 'OPEN',
      accountable_partner_id: f.A,
      suggested_partner_id: f.B,
      from_stage: 'CLOSED_WON',
      to_stage: 'ONBOARDING',
      cause_event_id: cause!.id,
      propose_within: 'P2D',
      auto_propose: true,
      playbook_version: 1,
      handoff_id: null,
      closed_at: null,
    });
    expect(row.suggestion_rule_id).toEqual(expect.any(String));
    expect(row.due_at.getTime() - row.moved_at.getTime()).toBe(2 * 24 * 3600 * 1000);

    const [opened, ...others] = await eventsOf(f.db, due!.id);
    expect(others).toEqual([]);
    expect(opened).toMatchObject({ type: HANDOFF_DUE_OPENED, visible_to: [f.A] });
    expect(opened!.payload.due).toMatchObject({
      state: 'OPEN',
      suggestedPartnerId: f.B,
      stageMove: { fromStage: 'CLOSED_WON', toStage: 'ONBOARDING', eventId: cause!.id },
      proposeWithin: 'P2D',
    });
  });

  it('a suggestion is a preview: it moves no rotation, so the next due is suggested the same receiver', async () => {
    const c = await f.customer(f.A);
    await move(c, f.A, LifecycleStage.ONBOARDING);
    const [due] = await dues(c);
    expect((await dueRow(due!.id)).suggested_partner_id).toBe(f.B);
    const turns: { turns: string }[] = await f.db.query(`SELECT turns::text AS turns FROM handoffs.routing_rotations`);
    expect(turns.every((t) => t.turns === '0')).toBe(true);
  });

  it('a stage move opens nothing for a moment whose handoff of the customer is already open', async () => {
    const c = await f.customer(f.A);
    await as(asPartner(f.A), () => proposeHandoff(f.db, asPartner(f.A), proposal(c, f.B), null));
    await move(c, f.A, LifecycleStage.ONBOARDING);
    expect(await dues(c)).toEqual([]);
  });

  it('a stage move that matches no playbook opens nothing', async () => {
    const c = await f.customer(f.A);
    await move(c, f.A, LifecycleStage.CHURNED);
    expect(await dues(c)).toEqual([]);
    expect(await eventsOf(f.db, c, HANDOFF_DUE_OPENED)).toEqual([]);
  });

  it('replaying the events (a reset consumer) opens nothing new, and two instances opening for one event open one due', async () => {
    const c = await f.customer(f.A);
    await move(c, f.A, LifecycleStage.ONBOARDING);
    const before = await dues(c);
    expect(before).toHaveLength(1);

    await f.db.query(`UPDATE eventlog.consumers SET tx = '0', seq = 0 WHERE name = 'handoffs.accounts-projection'`);
    const replay = createAccountsProjectionConsumer(f.db, silentLog);
    await replay.drain();
    await replay.stop();
    expect(await dues(c)).toEqual(before);

    // The same move handed to the opening step twice (a second instance): the unique key on (event, moment) holds.
    const [cause] = await stageEvents(c);
    const again = { customerId: c, fromStage: 'CLOSED_WON', toStage: 'ONBOARDING', eventId: cause!.id, at: new Date(), supersededBy: null };
    expect(await f.db.transaction((m) => openDuesForMoves(m, [again]))).toEqual([]);
    expect(await dues(c)).toEqual(before);
  });

  it('two stage moves racing for one customer leave at most one OPEN due per moment', async () => {
    const c = await f.customer(f.A);
    const moves = [randomUUID(), randomUUID()].map((eventId) => ({
      customerId: c,
      fromStage: 'CLOSED_WON',
      toStage: 'ONBOARDING',
      eventId,
      at: new Date(),
      supersededBy: null,
    }));
    await Promise.all(moves.map((m) => f.db.transaction((manager) => openDuesForMoves(manager, [m]))));
    expect((await dues(c)).filter((d) => d.state === 'OPEN')).toHaveLength(1);
  });

  it('proposing a handoff of the customer at the moment closes the due as PROPOSED, linked, in the proposing transaction', async () => {
    const c = await f.customer(f.A);
    await move(c, f.A, LifecycleStage.ONBOARDING);
    const [due] = await dues(c);
    const handoff = await as(asPartner(f.A), () => proposeHandoff(f.db, asPartner(f.A), proposal(c, f.B), null));
    expect(await dueRow(due!.id)).toMatchObject({ state: 'PROPOSED', handoff_id: handoff.id, closed_at: expect.any(Date) });
    const [proposed] = await eventsOf(f.db, handoff.id, HANDOFF_PROPOSED);
    const [closed] = await eventsOf(f.db, due!.id, HANDOFF_DUE_PROPOSED);
    expect(closed).toMatchObject({ tx: proposed!.tx, visible_to: [f.A] });
    expect(closed!.payload.due).toMatchObject({ state: 'PROPOSED', handoffId: handoff.id });
  });

  describe('dismissHandoffDue', () => {
    let c: string;
    let dueId: string;
    beforeAll(async () => {
      // B hands the customer to A (A owns it, B collaborates): B is suggested and sees the due, A is accountable.
      c = await f.customer(f.B);
      const h = await as(asPartner(f.B), () => proposeHandoff(f.db, asPartner(f.B), proposal(c, f.A, { moment: HandoffMoment.MQL_TO_SQL }), null));
      await as(asPartner(f.A), () => acceptHandoff(f.db, asPartner(f.A), h.id));
      await move(c, f.A, LifecycleStage.ONBOARDING);
      const [due] = await dues(c);
      dueId = due!.id;
      expect(await dueRow(dueId)).toMatchObject({ accountable_partner_id: f.A, suggested_partner_id: f.B });
    });

    const dismiss = (who: Identity, reason: string) => as(who, () => dismissHandoffDue(f.db, who, dueId, reason));

    it('is NOT_FOUND to a partner that may not see the due, FORBIDDEN to the suggested receiver, BAD_USER_INPUT without a reason', async () => {
      await expect(dismiss(asPartner(f.C), 'not ours')).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
      await expect(dismiss(asPartner(f.B), 'not ours')).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
      await expect(dismiss(asPartner(f.A), '   ')).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
      await expect(as(asPartner(f.A), () => dismissHandoffDue(f.db, asPartner(f.A), 'nope', 'x'))).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT' },
      });
      expect(await dueRow(dueId)).toMatchObject({ state: 'OPEN', dismissed_reason: null });
      expect(await eventsOf(f.db, dueId, HANDOFF_DUE_DISMISSED)).toEqual([]);
    });

    it('the accountable partner dismisses it with a reason; a second dismissal is CONFLICT', async () => {
      const dismissed = await dismiss(asPartner(f.A), '  Customer onboards itself  ');
      expect(dismissed).toMatchObject({ state: HandoffDueState.DISMISSED, dismissedReason: 'Customer onboards itself', dismissedByPartnerId: f.A });
      const [event] = await eventsOf(f.db, dueId, HANDOFF_DUE_DISMISSED);
      expect(event).toMatchObject({ visible_to: [f.A] });
      expect(event!.payload.due).toMatchObject({ state: 'DISMISSED', dismissedReason: 'Customer onboards itself' });
      await expect(dismiss(asInternal(f.I), 'again')).rejects.toMatchObject({ extensions: { code: 'CONFLICT', state: 'DISMISSED' } });
    });
  });

  it('a later stage move supersedes the open due; two moves in one batch leave the first one superseded', async () => {
    const c = await f.customer(f.A);
    await move(c, f.A, LifecycleStage.ONBOARDING);
    const [due] = await dues(c);
    await move(c, f.A, LifecycleStage.ACTIVE);
    const [, later] = await stageEvents(c);
    expect(await dueRow(due!.id)).toMatchObject({ state: 'SUPERSEDED', superseded_by_event_id: later!.id, closed_at: expect.any(Date) });
    expect(await eventsOf(f.db, due!.id, HANDOFF_DUE_SUPERSEDED)).toHaveLength(1);

    // In one batch: back to CLOSED_WON, on to ONBOARDING (opens), back to CLOSED_WON (supersedes it).
    await accountsEvents(f.db, [customerUpdated(c, f.A, LifecycleStage.CLOSED_WON)]);
    await accountsEvents(f.db, [customerUpdated(c, f.A, LifecycleStage.ONBOARDING)]);
    await accountsEvents(f.db, [customerUpdated(c, f.A, LifecycleStage.CLOSED_WON)]);
    await f.project();
    const all = await dues(c);
    expect(all.map((d) => d.state)).toEqual(['SUPERSEDED', 'SUPERSEDED']);
    const events = await stageEvents(c);
    expect(all[1]).toMatchObject({ cause_event_id: events[3]!.id, superseded_by_event_id: events[4]!.id });
    expect((await eventsOf(f.db, all[1]!.id)).map((e) => e.type)).toEqual([HANDOFF_DUE_OPENED, HANDOFF_DUE_SUPERSEDED]);
  });

  it('a customer we hold directly makes the internal team the trigger names accountable', async () => {
    await publishPlaybook(f.db, asInternal(f.I), {
      ...onboardingPlaybook(),
      moment: HandoffMoment.DIRECT_TO_PARTNER,
      requiredFields: [],
      trigger: { fromStage: LifecycleStage.SQL, toStage: LifecycleStage.OPPORTUNITY, accountableTeamId: f.I },
    });
    const c = await f.customer(null);
    await move(c, null, LifecycleStage.SQL, LifecycleStage.OPPORTUNITY);
    const [due] = (await dues(c)).filter((d) => d.moment === HandoffMoment.DIRECT_TO_PARTNER);
    expect(await dueRow(due!.id)).toMatchObject({ state: 'OPEN', accountable_partner_id: f.I, suggested_partner_id: null, due_at: null, auto_propose: false });
  });

  it('publishPlaybook refuses a proposeWithin that is not an ISO-8601 duration and an accountable team that is not one, writing nothing', async () => {
    const versions = async () => (await f.db.query(`SELECT count(*)::int AS n FROM handoffs.playbooks`))[0].n;
    const before = await versions();
    for (const [trigger, field] of [
      [{ proposeWithin: 'two days' }, 'input.trigger.proposeWithin'],
      [{ proposeWithin: 'P0D' }, 'input.trigger.proposeWithin'],
      [{ proposeWithin: 'PT' }, 'input.trigger.proposeWithin'],
      [{ accountableTeamId: f.A }, 'input.trigger.accountableTeamId'],
      [{ accountableTeamId: 'team' }, 'input.trigger.accountableTeamId'],
    ] as const) {
      await expect(publishPlaybook(f.db, asInternal(f.I), onboarding(trigger))).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field })] },
      });
    }
    expect(await versions()).toBe(before);
    const ok = await publishPlaybook(f.db, asInternal(f.I), onboarding({ proposeWithin: 'P1DT12H' }));
    expect(ok.trigger).toMatchObject({ proposeWithin: 'P1DT12H' });
  });

  it('the consumer batch costs the same statements for 1 stage move as for 20, with dues opened or not (routing previews are set-based)', async () => {
    const batch = async (n: number, to: LifecycleStage) => {
      const customers: string[] = [];
      for (let i = 0; i < n; i++) customers.push(await f.customer(f.A));
      for (const c of customers) await accountsEvents(f.db, [customerUpdated(c, f.A, to)]);
      const stop = traceSql();
      await f.project();
      return { statements: stop().length, customers };
    };
    // No playbook's trigger: nothing opens.
    const one = await batch(1, LifecycleStage.CHURNED);
    const twenty = await batch(20, LifecycleStage.CHURNED);
    expect(twenty.statements).toBe(one.statements);

    // Dues opened: one routeMany preview for the batch, however many dues.
    const oneDue = await batch(1, LifecycleStage.ONBOARDING);
    const twentyDues = await batch(20, LifecycleStage.ONBOARDING);
    expect(oneDue.statements).toBeGreaterThan(one.statements);
    expect(twentyDues.statements).toBe(oneDue.statements);
    for (const c of twentyDues.customers) expect((await dues(c)).map((d) => d.state)).toEqual(['OPEN']);
  });
});
