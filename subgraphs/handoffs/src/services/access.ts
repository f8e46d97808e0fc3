import { isInternal, type Identity } from '../../../../shared/auth/identity';
import type { Handoff } from '../entities/handoff.entity';

/**
 * Who sees what in handoffs — the rule, written down once (docs/handoffs.md, "Access to handoffs").
 *
 * 1. Internal teams (role INTERNAL) and the hub's services see every handoff, customer and
 *    ownership history.
 * 2. A partner sees a handoff while it is its sender (`from`, or the internal team that
 *    proposed on its behalf: `proposedBy`) or its receiver (`to`) — in every state, closed
 *    ones included. Seeing a handoff means its row: moment, state, the customer's name as
 *    proposed, the context package, the customer-facing message, the required data,
 *    deliverables and tasks. Nobody else learns that it exists (NOT_FOUND).
 * 3. The customer record (accounts' Customer, and here Customer.owner and
 *    Customer.ownershipHistory) is visible to its OWNER and its COLLABORATORs only.
 *    - The receiver of a PROPOSED handoff sees the handoff row and its context package,
 *      not the record (`Handoff.customer` is null for it).
 *    - Accepting makes the receiver the OWNER, in the same transaction.
 *    - The previous owner stays a COLLABORATOR: it keeps reading the record it handed on
 *      (and the history it is part of), but only the new owner may hand it on again.
 *    - A receiver that rejects (or whose proposal is cancelled or expires) never gains the
 *      record: it keeps the handoff row with its context package, and nothing beyond it.
 *    - When an SLA escalation reclaims an ACCEPTED handoff, ownership returns to the sender
 *      and the receiver loses access to the record (previousOwnerAccess NONE).
 * 4. Customer.handoffs lists only the handoffs of rule 2; Partner.inbox (handoffs waiting
 *    for a partner) is readable by that partner and internal teams only (FORBIDDEN else).
 * 5. Subscriptions deliver an event only to subscribers the event's `visibleTo` names (the
 *    handoff's sender and receiver) or internal ones; their arguments only narrow that.
 *
 * accounts applies rule 3 to its own tables from the OwnershipChanged events handoffs writes.
 */
export const canSeeHandoff = (identity: Identity, h: Pick<Handoff, 'fromPartnerId' | 'toPartnerId' | 'proposedByPartnerId'>): boolean =>
  isInternal(identity) || (!!identity.partnerId && [h.fromPartnerId, h.toPartnerId, h.proposedByPartnerId].includes(identity.partnerId));

export const isReceiver = (identity: Identity, h: Pick<Handoff, 'toPartnerId'>) => !!identity.partnerId && identity.partnerId === h.toPartnerId;

export const isSender = (identity: Identity, h: Pick<Handoff, 'fromPartnerId' | 'proposedByPartnerId'>) =>
  !!identity.partnerId && (identity.partnerId === h.fromPartnerId || identity.partnerId === h.proposedByPartnerId);

/** Partners an event about this handoff is visible to (internal callers see all events). */
export const handoffAudience = (h: Pick<Handoff, 'fromPartnerId' | 'toPartnerId' | 'proposedByPartnerId'>): string[] => [
  ...new Set([h.fromPartnerId, h.toPartnerId, h.proposedByPartnerId].filter((p): p is string => !!p)),
];
