import { Field, ID, ObjectType } from 'type-graphql';
import { SlaAlertKind, SlaEscalationAction } from './enums';
import { HandoffDueRef } from './handoff-due.stub';
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

/**
 * A PROPOSE clock turned AT_RISK or BREACHED. Its own type (and subscription, slaDueAlert):
 * SlaAlert.handoff is non-null in the partner contract, and a due has no handoff yet.
 */
@ObjectType('SlaDueAlert', { description: 'The PROPOSE clock of a handoff that came due turned AT_RISK or BREACHED (nothing proposed yet).' })
export class SlaDueAlert {
  @Field(() => ID, { description: 'The event id (stable; use it to de-duplicate).' })
  id!: string;

  @Field(() => SlaAlertKind, { description: 'AT_RISK or BREACHED.' })
  kind!: SlaAlertKind;

  @Field({ description: 'When the clock turned (UTC).' })
  occurredAt!: Date;

  @Field(() => HandoffDueRef, { description: 'The handoff that came due (resolved by handoffs: null-free, its fields follow the due’s access).' })
  due!: HandoffDueRef;

  @Field(() => SlaEscalationAction, {
    nullable: true,
    description:
      'On BREACHED: REASSIGN when the hub now proposes the due itself (to the policy’s reassignToPartner, or the receiver routing picks), else NOTIFY.',
  })
  escalation!: SlaEscalationAction | null;
}
