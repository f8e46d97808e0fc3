import type { DataSource } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { signCustomerLinkToken } from '../../../../shared/auth/customer-link-token';
import type { CustomerJourneyConfig } from '../../../../shared/config';
import { badUserInput, conflict, notFound } from '../../../../shared/errors';
import { appendEvents } from '../../../../shared/eventlog/event-log';
import {
  CUSTOMER_JOURNEY_LINK_ISSUED,
  CUSTOMER_JOURNEY_LINK_REVOKED,
  type CustomerJourneyLinkIssuedPayload,
  type CustomerJourneyLinkRevokedPayload,
} from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { HandoffState, JourneyLinkStatus } from '../entities/enums';
import type { CustomerJourneyLink, JourneyLink } from '../entities/customer-journey.entity';
import { canSeeHandoff } from './access';
import { handoffNotice } from './handoff-events';
import { selectHandoff } from './handoff-store';
import { returned, type Sql } from './sql';

/** Defaults when the hub config is not given (tests, scripts): shared/config.ts's. */
export const DEFAULT_JOURNEY_CONFIG: CustomerJourneyConfig = { publicUrl: 'http://127.0.0.1:4000', defaultDays: 30, maxDays: 90 };

/** States in which the customer still has a journey to look at. */
export const JOURNEY_STATES: readonly HandoffState[] = [HandoffState.PROPOSED, HandoffState.ACCEPTED, HandoffState.COMPLETED];

/**
 * Issues a customer journey link: the handoff's partners (sender, proposer, receiver) and
 * internal teams may; anyone else gets NOT_FOUND, like for every other handoff they are not
 * on (access.ts rule 2: nobody else learns that it exists). The token is signed (HMAC, key
 * derived from HUB_IDENTITY_SECRET, rotation-safe), names exactly this handoff and expires
 * after `days` (1 to config.maxDays). The token is not stored: its id is, with the handoff,
 * issuer and expiry, in handoffs.customer_journey_links (so that it can be revoked), and
 * CustomerJourneyLinkIssued records the same (never the token), reaches the handoff's
 * partners' feed and tells scorecards to accept it as the customer's feedback link.
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
    const link = { id: tokenId, handoffId: id, issuedByPartnerId: identity.partnerId ?? null, issuedAt: now, expiresAt };
    await sql.query(`INSERT INTO handoffs.customer_journey_links (id, handoff_id, issued_by_partner_id, issued_at, expires_at) VALUES ($1, $2, $3, $4, $5)`, [
      link.id,
      link.handoffId,
      link.issuedByPartnerId,
      link.issuedAt,
      link.expiresAt,
    ]);
    const payload: CustomerJourneyLinkIssuedPayload = { link: issuedLink(link) };
    await appendEvents(sql, [handoffNotice(CUSTOMER_JOURNEY_LINK_ISSUED, h, payload, identity)]);
    return { id: tokenId, url: `${publicUrl}/journey?token=${encodeURIComponent(token)}`, issuedAt: now, expiresAt };
  });
}

/** The columns of a handoffs.customer_journey_links row `l`, as {@link toJourneyLink} reads them. */
export const JOURNEY_LINK_COLUMNS = `l.id, l.handoff_id AS "handoffId", l.issued_by_partner_id AS "issuedByPartnerId", l.issued_at AS "issuedAt",
  l.expires_at AS "expiresAt", l.revoked_at AS "revokedAt", l.revoked_by_partner_id AS "revokedByPartnerId"`;

/** A link as its row holds it (its status is derived: {@link toJourneyLink}). */
export type JourneyLinkRow = Omit<JourneyLink, 'status'>;

/** A link's terms as the Issued and Revoked events carry them. */
const issuedLink = (
  l: Pick<JourneyLinkRow, 'id' | 'handoffId' | 'issuedByPartnerId' | 'issuedAt' | 'expiresAt'>,
): CustomerJourneyLinkIssuedPayload['link'] => ({
  id: l.id,
  handoffId: l.handoffId,
  issuedByPartnerId: l.issuedByPartnerId,
  issuedAt: l.issuedAt.toISOString(),
  expiresAt: l.expiresAt.toISOString(),
});

/** A link row with its status at `now`: a revocation wins over the expiry. */
export function toJourneyLink(row: JourneyLinkRow, now: Date): JourneyLink {
  const status = row.revokedAt ? JourneyLinkStatus.REVOKED : row.expiresAt <= now ? JourneyLinkStatus.EXPIRED : JourneyLinkStatus.ACTIVE;
  return { ...row, status };
}

/** The link with this id as the caller's session may see it (row-level security: a party of its handoff, or internal). */
export async function selectJourneyLink(sql: Sql, id: string, lock: boolean): Promise<JourneyLinkRow | null> {
  const rows: JourneyLinkRow[] = await sql.query(
    `SELECT ${JOURNEY_LINK_COLUMNS} FROM handoffs.customer_journey_links l WHERE l.id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return rows[0] ?? null;
}

/**
 * Withdraws one journey link at once: its page answers "This link was withdrawn" and
 * scorecards stops taking feedback with it (CustomerJourneyLinkRevoked). Whoever may issue
 * links on the handoff may revoke any of them (the handoff's sender, proposer or receiver,
 * internal teams), in any state of the handoff; anyone else gets NOT_FOUND, as for an
 * unknown id, so nobody learns that the link exists. Revoking a revoked link is idempotent:
 * it answers the link unchanged and appends nothing (a retry after a lost answer must not
 * fail, and there is nothing left to withdraw).
 */
export async function revokeCustomerJourneyLink(db: DataSource, identity: Identity, rawLinkId: string, now = new Date()): Promise<JourneyLink> {
  const linkId = assertId(rawLinkId, 'linkId');
  return db.transaction(async (sql) => {
    const link = await selectJourneyLink(sql, linkId, true);
    const h = link ? await selectHandoff(sql, link.handoffId, false) : null;
    if (!link || !h || !canSeeHandoff(identity, h)) throw notFound('JourneyLink', linkId);
    if (link.revokedAt) return toJourneyLink(link, now);
    const revokedByPartnerId = identity.partnerId ?? null;
    const [row] = returned<JourneyLinkRow>(
      await sql.query(
        `UPDATE handoffs.customer_journey_links l SET revoked_at = $2, revoked_by_partner_id = $3 WHERE l.id = $1 RETURNING ${JOURNEY_LINK_COLUMNS}`,
        [linkId, now, revokedByPartnerId],
      ),
    );
    if (!row) throw notFound('JourneyLink', linkId);
    const payload: CustomerJourneyLinkRevokedPayload = { link: { ...issuedLink(row), revokedAt: now.toISOString(), revokedByPartnerId } };
    await appendEvents(sql, [handoffNotice(CUSTOMER_JOURNEY_LINK_REVOKED, h, payload, identity)]);
    return toJourneyLink(row, now);
  });
}
