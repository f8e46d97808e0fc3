import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import type { ScorecardsContext } from '../context';
import { MaturityAssessment } from '../entities/maturity.type';
import { ScorecardRow } from '../entities/scorecard-row.type';
import { assessMaturity } from '../services/maturity';
import { queryScorecard } from '../services/scorecard-query';
import { ScorecardFilter } from './scorecard.inputs';
import { selectsField } from './selects-field';

@Resolver()
export class ScorecardResolver {
  @Query(() => [ScorecardRow], {
    description:
      'Conversion, velocity, leakage, SLA attainment, feedback and value of handoffs by proposal period, grouped as asked. A partner sees its own rows; internal teams see all.',
  })
  scorecard(
    @Arg('filter', () => ScorecardFilter, { description: 'Which handoffs to measure (by proposal date), and how to group them.' }) filter: ScorecardFilter,
    @Ctx() ctx: ScorecardsContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ScorecardRow[]> {
    return queryScorecard(ctx.db, ctx.identity, { ...filter, withValue: selectsField(info, 'value') });
  }

  @Query(() => MaturityAssessment, { description: 'The five maturity dimensions of a partner, each with the evidence that decided its stage.' })
  maturity(
    @Arg('partnerId', () => ID, {
      description: 'The partner to assess; a partner may only ask for itself (another partner’s is NOT_FOUND), internal teams for anyone.',
    })
    partnerId: string,
    @Ctx() ctx: ScorecardsContext,
  ): Promise<MaturityAssessment> {
    const id = assertId(partnerId, 'partnerId');
    if (!isInternal(ctx.identity) && ctx.identity.partnerId !== id) throw notFound('Maturity assessment of partner', id);
    return assessMaturity(ctx.db, id);
  }
}
