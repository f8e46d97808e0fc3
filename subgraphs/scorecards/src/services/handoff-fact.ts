import type { HubEvent } from '../../../../shared/eventlog/event-log';
import {
  FEEDBACK_SUBMITTED,
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_EXPIRED,
  HANDOFF_EVENT_TYPES,
  HANDOFF_PROPOSED,
  HANDOFF_REJECTED,
  SLA_BREACHED,
  SLA_CLOCK_STOPPED,
  type FeedbackEventPayload,
  type FeedbackSourceName,
  type HandoffEventPayload,
  type HandoffSnapshot,
  type SlaEventPayload,
} from '../../../../shared/eventlog/events';
import { nativeValueOf, type NativeValue, type ValueContribution, type ValueFigure } from './value-figures';

/** The tag that feeds the "had to repeat information" rate (matched case-insensitively). */
export const REPEAT_TAG = 'had to repeat information';

/**
 * Without an SLA clock, a handoff counts as stalled once it has gone this long with no
 * action: two days waiting for acceptance, fourteen days accepted but not completed.
 */
export const DEFAULT_STALL_SECONDS = { ACCEPT: 2 * 86400, COMPLETE: 14 * 86400 } as const;

export interface ClockFact {
  target: 'ACCEPT' | 'COMPLETE';
  state: string;
  dueAt: string | null;
  businessSeconds: number;
  stopped: boolean;
  breached: boolean;
}

/** What scorecards knows about one handoff, folded from its events. */
export interface HandoffFact {
  id: string;
  customerId: string;
  fromPartnerId: string | null;
  toPartnerId: string;
  moment: string;
  customMoment: string | null;
  segment: string;
  region: string;
  state: string;
  onHold: boolean;
  playbookId: string | null;
  requiredDataComplete: boolean;
  proposedAt: string;
  acceptedAt: string | null;
  completedAt: string | null;
  closedAt: string | null;
  lastActionAt: string;
  dueAt: string | null;
  clocks: Record<string, ClockFact>;
  feedback: Partial<Record<FeedbackSourceName, { rating: number; repeat: boolean }>>;
  /** The value handoffs fixed at proposal (native); null when it carried none. */
  value: NativeValue | null;
}

export const HANDOFF_FACT_EVENT_TYPES = [...HANDOFF_EVENT_TYPES, 'SlaClockStarted', 'SlaAtRisk', SLA_BREACHED, SLA_CLOCK_STOPPED, FEEDBACK_SUBMITTED];

/** The handoff an event is about, or null for events scorecards ignores. */
export function handoffIdOf(event: HubEvent): string | null {
  // Whichever event this is, its payload carries at most these (the catalog's payload shapes).
  const p = event.payload as Partial<HandoffEventPayload & FeedbackEventPayload & SlaEventPayload>;
  if (HANDOFF_EVENT_TYPES.includes(event.type)) return p.handoff?.id ?? null;
  if (event.type === FEEDBACK_SUBMITTED) return p.feedback?.handoffId ?? null;
  if (p.clock) return p.clock.handoffId ?? p.handoff?.id ?? null;
  return null;
}

const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);

function fromSnapshot(s: HandoffSnapshot, prev: HandoffFact | undefined): HandoffFact {
  return {
    id: s.id,
    customerId: s.customerId,
    fromPartnerId: s.fromPartnerId ?? null,
    toPartnerId: s.toPartnerId,
    moment: s.moment,
    customMoment: s.customMoment ?? null,
    segment: s.customerSegment ?? '',
    region: s.customerRegion ?? '',
    state: s.state,
    onHold: Boolean(s.onHold),
    playbookId: s.playbookId ?? null,
    requiredDataComplete: Boolean(s.requiredDataComplete),
    proposedAt: iso(s.proposedAt)!,
    acceptedAt: iso(s.acceptedAt),
    completedAt: iso(s.completedAt),
    closedAt: iso(s.closedAt),
    lastActionAt: prev?.lastActionAt ?? iso(s.proposedAt)!,
    dueAt: prev?.dueAt ?? null,
    clocks: prev?.clocks ?? {},
    feedback: prev?.feedback ?? {},
    // Fixed at proposal: a later snapshot repeats it; one without it (an older producer) keeps what we knew.
    value: nativeValueOf(s.value) ?? prev?.value ?? null,
  };
}

