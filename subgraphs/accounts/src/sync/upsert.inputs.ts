import { Field, InputType, Int } from 'type-graphql';
import { Contact, CustomerContext } from '../entities/customer-parts';
import { LifecycleStage, Region, Segment } from '../entities/enums';
import { CommercialsInput } from '../resolvers/revenue.inputs';

/**
 * One row of a partner's sync. Deliberately without class-validator rules: each row is
 * validated on its own so that one bad row comes back INVALID instead of failing the batch.
 */
@InputType({ description: 'One customer as a partner system has it. Fields left out (or null) are left as they are.' })
export class UpsertCustomerInput {
  @Field({ description: "The partner system's id for the customer (unique within `system`)." })
  externalId!: string;

  @Field(() => String, { nullable: true, description: 'Required to create.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Matched on (normalized) when the external id is unknown.' })
  domain?: string | null;

  @Field(() => Segment, { nullable: true, description: 'Required to create.' })
  segment?: Segment | null;

  @Field(() => Region, { nullable: true, description: 'Required to create.' })
  region?: Region | null;

  @Field(() => LifecycleStage, { nullable: true, description: 'LEAD when creating without one.' })
  lifecycleStage?: LifecycleStage | null;

  @Field(() => [Contact], { nullable: true, description: 'Merged into the record’s contacts by e-mail (else name); none is removed.' })
  contacts?: Contact[] | null;

  @Field(() => CustomerContext, { nullable: true, description: 'goals and painPoints are added to; other fields overwrite when non-null.' })
  context?: CustomerContext | null;

  @Field(() => CommercialsInput, {
    nullable: true,
    description:
      'Commercial figures: the owner’s and internal teams’ (a collaborator’s are ignored); a figure left out or null stays; a new currency must restate every amount held, else the figures are ignored.',
  })
  commercials?: CommercialsInput | null;

  @Field(() => Int, { nullable: true, description: 'Apply only if the record is still at this version (else CONFLICT with the current values).' })
  expectedVersion?: number | null;
}
