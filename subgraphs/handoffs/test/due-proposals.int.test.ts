import { randomUUID } from 'node:crypto';
import { traceSql } from '../../../shared/db/sql-meter';
import { withTenant } from '../../../shared/db/tenant-context';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import {
  CUSTOMER_UPDATED,
  HANDOFF_DUE_OPENED,
  HANDOFF_DUE_PROPOSED,
  HANDOFF_PROPOSED,
  HANDOFF_ROUTED,
  NO_ROUTE_FOUND,
  SLA_DUE_ESCALATION_REQUESTED,
  type CustomerEventPayload,
  type SlaDueEscalationPayload,
} from '../../../shared/eventlog/events';
import { createDueProposalsConsumer } from '../src/consumers/due-proposals.consumer';
import { HandoffMoment, LifecycleStage, PlaybookFieldType } from '../src/entities/enums';
import { RoutingStrategy } from '../src/entities/routing.entity';
import type { PlaybookInput } from '../src/resolvers/playbook.inputs';
import { dismissHandoffDue, dueSnapshot, DUE_COLUMNS, toDue } from '../src/services/handoff-due.service';
import { publishPlaybook } from '../src/services/playbook.service';
import { proposeHandoff } from '../src/services/propose.service';
import { setRoutingRule } from '../src/services/routing/rules.service';
import { cancelHandoff } from '../src/services/transition.service';
import {
  accountsEvents,
  asInternal,
  asPartner,
  customerCreated,
  eventsOf,
  onboardingPlaybook,
  partnerCreated,
  proposal,
  silentLog,
  startHandoffsFixture,
  validData,
  type HandoffsFixture,
} from './fixture';

/**
 * The hub proposes a due itself (docs/journeys.md): at once when its playbook's trigger says
 * autoPropose and the record holds the required data, and when slas escalates its PROPOSE
 * breach (SlaDueEscalationRequested, appended here as slas would) — set-based, exactly once.
 */
