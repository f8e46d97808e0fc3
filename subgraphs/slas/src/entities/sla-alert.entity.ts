import { Field, ID, ObjectType } from 'type-graphql';
import { SlaAlertKind, SlaEscalationAction } from './enums';
import { HandoffRef } from './handoff.stub';

@ObjectType('SlaAlert', { description: 'A clock turned AT_RISK or BREACHED.' })
export class SlaAlert {
  @Field(() => ID, { description: 'The event id (stable; use it to de-duplicate).' })
  id!: string;

  @Field(() => SlaAlertKind, { description: 'AT_RISK or BREACHED.' })
  kind!: SlaAlertKind;

  @Field({ description: 'When the clock turned (UTC).' })
  occurredAt!: Date;

  @Field(() => HandoffRef, { description: 'The handoff whose clock turned.' })
  handoff!: HandoffRef;

  @Field(() => SlaEscalationAction, { nullable: true, description: 'On BREACHED: what the policy does about it.' })
  escalation!: SlaEscalationAction | null;

  clockId!: string;
}