/** When the change an event records happened: its own `at`, the snapshot's milestone, or occurredAt. */
function actionAt(event: HubEvent, s: HandoffSnapshot): string {
  const at = (event.payload as unknown as HandoffEventPayload).at;
  const milestone: Record<string, string | null> = {
    [HANDOFF_PROPOSED]: s.proposedAt,
    [HANDOFF_ACCEPTED]: s.acceptedAt,
    [HANDOFF_COMPLETED]: s.completedAt,
    [HANDOFF_REJECTED]: s.closedAt,
    [HANDOFF_CANCELLED]: s.closedAt,
    [HANDOFF_EXPIRED]: s.closedAt,
  };
  return iso(at ?? milestone[event.type] ?? null) ?? event.occurredAt.toISOString();
}

/** When the current phase stalls: its SLA clock's due time, else the default after the last action. */
function dueAtOf(f: HandoffFact): string | null {
  const target = f.state === 'PROPOSED' ? 'ACCEPT' : f.state === 'ACCEPTED' ? 'COMPLETE' : null;
  if (!target) return null;
  const clock = Object.values(f.clocks).find((c) => c.target === target && !c.stopped && c.dueAt);
  if (clock?.dueAt) return clock.dueAt;
  return new Date(Date.parse(f.lastActionAt) + DEFAULT_STALL_SECONDS[target] * 1000).toISOString();
}

/** Folds one event into a handoff's fact (pure: returns a new object). */
export function applyEvent(prev: HandoffFact | undefined, event: HubEvent): HandoffFact | undefined {
  const p = event.payload as Partial<HandoffEventPayload & FeedbackEventPayload & SlaEventPayload>;
  let next: HandoffFact | undefined;
  if (HANDOFF_EVENT_TYPES.includes(event.type)) {
    const s = (p as HandoffEventPayload).handoff;
    next = fromSnapshot(s, prev);
    next.lastActionAt = actionAt(event, s);
  } else if (event.type === FEEDBACK_SUBMITTED) {
    if (!prev) return prev;
    const fb = (p as FeedbackEventPayload).feedback;
    const repeat = fb.tags.some((t) => t.trim().toLowerCase() === REPEAT_TAG);
    next = { ...prev, feedback: { ...prev.feedback, [fb.source]: { rating: fb.rating, repeat } } };
  } else if (p.clock) {
    const { clock, handoff } = p as SlaEventPayload;
    // The snapshot an SLA event carries may be older than what we know: use it only for a
    // handoff we have never seen.
    const base = prev ?? (handoff ? fromSnapshot(handoff, undefined) : undefined);
    if (!base) return prev;
    const old = base.clocks[clock.id];
    next = {
      ...base,
      clocks: {
        ...base.clocks,
        [clock.id]: {
          target: clock.target,
          state: clock.state,
          dueAt: iso(clock.dueAt),
          businessSeconds: Number(clock.businessSecondsElapsed ?? 0),
          stopped: Boolean(old?.stopped) || event.type === SLA_CLOCK_STOPPED,
          breached: Boolean(old?.breached) || event.type === SLA_BREACHED || clock.state === 'BREACHED',
        },
      },
    };
  } else {
    return prev;
  }
  next.dueAt = dueAtOf(next);
  return next;
}

/** A handoff's (or a due's) share of the rollups: what it adds to its cell. */
export interface Contribution {
  partnerId: string;
  segment: string;
  region: string;
  moment: string;
  /** The instant whose periods it counts in: a handoff's proposal, a due's stage move. */
  periodAt: string;
  counts: Record<CountColumn, number>;
  accept: number | null;
  complete: number | null;
  /** Time to propose (dues only). */
  propose: number | null;
  /** Its value and the value figures it counts in; null without a value. */
  value: ValueContribution | null;
}

export const COUNT_COLUMNS = [
  'proposed',
  'accepted',
  'completed',
  'rejected',
  'expired',
  'cancelled',
  'under_sla',
  'sla_met',
  'sla_breached',
  'under_playbook',
  'data_complete',
  'accept_business',
  'complete_business',
  'fb_customer_n',
  'fb_customer_sum',
  'fb_internal_n',
  'fb_internal_sum',
  'fb_partner_n',
  'fb_partner_sum',
  'fb_any',
  'fb_repeat',
  'fb_all_sides',
  'stallable',
  // Handoffs that came due (HandoffDue, due-fact.ts), counted in the period of the stage move.
  'dues',
  'dues_proposed',
  'dues_proposed_late',
  'dues_open',
  'np_superseded',
  'np_dismissed',
  'np_breached',
  'propose_business',
] as const;
export type CountColumn = (typeof COUNT_COLUMNS)[number];

const ZERO_COUNTS = Object.freeze(Object.fromEntries(COUNT_COLUMNS.map((c) => [c, 0])) as Record<CountColumn, number>);
/** Every count at zero: a copy of one frozen template (the projection makes one per contribution and per cell it moves). */
export const zeroCounts = (): Record<CountColumn, number> => ({ ...ZERO_COUNTS });