describe('handoffs: dues the hub proposes itself (autoPropose, SLA PROPOSE escalation)', () => {
  let f: HandoffsFixture;
  let D: string;
  let E: string;
  const consumer = () => createDueProposalsConsumer(f.db, silentLog);
  /** One instance's pass over the log, as a restarted or second instance would make it. */
  const proposeAll = async () => {
    const c = consumer();
    await c.drain();
    await c.stop();
  };

  const context = {
    goals: ['Live in March'],
    painPoints: ['Onboarding by spreadsheet'],
    currentSolution: 'Excel',
    timeline: 'before Q2',
    budget: 'approved up to 50k EUR',
    notes: 'Prefers email',
  };
  const contacts = [{ name: 'Dana Scully', email: 'dana@customer.example', role: 'champion', phone: null }];

  /** What accounts writes on a stage move: the whole record after it (with `extra` fields the snapshot may carry). */
  const moved = (id: string, owner: string | null, lifecycleStage: LifecycleStage, extra: Record<string, unknown> = {}): NewEvent => {
    const created = customerCreated(id, `Customer ${id.slice(0, 4)}`, owner);
    const { customer } = created.payload as unknown as CustomerEventPayload;
    return {
      ...created,
      type: CUSTOMER_UPDATED,
      payload: { customer: { ...customer, lifecycleStage, context, contacts, ...extra }, changed: ['lifecycleStage'] },
    };
  };
  const move = async (customerId: string, stage: LifecycleStage, extra: Record<string, unknown> = {}, owner: string | null = f.A) => {
    await accountsEvents(f.db, [moved(customerId, owner, stage, extra)]);
    await f.project();
  };
  const dueOf = async (customerId: string) => {
    const rows: object[] = await f.db.query(`SELECT ${DUE_COLUMNS} FROM handoffs.handoff_dues d WHERE d.customer_id = $1 ORDER BY d.opened_at DESC LIMIT 1`, [
      customerId,
    ]);
    return toDue(rows[0]!);
  };
  const handoffsOf = (customerId: string): Promise<any[]> =>
    f.db.query(
      `SELECT id, state, to_partner_id, from_partner_id, proposed_by_partner_id, data, context_package, customer_message, required_data_complete, routing,
              playbook_version, to_partner_tier
         FROM handoffs.handoffs WHERE customer_id = $1 ORDER BY proposed_at`,
      [customerId],
    );
  const rotation = async (): Promise<number> => (await f.db.query(`SELECT coalesce(sum(turns), 0)::int AS turns FROM handoffs.routing_rotations`))[0].turns;
  const fullData = { contractValue: 48000, startDate: '2027-03-01', sponsor: 'cfo@customer.example' };

  const rule = (moment: HandoffMoment, candidates: string[]) =>
    withTenant(asInternal(f.I), () =>
      setRoutingRule(f.db, asInternal(f.I), {
        moment,
        customMoment: null,
        customerSegment: null,
        customerRegion: null,
        currentOwnerKind: null,
        strategies: [RoutingStrategy.ROUND_ROBIN],
        candidates: candidates.map((partnerId) => ({ partnerId, weight: 1, regions: [], segments: [], maxOpen: null, paused: false })),
        rerouteOnReject: false,
        minSample: 10,
        changeNote: null,
      }),
    );

  /** What slas appends when a due's PROPOSE clock breaches under a REASSIGN policy. */
  const escalate = async (customerId: string, reassignToPartnerId: string | null) => {
    const due = await dueOf(customerId);
    const now = new Date().toISOString();
    const payload: SlaDueEscalationPayload = {
      clock: {
        id: randomUUID(),
        dueId: due.id,
        customerId,
        moment: due.moment,
        policyId: randomUUID(),
        policyVersion: 1,
        target: 'PROPOSE',
        state: 'BREACHED',
        startedAt: due.openedAt.toISOString(),
        dueAt: now,
        stoppedAt: null,
        businessSecondsElapsed: 100,
        targetBusinessSeconds: 50,
        accountablePartnerId: due.accountablePartnerId,
        warningAt: null,
        atRiskAt: null,
        breachedAt: now,
      },
      due: dueSnapshot(due),
      action: 'REASSIGN',
      reassignToPartnerId,
    };
    await accountsEvents(f.db, [
      {
        type: SLA_DUE_ESCALATION_REQUESTED,
        source: 'slas',
        aggregateType: 'SlaDueClock',
        aggregateId: payload.clock.id,
        payload: payload as never,
        visibleTo: [],
      },
    ]);
    return due;
  };

  beforeAll(async () => {
    f = await startHandoffsFixture();
    D = randomUUID();
    E = randomUUID();
    await accountsEvents(f.db, [partnerCreated(D, 'Partner D', 'SERVICE_PROVIDER'), partnerCreated(E, 'Partner E', 'SERVICE_PROVIDER')]);
    await f.project();
    const trigger = (fromStage: LifecycleStage, toStage: LifecycleStage) => ({
      fromStage,
      toStage,
      description: null,
      proposeWithin: 'P2D',
      autoPropose: true,
    });
    // CLOSED_WON → ONBOARDING proposes itself, routed B / C in turns.
    await publishPlaybook(f.db, asInternal(f.I), { ...onboardingPlaybook(), trigger: trigger(LifecycleStage.CLOSED_WON, LifecycleStage.ONBOARDING) });
    await rule(HandoffMoment.CLOSED_WON_TO_ONBOARDING, [f.B, f.C]);
    // ONBOARDING → ACTIVE proposes itself, routed D / E in turns, and asks for nothing.
    const success: PlaybookInput = {
      ...onboardingPlaybook(),
      moment: HandoffMoment.ONBOARDING_TO_SUCCESS,
      name: 'Onboarding to success',
      requiredFields: [{ name: 'budget', type: PlaybookFieldType.STRING, description: 'What they said about budget', required: true }],
      trigger: trigger(LifecycleStage.ONBOARDING, LifecycleStage.ACTIVE),
    };
    await publishPlaybook(f.db, asInternal(f.I), success);
    await rule(HandoffMoment.ONBOARDING_TO_SUCCESS, [D, E]);
    // ACTIVE → RENEWAL proposes itself, but no routing rule names anyone for it.
    await publishPlaybook(f.db, asInternal(f.I), {
      ...success,
      moment: HandoffMoment.SUCCESS_TO_RENEWAL,
      name: 'Renewal',
      requiredFields: [],
      trigger: trigger(LifecycleStage.ACTIVE, LifecycleStage.RENEWAL),
    });
  });
  afterAll(() => f?.stop());

  it('an autoPropose due whose record holds the required data is proposed at once to the routed receiver, with the customer’s context', async () => {
    const c = await f.customer(f.A);
    // The data was given once, on an earlier handoff of the customer that was cancelled.
    const earlier = await proposeHandoff(f.db, asPartner(f.A), proposal(c, f.C, { data: validData }), null);
    await cancelHandoff(f.db, asPartner(f.A), earlier.id, 'Signed a new order form first');
    const turns = await rotation();
    await move(c, LifecycleStage.ONBOARDING);
    const opened = await dueOf(c);
    expect(opened).toMatchObject({ state: 'OPEN', autoPropose: true, missingData: [] });

    await proposeAll();
    const due = await dueOf(c);
    const [, h] = await handoffsOf(c);
    expect(due).toMatchObject({ state: 'PROPOSED', handoffId: h.id, missingData: [] });
    expect(h).toMatchObject({
      state: 'PROPOSED',
      from_partner_id: f.A,
      proposed_by_partner_id: null,
      to_partner_tier: expect.any(String),
      required_data_complete: true,
      data: { ...validData, notes: 'Prefers email' },
      playbook_version: opened.playbookVersion,
    });
    expect([f.B, f.C]).toContain(h.to_partner_id);
    expect(h.context_package).toMatchObject({
      goals: ['Live in March'],
      customerSaid: ['Onboarding by spreadsheet', 'Uses today: Excel', 'Timeline: before Q2', 'Budget: approved up to 50k EUR'],
      contacts: [{ name: 'Dana Scully', email: 'dana@customer.example', role: 'champion', phone: null }],
      notes: 'Prefers email',
    });
    expect(h.context_package.summary).toContain('CLOSED_WON to ONBOARDING');
    expect(h.customer_message).toContain(h.to_partner_id === f.B ? 'Partner B' : 'Partner C');
    // A committing route: the rotation moved, and the decision is on the record as routing records it.
    expect(await rotation()).toBe(turns + 1);
    expect(h.routing).toMatchObject({ ruleVersion: 1, strategies: ['ROUND_ROBIN'] });
    const [routed] = await eventsOf(f.db, h.id, HANDOFF_ROUTED);
    expect(routed?.payload).toMatchObject({ trigger: 'AUTO_PROPOSE', decision: { chosenPartnerId: h.to_partner_id } });
    expect(await eventsOf(f.db, h.id, HANDOFF_PROPOSED)).toHaveLength(1);
    expect((await eventsOf(f.db, due.id, HANDOFF_DUE_PROPOSED)).map((e) => e.payload.due.handoffId)).toEqual([h.id]);

    // The next one takes the other turn.
    const next = await f.customer(f.A);
    await move(next, LifecycleStage.ONBOARDING, fullData);
    await proposeAll();
    const [other] = await handoffsOf(next);
    expect(other.to_partner_id).toBe(h.to_partner_id === f.B ? f.C : f.B);
    expect(other.data).toMatchObject(fullData);
  });

  it('an autoPropose due with required data missing stays OPEN and lists it; nothing is proposed and no turn is taken', async () => {
    const c = await f.customer(f.A);
    await move(c, LifecycleStage.ONBOARDING, { contractValue: 'a lot' });
    expect((await dueOf(c)).missingData).toEqual(['contractValue', 'startDate', 'sponsor']);
    const turns = await rotation();
    await proposeAll();
    expect(await dueOf(c)).toMatchObject({ state: 'OPEN', missingData: ['contractValue', 'startDate', 'sponsor'], handoffId: null });
    expect(await handoffsOf(c)).toEqual([]);
    expect(await rotation()).toBe(turns);
  });

  it('with no route the due stays OPEN and NoRouteFound is recorded for it', async () => {
    const c = await f.customer(f.A);
    await move(c, LifecycleStage.ACTIVE);
    await move(c, LifecycleStage.RENEWAL);
    const due = await dueOf(c);
    await proposeAll();
    expect(await dueOf(c)).toMatchObject({ id: due.id, state: 'OPEN', missingData: [] });
    expect(await handoffsOf(c)).toEqual([]);
    const [gap, ...more] = await eventsOf(f.db, c, NO_ROUTE_FOUND);
    expect(more).toEqual([]);
    expect(gap?.payload).toMatchObject({ trigger: 'AUTO_PROPOSE', dueId: due.id, reason: 'NO_RULE', handoffId: null });
  });

  it('a routed partner suspended between the suggestion and the proposal is skipped: the next candidate gets it', async () => {
    const c = await f.customer(f.A, 'Suspension Co');
    await move(c, LifecycleStage.ONBOARDING, fullData);
    await proposeAll();
    const [onboarding] = await handoffsOf(c);
    await cancelHandoff(f.db, asPartner(f.A), onboarding.id, 'Not yet');
    await move(c, LifecycleStage.ACTIVE);
    const due = await dueOf(c);
    const suggested = due.suggestedPartnerId!;
    expect([D, E]).toContain(suggested);
    // accounts suspends the suggested partner before the hub proposes.
    const suspended = partnerCreated(suggested, suggested === D ? 'Partner D' : 'Partner E', 'SERVICE_PROVIDER');
    (suspended.payload as { partner: { status: string } }).partner.status = 'SUSPENDED';
    await accountsEvents(f.db, [suspended]);
    await f.project();
    try {
      await proposeAll();
      const [, h] = await handoffsOf(c);
      expect(h.to_partner_id).toBe(suggested === D ? E : D);
      expect(h.data).toEqual({ budget: 'approved up to 50k EUR' });
      const [routed] = await eventsOf(f.db, h.id, HANDOFF_ROUTED);
      const skipped = routed!.payload.decision.candidates.find((x: { partnerId: string }) => x.partnerId === suggested);
      expect(skipped).toMatchObject({ outcome: 'SKIPPED', reasons: [{ code: 'INACTIVE', message: expect.stringContaining('suspended') }] });
      expect(await dueOf(c)).toMatchObject({ state: 'PROPOSED', handoffId: h.id });
    } finally {
      const active = partnerCreated(suggested, suggested === D ? 'Partner D' : 'Partner E', 'SERVICE_PROVIDER');
      await accountsEvents(f.db, [active]);
      await f.project();
    }
  });

  it('every routed partner suspended after the suggestion: the due stays OPEN and keeps when routing found nobody (an ownership gap)', async () => {
    const c = await f.customer(f.A, 'Nobody Left Co');
    await move(c, LifecycleStage.ONBOARDING, fullData);
    await proposeAll();
    const [onboarding] = await handoffsOf(c);
    await cancelHandoff(f.db, asPartner(f.A), onboarding.id, 'Not yet');
    await move(c, LifecycleStage.ACTIVE);
    const due = await dueOf(c);
    expect([D, E]).toContain(due.suggestedPartnerId);
    const status = (id: string, name: string, value: string) => {
      const e = partnerCreated(id, name, 'SERVICE_PROVIDER');
      (e.payload as { partner: { status: string } }).partner.status = value;
      return e;
    };
    await accountsEvents(f.db, [status(D, 'Partner D', 'SUSPENDED'), status(E, 'Partner E', 'SUSPENDED')]);
    await f.project();
    try {
      await proposeAll();
      expect(await dueOf(c)).toMatchObject({ id: due.id, state: 'OPEN' });
      const [row] = await f.db.query(`SELECT no_route_at FROM handoffs.handoff_dues WHERE id = $1`, [due.id]);
      expect(row.no_route_at).toBeInstanceOf(Date);
      expect(await eventsOf(f.db, c, NO_ROUTE_FOUND)).toHaveLength(1);
    } finally {
      await accountsEvents(f.db, [status(D, 'Partner D', 'ACTIVE'), status(E, 'Partner E', 'ACTIVE')]);
      await f.project();
    }
  });

  it('a replayed HandoffDueOpened proposes once; two instances at once propose once', async () => {
    const c = await f.customer(f.A);
    await move(c, LifecycleStage.ONBOARDING, fullData);
    await proposeAll();
    expect(await handoffsOf(c)).toHaveLength(1);
    // A reset consumer reads the whole log again.
    await f.db.query(`UPDATE eventlog.consumers SET tx = '0', seq = 0 WHERE name = 'handoffs.due-proposals'`);
    await proposeAll();
    expect(await handoffsOf(c)).toHaveLength(1);

    const d = await f.customer(f.A);
    await move(d, LifecycleStage.ONBOARDING, fullData);
    await Promise.all([proposeAll(), proposeAll()]);
    expect(await handoffsOf(d)).toHaveLength(1);
    expect(await eventsOf(f.db, (await dueOf(d)).id, HANDOFF_DUE_PROPOSED)).toHaveLength(1);
  });

  it('a batch costs the same statements for 1 due proposed as for 20, and touches no table of handoffs without an autoPropose due', async () => {
    await proposeAll();
    const batch = async (n: number, extra: Record<string, unknown>) => {
      const customers: string[] = [];
      for (let i = 0; i < n; i++) customers.push(await f.customer(f.A));
      await accountsEvents(
        f.db,
        customers.map((c) => moved(c, f.A, LifecycleStage.ONBOARDING, extra)),
      );
      await f.project();
      const stop = traceSql();
      await proposeAll();
      return { statements: stop().length, customers };
    };
    const one = await batch(1, fullData);
    const twenty = await batch(20, fullData);
    expect(twenty.statements).toBe(one.statements);
    const receivers = (await Promise.all(twenty.customers.map(handoffsOf))).map(([h]) => h.to_partner_id);
    expect(receivers.filter((r) => r === f.B)).toHaveLength(10);
    expect(receivers.filter((r) => r === f.C)).toHaveLength(10);

    // Missing data for all: fewer statements (no routing, no handoffs), still the same for 1 and 20.
    const oneMissing = await batch(1, {});
    const twentyMissing = await batch(20, {});
    expect(twentyMissing.statements).toBe(oneMissing.statements);
    expect(oneMissing.statements).toBeLessThan(one.statements);

    // A due opened without autoPropose: the consumer moves its position and touches no table of handoffs.
    const c = await f.customer(f.A);
    await move(c, LifecycleStage.ONBOARDING);
    await proposeAll();
    const quiet = { ...dueSnapshot(await dueOf(c)), id: randomUUID(), autoPropose: false };
    await accountsEvents(f.db, [
      { type: HANDOFF_DUE_OPENED, source: 'handoffs', aggregateType: 'HandoffDue', aggregateId: quiet.id, payload: { due: quiet }, visibleTo: [] },
    ]);
    const stop = traceSql();
    await proposeAll();
    const statements = stop();
    expect(statements.some((s) => /eventlog\.consumers/.test(s))).toBe(true);
    expect(statements.filter((s) => /handoffs\./.test(s))).toEqual([]);
  });

  describe('SlaDueEscalationRequested (REASSIGN)', () => {
    it('proposes to the partner the policy names, with the checklist incomplete said so, when data is missing', async () => {
      const c = await f.customer(f.A);
      await move(c, LifecycleStage.ONBOARDING, { startDate: '2027-01-01' });
      await proposeAll();
      const due = await escalate(c, f.C);
      await proposeAll();
      const [h, ...more] = await handoffsOf(c);
      expect(more).toEqual([]);
      expect(h).toMatchObject({ to_partner_id: f.C, required_data_complete: false, routing: null, data: { startDate: '2027-01-01', notes: 'Prefers email' } });
      expect(h.context_package.notes).toContain('required data incomplete: contractValue, sponsor');
      expect(h.context_package.summary).toContain('SLA policy reassigns it');
      expect(await dueOf(c)).toMatchObject({ id: due.id, state: 'PROPOSED', handoffId: h.id, missingData: ['contractValue', 'sponsor'] });
      expect(await eventsOf(f.db, h.id, HANDOFF_ROUTED)).toEqual([]);
    });

    it('without a named partner (or one that cannot receive the customer) routes the receiver', async () => {
      const c = await f.customer(f.A);
      await move(c, LifecycleStage.ONBOARDING);
      await proposeAll();
      await escalate(c, null);
      await proposeAll();
      const [h] = await handoffsOf(c);
      expect([f.B, f.C]).toContain(h.to_partner_id);
      expect((await eventsOf(f.db, h.id, HANDOFF_ROUTED))[0]?.payload.trigger).toBe('DUE_ESCALATION');

      // The owner itself named: routing decides instead.
      const d = await f.customer(f.A);
      await move(d, LifecycleStage.ONBOARDING);
      await proposeAll();
      await escalate(d, f.A);
      await proposeAll();
      const [k] = await handoffsOf(d);
      expect([f.B, f.C]).toContain(k.to_partner_id);
    });

    it('does nothing for a due no longer OPEN, and a replayed escalation proposes nothing more', async () => {
      const c = await f.customer(f.A);
      await move(c, LifecycleStage.ONBOARDING);
      await proposeAll();
      await escalate(c, f.C);
      const due = await dueOf(c);
      await withTenant(asPartner(f.A), () => dismissHandoffDue(f.db, asPartner(f.A), due.id, 'Stays with us'));
      await proposeAll();
      expect(await handoffsOf(c)).toEqual([]);
      expect((await dueOf(c)).state).toBe('DISMISSED');

      const d = await f.customer(f.A);
      await move(d, LifecycleStage.ONBOARDING);
      await proposeAll();
      await escalate(d, f.C);
      await proposeAll();
      await f.db.query(`UPDATE eventlog.consumers SET tx = '0', seq = 0 WHERE name = 'handoffs.due-proposals'`);
      await proposeAll();
      expect(await handoffsOf(d)).toHaveLength(1);
    });
  });
});
