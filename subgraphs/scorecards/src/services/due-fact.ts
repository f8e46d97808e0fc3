import type { HubEvent } from '../../../../shared/eventlog/event-log';
import {
  CUSTOMER_CREATED,
  CUSTOMER_UPDATED,
  HANDOFF_DUE_EVENT_TYPES,
  HANDOFF_DUE_PROPOSED,
  SLA_DUE_BREACHED,
  SLA_DUE_CLOCK_STOPPED,
  type CustomerEventPayload,
  type HandoffDueEventPayload,
  type HandoffDueSnapshot,
  type SlaDueEventPayload,
} from '../../../../shared/eventlog/events';
import { zeroCounts, type Contribution } from './handoff-fact';
import { nativeValueOf, type NativeValue } from './value-figures';

/**
 * The partner a due is scored against when nobody was accountable for it: a customer we
 * hold directly whose trigger names no internal team (docs/journeys.md, `accountable`).
 * Not a partner id anyone can hold, so no partner ever sees its cells (row-level security
 * and scopePartners both match a partner's own id); internal teams see it in totals and,
 * grouped by partner, as a row with no partner.
 */
export const NO_PARTNER = '00000000-0000-0000-0000-000000000000';

/** Events that change what scorecards knows of a due, and of the customers dues open on. */
export const DUE_EVENT_TYPES = [...HANDOFF_DUE_EVENT_TYPES, SLA_DUE_BREACHED, SLA_DUE_CLOCK_STOPPED];
export const CUSTOMER_EVENT_TYPES = [CUSTOMER_CREATED, CUSTOMER_UPDATED];

/** What scorecards keeps of a customer: only what a due is scored by. */
export interface CustomerFact {
  segment: string;
  region: string;
}

/** What scorecards knows about one HandoffDue, folded from its events. */
export interface DueFact {
  id: string;
  customerId: string;
  /** The party accountable for proposing (null: any internal team). */
  accountablePartnerId: string | null;
  moment: string;
  customMoment: string | null;
  /** The customer's segment and region when the due opened ('' when scorecards had not seen the customer). */
  segment: string;
  region: string;
  /** The stage move that made it due: its period is the due's period. */
  stageMovedAt: string;
  state: HandoffDueSnapshot['state'];
  handoffId: string | null;
  /** When the handoff was proposed (the due closed as PROPOSED). */
  proposedAt: string | null;
  closedAt: string | null;
  /** When its PROPOSE clock first breached (slas' SlaDueBreached), if ever. */
  breachedAt: string | null;
  /** Business seconds from the PROPOSE clock that stopped on the proposal. */
  businessSeconds: number | null;
  /** What the handoff would carry (the due's value, native); null when unknown. */
  value: NativeValue | null;
}

export const dueIdOf = (event: HubEvent): string | null => {
  if (!DUE_EVENT_TYPES.includes(event.type)) return null;
  return (event.payload as Partial<HandoffDueEventPayload>).due?.id ?? null;
};

/** The customer a customer event is about, with what scorecards keeps of it; null for other events. */
export function customerOf(event: HubEvent): { id: string; fact: CustomerFact } | null {
  if (!CUSTOMER_EVENT_TYPES.includes(event.type)) return null;
  const c = (event.payload as unknown as Partial<CustomerEventPayload>).customer;
  if (!c?.id) return null;
  return { id: c.id, fact: { segment: c.segment ?? '', region: c.region ?? '' } };
}

const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);

function fromSnapshot(s: HandoffDueSnapshot, customer: CustomerFact | undefined): DueFact {
  return {
    id: s.id,
    customerId: s.customerId,
    accountablePartnerId: s.accountablePartnerId ?? null,
    moment: s.moment,
    customMoment: s.customMoment ?? null,
    segment: customer?.segment ?? '',
    region: customer?.region ?? '',
    stageMovedAt: iso(s.stageMove.at) ?? iso(s.openedAt)!,
    state: s.state,
    handoffId: s.handoffId ?? null,
    proposedAt: null,
    closedAt: iso(s.closedAt),
    breachedAt: null,
    businessSeconds: null,
    value: nativeValueOf(s.value),
  };
}

/**
 * Folds one event into a due's fact (pure: returns a new object). `customer` is what
 * scorecards knows of the due's customer at this point of the log: a due keeps the segment
 * and region of the first event it was seen in (its opening), so a later change of the
 * customer does not move it to another cell.
 */
