import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature';
export const TIMESTAMP_HEADER = 'x-hub-timestamp';

/** A new signing secret: `whsec_` + 32 random bytes, base64url. */
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

/** `v1=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the endpoint's secret. */
export function signDelivery(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * What a receiver does (and what the README shows): recompute, compare in constant time,
 * refuse stale timestamps so a captured request cannot be replayed later.
 */
export function verifyDelivery(secret: string, headers: { timestamp: string | undefined; signature: string | undefined }, body: string, toleranceSeconds = 300, now = Date.now()): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(now / 1000 - ts) > toleranceSeconds || !headers.signature) return false;
  const expected = Buffer.from(signDelivery(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
