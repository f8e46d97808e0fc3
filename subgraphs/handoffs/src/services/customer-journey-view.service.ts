import type { DataSource } from 'typeorm';
import { readCustomerLinkToken } from '../../../../shared/auth/customer-link-token';
import { badUserInput, hubError } from '../../../../shared/errors';
import { CustomerContextPart, HandoffState, PlaybookFieldType } from '../entities/enums';
import type { Handoff } from '../entities/handoff.entity';
import type { PlaybookField } from '../entities/playbook-parts';
import { customerActionsOf } from './customer-action.service';
import { JOURNEY_STATES, selectJourneyLink } from './customer-journey-link.service';
import { selectHandoff } from './handoff-store';
import { playbookById } from './playbook.service';

/**
 * What the customer sees on its journey page: only what the handoff's playbook version marks
 * as the customer's, and no identifier of anything (no handoff, partner, customer, person or
 * task id: the token already names the one handoff, and the page needs nothing else).
 */
export interface CustomerJourneyView {
  /** The playbook's title, e.g. "Closed-won to onboarding". */
  title: string;
  /** The customer's name as the handoff was proposed with it. */
  customerName: string;
  /** PROPOSED: being arranged; ACCEPTED: the new owner has taken over; COMPLETED: done. */
  stage: 'PROPOSED' | 'ACCEPTED' | 'COMPLETED';
  /** Handoff.customerMessage. */
  message: string;
  newOwner: { name: string; responsibleRole: string | null };
  /** The person at the new owner to talk to, once known (see {@link contactOf}). */
  contact: { name: string; email: string | null } | null;
  actions: { action: string; status: 'OPEN' | 'DONE'; doneAt: string | null }[];
  /** What the customer already told us (the context package parts the playbook shows). */
  known: { summary: string | null; goals: string[]; customerSaid: string[] };
  /** The proposal's customer-visible data, then (once COMPLETED) the customer-visible deliverables. */
  details: { label: string; value: string | string[] }[];
  deliverables: { label: string; value: string | string[] }[];
  /** Whether the page offers the feedback form (the handoff is COMPLETED). */
  feedback: boolean;
  /** When the link stops working (UTC). */
  linkExpiresAt: string;
}

/** Why a journey link was refused; customer-facing words, mapped to HTTP statuses by the route. */
export const journeyLinkInvalid = () => badUserInput('This link is not valid. Please use the link you were sent, or ask your contact for a new one.');
export const journeyLinkExpired = () => hubError('FORBIDDEN', 'This link has expired. Please ask your contact for a new one.', { reason: 'TOKEN_EXPIRED' });
export const journeyLinkRevoked = () => hubError('FORBIDDEN', 'This link was withdrawn. Please ask your contact for a new one.', { reason: 'TOKEN_REVOKED' });
export const journeyClosed = () => hubError('FORBIDDEN', 'This link is no longer active. Your contact will be in touch.', { reason: 'HANDOFF_CLOSED' });

