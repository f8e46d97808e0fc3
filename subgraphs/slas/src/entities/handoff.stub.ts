import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The handoffs subgraph owns Handoff; slas contributes `slaClocks` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Handoff')
export class HandoffRef {
  @Field(() => ID)
  id!: string;
}
