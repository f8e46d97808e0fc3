import type { DataSource } from 'typeorm';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import {
  EXCHANGE_RATES_SET,
  type CustomerSnapshot,
  type ExchangeRatesSetPayload,
  type HandoffDueSnapshot,
  type HandoffSnapshot,
  type SlaClockSnapshot,
  type SlaDueClockSnapshot,
  type ValueSnapshot,
} from '../../../shared/eventlog/events';

/** A small fixed history whose figures are computed by hand in the tests. */
export const A = '0000000a-0000-4000-8000-00000000000a';
export const B = '0000000b-0000-4000-8000-00000000000b';
export const S = '00000005-0000-4000-8000-000000000005';
export const h = (n: number) => `00000000-0000-4000-a000-0000000000${String(n).padStart(2, '0')}`;
const clockId = (n: number) => `00000000-0000-4000-b000-0000000000${String(n).padStart(2, '0')}`;

export function snapshot(n: number, over: Partial<HandoffSnapshot> = {}): HandoffSnapshot {
  return {
    id: h(n),
    customerId: '00000000-0000-4000-9000-000000000001',
    moment: 'MQL_TO_SQL',
    customMoment: null,
    state: 'PROPOSED',
    fromPartnerId: S,
    toPartnerId: A,
    toPartnerTier: 'GOLD',
    customerSegment: 'SMB',
    customerRegion: 'NA',
    playbookId: null,
    playbookVersion: null,
    requiredDataComplete: true,
    onHold: false,
    proposedAt: '2024-01-08T09:00:00.000Z',
    acceptedAt: null,
    completedAt: null,
    closedAt: null,
    ...over,
  };
}

const handoffEvent = (type: string, s: HandoffSnapshot, extra: Record<string, unknown> = {}): NewEvent => ({
  type,
  source: 'handoffs',
  aggregateType: 'Handoff',
  aggregateId: s.id,
  payload: { handoff: s, ...extra },
  visibleTo: [s.fromPartnerId, s.toPartnerId].filter((x): x is string => !!x),
});

const clock = (n: number, s: HandoffSnapshot, over: Partial<SlaClockSnapshot>): SlaClockSnapshot => ({
  id: clockId(n),
  handoffId: s.id,
  policyId: '00000000-0000-4000-e000-000000000001',
  policyVersion: 1,
  target: 'ACCEPT',
  state: 'RUNNING',
  startedAt: s.proposedAt,
  dueAt: null,
  stoppedAt: null,
  businessSecondsElapsed: 0,
  targetBusinessSeconds: 28800,
  ...over,
});

const slaEvent = (type: string, c: SlaClockSnapshot, s: HandoffSnapshot): NewEvent => ({
  type,
  source: 'slas',
  aggregateType: 'SlaClock',
  aggregateId: c.id,
  payload: { clock: c, handoff: s },
  visibleTo: [s.toPartnerId],
});

const feedbackEvent = (n: number, handoff: number, source: string, rating: number, tags: string[], revision = 1): NewEvent => ({
  type: 'FeedbackSubmitted',
  source: 'scorecards',
  aggregateType: 'Handoff',
  aggregateId: h(handoff),
  payload: {
    feedback: {
      id: `00000000-0000-4000-c000-0000000000${String(n).padStart(2, '0')}`,
      handoffId: h(handoff),
      source,
      rating,
      comment: null,
      tags,
      revision,
      submittedByPartnerId: null,
      submittedAt: '2024-01-20T00:00:00.000Z',
    },
  },
  visibleTo: [],
});

/**
 * Partner A, SMB/NA, MQL_TO_SQL, Q1 2024:
 *  h1 accepted after 1 h (ACCEPT clock MET at 1800 business s), completed 48 h later
 *  h2 accepted after 4 h (no clock), completed 72 h later
 *  h3 rejected; h5 cancelled
 *  h4 accepted after 2 h but its ACCEPT clock breached (36000 business s), then expired
 *  h6 still proposed, no clock: stalled (2 days without action have long passed)
 *  h7 still proposed but on hold: not stalled
 * Partner B, ENTERPRISE/EMEA, DIRECT_TO_PARTNER, February 2024:
 *  h8 accepted after 30 min, completed a day later (COMPLETE clock MET at 30000 business s)
 * Feedback: h1 CUSTOMER 5, INTERNAL 4, PARTNER 3 ("had to repeat information");
 *  h2 CUSTOMER 2, then resubmitted as 4.
 */
