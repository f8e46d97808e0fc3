import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * The links a customer (who has no account) opens carry `cft_<payload>.<mac>`: the payload
 * names the link (its id) and the handoff and says when it expires; the MAC makes it
 * unforgeable. The key is derived from the hub's identity secret (HUB_IDENTITY_SECRET,
 * shared/config.ts), so there is no new secret to manage, and follows its rotation: the
 * first secret signs, every listed one verifies.
 *
 * Two kinds share the format: scorecards' single-use feedback links, and handoffs'
 * customer journey links, whose payload adds `p: "journey"`. A journey link is also the
 * customer's feedback link for its handoff (scorecards learns of it from the
 * CustomerJourneyLinkIssued event), but a feedback link never opens a journey page.
 */
export interface CustomerLinkClaims {
  tokenId: string;
  handoffId: string;
  expiresAt: Date;
  /** "journey" for a customer journey link; null for a feedback-only link. */
  purpose: 'journey' | null;
}

const PREFIX = 'cft_';
const secretsOf = (secret: string) => secret.split(',');
const keyOf = (secret: string) => createHmac('sha256', secret).update('customer-feedback-token/v1').digest();
const mac = (payload: string, secret: string) => createHmac('sha256', keyOf(secret)).update(payload).digest('base64url');

/** Signs a link with the first secret; `purpose` "journey" marks a customer journey link. */
export function signCustomerLinkToken(
  handoffId: string,
  expiresAt: Date,
  secret: string,
  opts: { tokenId?: string; purpose?: 'journey' } = {},
): { token: string; tokenId: string } {
  const tokenId = opts.tokenId ?? randomUUID();
  const body: Record<string, string | number> = { t: tokenId, h: handoffId, e: Math.floor(expiresAt.getTime() / 1000) };
  if (opts.purpose) body.p = opts.purpose;
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  // split always returns at least one element.
  return { token: `${PREFIX}${payload}.${mac(payload, secretsOf(secret)[0]!)}`, tokenId };
}

const sameMac = (payload: string, signature: string, secret: string) => {
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
};

/**
 * The claims of a link this hub signed (expired or not), or null when it is not one. Any
 * listed secret verifies; so does the whole list as one string, which is how feedback links
 * were keyed before rotation was honoured, so links already sent keep working.
 */
export function readCustomerLinkToken(token: string | null | undefined, secret: string): CustomerLinkClaims | null {
  if (!token?.startsWith(PREFIX)) return null;
  const [payload, signature, extra] = token.slice(PREFIX.length).split('.');
  if (!payload || !signature || extra !== undefined) return null;
  if (![...secretsOf(secret), secret].some((s) => sameMac(payload, signature, s))) return null;
  try {
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { t: unknown; h: unknown; e: unknown; p?: unknown };
    if (typeof p.t !== 'string' || typeof p.h !== 'string' || typeof p.e !== 'number') return null;
    if (p.p !== undefined && p.p !== 'journey') return null;
    return { tokenId: p.t, handoffId: p.h, expiresAt: new Date(p.e * 1000), purpose: p.p === 'journey' ? 'journey' : null };
  } catch {
    return null;
  }
}
