import type { Express } from 'express';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { IDENTITY_HEADER, verifyIdentity } from '../../../../shared/auth/identity';
import { withTenant } from '../../../../shared/db/tenant-context';
import type { Logger } from '../../../../shared/logger';
import { customerJourneyView } from './customer-journey-view.service';

/** Where the gateway forwards the customer journey page's calls (its /journey/api). */
export const CUSTOMER_JOURNEY_PATH = '/public/customer-journey';
/** The scope the gateway's signed SERVICE identity carries on those calls. */
export const CUSTOMER_JOURNEY_SCOPE = 'customer-journey';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, FORBIDDEN: 410 };

/**
 * The customer has no account: the journey link's token is the credential. The route still
 * answers only the gateway (a signed SERVICE identity with the customer-journey scope), like
 * scorecards' customer feedback route.
 *   GET ?token=… → 200 { journey } (services/customer-journey-view.service.ts)
 * Errors: 400 not a valid link, 410 expired or no longer active; never any data.
 */
export function mountCustomerJourneyRoutes(app: Express, db: DataSource, identitySecret: string, log: Logger): void {
  app.get(CUSTOMER_JOURNEY_PATH, async (req, res) => {
    const caller = verifyIdentity(req.header(IDENTITY_HEADER), identitySecret);
    if (caller?.role !== 'SERVICE' || !caller.scopes.includes(CUSTOMER_JOURNEY_SCOPE)) {
      return void res.status(401).json({ error: { message: 'gateway identity required', code: 'UNAUTHENTICATED' } });
    }
    res.setHeader('cache-control', 'no-store');
    try {
      const journey = await withTenant(caller, () => customerJourneyView(db, String(req.query.token ?? ''), identitySecret));
      res.json({ journey });
    } catch (err) {
      const status = err instanceof GraphQLError && typeof err.extensions.code === 'string' ? STATUS[err.extensions.code] : undefined;
      if (err instanceof GraphQLError && status) {
        return void res.status(status).json({ error: { message: err.message, code: err.extensions.code, reason: err.extensions.reason ?? null } });
      }
      log.error({ err: (err as Error).message }, 'customer journey failed');
      res.status(500).json({ error: { message: 'Something went wrong; please try again', code: 'INTERNAL_SERVER_ERROR' } });
    }
  });
}
