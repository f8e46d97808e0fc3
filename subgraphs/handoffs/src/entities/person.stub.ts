import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** accounts owns Person (and decides who may see one); handoffs only names it by id. */
@Directive('@key(fields: "id")')
@ObjectType('Person')
export class PersonRef {
  @Field(() => ID, { description: 'Stable id of the person.' })
  id!: string;
}

export const personRef = (id: string | null | undefined): PersonRef | null => (id ? Object.assign(new PersonRef(), { id }) : null);
