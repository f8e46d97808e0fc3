import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import type { NewEvent } from '../../../../shared/eventlog/event-log';
import {
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_EXPIRED,
  HANDOFF_HELD,
  HANDOFF_REJECTED,
  HANDOFF_RESUMED,
} from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { HandoffState, OwnershipChangeReason, RejectionReasonCode } from '../entities/enums';
import type { Handoff } from '../entities/handoff.entity';
import { canSeeHandoff, isReceiver, isSender } from './access';
import { handoffEvent, recordEvents } from './handoff-events';
import { selectCustomer, selectHandoff, updateHandoff } from './handoff-store';
import { transferOwnership } from './ownership.service';
import { checkFields, describeProblems } from './playbook-validation';
import { playbookById } from './playbook.service';
import { rerouteRejected } from './routing/reroute.service';
import { countDecision } from './routing/stats';
import type { Sql } from './sql';
import { assertHoldable, assertTransition } from './state-machine';
import { createTasks } from './task.service';

function requireReason(reason: string | null | undefined, field = 'reason'): string {
  const text = reason?.trim() ?? '';
  if (!text) throw badUserInput(`${field} must not be empty`, [{ field, message: 'must not be empty' }]);
  if (text.length > 2000) throw badUserInput(`${field} must be at most 2000 characters`, [{ field, message: 'too long' }]);
  return text;
}

/**
 * Runs `change` on the handoff, locked (FOR UPDATE) for the rest of the transaction: of two
 * concurrent operations the second waits, then sees the first one's result and fails with
 * CONFLICT. Handoffs the caller may not see are NOT_FOUND; events are appended on success.
 */
async function withLockedHandoff(
  db: DataSource,
  identity: Identity,
  rawId: string,
  change: (sql: EntityManager, h: Handoff) => Promise<{ handoff: Handoff; events: NewEvent[] }>,
): Promise<Handoff> {
  const id = assertId(rawId, 'id');
  return db.transaction(async (manager) => {
    const h = await selectHandoff(manager, id, true);
    if (!h || !canSeeHandoff(identity, h)) throw notFound('Handoff', id);
    const { handoff, events } = await change(manager, h);
    await recordEvents(manager, events);
    return handoff;
  });
}

const receiverOnly = (identity: Identity, h: Handoff, operation: string) => {
  if (!isReceiver(identity, h)) throw forbidden(`Only the receiving partner (${h.toPartnerId}) can ${operation} handoff ${h.id}`);
};

/** Accept moves the customer to the receiver, appends the history, creates its tasks. */
export async function acceptInTransaction(sql: Sql, identity: Identity, h: Handoff, at = new Date()): Promise<{ handoff: Handoff; events: NewEvent[] }> {
  assertTransition(h, HandoffState.ACCEPTED, 'acceptHandoff');
  const customer = (await selectCustomer(sql, h.customerId, true))!;
  if (customer.ownerPartnerId !== h.fromPartnerId) {
    throw conflict(`Customer ${h.customerId} changed owner after handoff ${h.id} was proposed; it can no longer be accepted`, { currentState: h.state });
  }
  const handoff = await updateHandoff(sql, h.id, { state: HandoffState.ACCEPTED, acceptedAt: at, acceptedByPersonId: identity.personId ?? null });
  const { event } = await transferOwnership(sql, {
    customer,
    toPartnerId: handoff.toPartnerId,
    handoffId: handoff.id,
    actor: identity,
    reason: OwnershipChangeReason.HANDOFF_ACCEPTED,
    previousOwnerAccess: 'COLLABORATOR',
    at,
  });
  const playbook = handoff.playbookId ? await playbookById(sql, handoff.playbookId) : null;
  const taskEvents = await createTasks(sql, handoff, playbook, at, identity);
  await countDecision(sql, handoff, 'accepted');
  return { handoff, events: [handoffEvent(HANDOFF_ACCEPTED, handoff, identity, { at: at.toISOString() }), event, ...taskEvents] };
}

export async function acceptHandoff(db: DataSource, identity: Identity, id: string): Promise<Handoff> {
  return withLockedHandoff(db, identity, id, async (sql, h) => {
    receiverOnly(identity, h, 'accept');
    return acceptInTransaction(sql, identity, h);
  });
}

