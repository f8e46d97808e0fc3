import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { ScorecardsContext } from '../context';
import { GrossMargin, LifetimeValueRow, RetentionDimension, RevenueRetentionRow } from '../entities/retention.type';
import { queryLifetimeValue, setGrossMargin } from '../services/lifetime-value';
import { queryRevenueRetention } from '../services/retention';
import { GrossMarginInput, LifetimeValueFilter, RevenueRetentionFilter } from './retention.inputs';

@Resolver()
export class RetentionResolver {
  @Query(() => [RevenueRetentionRow], {
    description:
      'Gross and net revenue retention (GRR, NRR) from the customers’ ARR history and renewal outcomes, attributed to the partner that held each customer longest in each period; one row per group and currency. A partner sees its own rows; internal teams see all.',
  })
  revenueRetention(
    @Arg('filter', () => RevenueRetentionFilter, {
      defaultValue: {},
      description: 'Which customers and which range; default: the last four quarters, everyone the caller may see.',
    })
    filter: RevenueRetentionFilter,
    @Arg('groupBy', () => [RetentionDimension], {
      defaultValue: [RetentionDimension.PARTNER, RetentionDimension.PERIOD],
      description:
        'The dimensions that make a group (rows are always split by currency); [] gives one row per currency for the whole range. Default: [PARTNER, PERIOD].',
    })
    groupBy: RetentionDimension[],
    @Ctx() ctx: ScorecardsContext,
  ): Promise<RevenueRetentionRow[]> {
    return queryRevenueRetention(ctx.db, ctx.identity, {
      partnerId: filter.partnerId ?? null,
      segment: filter.segment ?? null,
      region: filter.region ?? null,
      cohort: filter.cohort ?? null,
      from: filter.period?.from ?? null,
      to: filter.period?.to ?? null,
      quarter: filter.quarter ?? null,
      groupBy: [...new Set(groupBy)],
    });
  }

  @Query(() => [LifetimeValueRow], {
    description:
      'Customer lifetime value per partner, segment and currency: average ARR × gross margin ÷ annual churn rate, with the sample it rests on; null with the reason below 10 customers or 3 renewal outcomes. A partner sees its own; internal teams all.',
  })
  customerLifetimeValue(
    @Arg('filter', () => LifetimeValueFilter, { defaultValue: {}, description: 'Which partner and segment; default: everyone the caller may see.' })
    filter: LifetimeValueFilter,
    @Ctx() ctx: ScorecardsContext,
  ): Promise<LifetimeValueRow[]> {
    return queryLifetimeValue(ctx.db, ctx.identity, { partnerId: filter.partnerId ?? null, segment: filter.segment ?? null });
  }

  @Mutation(() => GrossMargin, { description: 'Internal teams only: a new version of the gross margin lifetime values use (hub-wide, or for one segment).' })
  setGrossMargin(
    @Arg('input', () => GrossMarginInput, { description: 'The margin, and the segment it applies to.' }) input: GrossMarginInput,
    @Ctx() ctx: ScorecardsContext,
  ): Promise<GrossMargin> {
    return setGrossMargin(ctx.db, ctx.identity, { margin: input.margin, segment: input.segment ?? null });
  }
}
