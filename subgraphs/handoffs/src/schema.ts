import type { GraphQLSchema } from 'graphql';
import { buildHubSubgraphSchema } from '../../../shared/graphql/build-subgraph-schema';
import { assertId, isUuid } from '../../../shared/graphql/ids';
import type { HandoffsContext, HandoffsPubSub } from './context';
import { CustomerRef } from './entities/customer.stub';
import { PartnerRef } from './entities/partner.stub';
import { CustomerContributionResolver } from './resolvers/customer.resolver';
import { CustomerJourneyResolver } from './resolvers/customer-journey.resolver';
import { HandoffDueResolver, resolveHandoffDueReference } from './resolvers/handoff-due.resolver';
import { HandoffMutationResolver } from './resolvers/handoff-mutation.resolver';
import { HandoffSubscriptionResolver } from './resolvers/handoff-subscription.resolver';
import { HandoffResolver } from './resolvers/handoff.resolver';
import { JourneySummaryResolver } from './resolvers/journey-summary.resolver';
import { OwnershipChangeResolver } from './resolvers/ownership-change.resolver';
import { OwnershipGapResolver, StageLimitResolver } from './resolvers/ownership-gap.resolver';
import { PartnerContributionResolver } from './resolvers/partner.resolver';
import { PlaybookResolver } from './resolvers/playbook.resolver';
import { TaskResolver } from './resolvers/task.resolver';
import { RouteCandidateResolver, RoutingCandidateResolver, RoutingDecisionResolver, RoutingResolver } from './resolvers/routing.resolver';

export const handoffsResolvers = [
  HandoffResolver,
  HandoffMutationResolver,
  HandoffSubscriptionResolver,
  PlaybookResolver,
  CustomerContributionResolver,
  PartnerContributionResolver,
  OwnershipChangeResolver,
  RoutingResolver,
  RoutingDecisionResolver,
  RouteCandidateResolver,
  RoutingCandidateResolver,
  HandoffDueResolver,
  JourneySummaryResolver,
  OwnershipGapResolver,
  StageLimitResolver,
  TaskResolver,
  CustomerJourneyResolver,
] as const;

const id = (ref: { id: string }) => (isUuid(ref.id) ? assertId(ref.id, 'id') : null);

/**
 * `_entities` goes through the same per-request loaders and access rules as every query:
 * a batch of representations is one SQL statement, and what the caller may not see is null.
 */
export function buildHandoffsSchema(pubSub: HandoffsPubSub): Promise<GraphQLSchema> {
  return buildHubSubgraphSchema({
    resolvers: handoffsResolvers,
    orphanedTypes: [CustomerRef, PartnerRef],
    pubSub,
    referenceResolvers: {
      Handoff: {
        __resolveReference: (ref: { id: string }, ctx: HandoffsContext) => (id(ref) ? ctx.loaders.handoff.load(id(ref)!) : null),
      },
      Playbook: {
        __resolveReference: (ref: { id: string }, ctx: HandoffsContext) => (id(ref) ? ctx.loaders.playbook.load(id(ref)!) : null),
      },
      HandoffDue: { __resolveReference: resolveHandoffDueReference },
      Customer: {
        __resolveReference: async (ref: { id: string }, ctx: HandoffsContext) => {
          const customerId = id(ref);
          if (!customerId) return null;
          const view = await ctx.loaders.customer.load(customerId);
          return ctx.loaders.canSeeCustomer(view) ? Object.assign(new CustomerRef(), { id: customerId }) : null;
        },
      },
      // The partner directory is public to every caller; inbox checks its own access.
      Partner: {
        __resolveReference: (ref: { id: string }) => (id(ref) ? Object.assign(new PartnerRef(), { id: id(ref) }) : null),
      },
    },
  });
}
