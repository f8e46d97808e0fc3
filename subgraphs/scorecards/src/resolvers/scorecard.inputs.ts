import { ArrayMaxSize } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { HandoffMoment, Region, ScorecardDimension, ScorecardPeriod, Segment } from '../entities/enums';

@InputType({ description: 'Which handoffs (by proposal date) and how to group them. Filters and group-bys combine freely.' })
export class ScorecardFilter {
  @Field(() => ScorecardPeriod, { defaultValue: ScorecardPeriod.QUARTER, description: 'The grain of the rows. Default: QUARTER.' })
  period!: ScorecardPeriod;

  @Field({
    nullable: true,
    description: 'Start of the range (the period containing it is included). Default: a few periods back (30 days, 12 weeks, 6 months, 4 quarters).',
  })
  from?: Date;

  @Field({ nullable: true, description: 'End of the range, exclusive. Default: now.' })
  to?: Date;

  @Field(() => [ID], { nullable: true, description: 'Receiving partners; a partner may only name itself.' })
  @ArrayMaxSize(200)
  partnerIds?: string[];

  @Field(() => [Segment], { nullable: true, description: 'Only customers of these segments. Default: all.' })
  segments?: Segment[];

  @Field(() => [Region], { nullable: true, description: 'Only customers of these regions. Default: all.' })
  regions?: Region[];

  @Field(() => [HandoffMoment], { nullable: true, description: 'Only these moments. Default: all.' })
  moments?: HandoffMoment[];

  @Field(() => [ScorecardDimension], {
    defaultValue: [ScorecardDimension.PARTNER, ScorecardDimension.MOMENT],
    description: 'The dimensions that make a group; [] gives one row per period. Default: [PARTNER, MOMENT].',
  })
  groupBy!: ScorecardDimension[];

  @Field({ defaultValue: true, description: 'Add a PERIOD_TOTAL row per period and one GRAND_TOTAL row.' })
  includeTotals!: boolean;

  @Field({
    defaultValue: false,
    description: 'One row per group for the whole range (its periods merged; medians and p90 stay exact) instead of one per period.',
  })
  collapsePeriods!: boolean;
}
