import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** accounts owns Customer; handoffs only knows its id and contributes ownership fields. */
@Directive('@key(fields: "id")')
@ObjectType('Customer')
export class CustomerRef {
  @Field(() => ID, { description: 'Stable id of the shared record; the same in every subgraph and event.' })
  id!: string;
}
