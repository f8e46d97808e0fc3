import type { GraphQLSchema } from 'graphql';
import { buildHubSubgraphSchema } from '../../../shared/graphql/build-subgraph-schema';
import { isUuid } from '../../../shared/graphql/ids';
import type { ScorecardsContext } from './context';
import { FeedbackResolver } from './resolvers/feedback.resolver';
import { HandoffFeedbackResolver } from './resolvers/handoff-feedback.resolver';
import { PartnerScorecardResolver } from './resolvers/partner-scorecard.resolver';
import { RetentionResolver } from './resolvers/retention.resolver';
import { ScorecardResolver } from './resolvers/scorecard.resolver';

export const scorecardsResolvers = [ScorecardResolver, PartnerScorecardResolver, FeedbackResolver, HandoffFeedbackResolver, RetentionResolver] as const;

/**
 * Partners are directory data (every caller may know one exists); what scorecards adds to
 * them checks access in its own resolver. A handoff resolves only for its partners and
 * internal callers, through the same per-request loader as everything else.
 */
export function buildScorecardsSchema(): Promise<GraphQLSchema> {
  return buildHubSubgraphSchema({
    resolvers: scorecardsResolvers,
    referenceResolvers: {
      Partner: {
        __resolveReference: (ref: { id: string }) => (isUuid(ref.id) ? { id: ref.id.toLowerCase() } : null),
      },
      Handoff: {
        __resolveReference: async (ref: { id: string }, ctx: ScorecardsContext) => {
          if (!isUuid(ref.id)) return null;
          const h = await ctx.loaders.visibleHandoff.load(ref.id.toLowerCase());
          return h ? { id: h.id } : null;
        },
      },
    },
  });
}
