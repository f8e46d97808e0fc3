import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, FieldResolver, Info, Resolver, Root } from 'type-graphql';
import type { ScorecardsContext } from '../context';
import { PartnerRef } from '../entities/refs';
import { ScorecardRow } from '../entities/scorecard-row.type';
import { ScorecardFilter } from './scorecard.inputs';
import { selectsField } from './selects-field';

@Resolver(() => PartnerRef)
export class PartnerScorecardResolver {
  @FieldResolver(() => [ScorecardRow], {
    nullable: true,
    description: 'This partner’s scorecard rows (filter.partnerIds is ignored). NOT_FOUND for another partner’s, unless the caller is internal.',
  })
  scorecard(
    @Root() partner: PartnerRef,
    @Ctx() ctx: ScorecardsContext,
    @Arg('filter', () => ScorecardFilter, { nullable: true, description: 'Period, range and grouping; its partnerIds are ignored (always this partner).' })
    filter: ScorecardFilter | undefined,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ScorecardRow[]> {
    const f = filter ?? { period: 'QUARTER', groupBy: ['MOMENT'], includeTotals: true };
    // Batched: a page of customers with their owners' scorecards is one query, not one per owner.
    return ctx.loaders.partnerScorecard.load({ partnerId: partner.id, filter: { ...(f as ScorecardFilter), withValue: selectsField(info, 'value') } });
  }
}
