import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The handoffs subgraph owns Playbook; slas contributes `slaPolicy` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Playbook')
export class PlaybookRef {
  @Field(() => ID)
  id!: string;
}
