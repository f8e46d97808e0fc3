import { readCustomerLinkToken, signCustomerLinkToken, type CustomerLinkClaims } from '../../../../shared/auth/customer-link-token';

/**
 * A customer's feedback link: the format (shared/auth/customer-link-token.ts) is shared with
 * handoffs' customer journey links, which double as the customer's feedback link once
 * scorecards has recorded them (consumers/customer-journey-links.consumer.ts). The row in
 * customer_feedback_tokens makes either single-use for feedback.
 */
export type FeedbackTokenClaims = CustomerLinkClaims;

export function signFeedbackToken(handoffId: string, expiresAt: Date, secret: string, tokenId?: string): { token: string; tokenId: string } {
  return signCustomerLinkToken(handoffId, expiresAt, secret, { tokenId });
}

/** The claims of a token this hub signed (expired or not), or null when it is not one. */
export const readFeedbackToken = (token: string | null | undefined, secret: string): FeedbackTokenClaims | null => readCustomerLinkToken(token, secret);
