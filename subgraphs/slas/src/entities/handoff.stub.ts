import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The handoffs subgraph owns Handoff; slas contributes `slaClocks` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Handoff')
export class HandoffRef {
  @Field(() => ID, { description: 'Identifies the handoff; pass it to acceptHandoff, rejectHandoff and the other transitions.' })
  id!: string;
}