export async function rejectHandoff(db: DataSource, identity: Identity, id: string, reason: string, reasonCode?: RejectionReasonCode | null): Promise<Handoff> {
  const text = requireReason(reason);
  return withLockedHandoff(db, identity, id, async (sql, h) => {
    receiverOnly(identity, h, 'reject');
    assertTransition(h, HandoffState.REJECTED, 'rejectHandoff');
    const code = reasonCode ?? RejectionReasonCode.OTHER;
    const handoff = await updateHandoff(sql, h.id, {
      state: HandoffState.REJECTED,
      closedAt: new Date(),
      reason: text,
      reasonCode: code,
      onHold: false,
      rejectedByPersonId: identity.personId ?? null,
    });
    await countDecision(sql, handoff, 'rejected');
    // The rejection's event first, then (in the same transaction) the re-routed proposal's.
    await recordEvents(sql, [handoffEvent(HANDOFF_REJECTED, handoff, identity, { reasonCode: code, reason: text })]);
    await rerouteRejected(sql, handoff);
    return { handoff, events: [] };
  });
}

export async function cancelHandoff(db: DataSource, identity: Identity, id: string, reason: string): Promise<Handoff> {
  const text = requireReason(reason);
  return withLockedHandoff(db, identity, id, async (sql, h) => {
    if (!isSender(identity, h) && !isInternal(identity))
      throw forbidden(`Only the sender of handoff ${h.id} or an internal team can cancel it; the receiver rejects instead`);
    assertTransition(h, HandoffState.CANCELLED, 'cancelHandoff');
    const handoff = await updateHandoff(sql, h.id, { state: HandoffState.CANCELLED, closedAt: new Date(), reason: text, onHold: false });
    return { handoff, events: [handoffEvent(HANDOFF_CANCELLED, handoff, identity, { reason: text })] };
  });
}

export async function completeHandoff(db: DataSource, identity: Identity, id: string, deliverables: unknown): Promise<Handoff> {
  return withLockedHandoff(db, identity, id, async (sql, h) => {
    receiverOnly(identity, h, 'complete');
    assertTransition(h, HandoffState.COMPLETED, 'completeHandoff');
    const playbook = h.playbookId ? await playbookById(sql, h.playbookId) : null;
    const problems = checkFields(playbook?.deliverables ?? [], deliverables, 'deliverables');
    if (problems.length) throw badUserInput(describeProblems('Missing or invalid deliverables', problems), problems);
    const handoff = await updateHandoff(sql, h.id, {
      state: HandoffState.COMPLETED,
      completedAt: new Date(),
      deliverables: (deliverables ?? {}) as Record<string, unknown>,
      onHold: false,
      completedByPersonId: identity.personId ?? null,
    });
    return { handoff, events: [handoffEvent(HANDOFF_COMPLETED, handoff, identity)] };
  });
}

/** Pauses a handoff (and its SLA clocks) while waiting on the customer; sender, receiver or internal. */
export async function holdHandoff(db: DataSource, identity: Identity, id: string, reason: string): Promise<Handoff> {
  const text = requireReason(reason);
  return withLockedHandoff(db, identity, id, async (sql, h) => {
    assertHoldable(h, true);
    const handoff = await updateHandoff(sql, h.id, { onHold: true, holdReason: text });
    return { handoff, events: [handoffEvent(HANDOFF_HELD, handoff, identity, { reason: text })] };
  });
}

export async function resumeHandoff(db: DataSource, identity: Identity, id: string): Promise<Handoff> {
  return withLockedHandoff(db, identity, id, async (sql, h) => {
    assertHoldable(h, false);
    const handoff = await updateHandoff(sql, h.id, { onHold: false, holdReason: null });
    return { handoff, events: [handoffEvent(HANDOFF_RESUMED, handoff, identity)] };
  });
}

/**
 * EXPIRED, set by the hub (an SLA escalation): a PROPOSED handoff just closes (ownership
 * never moved); an ACCEPTED one also returns the customer to the sender, and the receiver
 * loses access to the record. The caller holds the handoff's lock.
 */
export async function expireInTransaction(sql: Sql, actor: Identity | null, h: Handoff, reason: string): Promise<{ handoff: Handoff; events: NewEvent[] }> {
  assertTransition(h, HandoffState.EXPIRED, 'expiry');
  const events: NewEvent[] = [];
  const handoff = await updateHandoff(sql, h.id, { state: HandoffState.EXPIRED, closedAt: new Date(), reason, onHold: false });
  events.push(handoffEvent(HANDOFF_EXPIRED, handoff, actor, { reason }));
  // Left to expire before accepting: a decision against the customer. After acceptance it is a missed completion.
  if (h.state === HandoffState.PROPOSED) await countDecision(sql, handoff, 'expired');
  if (h.state === HandoffState.ACCEPTED) {
    const customer = (await selectCustomer(sql, h.customerId, true))!;
    if (customer.ownerPartnerId === h.toPartnerId) {
      const { event } = await transferOwnership(sql, {
        customer,
        toPartnerId: h.fromPartnerId,
        handoffId: h.id,
        actor,
        reason: OwnershipChangeReason.HANDOFF_RECLAIMED,
        previousOwnerAccess: 'NONE',
      });
      events.push(event);
    }
  }
  return { handoff, events };
}
