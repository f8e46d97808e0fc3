import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { HandoffMoment, LifecycleStage } from './enums';

/** Why a customer is in a state the journey does not allow (services/ownership-gap.service.ts). */
export enum OwnershipGapRule {
  NO_OWNER = 'NO_OWNER',
  OWNER_INACTIVE = 'OWNER_INACTIVE',
  HANDOFF_MISSING = 'HANDOFF_MISSING',
  STALLED_HANDOFF = 'STALLED_HANDOFF',
  STAGE_TOO_LONG = 'STAGE_TOO_LONG',
  NO_ROUTE = 'NO_ROUTE',
}

registerEnumType(OwnershipGapRule, {
  name: 'OwnershipGapRule',
  description: 'Which rule of the journey a customer breaks: an ownership gap ("no owner zone") is listed until someone acts.',
  valuesConfig: {
    NO_OWNER: { description: 'Nobody owns the customer. Since: when it became ownerless (or was created without an owner). Accountable: internal teams.' },
    OWNER_INACTIVE: {
      description: 'Its owner is SUSPENDED or DEACTIVATED in the partner directory. Since: the status change. Accountable: internal teams.',
    },
    HANDOFF_MISSING: {
      description:
        'The customer is in the stage a current playbook’s trigger moves it to (toStage), held by another kind of owner than the trigger’s receiverKind, and no handoff of that moment is open (PROPOSED, ACCEPTED) or due (an OPEN or DISMISSED due of this stage entry). Since: when it entered the stage. Accountable: its owner (for a customer we hold directly, the trigger’s accountableTeamId, else internal teams).',
    },
    STALLED_HANDOFF: {
      description:
        'An open handoff whose SLA target for its current state passed (ACCEPT while PROPOSED, COMPLETE while ACCEPTED), as slas reported the breach. Since: the target’s due time. Accountable: the party the SLA clock holds to account (the receiver).',
    },
    STAGE_TOO_LONG: {
      description:
        'The customer has been in its lifecycle stage longer than that stage’s limit (setStageLimits), in calendar time. Since: when the limit ran out. Accountable: its owner (internal teams for a customer we hold directly).',
    },
    NO_ROUTE: {
      description:
        'A handoff is due (OPEN) and routing found no receiver: none when it came due, or none when the hub tried to propose it itself. Since: when it came due, or when the hub found nobody. Accountable: the due’s accountable party.',
    },
  },
});

/** One gap: a customer, the rule it breaks, since when and who should act. */
@ObjectType({
  description:
    'A customer in a state the journey does not allow (a "no owner zone"): which rule, since when, who is accountable and what to do. Listed until someone acts; a customer may break several rules at once (one row each).',
})
export class OwnershipGap {
  @Field(() => ID, { description: 'The customer; always there, even when `customer` is null for the caller.' })
  customerId!: string;

  @Field(() => OwnershipGapRule, { description: 'The rule the customer breaks.' })
  rule!: OwnershipGapRule;

  @Field({ description: 'Since when (UTC); see each rule for what the time is. The list is oldest first.' })
  since!: Date;

  @Field(() => String, {
    description: 'What is wrong and what to do, in words, e.g. "Held by Acme (RESELLER) in ONBOARDING; the playbook hands it to a SERVICE_PROVIDER."',
  })
  message!: string;

  @Field(() => HandoffMoment, {
    nullable: true,
    description: 'The handoff moment the gap is about (HANDOFF_MISSING, STALLED_HANDOFF, NO_ROUTE); null otherwise.',
  })
  moment!: HandoffMoment | null;

  @Field(() => String, { nullable: true, description: 'The name of a CUSTOM moment; null otherwise.' })
  customMoment!: string | null;

  @Field(() => LifecycleStage, { nullable: true, description: 'The customer’s lifecycle stage now, as handoffs knows it.' })
  stage!: LifecycleStage | null;

  accountablePartnerId!: string | null;
  ownerPartnerId!: string | null;
  handoffId!: string | null;
  dueId!: string | null;
  /** The cursor's tie-breaker: unique per gap. */
  key!: string;
}

@ObjectType({ description: 'How many ownership gaps of one rule the caller may see, for a dashboard.' })
export class OwnershipGapCount {
  @Field(() => OwnershipGapRule, { description: 'The rule.' })
  rule!: OwnershipGapRule;

  @Field(() => Int, { description: 'Gaps of this rule the caller may see now (ownershipGaps would list as many).' })
  count!: number;

  @Field(() => Date, { nullable: true, description: 'The oldest `since` among them (UTC); null when there are none.' })
  oldestSince!: Date | null;
}

@ObjectType({ description: 'How long a customer may stay in one lifecycle stage before it is an ownership gap (STAGE_TOO_LONG).' })
export class StageLimit {
  @Field(() => LifecycleStage, { description: 'The stage.' })
  stage!: LifecycleStage;

  @Field({ description: 'The longest stay, as an ISO-8601 duration ("P30D", "P2W", "PT36H"), counted in calendar time (UTC), not business hours.' })
  maxDuration!: string;

  @Field({ description: 'When it was last set (UTC).' })
  updatedAt!: Date;

  updatedByPartnerId!: string | null;
}