export function applyDueEvent(prev: DueFact | undefined, event: HubEvent, customer: CustomerFact | undefined): DueFact | undefined {
  if (HANDOFF_DUE_EVENT_TYPES.includes(event.type)) {
    const s = (event.payload as unknown as HandoffDueEventPayload).due;
    // A due closes once (OPEN → PROPOSED, DISMISSED or SUPERSEDED): an event of a closed due
    // changes nothing, so the same event handed twice cannot reopen or re-close it.
    if (prev && prev.state !== 'OPEN') return prev;
    const base = prev ?? fromSnapshot(s, customer);
    const proposed = event.type === HANDOFF_DUE_PROPOSED;
    return {
      ...base,
      accountablePartnerId: s.accountablePartnerId ?? null,
      state: s.state,
      handoffId: s.handoffId ?? base.handoffId,
      closedAt: iso(s.closedAt) ?? base.closedAt,
      proposedAt: proposed ? (iso(s.closedAt) ?? event.occurredAt.toISOString()) : base.proposedAt,
      value: nativeValueOf(s.value) ?? base.value,
    };
  }
  if (event.type === SLA_DUE_BREACHED || event.type === SLA_DUE_CLOCK_STOPPED) {
    const { clock, due } = event.payload as unknown as SlaDueEventPayload;
    // The due an SLA event carries is the one the clock last saw, perhaps older than what we
    // know: its state is used only for a due we have never seen.
    const base = prev ?? fromSnapshot(due, customer);
    const breached = event.type === SLA_DUE_BREACHED || clock.state === 'BREACHED';
    const stoppedOnProposal = event.type === SLA_DUE_CLOCK_STOPPED && clock.state !== 'CANCELLED';
    return {
      ...base,
      breachedAt: base.breachedAt ?? (breached ? (iso(clock.breachedAt) ?? event.occurredAt.toISOString()) : null),
      businessSeconds: stoppedOnProposal ? Number(clock.businessSecondsElapsed ?? 0) : base.businessSeconds,
    };
  }
  return prev;
}

/**
 * How a due stands for the scorecards. Each due is in exactly one of these, decided by its
 * current fact, so it is never counted twice:
 * - PROPOSED: a handoff was proposed, before or after a breach of its PROPOSE clock (a late
 *   proposal is `proposedLate`, not leakage);
 * - never proposed: SUPERSEDED or DISMISSED (whether or not its clock had breached), or
 *   still OPEN past a breach of its PROPOSE clock (`breached`);
 * - OPEN and not breached: still in time, nothing to count yet.
 */
export type DueOutcome = 'PROPOSED' | 'SUPERSEDED' | 'DISMISSED' | 'BREACHED' | 'OPEN';

export function outcomeOf(d: DueFact): DueOutcome {
  if (d.state === 'PROPOSED') return 'PROPOSED';
  if (d.state === 'SUPERSEDED' || d.state === 'DISMISSED') return d.state;
  return d.breachedAt ? 'BREACHED' : 'OPEN';
}

const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/** Time to propose: business time where the PROPOSE clock measured it, wall time from the stage move otherwise. */
export function proposeSecondsOf(d: DueFact): number | null {
  if (d.state !== 'PROPOSED' || !d.proposedAt) return null;
  return d.businessSeconds ?? seconds(d.stageMovedAt, d.proposedAt);
}

/** Proposed after its PROPOSE clock had breached. */
export const isProposedLate = (d: DueFact) => d.state === 'PROPOSED' && d.breachedAt !== null && d.proposedAt !== null && d.proposedAt > d.breachedAt;

/** A due's share of the rollups, scored against its accountable partner in the period of its stage move. */
export function dueContributionOf(d: DueFact): Contribution {
  const outcome = outcomeOf(d);
  const propose = proposeSecondsOf(d);
  return {
    partnerId: d.accountablePartnerId ?? NO_PARTNER,
    segment: d.segment,
    region: d.region,
    moment: d.moment,
    periodAt: d.stageMovedAt,
    counts: {
      ...zeroCounts(),
      dues: 1,
      dues_proposed: outcome === 'PROPOSED' ? 1 : 0,
      dues_proposed_late: isProposedLate(d) ? 1 : 0,
      dues_open: d.state === 'OPEN' ? 1 : 0,
      np_superseded: outcome === 'SUPERSEDED' ? 1 : 0,
      np_dismissed: outcome === 'DISMISSED' ? 1 : 0,
      np_breached: outcome === 'BREACHED' ? 1 : 0,
      propose_business: propose !== null && d.businessSeconds !== null ? 1 : 0,
    },
    accept: null,
    complete: null,
    propose,
    // Only a due never proposed counts by its value: a proposed one is counted by its handoff's.
    value: d.value && outcome !== 'PROPOSED' && outcome !== 'OPEN' ? { ...d.value, figures: ['never_proposed'] } : null,
  };
}
