import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { MaturityDimensionName } from './enums';
import { PartnerRef } from './refs';

@ObjectType({ description: 'One measured figure and the thresholds it was held against.' })
export class MaturityEvidence {
  @Field({ description: 'e.g. "share of handoffs under a published playbook".' })
  metric!: string;

  @Field(() => Float, { nullable: true, description: 'null when there was nothing to measure.' })
  value!: number | null;

  @Field(() => Int, { description: 'How many handoffs (or ratings) the value is computed from.' })
  sampleSize!: number;

  @Field({ description: 'AT_LEAST: higher is better; AT_MOST: lower is better.' })
  comparison!: 'AT_LEAST' | 'AT_MOST';

  @Field(() => Float, { description: 'The value that reaches stage 2 (at least, or at most, as `comparison` says).' })
  stage2Threshold!: number;

  @Field(() => Float, { description: 'The value that reaches stage 3.' })
  stage3Threshold!: number;

  @Field(() => Int, { description: 'The stage this figure alone reaches.' })
  stage!: number;

  @Field({
    description:
      'Whether the figure holds its dimension’s stage. False only for a figure about handoffs that came due, when the partner was accountable for fewer dues than the minimum sample: a partner that only receives handoffs is not judged on proposing them.',
  })
  counts!: boolean;
}

@ObjectType({ description: 'One maturity dimension of a partner: its stage and the evidence behind it.' })
export class MaturityDimension {
  @Field(() => MaturityDimensionName, { description: 'Which dimension.' })
  dimension!: MaturityDimensionName;

  @Field({ description: 'Its name for people, e.g. "Data & systems".' })
  label!: string;

  @Field(() => Int, { description: '1 ad hoc & reactive, 2 defined but inconsistent, 3 orchestrated & measured.' })
  stage!: number;

  @Field({ description: 'The stage in words: "ad hoc & reactive", "defined but inconsistent" or "orchestrated & measured".' })
  stageName!: string;

  @Field({ description: 'The rule, in words.' })
  rule!: string;

  @Field(() => [MaturityEvidence], { description: 'The figures measured; the dimension’s stage is the lowest stage the figures that count (`counts`) reach.' })
  evidence!: MaturityEvidence[];
}

@ObjectType({ description: 'A partner’s maturity on the five dimensions, computed from its handoffs of the window.' })
export class MaturityAssessment {
  @Field(() => ID, { description: 'The partner assessed.' })
  partnerId!: string;

  @Field(() => PartnerRef, { description: 'The partner assessed.' })
  partner!: PartnerRef;

  @Field({ description: 'Start of the assessed window: 180 days before windowEnd (UTC).' })
  windowStart!: Date;

  @Field({ description: 'End of the assessed window: when the assessment was computed (UTC).' })
  windowEnd!: Date;

  @Field(() => Int, { description: 'Handoffs the partner sent or received in the window.' })
  handoffs!: number;

  @Field(() => Int, { description: 'The lowest stage across the dimensions: a chain is as strong as its weakest link.' })
  overallStage!: number;

  @Field(() => [MaturityDimension], { description: 'The five dimensions, each with its stage and evidence.' })
  dimensions!: MaturityDimension[];
}
