import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, conflict, forbidden, hubError, notFound } from '../../../../shared/errors';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { FEEDBACK_SUBMITTED, type FeedbackSnapshot } from '../../../../shared/eventlog/events';
import { FeedbackSource } from '../entities/enums';
import { Feedback } from '../entities/feedback.entity';
import { readFeedbackToken, signFeedbackToken } from './feedback-token';
import { oneRow } from '../../../../shared/db/rows';

/** What a feedback submission carries, whoever submits it. */
export interface FeedbackFields {
  rating: number;
  comment?: string | null;
  tags?: string[] | null;
}

export interface HandoffParties {
  id: string;
  fromPartnerId: string | null;
  toPartnerId: string;
}

/** A partner may act on a handoff it sends or receives; internal callers on any. */
export const isParty = (identity: Identity, h: HandoffParties) =>
  isInternal(identity) || (!!identity.partnerId && (identity.partnerId === h.fromPartnerId || identity.partnerId === h.toPartnerId));

/** The projection's parties of a handoff, read inside the caller's transaction. */
export async function handoffParties(manager: Pick<EntityManager, 'query'>, handoffId: string): Promise<HandoffParties | null> {
  const rows: { id: string; from_partner_id: string | null; to_partner_id: string }[] = await manager.query(
    `SELECT id, from_partner_id, to_partner_id FROM scorecards.handoff_facts WHERE id = $1`,
    [handoffId],
  );
  return rows[0] ? { id: rows[0].id, fromPartnerId: rows[0].from_partner_id, toPartnerId: rows[0].to_partner_id } : null;
}

const normaliseTags = (tags: string[] | null | undefined) => [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))];

interface FeedbackRow {
  id: string;
  handoff_id: string;
  source: FeedbackSource;
  rating: number;
  comment: string | null;
  tags: string[];
  revision: number;
  submitted_by_partner_id: string | null;
  created_at: Date;
  updated_at: Date;
}