export function fixedHistory(): NewEvent[] {
  const e: NewEvent[] = [];
  const h1 = snapshot(1);
  const c1 = clock(1, h1, {});
  e.push(handoffEvent('HandoffProposed', h1), slaEvent('SlaClockStarted', c1, h1));
  const h1a = { ...h1, state: 'ACCEPTED' as const, acceptedAt: '2024-01-08T10:00:00.000Z' };
  e.push(
    handoffEvent('HandoffAccepted', h1a),
    slaEvent('SlaClockStopped', { ...c1, state: 'MET', stoppedAt: h1a.acceptedAt, businessSecondsElapsed: 1800 }, h1a),
  );
  e.push(handoffEvent('HandoffCompleted', { ...h1a, state: 'COMPLETED', completedAt: '2024-01-10T10:00:00.000Z' }));

  const h2 = snapshot(2, { proposedAt: '2024-01-09T09:00:00.000Z' });
  e.push(handoffEvent('HandoffProposed', h2));
  const h2a = { ...h2, state: 'ACCEPTED' as const, acceptedAt: '2024-01-09T13:00:00.000Z' };
  e.push(handoffEvent('HandoffAccepted', h2a), handoffEvent('HandoffCompleted', { ...h2a, state: 'COMPLETED', completedAt: '2024-01-12T13:00:00.000Z' }));

  const h3 = snapshot(3, { proposedAt: '2024-01-10T09:00:00.000Z' });
  e.push(
    handoffEvent('HandoffProposed', h3),
    handoffEvent('HandoffRejected', { ...h3, state: 'REJECTED', closedAt: '2024-01-10T12:00:00.000Z' }, { reasonCode: 'NOT_A_FIT', reason: 'no' }),
  );

  const h4 = snapshot(4, { proposedAt: '2024-01-11T09:00:00.000Z' });
  const c4 = clock(4, h4, { dueAt: '2024-01-11T17:00:00.000Z' });
  e.push(
    handoffEvent('HandoffProposed', h4),
    slaEvent('SlaClockStarted', c4, h4),
    slaEvent('SlaBreached', { ...c4, state: 'BREACHED', businessSecondsElapsed: 28800 }, h4),
  );
  const h4a = { ...h4, state: 'ACCEPTED' as const, acceptedAt: '2024-01-11T11:00:00.000Z' };
  e.push(
    handoffEvent('HandoffAccepted', h4a),
    slaEvent('SlaClockStopped', { ...c4, state: 'BREACHED', stoppedAt: h4a.acceptedAt, businessSecondsElapsed: 36000 }, h4a),
  );
  e.push(handoffEvent('HandoffExpired', { ...h4a, state: 'EXPIRED', closedAt: '2024-01-25T11:00:00.000Z' }, { reason: 'not completed in time' }));

  const h5 = snapshot(5, { proposedAt: '2024-01-12T09:00:00.000Z' });
  e.push(
    handoffEvent('HandoffProposed', h5),
    handoffEvent('HandoffCancelled', { ...h5, state: 'CANCELLED', closedAt: '2024-01-12T10:00:00.000Z' }, { reason: 'duplicate' }),
  );

  e.push(handoffEvent('HandoffProposed', snapshot(6, { proposedAt: '2024-01-15T09:00:00.000Z' })));
  const h7 = snapshot(7, { proposedAt: '2024-01-16T09:00:00.000Z' });
  e.push(handoffEvent('HandoffProposed', h7), handoffEvent('HandoffHeld', { ...h7, onHold: true }, { reason: 'waiting on the customer' }));

  const h8 = snapshot(8, {
    toPartnerId: B,
    moment: 'DIRECT_TO_PARTNER',
    customerSegment: 'ENTERPRISE',
    customerRegion: 'EMEA',
    proposedAt: '2024-02-01T09:00:00.000Z',
    playbookId: '00000000-0000-4000-d000-000000000001',
  });
  const h8a = { ...h8, state: 'ACCEPTED' as const, acceptedAt: '2024-02-01T09:30:00.000Z' };
  const c8 = clock(8, h8a, { target: 'COMPLETE', startedAt: h8a.acceptedAt! });
  e.push(handoffEvent('HandoffProposed', h8), handoffEvent('HandoffAccepted', h8a), slaEvent('SlaClockStarted', c8, h8a));
  const h8c = { ...h8a, state: 'COMPLETED' as const, completedAt: '2024-02-02T09:30:00.000Z' };
  e.push(
    handoffEvent('HandoffCompleted', h8c),
    slaEvent('SlaClockStopped', { ...c8, state: 'MET', stoppedAt: h8c.completedAt, businessSecondsElapsed: 30000 }, h8c),
  );

  e.push(
    feedbackEvent(1, 1, 'CUSTOMER', 5, ['clear next steps']),
    feedbackEvent(2, 1, 'INTERNAL', 4, []),
    feedbackEvent(3, 1, 'PARTNER', 3, ['Had to repeat information']),
  );
  e.push(feedbackEvent(4, 2, 'CUSTOMER', 2, ['late']), feedbackEvent(4, 2, 'CUSTOMER', 4, [], 2));
  return e;
}

