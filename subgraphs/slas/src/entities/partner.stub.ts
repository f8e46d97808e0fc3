import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** accounts owns Partner; slas contributes `slaAttainment` to it. */
@Directive('@key(fields: "id")')
@ObjectType('Partner')
export class PartnerRef {
  @Field(() => ID, { description: 'Stable id of the partner or internal team.' })
  id!: string;
}
