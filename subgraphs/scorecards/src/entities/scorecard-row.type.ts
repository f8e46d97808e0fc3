import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HandoffMoment, Region, ScorecardPeriod, Segment } from './enums';
import { PartnerRef } from './refs';
import { ScorecardValue } from './scorecard-value.type';

export enum ScorecardRowLevel {
  GROUP = 'GROUP',
  PERIOD_TOTAL = 'PERIOD_TOTAL',
  GRAND_TOTAL = 'GRAND_TOTAL',
}
registerEnumType(ScorecardRowLevel, {
  name: 'ScorecardRowLevel',
  description: 'GROUP: one combination of the grouped dimensions in one period; PERIOD_TOTAL: all groups of a period; GRAND_TOTAL: the whole range.',
  valuesConfig: {
    GROUP: { description: 'One combination of the grouped dimensions in one period.' },
    PERIOD_TOTAL: { description: 'All groups of one period together.' },
    GRAND_TOTAL: { description: 'Everything in the range together.' },
  },
});

@ObjectType({ description: 'A count and its share of the handoffs proposed (null when none were).' })
export class CountAndRate {
  @Field(() => Int, { description: 'How many handoffs.' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'count / proposed, from 0 to 1; null when none were proposed.' })
  rate!: number | null;
}

@ObjectType({ description: 'Durations in seconds; business time where an SLA clock measured the phase, wall time otherwise.' })
export class DurationStats {
  @Field(() => Int, { description: 'Handoffs that reached the end of the phase.' })
  samples!: number;

  @Field(() => Int, { description: 'Samples measured in business time by an SLA clock.' })
  businessTimeSamples!: number;

  @Field(() => Float, { nullable: true, description: 'Median duration in seconds; null without samples.' })
  medianSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: '90th percentile in seconds; null without samples.' })
  p90Seconds!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean duration in seconds; null without samples.' })
  meanSeconds!: number | null;
}

@ObjectType({ description: 'Conversion rates, each from 0 to 1; null when the denominator is 0.' })
export class ScorecardConversion {
  @Field(() => Float, { nullable: true, description: 'accepted / proposed' })
  acceptRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed / accepted' })
  completeRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed / proposed' })
  endToEndRate!: number | null;
}

@ObjectType({ description: 'How long each phase of the handoffs took.' })
export class ScorecardVelocity {
  @Field(() => DurationStats, { description: 'From proposal to acceptance.' })
  timeToAccept!: DurationStats;

  @Field(() => DurationStats, { description: 'From acceptance to completion.' })
  timeToComplete!: DurationStats;

  @Field(() => DurationStats, {
    description:
      'From the stage move that made a handoff due to its proposal, over the dues of the period that were proposed (business time where a PROPOSE clock measured it).',
  })
  timeToPropose!: DurationStats;
}

@ObjectType({
  description:
    'Handoffs that came due and were never proposed, each due counted once by how it stands now; the rate is over the dues of the period (`dues.cameDue`), not over handoffs proposed.',
})
export class NeverProposedLeakage {
  @Field(() => Int, { description: 'superseded + dismissed + breached.' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'count / dues that came due in the period, from 0 to 1; null when none came due.' })
  rate!: number | null;

  @Field(() => Int, { description: 'Closed by a later stage move of the customer before anyone proposed the handoff (a breach before that included).' })
  superseded!: number;

  @Field(() => Int, { description: 'Dismissed: the accountable party or an internal team said no handoff was needed (a breach before that included).' })
  dismissed!: number;

  @Field(() => Int, {
    description: 'Still open past a breach of their PROPOSE clock. A proposal made later takes the due out of this count and into `dues.proposedLate`.',
  })
  breached!: number;
}

@ObjectType({ description: 'Handoffs that came due in the period (a stage move matched a playbook trigger), by how they stand now.' })
export class ScorecardDues {
  @Field(() => Int, { description: 'Dues opened by stage moves in the period.' })
  cameDue!: number;

  @Field(() => Int, { description: 'Of those, how many were proposed (whenever).' })
  proposed!: number;

  @Field(() => Int, { description: 'Of those proposed, how many after their PROPOSE clock had breached.' })
  proposedLate!: number;

  @Field(() => Int, { description: 'Of those, how many are still open (breached or not).' })
  open!: number;
}

@ObjectType({ description: 'Handoffs that leaked: each as a count and a share of those proposed.' })
export class ScorecardLeakage {
  @Field(() => CountAndRate, { description: 'Rejected by the receiver.' })
  rejected!: CountAndRate;

  @Field(() => CountAndRate, { description: 'Closed by an SLA escalation.' })
  expired!: CountAndRate;

  @Field(() => CountAndRate, { description: 'Withdrawn by the sender.' })
  cancelled!: CountAndRate;

  @Field(() => CountAndRate, { description: 'Open now, not on hold, and past its SLA target (or the default) with no action since.' })
  stalled!: CountAndRate;

  @Field(() => CountAndRate, { description: 'All four together (handoffs proposed; dues never proposed are counted apart, in `neverProposed`).' })
  total!: CountAndRate;

