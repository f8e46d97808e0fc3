import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * A customer's feedback link carries `cft_<payload>.<mac>`: the payload names the token row
 * and the handoff and says when it expires; the MAC (a key derived from the hub's identity
 * secret, so no new secret to manage) makes it unforgeable. The row in
 * customer_feedback_tokens makes it single-use.
 */
export interface FeedbackTokenClaims {
  tokenId: string;
  handoffId: string;
  expiresAt: Date;
}

const PREFIX = 'cft_';
const keyOf = (secret: string) => createHmac('sha256', secret).update('customer-feedback-token/v1').digest();
const mac = (payload: string, secret: string) => createHmac('sha256', keyOf(secret)).update(payload).digest('base64url');

export function signFeedbackToken(handoffId: string, expiresAt: Date, secret: string, tokenId = randomUUID()): { token: string; tokenId: string } {
  const payload = Buffer.from(JSON.stringify({ t: tokenId, h: handoffId, e: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
  return { token: `${PREFIX}${payload}.${mac(payload, secret)}`, tokenId };
}

/** The claims of a token this hub signed (expired or not), or null when it is not one. */
export function readFeedbackToken(token: string | null | undefined, secret: string): FeedbackTokenClaims | null {
  if (!token?.startsWith(PREFIX)) return null;
  const [payload, signature] = token.slice(PREFIX.length).split('.');
  if (!payload || !signature) return null;
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    const p = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { t: string; h: string; e: number };
    if (typeof p.t !== 'string' || typeof p.h !== 'string' || typeof p.e !== 'number') return null;
    return { tokenId: p.t, handoffId: p.h, expiresAt: new Date(p.e * 1000) };
  } catch {
    return null;
  }
}
