import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ScorecardsContext } from '../context';
import { PartnerRef } from '../entities/refs';
import { ScorecardRow } from '../entities/scorecard-row.type';
import { queryScorecard } from '../services/scorecard-query';
import { ScorecardFilter } from './scorecard.inputs';

@Resolver(() => PartnerRef)
export class PartnerScorecardResolver {
  @FieldResolver(() => [ScorecardRow], {
    nullable: true,
    description: 'This partner’s scorecard rows (filter.partnerIds is ignored). NOT_FOUND for another partner’s, unless the caller is internal.',
  })
  scorecard(@Root() partner: PartnerRef, @Ctx() ctx: ScorecardsContext, @Arg('filter', () => ScorecardFilter, { nullable: true }) filter?: ScorecardFilter): Promise<ScorecardRow[]> {
    const f = filter ?? { period: 'QUARTER', groupBy: ['MOMENT'], includeTotals: true };
    return queryScorecard(ctx.db, ctx.identity, { ...(f as ScorecardFilter), partnerIds: [partner.id] });
  }
}
