import type { Identity } from '../../../../shared/auth/identity';
import { appendEvents, type NewEvent } from '../../../../shared/eventlog/event-log';
import { OWNERSHIP_CHANGED, type HandoffEventPayload, type HandoffSnapshot, type OwnershipChangedPayload } from '../../../../shared/eventlog/events';
import type { Handoff } from '../entities/handoff.entity';
import type { OwnershipChange } from '../entities/ownership-change.entity';
import { handoffAudience } from './access';
import { valueOfRow } from './handoff-value';
import type { Sql } from './sql';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The handoff as every handoff event carries it (shared/eventlog/events.ts). */
export function handoffSnapshot(h: Handoff): HandoffSnapshot {
  return {
    id: h.id,
    customerId: h.customerId,
    moment: h.moment,
    customMoment: h.customMoment,
    state: h.state,
    fromPartnerId: h.fromPartnerId,
    toPartnerId: h.toPartnerId,
    toPartnerTier: h.toPartnerTier,
    customerSegment: h.customerSegment,
    customerRegion: h.customerRegion,
    playbookId: h.playbookId,
    playbookVersion: h.playbookVersion,
    requiredDataComplete: h.requiredDataComplete,
    onHold: h.onHold,
    proposedAt: h.proposedAt.toISOString(),
    acceptedAt: iso(h.acceptedAt),
    completedAt: iso(h.completedAt),
    closedAt: iso(h.closedAt),
    customerName: h.customerName,
    proposedByPartnerId: h.proposedByPartnerId,
    proposedByPersonId: h.proposedByPersonId ?? null,
    acceptedByPersonId: h.acceptedByPersonId ?? null,
    rejectedByPersonId: h.rejectedByPersonId ?? null,
    completedByPersonId: h.completedByPersonId ?? null,
    contextPackage: h.contextPackage as unknown as Record<string, unknown>,
    customerMessage: h.customerMessage,
    data: h.data,
    deliverables: h.deliverables,
    holdReason: h.holdReason,
    reasonCode: h.reasonCode,
    reason: h.reason,
    reassignedFromId: h.reassignedFromId,
    updatedAt: h.updatedAt.toISOString(),
    routing: h.routing ? { ruleId: h.routing.ruleId, ruleVersion: h.routing.ruleVersion, rerouteOnReject: h.routing.rerouteOnReject } : null,
    reroutedFromId: h.reroutedFromId,
    value: valueOfRow(h),
  };
}

export function handoffEvent(type: string, h: Handoff, actor: Identity | null, extra: Omit<HandoffEventPayload, 'handoff'> = {}): NewEvent {
  return handoffNotice(type, h, { handoff: handoffSnapshot(h), ...extra } satisfies HandoffEventPayload, actor);
}

/** An event about handoff `h` with a payload of its own (no snapshot), for the handoff's own audience. */
export function handoffNotice(type: string, h: Handoff, payload: object, actor: Identity | null): NewEvent {
  return {
    type,
    source: 'handoffs',
    aggregateType: 'Handoff',
    aggregateId: h.id,
    payload: { ...payload },
    visibleTo: handoffAudience(h),
    actor,
  };
}

export function ownershipEvent(change: OwnershipChange, previousOwnerAccess: 'COLLABORATOR' | 'NONE', actor: Identity | null): NewEvent {
  const payload: OwnershipChangedPayload = {
    id: change.id,
    customerId: change.customerId,
    fromPartnerId: change.fromPartnerId,
    toPartnerId: change.toPartnerId,
    handoffId: change.handoffId,
    actorPartnerId: change.actorPartnerId,
    at: change.at.toISOString(),
    reason: change.reason,
    previousOwnerAccess,
  };
  return {
    type: OWNERSHIP_CHANGED,
    source: 'handoffs',
    aggregateType: 'Customer',
    aggregateId: change.customerId,
    payload: payload as unknown as Record<string, unknown>,
    visibleTo: [...new Set([change.fromPartnerId, change.toPartnerId].filter((p): p is string => !!p))],
    actor,
  };
}

export const recordEvents = (sql: Sql, events: NewEvent[]) => appendEvents(sql, events);
