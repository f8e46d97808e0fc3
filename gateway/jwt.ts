import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type { Identity } from '../shared/auth/identity';
import { isScope } from '../shared/auth/scopes';
import type { JwtConfig } from '../shared/config';

/** A verified JWT's identity and when it stops being valid (WebSockets close then). */
export interface JwtIdentity {
  identity: Identity;
  expiresAt: number | undefined;
}

/** Looks like a compact JWS (header.payload.signature, header starting `{"`): API keys never do. */
export const looksLikeJwt = (token: string) => /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token);

const ROLES: Record<string, Identity['role']> = { partner: 'PARTNER', internal: 'INTERNAL' };

/**
 * Verifies partner JWTs issued by the hub's identity provider: signature (HS256 shared
 * secret, or the provider's JWKS for asymmetric keys), `iss`, `aud`, `exp`/`nbf` (30 s
 * leeway). The provider is trusted to assert the partner and role; scopes are limited to
 * the ones the hub defines, so an unknown scope grants nothing.
 */
export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly config: JwtConfig) {
    if (config.secret) {
      this.key = new TextEncoder().encode(config.secret);
      this.algorithms = ['HS256'];
    } else if (config.jwksUrl) {
      // Keys are cached and refetched on an unknown `kid` (rate-limited by jose's cooldown).
      this.key = createRemoteJWKSet(new URL(config.jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
      this.algorithms = ['RS256', 'PS256', 'ES256', 'EdDSA'];
    } else {
      throw new Error('JwtVerifier needs a secret or a JWKS URL');
    }
  }

  /** The identity a valid token asserts; null when the token is invalid, expired or incomplete. */
  async verify(token: string): Promise<JwtIdentity | null> {
    let payload: JWTPayload;
    try {
      const options = { issuer: this.config.issuer, audience: this.config.audience, algorithms: this.algorithms, clockTolerance: 30 };
      // Two calls only because jose's overloads tell a key from a key resolver by type.
      payload = (typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options)).payload;
    } catch (err) {
      // An unreachable JWKS is an outage, not a bad token: let the caller answer 503.
      if (err instanceof errors.JWKSTimeout || (err instanceof Error && !(err instanceof errors.JOSEError))) throw err;
      return null;
    }
    return identityFromClaims(payload, this.config);
  }
}

/** Maps claims to an identity; null when the partner or role is missing or malformed. */
export function identityFromClaims(payload: JWTPayload, config: Pick<JwtConfig, 'partnerClaim' | 'roleClaim' | 'scopeClaim'>): JwtIdentity | null {
  const partnerId = payload[config.partnerClaim];
  const role = ROLES[String(payload[config.roleClaim] ?? 'partner').toLowerCase()];
  if (typeof partnerId !== 'string' || !/^[0-9a-f-]{36}$/i.test(partnerId) || !role) return null;
  const raw = payload[config.scopeClaim] ?? payload.scp;
  const scopes = (typeof raw === 'string' ? raw.split(' ') : Array.isArray(raw) ? raw : []).filter((s): s is string => typeof s === 'string' && isScope(s));
  // `admin` means the hub's own administration: only an internal team may hold it.
  const allowed = role === 'INTERNAL' ? scopes : scopes.filter((s) => s !== 'admin');
  return {
    identity: { partnerId: partnerId.toLowerCase(), role, scopes: [...new Set(allowed)], credentialId: `jwt:${payload.jti ?? payload.sub ?? 'anonymous'}` },
    expiresAt: typeof payload.exp === 'number' ? payload.exp * 1000 : undefined,
  };
}
