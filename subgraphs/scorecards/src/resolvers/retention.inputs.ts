import { Field, ID, InputType } from 'type-graphql';
import { DecimalScalar } from '../../../../shared/graphql/money';
import { Region, Segment } from '../entities/enums';

@InputType({ description: 'A range of instants (UTC): from inclusive, to exclusive.' })
export class RetentionPeriodInput {
  @Field({ description: 'Start of the range (inclusive).' })
  from!: Date;

  @Field({ description: 'End of the range (exclusive).' })
  to!: Date;
}

@InputType({ description: 'Which customers and periods revenue retention measures. Filters combine.' })
export class RevenueRetentionFilter {
  @Field(() => ID, { nullable: true, description: 'Only periods attributed to this partner; a partner may only name itself.' })
  partnerId?: string;

  @Field(() => Segment, { nullable: true, description: 'Only customers of this segment.' })
  segment?: Segment;

  @Field(() => Region, { nullable: true, description: 'Only customers of this region.' })
  region?: Region;

  @Field({ nullable: true, description: 'Only customers handed to their partner in this quarter, written YYYY-Qn ("2025-Q1").' })
  cohort?: string;

  @Field(() => RetentionPeriodInput, {
    nullable: true,
    description: 'The range measured. Default: from the start of the quarter three quarters back until now. Not with `quarter`.',
  })
  period?: RetentionPeriodInput;

  @Field({ nullable: true, description: 'The range is this quarter, written YYYY-Qn ("2025-Q1"). Not with `period`.' })
  quarter?: string;
}

@InputType({ description: 'Which lifetime values to compute.' })
export class LifetimeValueFilter {
  @Field(() => ID, { nullable: true, description: 'Only this partner; a partner may only name itself (and always gets only its own).' })
  partnerId?: string;

  @Field(() => Segment, { nullable: true, description: 'Only customers of this segment.' })
  segment?: Segment;
}

@InputType({ description: 'A new version of the gross margin lifetime values use.' })
export class GrossMarginInput {
  @Field(() => DecimalScalar, { description: 'A fraction of revenue above 0 and at most 1, with at most 6 decimals: "0.72" is 72 %.' })
  margin!: string;

  @Field(() => Segment, { nullable: true, description: 'The segment it applies to; omitted: every segment without a margin of its own.' })
  segment?: Segment;
}