export const C1 = '00000000-0000-4000-9000-0000000000c1';
export const C2 = '00000000-0000-4000-9000-0000000000c2';
/** A customer scorecards never saw a customer event of. */
export const C3 = '00000000-0000-4000-9000-0000000000c3';
export const d = (n: number) => `00000000-0000-4000-a100-0000000000${String(n).padStart(2, '0')}`;

export const customerEvent = (id: string, segment: CustomerSnapshot['segment'], region: CustomerSnapshot['region'], type = 'CustomerCreated'): NewEvent => ({
  type,
  source: 'accounts',
  aggregateType: 'Customer',
  aggregateId: id,
  payload: {
    customer: { id, name: `Customer ${id.slice(-2)}`, domain: null, segment, region, lifecycleStage: 'CLOSED_WON', ownerPartnerId: null, version: 1 },
    changed: [],
  },
  visibleTo: [],
});

export function dueSnapshot(n: number, over: Partial<HandoffDueSnapshot> = {}): HandoffDueSnapshot {
  return {
    id: d(n),
    customerId: C1,
    moment: 'CLOSED_WON_TO_ONBOARDING',
    customMoment: null,
    playbookId: '00000000-0000-4000-d000-000000000002',
    playbookVersion: 1,
    stageMove: {
      fromStage: 'CLOSED_WON',
      toStage: 'ONBOARDING',
      eventId: `00000000-0000-4000-a200-0000000000${String(n).padStart(2, '0')}`,
      at: '2025-01-06T09:00:00.000Z',
    },
    accountablePartnerId: A,
    suggestedPartnerId: B,
    suggestionRuleId: null,
    proposeWithin: 'P2D',
    dueAt: null,
    autoPropose: false,
    state: 'OPEN',
    handoffId: null,
    dismissedReason: null,
    dismissedByPartnerId: null,
    supersededByEventId: null,
    openedAt: '2025-01-06T09:00:00.000Z',
    closedAt: null,
    ...over,
  };
}

export const dueEvent = (type: string, s: HandoffDueSnapshot): NewEvent => ({
  type,
  source: 'handoffs',
  aggregateType: 'HandoffDue',
  aggregateId: s.id,
  payload: { due: s },
  visibleTo: s.accountablePartnerId ? [s.accountablePartnerId] : [],
});

export const dueClockEvent = (type: string, s: HandoffDueSnapshot, over: Partial<SlaDueClockSnapshot>): NewEvent => {
  const clock: SlaDueClockSnapshot = {
    id: `00000000-0000-4000-b100-0000000000${s.id.slice(-2)}`,
    dueId: s.id,
    customerId: s.customerId,
    moment: s.moment,
    policyId: '00000000-0000-4000-e000-000000000002',
    policyVersion: 1,
    target: 'PROPOSE',
    state: 'RUNNING',
    startedAt: s.stageMove.at,
    dueAt: null,
    stoppedAt: null,
    businessSecondsElapsed: 0,
    targetBusinessSeconds: 57600,
    accountablePartnerId: s.accountablePartnerId,
    warningAt: null,
    atRiskAt: null,
    breachedAt: null,
    ...over,
  };
  return { type, source: 'slas', aggregateType: 'SlaDueClock', aggregateId: clock.id, payload: { clock, due: s }, visibleTo: [] };
};

const at = (day: string, time = '09:00') => `2025-${day}T${time}:00.000Z`;

