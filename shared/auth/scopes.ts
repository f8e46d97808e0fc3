import { createMethodMiddlewareDecorator } from 'type-graphql';
import { hubError } from '../errors';
import type { Identity } from './identity';

/**
 * The scopes a credential can carry. A scope names what a caller may do; which records it
 * may do it to is decided separately (ownership, collaboration, internal role).
 *
 * | scope              | allows                                                             |
 * |--------------------|--------------------------------------------------------------------|
 * | `customers:read`   | customer, customers, customerByExternalId, customerUpdated         |
 * | `customers:write`  | createCustomer, updateCustomer, upsertCustomers                    |
 * | `handoffs:read`    | handoff(s), playbooks, inbox, handoff subscriptions                |
 * | `handoffs:write`   | proposeHandoff, acceptHandoff, rejectHandoff, completeHandoff, ... |
 * | `feedback:write`   | submitFeedback                                                     |
 * | `apikeys:manage`   | apiKeys, createApiKey, rotateApiKey, revokeApiKey (own partner)    |
 * | `admin`            | createPartner, other partners' keys, policy and playbook admin     |
 *
 * `me`, `partner` and `partners` (the directory) need no scope, only a credential.
 */
export const SCOPES = ['customers:read', 'customers:write', 'handoffs:read', 'handoffs:write', 'feedback:write', 'apikeys:manage', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export const isScope = (s: string): s is Scope => (SCOPES as readonly string[]).includes(s);

/** True when the identity carries every one of `scopes`. */
export const hasScopes = (identity: Pick<Identity, 'scopes'>, ...scopes: Scope[]) => scopes.every((s) => identity.scopes.includes(s));

/**
 * Throws FORBIDDEN unless the caller carries every scope. The error names the missing
 * scopes (they are public contract, not a secret) so a partner's developer can fix the key.
 */
export function requireScopes(ctx: { identity: Pick<Identity, 'scopes'> }, ...scopes: Scope[]): void {
  const missing = scopes.filter((s) => !ctx.identity.scopes.includes(s));
  if (missing.length > 0) {
    throw hubError('FORBIDDEN', `This operation needs the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the credential used does not carry it`, {
      requiredScopes: scopes,
      missingScopes: missing,
    });
  }
}

/**
 * Per operation and per field: `@RequireScopes('customers:write')` on a @Query, @Mutation
 * or @FieldResolver method refuses the call before the method runs. Subscriptions check
 * at subscribe time with {@link scopedTopics}; `__resolveReference` calls {@link requireScopes}.
 */
export const RequireScopes = (...scopes: Scope[]) =>
  createMethodMiddlewareDecorator<{ identity: Identity }>(async ({ context }, next) => {
    requireScopes(context, ...scopes);
    return next();
  });

/**
 * `topics` for a type-graphql @Subscription that refuses a subscriber without the scopes
 * when it subscribes (not at its first event).
 */
export const scopedTopics =
  (topics: string | string[], ...scopes: Scope[]) =>
  ({ context }: { context: { identity: Identity } }) => {
    requireScopes(context, ...scopes);
    return topics;
  };