/** A field's value in words: OBJECT fields (free-form) are never shown, whatever the playbook says. */
function display(field: PlaybookField, value: unknown): string | string[] | null {
  if (value === undefined || value === null || field.type === PlaybookFieldType.OBJECT) return null;
  if (field.type === PlaybookFieldType.STRING_LIST) return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null;
  if (field.type === PlaybookFieldType.BOOLEAN) return value === true ? 'Yes' : 'No';
  if (field.type === PlaybookFieldType.MONEY) {
    const m = value as { amount?: unknown; currency?: unknown };
    return typeof m.amount === 'string' && typeof m.currency === 'string' ? `${m.amount} ${m.currency}` : null;
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

const visibleValues = (fields: PlaybookField[], values: Record<string, unknown> | null) =>
  fields.flatMap((f) => {
    const value = f.customerVisible ? display(f, values?.[f.name]) : null;
    return value === null ? [] : [{ label: f.description, value }];
  });

/**
 * The contact person: whoever accepted the handoff for the new owner, when a person-bound
 * credential did and they are still ACTIVE; otherwise the assignee of the handoff's first
 * task (the playbook's first step), when there is one and they are ACTIVE. Names come from
 * handoffs' own copy of people. null until then (before acceptance, or nobody assigned).
 */
async function contactOf(db: DataSource, h: Handoff): Promise<CustomerJourneyView['contact']> {
  if (h.state === HandoffState.PROPOSED) return null;
  const rows: { name: string | null; email: string | null }[] = await db.query(
    `SELECT p.name, p.email FROM handoffs.people p
      WHERE p.partner_id = $2 AND p.status = 'ACTIVE' AND p.name IS NOT NULL
        AND p.id = COALESCE(
              (SELECT a.id FROM handoffs.people a WHERE a.id = $3 AND a.partner_id = $2 AND a.status = 'ACTIVE'),
              (SELECT t.assignee_person_id FROM handoffs.tasks t WHERE t.handoff_id = $1 ORDER BY t.created_at, t.id LIMIT 1))`,
    [h.id, h.toPartnerId, h.acceptedByPersonId],
  );
  const [row] = rows;
  return row?.name ? { name: row.name, email: row.email } : null;
}

/**
 * The journey page's data for a token: BAD_USER_INPUT when it is not a journey link this
 * hub signed (tampered, a feedback-only link, naming no handoff, or one the hub has no
 * record of), FORBIDDEN when it has expired, was revoked, or its handoff was rejected,
 * cancelled or expired. Runs as the hub (the gateway's SERVICE identity): the token is the
 * credential, its record (handoffs.customer_journey_links) says whether it still counts.
 */
export async function customerJourneyView(db: DataSource, token: string, secret: string, now = new Date()): Promise<CustomerJourneyView> {
  const claims = readCustomerLinkToken(token, secret);
  if (!claims || claims.purpose !== 'journey') throw journeyLinkInvalid();
  if (claims.expiresAt <= now) throw journeyLinkExpired();
  const link = await selectJourneyLink(db.manager, claims.tokenId, false);
  if (!link || link.handoffId !== claims.handoffId) throw journeyLinkInvalid();
  if (link.revokedAt) throw journeyLinkRevoked();
  const h = await selectHandoff(db.manager, claims.handoffId, false);
  if (!h) throw journeyLinkInvalid();
  if (!JOURNEY_STATES.includes(h.state)) throw journeyClosed();
  const playbook = h.playbookId ? await playbookById(db.manager, h.playbookId) : null;
  const parts = new Set(playbook?.customerVisibleContext ?? []);
  const [partner]: { name: string }[] = await db.query(`SELECT name FROM handoffs.partners WHERE id = $1`, [h.toPartnerId]);
  const completed = h.state === HandoffState.COMPLETED;
  return {
    title: playbook?.name ?? 'Your handover',
    customerName: h.customerName,
    stage: h.state as CustomerJourneyView['stage'],
    message: h.customerMessage,
    newOwner: { name: partner?.name ?? 'Your new team', responsibleRole: playbook?.responsibleRole ?? null },
    contact: await contactOf(db, h),
    actions: customerActionsOf(h, playbook).map((a) => ({ action: a.action, status: a.status, doneAt: a.doneAt?.toISOString() ?? null })),
    known: {
      summary: parts.has(CustomerContextPart.SUMMARY) ? h.contextPackage.summary : null,
      goals: parts.has(CustomerContextPart.GOALS) ? (h.contextPackage.goals ?? []) : [],
      customerSaid: parts.has(CustomerContextPart.CUSTOMER_SAID) ? (h.contextPackage.customerSaid ?? []) : [],
    },
    details: visibleValues(playbook?.requiredFields ?? [], h.data),
    deliverables: completed ? visibleValues(playbook?.deliverables ?? [], h.deliverables) : [],
    feedback: completed,
    linkExpiresAt: claims.expiresAt.toISOString(),
  };
}