/**
 * Handoffs that came due in Q1 2025 (CLOSED_WON_TO_ONBOARDING), apart from fixedHistory's
 * quarter so its figures stay as they are. Partner A accountable, customer C1 (SMB/NA):
 *  d1 moved 6 Jan, proposed 4 h later (no clock): 14400 s wall
 *  d2 moved 7 Jan, proposed, PROPOSE clock MET at 3600 business s
 *  d3 moved 8 Jan, clock breached 10 Jan, proposed 13 Jan (late), clock stopped at 43200 business s
 *  d4 moved 9 Jan, superseded 10 Jan
 *  d5 moved 13 Jan, clock breached 15 Jan, then dismissed 16 Jan (counted as dismissed only)
 *  d6 moved 14 Jan, clock breached 16 Jan, still open (breached)
 *  d7 moved 15 Jan, still open, in time
 *  then C1 moves to MID_MARKET: d10 (moved 3 Mar, dismissed 4 Mar) is MID_MARKET, d1–d7 stay SMB
 * Partner B, customer C2 (ENTERPRISE/EMEA): d8 moved 3 Feb, proposed 48 h later.
 * Nobody accountable (held directly, no team), customer C3 never seen: d9 moved 10 Feb, superseded.
 * Every due's events are in log order, and a later due's opening precedes an earlier one's
 * end now and then, as the log would have them.
 */
export function dueHistory(): NewEvent[] {
  const e: NewEvent[] = [customerEvent(C1, 'SMB', 'NA'), customerEvent(C2, 'ENTERPRISE', 'EMEA')];
  const open = (n: number, day: string, over: Partial<HandoffDueSnapshot> = {}) => {
    const s = dueSnapshot(n, { stageMove: { ...dueSnapshot(n).stageMove, at: at(day) }, openedAt: at(day, '09:01'), ...over });
    e.push(dueEvent('HandoffDueOpened', s));
    return s;
  };
  const close = (s: HandoffDueSnapshot, state: HandoffDueSnapshot['state'], closedAt: string) =>
    e.push(
      dueEvent(`HandoffDue${state === 'PROPOSED' ? 'Proposed' : state === 'DISMISSED' ? 'Dismissed' : 'Superseded'}`, {
        ...s,
        state,
        closedAt,
        handoffId: state === 'PROPOSED' ? h(90 + Number(s.id.slice(-2))) : null,
      }),
    );
  const d1 = open(1, '01-06');
  close(d1, 'PROPOSED', at('01-06', '13:00'));
  const d2 = open(2, '01-07');
  e.push(dueClockEvent('SlaDueClockStarted', d2, {}));
  close(d2, 'PROPOSED', at('01-07', '10:00'));
  e.push(dueClockEvent('SlaDueClockStopped', d2, { state: 'MET', stoppedAt: at('01-07', '10:00'), businessSecondsElapsed: 3600 }));
  const d3 = open(3, '01-08');
  e.push(dueClockEvent('SlaDueBreached', d3, { state: 'BREACHED', breachedAt: at('01-10'), businessSecondsElapsed: 28800 }));
  const d4 = open(4, '01-09');
  close(d4, 'SUPERSEDED', at('01-10', '12:00'));
  close(d3, 'PROPOSED', at('01-13'));
  e.push(dueClockEvent('SlaDueClockStopped', d3, { state: 'BREACHED', breachedAt: at('01-10'), stoppedAt: at('01-13'), businessSecondsElapsed: 43200 }));
  const d5 = open(5, '01-13');
  e.push(dueClockEvent('SlaDueBreached', d5, { state: 'BREACHED', breachedAt: at('01-15'), businessSecondsElapsed: 28800 }));
  const d6 = open(6, '01-14');
  close(d5, 'DISMISSED', at('01-16'));
  e.push(dueClockEvent('SlaDueClockStopped', d5, { state: 'CANCELLED', breachedAt: at('01-15'), stoppedAt: at('01-16'), businessSecondsElapsed: 36000 }));
  e.push(dueClockEvent('SlaDueBreached', d6, { state: 'BREACHED', breachedAt: at('01-16'), businessSecondsElapsed: 28800 }));
  open(7, '01-15');
  const d8 = open(8, '02-03', { customerId: C2, accountablePartnerId: B, suggestedPartnerId: A });
  close(d8, 'PROPOSED', at('02-05'));
  const d9 = open(9, '02-10', { customerId: C3, accountablePartnerId: null, suggestedPartnerId: A });
  close(d9, 'SUPERSEDED', at('02-11'));
  e.push(customerEvent(C1, 'MID_MARKET', 'NA', 'CustomerUpdated'));
  const d10 = open(10, '03-03');
  close(d10, 'DISMISSED', at('03-04'));
  return e;
}

