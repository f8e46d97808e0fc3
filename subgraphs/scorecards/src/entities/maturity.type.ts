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

  @Field(() => Float)
  stage2Threshold!: number;

  @Field(() => Float)
  stage3Threshold!: number;

  @Field(() => Int, { description: 'The stage this figure alone reaches.' })
  stage!: number;
}

@ObjectType()
export class MaturityDimension {
  @Field(() => MaturityDimensionName)
  dimension!: MaturityDimensionName;

  @Field()
  label!: string;

  @Field(() => Int, { description: '1 ad hoc & reactive, 2 defined but inconsistent, 3 orchestrated & measured.' })
  stage!: number;

  @Field()
  stageName!: string;

  @Field({ description: 'The rule, in words.' })
  rule!: string;

  @Field(() => [MaturityEvidence])
  evidence!: MaturityEvidence[];
}

@ObjectType({ description: 'A partner’s maturity on the five dimensions, computed from its handoffs of the window.' })
export class MaturityAssessment {
  @Field(() => ID)
  partnerId!: string;

  @Field(() => PartnerRef)
  partner!: PartnerRef;

  @Field()
  windowStart!: Date;

  @Field()
  windowEnd!: Date;

  @Field(() => Int, { description: 'Handoffs the partner sent or received in the window.' })
  handoffs!: number;

  @Field(() => Int, { description: 'The lowest stage across the dimensions: a chain is as strong as its weakest link.' })
  overallStage!: number;

  @Field(() => [MaturityDimension])
  dimensions!: MaturityDimension[];
}
