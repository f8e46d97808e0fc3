import { Field, ID, InputType, Int } from 'type-graphql';
import { HandoffMoment, LifecycleStage } from '../entities/enums';
import { OwnershipGapRule } from '../entities/ownership-gap.entity';

@InputType({ description: 'Narrows the list of ownership gaps; every field given must match.' })
export class OwnershipGapFilter {
  @Field(() => [OwnershipGapRule], { nullable: true, description: 'Only gaps of these rules. null or empty: every rule.' })
  rules?: OwnershipGapRule[] | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Only gaps this partner (or internal team) is accountable for. A partner may name only itself (FORBIDDEN otherwise).',
  })
  partnerId?: string | null;

  @Field(() => HandoffMoment, { nullable: true, description: 'Only gaps about this handoff moment (HANDOFF_MISSING, STALLED_HANDOFF, NO_ROUTE).' })
  moment?: HandoffMoment | null;

  @Field(() => Date, { nullable: true, description: 'Only gaps open since before this time (UTC): the ones that have waited at least this long.' })
  sinceBefore?: Date | null;
}

@InputType({
  description:
    'How long a customer may stay in a lifecycle stage: maxDays or maxDuration (exactly one), or neither to remove the stage’s limit. Counted in calendar time (UTC).',
})
export class StageLimitInput {
  @Field(() => LifecycleStage, { description: 'The stage.' })
  stage!: LifecycleStage;

  @Field(() => Int, { nullable: true, description: 'The longest stay in whole calendar days, 1–3650.' })
  maxDays?: number | null;

  @Field(() => String, { nullable: true, description: 'The longest stay as a positive ISO-8601 duration, e.g. "P30D", "P2W", "PT36H".' })
  maxDuration?: string | null;
}
