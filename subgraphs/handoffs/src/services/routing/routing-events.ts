import type { Identity } from '../../../../../shared/auth/identity';
import type { NewEvent } from '../../../../../shared/eventlog/event-log';
import { HANDOFF_ROUTED, NO_ROUTE_FOUND, type RoutingDecisionSnapshot } from '../../../../../shared/eventlog/events';
import type { RoutingDecision, RoutingTrigger } from './types';

/** The whole decision, every candidate's full reasons: the audit trail, for internal teams only. */
export function decisionSnapshot(d: RoutingDecision): RoutingDecisionSnapshot {
  return {
    ruleId: d.rule?.id ?? null,
    ruleVersion: d.rule?.version ?? null,
    strategies: d.rule?.strategies ?? [],
    customerId: d.customer.id,
    moment: d.moment,
    customMoment: d.customMoment,
    customerSegment: d.customer.segment,
    customerRegion: d.customer.region,
    currentOwnerKind: d.customer.ownerKind,
    chosenPartnerId: d.chosen?.partnerId ?? null,
    candidates: d.candidates.map((c) => ({
      partnerId: c.partnerId,
      outcome: c.outcome,
      rank: c.rank,
      score: c.score,
      reasons: c.reasons.map((r) => ({ code: r.code, message: r.message })),
    })),
  };
}

/** HandoffRouted: appended with the HandoffProposed of a routed handoff (visibleTo: [] — figures of every candidate). */
export function handoffRoutedEvent(
  handoffId: string,
  d: RoutingDecision,
  trigger: RoutingTrigger,
  reroutedFromId: string | null,
  actor: Identity | null,
): NewEvent {
  return {
    type: HANDOFF_ROUTED,
    source: 'handoffs',
    aggregateType: 'Handoff',
    aggregateId: handoffId,
    payload: { handoffId, trigger, reroutedFromId, decision: decisionSnapshot(d) },
    visibleTo: [],
    actor,
  };
}

/** NoRouteFound: routing found no candidate; nothing was proposed (an ownership gap to act on). */
export function noRouteEvent(d: RoutingDecision, trigger: RoutingTrigger, handoffId: string | null, actor: Identity | null, dueId?: string): NewEvent {
  return {
    type: NO_ROUTE_FOUND,
    source: 'handoffs',
    aggregateType: 'Customer',
    aggregateId: d.customer.id,
    payload: { trigger, ...(dueId ? { dueId } : {}), handoffId, reason: d.rule ? 'ALL_CANDIDATES_SKIPPED' : 'NO_RULE', decision: decisionSnapshot(d) },
    visibleTo: [],
    actor,
  };
}