const seconds = (from: string, to: string) => Math.max(0, (Date.parse(to) - Date.parse(from)) / 1000);

/** Business time from the SLA clock that measured the phase, when one stopped on it. */
function businessSeconds(f: HandoffFact, target: 'ACCEPT' | 'COMPLETE'): number | null {
  const clock = Object.values(f.clocks).find((c) => c.target === target && c.stopped && c.state !== 'CANCELLED');
  return clock ? clock.businessSeconds : null;
}

/**
 * Open, not on hold, and no action since its due time was set: it is stalled once that due
 * time passes. Time alone never changes this, so the rollups can count it, and a scorecard
 * subtracts the few whose due time is still ahead (handoff_facts_not_due_idx).
 */
export const isStallable = (f: HandoffFact) =>
  (f.state === 'PROPOSED' || f.state === 'ACCEPTED') && !f.onHold && f.dueAt !== null && Date.parse(f.lastActionAt) < Date.parse(f.dueAt);

const isOpen = (f: HandoffFact) => f.state === 'PROPOSED' || f.state === 'ACCEPTED';

/**
 * Open, with an SLA clock (still running, or paused) at risk or past its target: revenue at
 * risk whether or not it has stalled. Only events change this.
 */
export const isClockRisk = (f: HandoffFact) =>
  isOpen(f) && Object.values(f.clocks).some((c) => !c.stopped && (c.state === 'AT_RISK' || c.state === 'BREACHED' || c.breached));

/** The value figures a handoff counts in (value-figures.ts): the same conditions as its counts. */
function valueFiguresOf(f: HandoffFact, counts: Record<CountColumn, number>): ValueFigure[] {
  const figures: ValueFigure[] = ['proposed'];
  if (counts.accepted) figures.push('accepted');
  if (counts.completed) figures.push('completed');
  if (counts.rejected) figures.push('rejected');
  if (counts.expired) figures.push('expired');
  if (counts.cancelled) figures.push('cancelled');
  if (counts.stallable) figures.push('stallable');
  else if (isClockRisk(f)) figures.push('clock_risk');
  return figures;
}

export function contributionOf(f: HandoffFact): Contribution {
  const clocks = Object.values(f.clocks);
  const acceptBusiness = f.acceptedAt ? businessSeconds(f, 'ACCEPT') : null;
  const completeBusiness = f.completedAt ? businessSeconds(f, 'COMPLETE') : null;
  const fb = f.feedback;
  const counts: Record<CountColumn, number> = {
    ...zeroCounts(),
    proposed: 1,
    accepted: f.acceptedAt ? 1 : 0,
    completed: f.completedAt || f.state === 'COMPLETED' ? 1 : 0,
    rejected: f.state === 'REJECTED' ? 1 : 0,
    expired: f.state === 'EXPIRED' ? 1 : 0,
    cancelled: f.state === 'CANCELLED' ? 1 : 0,
    under_sla: clocks.length > 0 ? 1 : 0,
    sla_met: clocks.filter((c) => c.stopped && c.state === 'MET' && !c.breached).length,
    sla_breached: clocks.filter((c) => c.breached).length,
    under_playbook: f.playbookId ? 1 : 0,
    data_complete: f.requiredDataComplete ? 1 : 0,
    accept_business: acceptBusiness !== null ? 1 : 0,
    complete_business: completeBusiness !== null ? 1 : 0,
    fb_customer_n: fb.CUSTOMER ? 1 : 0,
    fb_customer_sum: fb.CUSTOMER?.rating ?? 0,
    fb_internal_n: fb.INTERNAL ? 1 : 0,
    fb_internal_sum: fb.INTERNAL?.rating ?? 0,
    fb_partner_n: fb.PARTNER ? 1 : 0,
    fb_partner_sum: fb.PARTNER?.rating ?? 0,
    fb_any: Object.keys(fb).length > 0 ? 1 : 0,
    fb_repeat: Object.values(fb).some((x) => x?.repeat) ? 1 : 0,
    fb_all_sides: fb.CUSTOMER && fb.INTERNAL && fb.PARTNER ? 1 : 0,
    stallable: isStallable(f) ? 1 : 0,
  };
  return {
    partnerId: f.toPartnerId,
    segment: f.segment,
    region: f.region,
    moment: f.moment,
    periodAt: f.proposedAt,
    counts,
    accept: f.acceptedAt ? (acceptBusiness ?? seconds(f.proposedAt, f.acceptedAt)) : null,
    complete: f.completedAt ? (completeBusiness ?? seconds(f.acceptedAt ?? f.proposedAt, f.completedAt)) : null,
    propose: null,
    value: f.value ? { ...f.value, figures: valueFiguresOf(f, counts) } : null,
  };
}
