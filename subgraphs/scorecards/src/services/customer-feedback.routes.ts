import express, { type Express, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { IDENTITY_HEADER, verifyIdentity } from '../../../../shared/auth/identity';
import type { Logger } from '../../../../shared/logger';
import { inspectCustomerToken, submitCustomerFeedback, validateFeedbackFields } from './feedback.service';

/** Where the gateway forwards the customer feedback page's calls (see gateway's /feedback/api). */
export const CUSTOMER_FEEDBACK_PATH = '/public/customer-feedback';
/** The scope the gateway's signed SERVICE identity carries on those calls. */
export const CUSTOMER_FEEDBACK_SCOPE = 'customer-feedback';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409, FORBIDDEN: 410 };

function fail(res: Response, err: unknown, log: Logger) {
  const status = err instanceof GraphQLError && typeof err.extensions.code === 'string' ? STATUS[err.extensions.code] : undefined;
  if (err instanceof GraphQLError && status) {
    return void res.status(status).json({ error: { message: err.message, ...err.extensions } });
  }
  log.error({ err: (err as Error).message }, 'customer feedback failed');
  res.status(500).json({ error: { message: 'Something went wrong; please try again', code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * The customer has no account: the single-use token is the credential. These routes still
 * answer only the gateway (a signed SERVICE identity with the customer-feedback scope), so
 * the subgraph keeps refusing anything that did not come through it.
 *   GET  ?token=…                       → { handoffId, moment, expiresAt } (the token is not used)
 *   POST { token, rating, comment, tags } → 201 { feedback: { id, rating, revision } } (the token is used)
 * Errors: 400 invalid token or fields, 409 link already used, 410 link expired.
 */
export function mountCustomerFeedbackRoutes(app: Express, db: DataSource, identitySecret: string, log: Logger): void {
  const fromGateway = (header: string | undefined) => {
    const caller = verifyIdentity(header, identitySecret);
    return caller?.role === 'SERVICE' && caller.scopes.includes(CUSTOMER_FEEDBACK_SCOPE);
  };
  app.get(CUSTOMER_FEEDBACK_PATH, async (req, res) => {
    if (!fromGateway(req.header(IDENTITY_HEADER)))
      return void res.status(401).json({ error: { message: 'gateway identity required', code: 'UNAUTHENTICATED' } });
    try {
      res.json(await inspectCustomerToken(db, String(req.query.token ?? ''), identitySecret));
    } catch (err) {
      fail(res, err, log);
    }
  });
  app.post(CUSTOMER_FEEDBACK_PATH, express.json({ limit: '16kb' }), async (req, res) => {
    if (!fromGateway(req.header(IDENTITY_HEADER)))
      return void res.status(401).json({ error: { message: 'gateway identity required', code: 'UNAUTHENTICATED' } });
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const fields = validateFeedbackFields(body);
      const feedback = await submitCustomerFeedback(db, String(body.token ?? ''), fields, identitySecret);
      res.status(201).json({ feedback: { id: feedback.id, handoffId: feedback.handoffId, rating: feedback.rating, revision: feedback.revision } });
    } catch (err) {
      fail(res, err, log);
    }
  });
}