export const appendHistory = (db: DataSource, events: NewEvent[]) => db.transaction((m) => appendEvents(m, events));

export const valueOf = (amount: string, currency: string): ValueSnapshot => ({ amount, currency, source: 'PIPELINE' });

/** An ExchangeRatesSet as accounts emits it (internal teams only). */
export const ratesEvent = (version: number, reportingCurrency: string, rates: ExchangeRatesSetPayload['rates']): NewEvent => ({
  type: EXCHANGE_RATES_SET,
  source: 'accounts',
  aggregateType: 'ExchangeRates',
  aggregateId: reportingCurrency,
  payload: { version, reportingCurrency, rates, setByPartnerId: null, at: '2024-10-01T00:00:00.000Z' } satisfies ExchangeRatesSetPayload as unknown as Record<
    string,
    unknown
  >,
  visibleTo: [],
});

const v = (n: number) => `00000000-0000-4000-a300-0000000000${String(n).padStart(2, '0')}`;
export const valueHandoff = v;
export const C4 = '00000000-0000-4000-9000-0000000000c4';

/**
 * Handoffs with values in Q3 2024 (apart from the other fixtures' quarters), partner A,
 * SMB/NA, MQL_TO_SQL, unless said:
 *  v1 EUR 1000.00, 1 Jul, accepted and completed
 *  v2 USD 500.00, 2 Jul, accepted 2 Jul 10:00 and left (stalls 14 days later, 16 Jul 10:00)
 *  v3 USD 200.00, 3 Jul, rejected
 *  v4 EUR 300.00, 4 Jul, accepted then expired
 *  v5 USD 100.00, 5 Jul, cancelled
 *  v6 GBP 400.00, 8 Jul 09:00, still proposed, ACCEPT clock due 8 Jul 17:00 and AT_RISK
 *  v7 USD 10.01, 1 Jul, accepted and completed
 *  v8 a handoff without a value, 1 Jul, accepted
 * Partner B, ENTERPRISE/EMEA, DIRECT_TO_PARTNER: v9 EUR 250.00, 1 Aug, accepted and completed.
 * Dues, partner A accountable, customer C4 (SMB/NA): dv1 EUR 700.00 moved 10 Jul, superseded;
 *  dv2 USD 120.00 moved 11 Jul, dismissed; dv3 EUR 999.00 moved 12 Jul, proposed (counted by
 *  its handoff, not here).
 */
