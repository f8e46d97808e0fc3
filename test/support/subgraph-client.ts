import { IDENTITY_HEADER, signIdentity, type Identity } from '../../shared/auth/identity';
import type { GraphQLResponse } from './graphql-client';

/** The secret test hubs and subgraph servers are started with (the dev default). */
export const TEST_IDENTITY_SECRET = 'dev-only-identity-secret-change-me-in-production';

export const internalIdentity = (partnerId: string): Identity => ({
  partnerId,
  role: 'INTERNAL',
  scopes: ['customers:read', 'customers:write', 'handoffs:read', 'handoffs:write', 'feedback:write', 'admin'],
});
export const partnerIdentity = (partnerId: string): Identity => ({
  partnerId,
  role: 'PARTNER',
  scopes: ['customers:read', 'customers:write', 'handoffs:read', 'handoffs:write', 'feedback:write'],
});

/** Calls a subgraph directly, as the gateway would, with a signed identity (or none). */
export async function subgraphGql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  identity: Identity | null,
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(identity ? { [IDENTITY_HEADER]: signIdentity(identity, TEST_IDENTITY_SECRET) } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return { ...((await res.json()) as GraphQLResponse<T>), status: res.status };
}
