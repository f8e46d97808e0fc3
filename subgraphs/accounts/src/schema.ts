import type { GraphQLSchema } from 'graphql';
import { buildHubSubgraphSchema } from '../../../shared/graphql/build-subgraph-schema';
import { requireScopes } from '../../../shared/auth/scopes';
import { assertId, isUuid } from '../../../shared/graphql/ids';
import type { AccountsContext, AccountsPubSub } from './context';
import { ApiKeyResolver } from './resolvers/api-key.resolver';
import { CustomerSubscriptionResolver } from './resolvers/customer-subscription.resolver';
import { CustomerResolver } from './resolvers/customer.resolver';
import { PartnerResolver } from './resolvers/partner.resolver';
import { PartnerPeopleResolver, PersonResolver } from './resolvers/person.resolver';
import { ViewerResolver } from './resolvers/viewer.resolver';
import { ChangeFeedResolver } from './resolvers/change-feed.resolver';
import { OwnershipClaimResolver } from './resolvers/ownership-claim.resolver';
import { UpsertResolver } from './resolvers/upsert.resolver';
import { CommercialsRevisionResolver, CustomerRevenueResolver, ExchangeRatesResolver, RenewalOutcomeResolver } from './resolvers/revenue.resolver';
import { WebhookDeliveryResolver, WebhookResolver } from './resolvers/webhook.resolver';
import { NotificationResolver } from './resolvers/notification.resolver';

/** Partner data sync: bulk upsert, ownership claims, change feed, webhooks. */
const syncResolvers = [UpsertResolver, OwnershipClaimResolver, ChangeFeedResolver, WebhookResolver, WebhookDeliveryResolver] as const;

/** Money: commercials, renewal outcomes, exchange rates (docs/revenue.md). */
const revenueResolvers = [CustomerRevenueResolver, CommercialsRevisionResolver, RenewalOutcomeResolver, ExchangeRatesResolver] as const;

export const accountsResolvers = [
  CustomerResolver,
  CustomerSubscriptionResolver,
  PartnerResolver,
  ViewerResolver,
  ApiKeyResolver,
  PersonResolver,
  PartnerPeopleResolver,
  ...syncResolvers,
  ...revenueResolvers,
  NotificationResolver,
] as const;

/**
 * `_entities` goes through the same per-request loaders as every query, so a batch of
 * representations is one SQL statement and a partner gets null for what it may not see.
 */
export function buildAccountsSchema(pubSub: AccountsPubSub): Promise<GraphQLSchema> {
  return buildHubSubgraphSchema({
    resolvers: accountsResolvers,
    pubSub,
    referenceResolvers: {
      Customer: {
        __resolveReference: (ref: { id: string }, ctx: AccountsContext) => {
          requireScopes(ctx, 'customers:read');
          return isUuid(ref.id) ? ctx.loaders.visibleCustomer.load(assertId(ref.id, 'id')) : null;
        },
      },
      Person: {
        __resolveReference: (ref: { id: string }, ctx: AccountsContext) => (isUuid(ref.id) ? ctx.loaders.visiblePerson.load(assertId(ref.id, 'id')) : null),
      },
      Partner: {
        __resolveReference: (ref: { id: string }, ctx: AccountsContext) => (isUuid(ref.id) ? ctx.loaders.partner.load(assertId(ref.id, 'id')) : null),
      },
    },
  });
}
