import { IsOptional, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { JSONScalar } from '../../../../shared/graphql/json';
import { Field, ID, InputType } from 'type-graphql';
import { HandoffMoment, HandoffState } from '../entities/enums';
import { ContextPackage } from '../entities/handoff-parts';

@InputType({ description: 'Hands a customer from its owner to a receiving partner or team.' })
export class ProposeHandoffInput {
  @Field(() => ID, { description: 'The customer to hand over; you must own it (or be an internal team). CONFLICT when it already has an open handoff.' })
  customerId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      'The receiving partner or internal team. Leave it out to let the routing rule of the moment pick it (see routeCandidates); the handoff then records the rule and the reasons in `routing`. BAD_USER_INPUT with extensions.reason NO_ROUTE when routing finds no candidate.',
  })
  @IsOptional()
  toPartnerId?: string | null;

  @Field(() => HandoffMoment, { description: 'Which handoff moment this is; picks the playbook and the SLA policy.' })
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'Required when moment is CUSTOM: the name of the moment, e.g. "Partner-led expansion".' })
  @IsOptional()
  @MaxLength(100)
  customMoment?: string | null;

  @Field(() => ID, { nullable: true, description: "Run under this playbook version instead of the moment's current one." })
  @IsOptional()
  playbookId?: string | null;

  @Field(() => ContextPackage, { description: 'What the receiver needs to take over without asking the customer again.' })
  @ValidateNested()
  contextPackage!: ContextPackage;

  @Field({ description: 'What the customer is told about the change (the customer-facing message).' })
  @MinLength(1, { message: 'customerMessage must not be empty' })
  @MaxLength(5000)
  customerMessage!: string;

  @Field(() => JSONScalar, { nullable: true, description: "The playbook's required data, keyed by field name (see Playbook.requiredFields)." })
  @IsOptional()
  data?: unknown;
}

@InputType({ description: 'Narrows a handoff list; every field given must match.' })
export class HandoffFilter {
  @Field(() => ID, { nullable: true, description: 'Only handoffs of this customer.' })
  customerId?: string | null;

  @Field(() => [HandoffState], { nullable: true, description: 'Any of these states.' })
  states?: HandoffState[] | null;

  @Field(() => HandoffMoment, { nullable: true, description: 'Only handoffs of this moment.' })
  moment?: HandoffMoment | null;

  @Field(() => ID, { nullable: true, description: 'Sent by this partner.' })
  fromPartnerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Sent to this partner.' })
  toPartnerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: only handoffs on hold; false: only those not on hold.' })
  onHold?: boolean | null;
}
