import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** Owned by accounts; scorecards contributes `Partner.scorecard`. */
@Directive('@key(fields: "id")')
@ObjectType('Partner')
export class PartnerRef {
  @Field(() => ID)
  id!: string;
}

/** Owned by handoffs; scorecards contributes `Handoff.feedback`. */
@Directive('@key(fields: "id")')
@ObjectType('Handoff')
export class HandoffRef {
  @Field(() => ID, { description: 'Identifies the handoff; pass it to acceptHandoff, rejectHandoff and the other transitions.' })
  id!: string;
}
