import type { DataSource } from 'typeorm';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import type { HandoffSnapshot, SlaClockSnapshot } from '../../../shared/eventlog/events';

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

export const appendHistory = (db: DataSource, events: NewEvent[]) => db.transaction((m) => appendEvents(m, events));
