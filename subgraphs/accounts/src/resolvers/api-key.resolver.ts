import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { AFTER_DESCRIPTION, ConnectionType, FIRST_DESCRIPTION, type Connection } from '../../../../shared/graphql/pagination';
import type { AccountsContext } from '../context';
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from '../services/api-key-admin.service';
import { ApiKeyView, CreateApiKeyInput, CreatedApiKey } from './api-key.types';

export const ApiKeyConnection = ConnectionType(ApiKeyView, 'ApiKey');

/**
 * Self-service credentials: a partner manages its own keys (scope apikeys:manage); an
 * internal team with the admin scope manages anyone's. Another partner's key is NOT_FOUND.
 */
@Resolver(() => ApiKeyView)
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection, { description: "The caller's API keys (or, for internal admins, partnerId's), oldest first. Never the secrets." })
  @RequireScopes('apikeys:manage')
  apiKeys(
    @Ctx() ctx: AccountsContext,
    @Arg('partnerId', () => ID, {
      nullable: true,
      description: 'Whose keys to list; only an internal team with the admin scope may name another partner (NOT_FOUND otherwise). Default: the caller.',
    })
    partnerId?: string,
    @Arg('includeRevoked', () => Boolean, { nullable: true, defaultValue: false, description: 'Also list revoked keys (rotated ones included).' })
    includeRevoked?: boolean,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<ApiKeyView>> {
    return listApiKeys(ctx.db, ctx.identity, { partnerId, includeRevoked, first, after });
  }

  @Mutation(() => CreatedApiKey, { description: 'The secret is in the answer only: store it now.' })
  @RequireScopes('apikeys:manage')
  createApiKey(
    @Arg('input', () => CreateApiKeyInput, { description: 'The key’s label, scopes and owner.' }) input: CreateApiKeyInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<CreatedApiKey> {
    return createApiKey(ctx.db, ctx.identity, input);
  }

  @Mutation(() => CreatedApiKey, { description: 'A new secret with the same label and scopes; the old key stops working at once, open WebSockets included.' })
  @RequireScopes('apikeys:manage')
  rotateApiKey(
    @Arg('id', () => ID, { description: 'The key to replace; a revoked key cannot be rotated (CONFLICT). Another partner’s key is NOT_FOUND.' }) id: string,
    @Ctx() ctx: AccountsContext,
  ): Promise<CreatedApiKey> {
    return rotateApiKey(ctx.db, ctx.identity, id);
  }

  @Mutation(() => ApiKeyView, { description: 'Stops the key at once on every gateway (open WebSockets close with 4403). Revoking twice changes nothing.' })
  @RequireScopes('apikeys:manage')
  revokeApiKey(
    @Arg('id', () => ID, { description: 'The key to revoke. Another partner’s key is NOT_FOUND.' }) id: string,
    @Ctx() ctx: AccountsContext,
  ): Promise<ApiKeyView> {
    return revokeApiKey(ctx.db, ctx.identity, id);
  }
}