export const feedbackFromRow = (r: FeedbackRow): Feedback =>
  Object.assign(new Feedback(), {
    id: r.id,
    handoffId: r.handoff_id,
    source: r.source,
    rating: r.rating,
    comment: r.comment,
    tags: r.tags,
    revision: r.revision,
    submittedByPartnerId: r.submitted_by_partner_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

/**
 * Writes the one feedback of `source` on the handoff (insert, or update raising its
 * revision), its revision row and a FeedbackSubmitted event, all in `manager`'s transaction.
 */
export async function upsertFeedback(
  manager: EntityManager,
  handoff: HandoffParties,
  source: FeedbackSource,
  fields: FeedbackFields,
  actor: Identity | null,
): Promise<Feedback> {
  const tags = normaliseTags(fields.tags);
  const comment = fields.comment?.trim() || null;
  const submittedBy = source === FeedbackSource.CUSTOMER ? null : (actor?.partnerId ?? null);
  const rows: FeedbackRow[] = await manager.query(
    `INSERT INTO scorecards.feedback (id, handoff_id, source, rating, comment, tags, submitted_by_partner_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (handoff_id, source) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment, tags = EXCLUDED.tags,
       submitted_by_partner_id = EXCLUDED.submitted_by_partner_id, revision = scorecards.feedback.revision + 1, updated_at = now()
     RETURNING *`,
    [randomUUID(), handoff.id, source, fields.rating, comment, tags, submittedBy],
  );
  const row = oneRow(rows, 'INSERT INTO scorecards.feedback');
  await manager.query(
    `INSERT INTO scorecards.feedback_revisions (feedback_id, revision, rating, comment, tags, submitted_by_partner_id, submitted_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.id, row.revision, row.rating, row.comment, row.tags, row.submitted_by_partner_id, row.updated_at],
  );
  const snapshot: FeedbackSnapshot = {
    id: row.id,
    handoffId: row.handoff_id,
    source: row.source,
    rating: row.rating,
    comment: row.comment,
    tags: row.tags,
    revision: row.revision,
    submittedByPartnerId: row.submitted_by_partner_id,
    submittedAt: row.updated_at.toISOString(),
  };
  await appendEvent(manager, {
    type: FEEDBACK_SUBMITTED,
    source: 'scorecards',
    aggregateType: 'Handoff',
    aggregateId: handoff.id,
    payload: { feedback: snapshot },
    visibleTo: [handoff.fromPartnerId, handoff.toPartnerId].filter((p): p is string => !!p),
    actor: actor ?? { role: 'SERVICE', scopes: ['customer-feedback'] },
  });
  return feedbackFromRow(row);
}

/** Feedback from an authenticated caller: INTERNAL from internal teams, PARTNER from the handoff's partners. */
export async function submitFeedbackAs(
  db: DataSource,
  identity: Identity,
  handoffId: string,
  source: FeedbackSource,
  fields: FeedbackFields,
): Promise<Feedback> {
  return db.transaction(async (manager) => {
    const handoff = await handoffParties(manager, handoffId);
    if (!handoff || !isParty(identity, handoff)) throw notFound('Handoff', handoffId);
    if (source === FeedbackSource.INTERNAL && !isInternal(identity))
      throw forbidden('Only internal teams can give INTERNAL feedback; a partner gives PARTNER feedback');
    if (source === FeedbackSource.PARTNER && isInternal(identity))
      throw forbidden('Internal teams give INTERNAL feedback; PARTNER feedback comes from the handoff’s partners');
    return upsertFeedback(manager, handoff, source, fields, identity);
  });
}

export const TOKEN_HOURS = { default: 168, max: 720 };

/** Issues a single-use link for the customer of a handoff (internal callers and the handoff's partners). */
export async function issueCustomerToken(db: DataSource, identity: Identity, handoffId: string, hours: number, secret: string, now = new Date()) {
  if (!Number.isInteger(hours) || hours < 1 || hours > TOKEN_HOURS.max) {
    throw badUserInput(`"expiresInHours" must be between 1 and ${TOKEN_HOURS.max}`, [
      { field: 'expiresInHours', message: `must be between 1 and ${TOKEN_HOURS.max}` },
    ]);
  }
  return db.transaction(async (manager) => {
    const handoff = await handoffParties(manager, handoffId);
    if (!handoff || !isParty(identity, handoff)) throw notFound('Handoff', handoffId);
    const expiresAt = new Date(now.getTime() + hours * 3600_000);
    expiresAt.setMilliseconds(0);
    const { token, tokenId } = signFeedbackToken(handoffId, expiresAt, secret);
    await manager.query(`INSERT INTO scorecards.customer_feedback_tokens (id, handoff_id, issued_by_partner_id, expires_at) VALUES ($1, $2, $3, $4)`, [
      tokenId,
      handoffId,
      identity.partnerId ?? null,
      expiresAt,
    ]);
    return { token, handoffId, expiresAt, path: `/feedback?token=${encodeURIComponent(token)}` };
  });
}

/** Why a customer token was refused; the HTTP endpoint maps these onto status codes. */
export const tokenInvalid = () => badUserInput('This feedback link is not valid', [{ field: 'token', message: 'not a feedback token this hub issued' }]);
export const tokenExpired = () => hubError('FORBIDDEN', 'This feedback link has expired; ask for a new one', { reason: 'TOKEN_EXPIRED' });
export const tokenRevoked = () => hubError('FORBIDDEN', 'This feedback link was withdrawn; ask for a new one', { reason: 'TOKEN_REVOKED' });
export const tokenUsed = () => conflict('Feedback was already given with this link', { reason: 'TOKEN_USED' });

/** Checks a customer token without using it (for the feedback page). */
export async function inspectCustomerToken(db: DataSource, token: string, secret: string, now = new Date()) {
  const claims = readFeedbackToken(token, secret);
  if (!claims) throw tokenInvalid();
  const rows: { used_at: Date | null; expires_at: Date; revoked_at: Date | null; moment: string | null }[] = await db.query(
    `SELECT t.used_at, t.expires_at, t.revoked_at, h.moment FROM scorecards.customer_feedback_tokens t
       LEFT JOIN scorecards.handoff_facts h ON h.id = t.handoff_id WHERE t.id = $1 AND t.handoff_id = $2`,
    [claims.tokenId, claims.handoffId],
  );
  if (!rows[0]) throw tokenInvalid();
  if (rows[0].revoked_at) throw tokenRevoked();
  if (rows[0].used_at) throw tokenUsed();
  if (rows[0].expires_at <= now || claims.expiresAt <= now) throw tokenExpired();
  return { handoffId: claims.handoffId, moment: rows[0].moment, expiresAt: rows[0].expires_at };
}

/** The customer's own feedback, authorised by a single-use token: using it and writing commit together. */
export async function submitCustomerFeedback(db: DataSource, token: string, fields: FeedbackFields, secret: string, now = new Date()): Promise<Feedback> {
  const claims = readFeedbackToken(token, secret);
  if (!claims) throw tokenInvalid();
  return db.transaction(async (manager) => {
    // Wrapped in a CTE: TypeORM answers a bare UPDATE … RETURNING with [rows, count].
    const used: unknown[] = await manager.query(
      `WITH used AS (
         UPDATE scorecards.customer_feedback_tokens SET used_at = $3
          WHERE id = $1 AND handoff_id = $2 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > $3 RETURNING id
       ) SELECT id FROM used`,
      [claims.tokenId, claims.handoffId, now],
    );
    if (used.length === 0 || claims.expiresAt <= now) {
      const [row]: { used_at: Date | null; revoked_at: Date | null }[] = await manager.query(
        `SELECT used_at, revoked_at FROM scorecards.customer_feedback_tokens WHERE id = $1`,
        [claims.tokenId],
      );
      if (!row) throw tokenInvalid();
      if (row.revoked_at) throw tokenRevoked();
      throw row.used_at ? tokenUsed() : tokenExpired();
    }
    const handoff = await handoffParties(manager, claims.handoffId);
    if (!handoff) throw notFound('Handoff', claims.handoffId);
    return upsertFeedback(manager, handoff, FeedbackSource.CUSTOMER, fields, null);
  });
}

/** Checks a rating, comment and tags from any submitter (the HTTP endpoint has no class-validator). */
export function validateFeedbackFields(fields: { rating?: unknown; comment?: unknown; tags?: unknown }, prefix = ''): FeedbackFields {
  const errors: { field: string; message: string }[] = [];
  const { rating, comment, tags } = fields;
  if (!Number.isInteger(rating) || (rating as number) < 1 || (rating as number) > 5)
    errors.push({ field: `${prefix}rating`, message: 'must be an integer from 1 to 5' });
  if (comment !== undefined && comment !== null && (typeof comment !== 'string' || comment.length > 2000))
    errors.push({ field: `${prefix}comment`, message: 'must be a string of at most 2000 characters' });
  if (tags !== undefined && tags !== null && (!Array.isArray(tags) || tags.length > 10 || tags.some((t) => typeof t !== 'string' || t.length > 60))) {
    errors.push({ field: `${prefix}tags`, message: 'must be at most 10 strings of at most 60 characters' });
  }
  if (errors.length) throw badUserInput(`Invalid feedback: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  return { rating: rating as number, comment: (comment as string | null | undefined) ?? null, tags: (tags as string[] | null | undefined) ?? [] };
}
