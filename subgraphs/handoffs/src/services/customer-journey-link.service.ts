import type { DataSource } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { signCustomerLinkToken } from '../../../../shared/auth/customer-link-token';
import type { CustomerJourneyConfig } from '../../../../shared/config';
import { badUserInput, conflict, notFound } from '../../../../shared/errors';
import { appendEvents } from '../../../../shared/eventlog/event-log';
import { CUSTOMER_JOURNEY_LINK_ISSUED, type CustomerJourneyLinkIssuedPayload } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { HandoffState } from '../entities/enums';
import type { CustomerJourneyLink } from '../entities/customer-journey.entity';
import { canSeeHandoff } from './access';
import { handoffNotice } from './handoff-events';
import { selectHandoff } from './handoff-store';

/** Defaults when the hub config is not given (tests, scripts): shared/config.ts's. */
export const DEFAULT_JOURNEY_CONFIG: CustomerJourneyConfig = { publicUrl: 'http://127.0.0.1:4000', defaultDays: 30, maxDays: 90 };

/** States in which the customer still has a journey to look at. */
export const JOURNEY_STATES: readonly HandoffState[] = [HandoffState.PROPOSED, HandoffState.ACCEPTED, HandoffState.COMPLETED];

/**
 * Issues a customer journey link: the handoff's partners (sender, proposer, receiver) and
 * internal teams may; anyone else gets NOT_FOUND, like for every other handoff they are not
 * on (access.ts rule 2: nobody else learns that it exists). The token is signed (HMAC, key
 * derived from HUB_IDENTITY_SECRET, rotation-safe), names exactly this handoff and expires
 * after `days` (1 to config.maxDays). It is not stored: CustomerJourneyLinkIssued records
 * the link's id, handoff and expiry (never the token), reaches the handoff's partners' feed
 * and tells scorecards to accept it as the customer's feedback link.
 */
export async function issueCustomerJourneyLink(
  db: DataSource,
  identity: Identity,
  rawHandoffId: string,
  days: number,
  opts: { secret: string; config: CustomerJourneyConfig },
  now = new Date(),
): Promise<CustomerJourneyLink> {
  const id = assertId(rawHandoffId, 'handoffId');
  const { maxDays, publicUrl } = opts.config;
  if (!Number.isInteger(days) || days < 1 || days > maxDays) {
    throw badUserInput(`expiresInDays must be from 1 to ${maxDays}`, [{ field: 'expiresInDays', message: `must be from 1 to ${maxDays}` }]);
  }
  return db.transaction(async (sql) => {
    const h = await selectHandoff(sql, id, false);
    if (!h || !canSeeHandoff(identity, h)) throw notFound('Handoff', id);
    if (!JOURNEY_STATES.includes(h.state))
      throw conflict(`Handoff ${id} is ${h.state}: the customer has no journey to follow on it`, { currentState: h.state });
    const expiresAt = new Date(now.getTime() + days * 86_400_000);
    expiresAt.setUTCMilliseconds(0);
    const { token, tokenId } = signCustomerLinkToken(id, expiresAt, opts.secret, { purpose: 'journey' });
    const payload: CustomerJourneyLinkIssuedPayload = {
      link: { id: tokenId, handoffId: id, issuedByPartnerId: identity.partnerId ?? null, issuedAt: now.toISOString(), expiresAt: expiresAt.toISOString() },
    };
    await appendEvents(sql, [handoffNotice(CUSTOMER_JOURNEY_LINK_ISSUED, h, payload, identity)]);
    return { url: `${publicUrl}/journey?token=${encodeURIComponent(token)}`, expiresAt };
  });
}
