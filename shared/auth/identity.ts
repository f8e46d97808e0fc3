import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Who is calling. The gateway authenticates the caller and forwards this, signed, to the
 * subgraphs in {@link IDENTITY_HEADER}; a subgraph trusts nothing else.
 */
export type Role = 'INTERNAL' | 'PARTNER' | 'SERVICE';

export interface Identity {
  /** The partner (or internal team) the caller acts for; absent for SERVICE callers. */
  partnerId?: string;
  role: Role;
  scopes: string[];
  /** The credential used, for audit (never the secret itself). */
  credentialId?: string;
  /**
   * The person acting, when the credential is bound to one (an API key created with a
   * `personId`): always a person of `partnerId`, ACTIVE when the gateway authenticated it.
   */
  personId?: string;
}

export const IDENTITY_HEADER = 'x-hub-identity';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const mac = (payload: string, secret: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/**
 * `HUB_IDENTITY_SECRET` may list several secrets, comma-separated, during a rotation: the
 * first signs, any of them verifies.
 */
const secretsOf = (secret: string) => secret.split(',');

/** Signs an identity for a short time (default 60 s): long enough for one request. */
export function signIdentity(identity: Identity, secret: string, ttlSeconds = 60, now = Date.now()): string {
  const payload = b64(JSON.stringify({ ...identity, exp: Math.floor(now / 1000) + ttlSeconds }));
  // split always returns at least one element.
  return `${payload}.${mac(payload, secretsOf(secret)[0]!)}`;
}

const signedWith = (payload: string, signature: string, secret: string) => {
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/** Returns the identity when the signature (by any of the secrets) is valid and unexpired, otherwise null. */
export function verifyIdentity(token: string | undefined | null, secret: string, now = Date.now()): Identity | null {
  if (!token) return null;
  const [payload, signature] = token.split('.');
  if (!payload || !signature) return null;
  if (!secretsOf(secret).some((s) => signedWith(payload, signature, s))) return null;
  try {
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Identity & { exp: number };
    if (typeof parsed.exp !== 'number' || parsed.exp * 1000 < now) return null;
    if (!['INTERNAL', 'PARTNER', 'SERVICE'].includes(parsed.role) || !Array.isArray(parsed.scopes)) return null;
    if (parsed.personId !== undefined && typeof parsed.personId !== 'string') return null;
    const { exp: _exp, ...identity } = parsed;
    return identity;
  } catch {
    return null;
  }
}

/** Internal teams and the hub's own services see every record. */
export const isInternal = (identity: Identity) => identity.role === 'INTERNAL' || identity.role === 'SERVICE';
