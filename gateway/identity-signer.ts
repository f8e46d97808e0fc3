import { LRUCache } from 'lru-cache';
import { signIdentity, type Identity } from '../shared/auth/identity';

/** Options for {@link IdentitySigner}. */
export interface IdentitySignerOptions {
  secret: string;
  /** Lifetime of a signature, in seconds (what the subgraphs accept). Default 60. */
  ttlSeconds?: number;
  /** A signature is handed out only while at least this many seconds of it remain. Default half the lifetime. */
  minRemainingSeconds?: number;
  /** Distinct identities remembered. Default 10,000. */
  max?: number;
  now?: () => number;
}

const keys = new WeakMap<Identity, string>();

/**
 * A key that is equal for equal identities, whatever the order of their properties.
 * Remembered per identity object (the authenticator hands out the same one while cached).
 */
export function identityKey(identity: Identity): string {
  let key = keys.get(identity);
  if (key === undefined) keys.set(identity, (key = JSON.stringify(identity, Object.keys(identity).sort())));
  return key;
}

/**
 * Signs the identities the gateway forwards (x-hub-identity, WebSocket connectionParams),
 * reusing one signature per identity while enough of its lifetime remains: an HMAC per
 * upstream call is measurable at the gateway's request rate, and equal connectionParams let
 * one caller's subscriptions share one upstream WebSocket instead of one socket each.
 */
export class IdentitySigner {
  private readonly cache: LRUCache<string, { token: string; expiresAt: number }>;
  private readonly ttl: number;
  private readonly minRemainingMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: IdentitySignerOptions) {
    this.ttl = opts.ttlSeconds ?? 60;
    this.minRemainingMs = (opts.minRemainingSeconds ?? this.ttl / 2) * 1000;
    this.now = opts.now ?? Date.now;
    this.cache = new LRUCache({ max: opts.max ?? 10_000 });
  }

  /** A signature of `identity` valid for at least `minRemainingSeconds`. */
  sign(identity: Identity): string {
    const key = identityKey(identity);
    const now = this.now();
    const hit = this.cache.get(key);
    if (hit && hit.expiresAt - now >= this.minRemainingMs) return hit.token;
    const token = signIdentity(identity, this.opts.secret, this.ttl, now);
    // signIdentity rounds the expiry down to the second.
    this.cache.set(key, { token, expiresAt: (Math.floor(now / 1000) + this.ttl) * 1000 });
    return token;
  }
}
