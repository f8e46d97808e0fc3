import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The handoffs subgraph owns HandoffDue; slas contributes `slaClock` (its PROPOSE clock) to it. */
@Directive('@key(fields: "id")')
@ObjectType('HandoffDue')
export class HandoffDueRef {
  @Field(() => ID, { description: 'Identifies the due; pass it to dismissHandoffDue.' })
  id!: string;
}