export function valueHistory(): NewEvent[] {
  const e: NewEvent[] = [customerEvent(C4, 'SMB', 'NA')];
  const base = (n: number, day: string, value: ValueSnapshot | null, over: Partial<HandoffSnapshot> = {}) =>
    snapshot(0, { id: v(n), customerId: C4, proposedAt: `2024-${day}T09:00:00.000Z`, value, ...over });
  const propose = (s: HandoffSnapshot) => e.push(handoffEvent('HandoffProposed', s));
  const accept = (s: HandoffSnapshot, at = s.proposedAt.replace('09:00', '10:00')) => {
    const a = { ...s, state: 'ACCEPTED' as const, acceptedAt: at };
    e.push(handoffEvent('HandoffAccepted', a));
    return a;
  };
  const complete = (s: HandoffSnapshot) =>
    e.push(handoffEvent('HandoffCompleted', { ...s, state: 'COMPLETED', completedAt: s.proposedAt.replace('09:00', '15:00') }));
  const close = (type: string, s: HandoffSnapshot, state: HandoffSnapshot['state']) =>
    e.push(handoffEvent(type, { ...s, state, closedAt: s.proposedAt.replace('09:00', '12:00') }, { reason: 'fixture' }));

  const v1 = base(1, '07-01', valueOf('1000.00', 'EUR'));
  propose(v1);
  complete(accept(v1));
  const v2 = base(2, '07-02', valueOf('500.00', 'USD'));
  propose(v2);
  accept(v2);
  const v3 = base(3, '07-03', valueOf('200.00', 'USD'));
  propose(v3);
  close('HandoffRejected', v3, 'REJECTED');
  const v4 = base(4, '07-04', valueOf('300.00', 'EUR'));
  propose(v4);
  close('HandoffExpired', accept(v4), 'EXPIRED');
  const v5 = base(5, '07-05', valueOf('100.00', 'USD'));
  propose(v5);
  close('HandoffCancelled', v5, 'CANCELLED');
  const v6 = base(6, '07-08', valueOf('400.00', 'GBP'));
  const c6 = clock(60, v6, { dueAt: '2024-07-08T17:00:00.000Z' });
  propose(v6);
  e.push(slaEvent('SlaClockStarted', c6, v6), slaEvent('SlaAtRisk', { ...c6, state: 'AT_RISK' }, v6));
  const v7 = base(7, '07-01', valueOf('10.01', 'USD'));
  propose(v7);
  complete(accept(v7));
  const v8 = base(8, '07-01', null);
  propose(v8);
  accept(v8);
  const v9 = base(9, '08-01', valueOf('250.00', 'EUR'), { toPartnerId: B, moment: 'DIRECT_TO_PARTNER', customerSegment: 'ENTERPRISE', customerRegion: 'EMEA' });
  propose(v9);
  complete(accept(v9));

  const due = (n: number, day: string, value: ValueSnapshot, state: HandoffDueSnapshot['state']) => {
    const at = `2024-${day}T09:00:00.000Z`;
    const s = dueSnapshot(80 + n, { customerId: C4, stageMove: { ...dueSnapshot(80 + n).stageMove, at }, openedAt: at, value });
    e.push(dueEvent('HandoffDueOpened', s));
    const type = state === 'PROPOSED' ? 'HandoffDueProposed' : state === 'DISMISSED' ? 'HandoffDueDismissed' : 'HandoffDueSuperseded';
    e.push(dueEvent(type, { ...s, state, closedAt: at.replace('09:00', '11:00'), handoffId: state === 'PROPOSED' ? v(50 + n) : null }));
  };
  due(1, '07-10', valueOf('700.00', 'EUR'), 'SUPERSEDED');
  due(2, '07-11', valueOf('120.00', 'USD'), 'DISMISSED');
  due(3, '07-12', valueOf('999.00', 'EUR'), 'PROPOSED');
  return e;
}

/** Rates into EUR for valueHistory's USD days (none for 4 Jul, none for GBP). */
export const RATES_V1 = ratesEvent(1, 'EUR', [
  { currency: 'USD', day: '2024-07-01', rate: '0.90' },
  { currency: 'USD', day: '2024-07-02', rate: '0.91' },
  { currency: 'USD', day: '2024-07-03', rate: '0.92' },
  { currency: 'USD', day: '2024-07-05', rate: '0.93' },
  { currency: 'USD', day: '2024-07-11', rate: '0.95' },
]);

/** The value rollups that hold anything, amounts without trailing zeros (as VALUE_CELLS_SQL). */
export const VALUE_ROLLUPS_SQL = `
  SELECT grain, period_start::text AS period_start, partner_id, segment, region, moment, currency,
         ${['proposed', 'accepted', 'completed', 'rejected', 'expired', 'cancelled', 'stallable', 'clock_risk', 'never_proposed']
           .map((f) => `${f}_n, trim_scale(${f}_amount)::text AS ${f}_amount, ${f}_x_n, trim_scale(${f}_x_amount)::text AS ${f}_x_amount`)
           .join(', ')}
    FROM scorecards.value_rollups WHERE proposed_n <> 0 OR proposed_x_n <> 0 OR never_proposed_n <> 0 OR never_proposed_x_n <> 0
   ORDER BY grain, period_start, partner_id, segment, region, moment, currency`;

/**
 * The value cells that hold anything, amounts without trailing zeros: a sum that went up and
 * back down keeps its scale ("0.00"), one never touched has none ("0"); numerically the same.
 */
export const VALUE_CELLS_SQL = `
  SELECT currency, day::text AS day, partner_id, segment, region, moment,
         ${['proposed', 'accepted', 'completed', 'rejected', 'expired', 'cancelled', 'stallable', 'clock_risk', 'never_proposed']
           .map((f) => `${f}_n, trim_scale(${f}_amount)::text AS ${f}_amount`)
           .join(', ')}
    FROM scorecards.value_cells WHERE proposed_n <> 0 OR never_proposed_n <> 0
   ORDER BY currency, day, partner_id, segment, region, moment`;
