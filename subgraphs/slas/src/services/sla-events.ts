import type { NewEvent } from '../../../../shared/eventlog/event-log';
import type { HandoffSnapshot, SlaClockSnapshot } from '../../../../shared/eventlog/events';
import type { LoadedClock } from './clock-rows';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The clock as SLA events carry it; `elapsedMs` and `pausedMs` as of the event. */
export function clockSnapshot(c: LoadedClock, elapsedMs: number, pausedMs: number): SlaClockSnapshot {
  return {
    id: c.id,
    handoffId: c.handoffId,
    policyId: c.policyId,
    policyVersion: c.policyVersion,
    // Handoff clocks time ACCEPT and COMPLETE only; PROPOSE clocks are due clocks (due-clock.service).
    target: c.target as SlaClockSnapshot['target'],
    state: c.state,
    startedAt: c.startedAt.toISOString(),
    dueAt: iso(c.dueAt),
    stoppedAt: iso(c.stoppedAt),
    businessSecondsElapsed: Math.round(elapsedMs / 1000),
    targetBusinessSeconds: Math.round(c.targetMs / 1000),
    accountablePartnerId: c.accountablePartnerId,
    warningAt: iso(c.warningAt),
    atRiskAt: iso(c.atRiskAt),
    breachedAt: iso(c.breachedAt),
    pausedBusinessSeconds: Math.round(pausedMs / 1000),
  };
}

/** Who may see an SLA event: the handoff's sender and receiver (internal callers see all). */
export const handoffParticipants = (h: Pick<HandoffSnapshot, 'fromPartnerId' | 'toPartnerId'>) => [
  ...new Set([h.fromPartnerId, h.toPartnerId].filter((p): p is string => !!p)),
];

export function slaEvent(type: string, clock: SlaClockSnapshot, handoff: HandoffSnapshot, extra: Record<string, unknown> = {}): NewEvent {
  return {
    type,
    source: 'slas',
    aggregateType: 'SlaClock',
    aggregateId: clock.id,
    payload: { clock, handoff, ...extra },
    visibleTo: handoffParticipants(handoff),
    actor: { role: 'SERVICE', scopes: ['slas'] },
  };
}
