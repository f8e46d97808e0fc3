import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HandoffMoment, Region, ScorecardPeriod, Segment } from './enums';
import { PartnerRef } from './refs';

export enum ScorecardRowLevel {
  GROUP = 'GROUP',
  PERIOD_TOTAL = 'PERIOD_TOTAL',
  GRAND_TOTAL = 'GRAND_TOTAL',
}
registerEnumType(ScorecardRowLevel, {
  name: 'ScorecardRowLevel',
  description: 'GROUP: one combination of the grouped dimensions in one period; PERIOD_TOTAL: all groups of a period; GRAND_TOTAL: the whole range.',
});

@ObjectType({ description: 'A count and its share of the handoffs proposed (null when none were).' })
export class CountAndRate {
  @Field(() => Int)
  count!: number;

  @Field(() => Float, { nullable: true })
  rate!: number | null;
}

@ObjectType({ description: 'Durations in seconds; business time where an SLA clock measured the phase, wall time otherwise.' })
export class DurationStats {
  @Field(() => Int)
  samples!: number;

  @Field(() => Int, { description: 'Samples measured in business time by an SLA clock.' })
  businessTimeSamples!: number;

  @Field(() => Float, { nullable: true })
  medianSeconds!: number | null;

  @Field(() => Float, { nullable: true })
  p90Seconds!: number | null;

  @Field(() => Float, { nullable: true })
  meanSeconds!: number | null;
}

@ObjectType()
export class ScorecardConversion {
  @Field(() => Float, { nullable: true, description: 'accepted / proposed' })
  acceptRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed / accepted' })
  completeRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed / proposed' })
  endToEndRate!: number | null;
}

@ObjectType()
export class ScorecardVelocity {
  @Field(() => DurationStats, { description: 'From proposal to acceptance.' })
  timeToAccept!: DurationStats;

  @Field(() => DurationStats, { description: 'From acceptance to completion.' })
  timeToComplete!: DurationStats;
}

@ObjectType({ description: 'Handoffs that leaked: each as a count and a share of those proposed.' })
export class ScorecardLeakage {
  @Field(() => CountAndRate)
  rejected!: CountAndRate;

  @Field(() => CountAndRate)
  expired!: CountAndRate;

  @Field(() => CountAndRate)
  cancelled!: CountAndRate;

  @Field(() => CountAndRate, { description: 'Open now, not on hold, and past its SLA target (or the default) with no action since.' })
  stalled!: CountAndRate;

  @Field(() => CountAndRate, { description: 'All four together.' })
  total!: CountAndRate;
}

@ObjectType()
export class ScorecardSla {
  @Field(() => Int, { description: 'Handoffs with at least one SLA clock.' })
  handoffsUnderSla!: number;

  @Field(() => Int, { description: 'Clocks that stopped within target.' })
  met!: number;

  @Field(() => Int)
  breached!: number;

  @Field(() => Float, { nullable: true, description: 'met / (met + breached)' })
  attainment!: number | null;
}

@ObjectType()
export class FeedbackAverage {
  @Field(() => Int)
  count!: number;

  @Field(() => Float, { nullable: true })
  averageRating!: number | null;
}

@ObjectType()
export class ScorecardFeedback {
  @Field(() => FeedbackAverage)
  customer!: FeedbackAverage;

  @Field(() => FeedbackAverage)
  internal!: FeedbackAverage;

  @Field(() => FeedbackAverage)
  partner!: FeedbackAverage;

  @Field(() => Float, { nullable: true, description: 'Among handoffs with any feedback, the share where some feedback was tagged "had to repeat information".' })
  repeatedInformationRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of handoffs with feedback from all three sources.' })
  allSidesRate!: number | null;
}

@ObjectType({ description: 'Figures for handoffs proposed in one period, for one combination of the grouped dimensions (null = all).' })
export class ScorecardRow {
  @Field(() => ScorecardRowLevel)
  level!: ScorecardRowLevel;

  @Field(() => ScorecardPeriod)
  period!: ScorecardPeriod;

  @Field({ description: 'First instant of the period (UTC).' })
  periodStart!: Date;

  @Field({ description: 'End of the period, exclusive.' })
  periodEnd!: Date;

  @Field(() => ID, { nullable: true, description: 'The receiving partner.' })
  partnerId!: string | null;

  @Field(() => PartnerRef, { nullable: true })
  partner!: PartnerRef | null;

  @Field(() => Segment, { nullable: true })
  segment!: Segment | null;

  @Field(() => Region, { nullable: true })
  region!: Region | null;

  @Field(() => HandoffMoment, { nullable: true })
  moment!: HandoffMoment | null;

  @Field(() => Int)
  proposed!: number;

  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  completed!: number;

  @Field(() => ScorecardConversion)
  conversion!: ScorecardConversion;

  @Field(() => ScorecardVelocity)
  velocity!: ScorecardVelocity;

  @Field(() => ScorecardLeakage)
  leakage!: ScorecardLeakage;

  @Field(() => ScorecardSla)
  sla!: ScorecardSla;

  @Field(() => ScorecardFeedback)
  feedback!: ScorecardFeedback;

  @Field(() => Float, { nullable: true, description: 'Share of handoffs that ran under a published playbook.' })
  playbookCoverage!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of handoffs proposed with all required data.' })
  requiredDataCompleteness!: number | null;
}
