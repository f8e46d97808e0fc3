import { LRUCache } from 'lru-cache';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../shared/auth/identity';
import type { JwtConfig } from '../shared/config';
import type { Logger } from '../shared/logger';
import { JwtVerifier, looksLikeJwt } from './jwt';

/** Options for {@link Authenticator}. */
export interface AuthenticatorOptions {
  /** The accounts subgraph's base URL (no /graphql). */
  accountsBaseUrl: string;
  identitySecret: string;
  /** How long a key's identity (or its absence) is remembered. 0 disables the cache. */
  cacheMs: number;
  log: Logger;
  /** Accept partner JWTs as well as API keys. */
  jwt?: JwtConfig;
}

export class AuthUnavailableError extends Error {}

/** What accounts says about a partner a JWT names. */
interface PartnerStanding {
  status: string;
  kind: string;
}

/** Who a credential is, and until when (JWTs expire; API keys last until revoked). */
export interface Authenticated {
  identity: Identity;
  expiresAt?: number;
}

/**
 * Resolves API keys through the accounts subgraph, which owns the credentials, and verifies
 * JWTs locally. The gateway never reads accounts' tables; it asks, and remembers the answer
 * for a few seconds, forgetting a key the moment accounts announces its revocation.
 */
export class Authenticator {
  private readonly cache: LRUCache<string, { identity: Identity | null }>;
  /** Session secrets (sign-in cookies), cached like keys: the answer includes when the session ends. */
  private readonly sessions: LRUCache<string, { found: Authenticated | null }>;
  private readonly partners: LRUCache<string, { standing: PartnerStanding | null }>;
  private readonly jwt: JwtVerifier | undefined;

  constructor(private readonly opts: AuthenticatorOptions) {
    this.cache = new LRUCache({ max: 10_000, ttl: Math.max(opts.cacheMs, 1) });
    this.sessions = new LRUCache({ max: 10_000, ttl: Math.max(opts.cacheMs, 1) });
    this.partners = new LRUCache({ max: 10_000, ttl: Math.max(opts.cacheMs, 1) });
    this.jwt = opts.jwt ? new JwtVerifier(opts.jwt) : undefined;
  }

  /** The identity for an `Authorization` header value, null when the key is unknown or revoked. */
  async authenticate(authorization: string | null | undefined): Promise<Identity | null> {
    return (await this.resolve(authorization))?.identity ?? null;
  }

  /** Like {@link authenticate}, with the credential's expiry. */
  async resolve(authorization: string | null | undefined): Promise<Authenticated | null> {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!token) return null;
    if (looksLikeJwt(token)) {
      if (!this.jwt) return null;
      let verified: Authenticated | null;
      try {
        verified = await this.jwt.verify(token);
      } catch (err) {
        this.opts.log.error({ err: (err as Error).message }, 'JWT keys unavailable');
        throw new AuthUnavailableError('authentication is unavailable');
      }
      return verified && (await this.trustsPartner(verified.identity)) ? verified : null;
    }
    const identity = await this.apiKey(token);
    return identity ? { identity } : null;
  }

  private async apiKey(key: string): Promise<Identity | null> {
    if (this.opts.cacheMs > 0) {
      const hit = this.cache.get(key);
      if (hit) return hit.identity;
    }
    const identity = await this.askAccounts<Identity>('/internal/authenticate', { apiKey: key }, 'identity');
    if (this.opts.cacheMs > 0) this.cache.set(key, { identity });
    return identity;
  }

  /**
   * The identity behind a sign-in session's secret (the cookie), with when the session ends;
   * null when accounts knows no live session for it. Remembered like an API key, and forgotten
   * the moment accounts announces the session's revocation.
   */
  async session(token: string): Promise<Authenticated | null> {
    if (this.opts.cacheMs > 0) {
      const hit = this.sessions.get(token);
      if (hit) return hit.found && hit.found.expiresAt! > Date.now() ? hit.found : null;
    }
    const answer = await this.askAccountsFor<{ identity: Identity | null; expiresAt: string | null }>('/internal/authenticate-session', {
      sessionToken: token,
    });
    const found = answer.identity && answer.expiresAt ? { identity: answer.identity, expiresAt: Date.parse(answer.expiresAt) } : null;
    if (this.opts.cacheMs > 0) this.sessions.set(token, { found });
    return found;
  }

  /** Asks accounts (as the SERVICE identity) to start a session or end one; the whole answer and its status. */
  async sessionRequest<T>(path: '/internal/sessions' | '/internal/sessions/revoke', body: Record<string, string>): Promise<{ status: number; body: T }> {
    const res = await this.post(path, body, [200, 404, 409]);
    return { status: res.status, body: res.body as T };
  }

  /** One question to accounts as the SERVICE identity: the answer's `field`, null on 404. */
  private async askAccounts<T>(path: string, body: Record<string, string>, field: string): Promise<T | null> {
    return ((await this.askAccountsFor<Record<string, T | null>>(path, body))[field] ?? null) as T | null;
  }

  private async askAccountsFor<T>(path: string, body: Record<string, string>): Promise<T> {
    return (await this.post(path, body, [200, 404])).body as T;
  }

  private async post(path: string, body: Record<string, string>, expected: number[]): Promise<{ status: number; body: unknown }> {
    const service = signIdentity({ role: 'SERVICE', scopes: ['auth'] }, this.opts.identitySecret);
    try {
      const res = await fetch(`${this.opts.accountsBaseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: service },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      if (!expected.includes(res.status)) throw new Error(`accounts answered ${res.status}`);
      // Read the body inside the try: the timeout signal also covers it.
      return { status: res.status, body: (await res.json()) as unknown };
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message, path }, 'accounts unreachable for authentication');
      throw new AuthUnavailableError('authentication is unavailable');
    }
  }

  /**
   * A JWT's signature proves the issuer said it, not that the partner it names exists, is
   * still active, or is an internal team when the token claims the internal role: accounts
   * knows, as it does for API keys (cached the same way).
   */
  private async trustsPartner(identity: Identity): Promise<boolean> {
    const partnerId = identity.partnerId!;
    const cached = this.opts.cacheMs > 0 ? this.partners.get(partnerId) : undefined;
    const standing = cached ?? { standing: await this.askAccounts<PartnerStanding>('/internal/partner-standing', { partnerId }, 'partner') };
    if (!cached && this.opts.cacheMs > 0) this.partners.set(partnerId, standing);
    const partner = standing.standing;
    if (!partner || partner.status !== 'ACTIVE') return false;
    return identity.role !== 'INTERNAL' || partner.kind === 'INTERNAL_TEAM';
  }

  /** Forgets every remembered key of one credential (it was revoked). */
  forgetCredential(credentialId: string): void {
    for (const [key, entry] of this.cache.entries()) {
      if (entry.identity?.credentialId === credentialId) this.cache.delete(key);
    }
    for (const [key, entry] of this.sessions.entries()) {
      if (entry.found?.identity.credentialId === credentialId) this.sessions.delete(key);
    }
  }

  /** Forgets every remembered key (after a revocation may have been missed). */
  clear(): void {
    this.cache.clear();
    this.sessions.clear();
    this.partners.clear();
  }
}
