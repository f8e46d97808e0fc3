import { LRUCache } from 'lru-cache';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../shared/auth/identity';
import type { Logger } from '../shared/logger';

/** Options for {@link Authenticator}. */
export interface AuthenticatorOptions {
  /** The accounts subgraph's base URL (no /graphql). */
  accountsBaseUrl: string;
  identitySecret: string;
  /** How long a key's identity (or its absence) is remembered. 0 disables the cache. */
  cacheMs: number;
  log: Logger;
}

export class AuthUnavailableError extends Error {}

/**
 * Resolves API keys through the accounts subgraph, which owns the credentials. The gateway
 * never reads accounts' tables; it asks, and remembers the answer for a few seconds.
 */
export class Authenticator {
  private readonly cache: LRUCache<string, { identity: Identity | null }>;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.cache = new LRUCache({ max: 10_000, ttl: Math.max(opts.cacheMs, 1) });
  }

  /** The identity for an `Authorization` header value, null when the key is unknown or revoked. */
  async authenticate(authorization: string | null | undefined): Promise<Identity | null> {
    const key = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!key) return null;
    if (this.opts.cacheMs > 0) {
      const hit = this.cache.get(key);
      if (hit) return hit.identity;
    }
    const service = signIdentity({ role: 'SERVICE', scopes: ['auth'] }, this.opts.identitySecret);
    let res: Response;
    try {
      res = await fetch(`${this.opts.accountsBaseUrl}/internal/authenticate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: service },
        body: JSON.stringify({ apiKey: key }),
        signal: AbortSignal.timeout(5000),
      });
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message }, 'accounts unreachable for authentication');
      throw new AuthUnavailableError('authentication is unavailable');
    }
    if (res.status !== 200 && res.status !== 404) throw new AuthUnavailableError(`authentication answered ${res.status}`);
    const body = (await res.json()) as { identity: Identity | null };
    if (this.opts.cacheMs > 0) this.cache.set(key, { identity: body.identity });
    return body.identity;
  }

  /** Forgets every remembered key (after a revocation). */
  clear(): void {
    this.cache.clear();
  }
}