  @Field(() => NeverProposedLeakage, {
    description: 'Handoffs that came due and were never proposed: superseded, dismissed, or open past a breached PROPOSE clock.',
  })
  neverProposed!: NeverProposedLeakage;
}

@ObjectType({ description: 'How the SLA clocks of these handoffs ended.' })
export class ScorecardSla {
  @Field(() => Int, { description: 'Handoffs with at least one SLA clock.' })
  handoffsUnderSla!: number;

  @Field(() => Int, { description: 'Clocks that stopped within target.' })
  met!: number;

  @Field(() => Int, { description: 'Clocks that passed their target.' })
  breached!: number;

  @Field(() => Float, { nullable: true, description: 'met / (met + breached)' })
  attainment!: number | null;
}

@ObjectType({ description: 'Ratings from one source: how many and their mean.' })
export class FeedbackAverage {
  @Field(() => Int, { description: 'Ratings given.' })
  count!: number;

  @Field(() => Float, { nullable: true, description: 'Their mean, from 1 to 5; null without ratings.' })
  averageRating!: number | null;
}

@ObjectType({ description: 'Feedback on these handoffs, by who gave it.' })
export class ScorecardFeedback {
  @Field(() => FeedbackAverage, { description: 'From customers, through their feedback links.' })
  customer!: FeedbackAverage;

  @Field(() => FeedbackAverage, { description: 'From internal teams.' })
  internal!: FeedbackAverage;

  @Field(() => FeedbackAverage, { description: 'From the handoffs’ partners.' })
  partner!: FeedbackAverage;

  @Field(() => Float, {
    nullable: true,
    description: 'Among handoffs with any feedback, the share where some feedback was tagged "had to repeat information".',
  })
  repeatedInformationRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of handoffs with feedback from all three sources.' })
  allSidesRate!: number | null;
}

@ObjectType({
  description: 'Figures for handoffs proposed in one period, and for handoffs that came due in it, for one combination of the grouped dimensions (null = all).',
})
export class ScorecardRow {
  @Field(() => ScorecardRowLevel, { description: 'Whether the row is one group, a period’s total or the grand total.' })
  level!: ScorecardRowLevel;

  @Field(() => ScorecardPeriod, { description: 'The period grain the rows were computed at.' })
  period!: ScorecardPeriod;

  @Field({ description: 'First instant of the period (UTC).' })
  periodStart!: Date;

  @Field({ description: 'End of the period, exclusive.' })
  periodEnd!: Date;

  @Field(() => ID, {
    nullable: true,
    description:
      'The receiving partner (for dues: the partner accountable for proposing). Null when rows are not grouped by partner, on total rows, and on the row of dues nobody was accountable for (customers held directly, no internal team named).',
  })
  partnerId!: string | null;

  @Field(() => PartnerRef, { nullable: true, description: 'The partner of `partnerId`; null whenever `partnerId` is.' })
  partner!: PartnerRef | null;

  @Field(() => Segment, { nullable: true, description: 'The customers’ segment; null when not grouped by segment, or on total rows.' })
  segment!: Segment | null;

  @Field(() => Region, { nullable: true, description: 'The customers’ region; null when not grouped by region, or on total rows.' })
  region!: Region | null;

  @Field(() => HandoffMoment, { nullable: true, description: 'The handoff moment; null when not grouped by moment, or on total rows.' })
  moment!: HandoffMoment | null;

  @Field(() => Int, { description: 'Handoffs proposed in the period.' })
  proposed!: number;

  @Field(() => Int, { description: 'Of those, how many were accepted (whenever).' })
  accepted!: number;

  @Field(() => Int, { description: 'Of those, how many were completed (whenever).' })
  completed!: number;

  @Field(() => ScorecardConversion, { description: 'Accept, complete and end-to-end rates.' })
  conversion!: ScorecardConversion;

  @Field(() => ScorecardVelocity, { description: 'How long proposal (from the stage move), acceptance and completion took.' })
  velocity!: ScorecardVelocity;

  @Field(() => ScorecardLeakage, { description: 'Handoffs rejected, expired, cancelled or stalled, and dues never proposed.' })
  leakage!: ScorecardLeakage;

  @Field(() => ScorecardDues, {
    description: 'Handoffs that came due in the period (by the stage move), scored against the partner accountable for proposing them.',
  })
  dues!: ScorecardDues;

  @Field(() => ScorecardSla, { description: 'How SLA clocks on these handoffs ended.' })
  sla!: ScorecardSla;

  @Field(() => ScorecardFeedback, { description: 'Ratings from customers, internal teams and partners.' })
  feedback!: ScorecardFeedback;

  @Field(() => Float, { nullable: true, description: 'Share of handoffs that ran under a published playbook.' })
  playbookCoverage!: number | null;

  @Field(() => Float, { nullable: true, description: 'Share of handoffs proposed with all required data.' })
  requiredDataCompleteness!: number | null;

  @Field(() => ScorecardValue, {
    description:
      'The same handoffs (and dues) in money, in the reporting currency: proposed, accepted and completed value, value-weighted conversion, value leaked by kind, revenue at risk, and what had no exchange rate.',
  })
  value?: ScorecardValue;
}
