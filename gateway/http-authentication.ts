import type { IncomingMessage } from 'node:http';
import type { Identity } from '../shared/auth/identity';
import type { Authenticator } from './authenticator';

/**
 * Who sends a plain HTTP request (the CSV routes; not /graphql, whose plugin does the same
 * from the Fetch request): `Authorization: Bearer <api key or JWT>`, resolved by the
 * authenticator. Null when there is no credential or it is unknown, revoked or expired;
 * throws AuthUnavailableError when accounts or the JWT keys cannot be reached.
 *
 * The one place the CSV routes learn the caller, so that another way of signing in (a
 * session cookie) is added here and nowhere else.
 */
export async function authenticateHttpRequest(authenticator: Authenticator, req: IncomingMessage): Promise<Identity | null> {
  const authorization = req.headers.authorization;
  return authenticator.authenticate(typeof authorization === 'string' ? authorization : undefined);
}
