import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** accounts owns Partner; handoffs contributes `inbox`. */
@Directive('@key(fields: "id")')
@ObjectType('Partner')
export class PartnerRef {
  @Field(() => ID, { description: 'Stable id of the partner or internal team.' })
  id!: string;
}

export const partnerRef = (id: string | null | undefined): PartnerRef | null => (id ? Object.assign(new PartnerRef(), { id }) : null);
