import { Field, Int, ObjectType } from 'type-graphql';
import { CustomerActionStatus } from './enums';

@ObjectType({ description: 'A signed link the customer opens to see its handoff: what the playbook says it should see and know.' })
export class CustomerJourneyLink {
  @Field({ description: 'The page, `<hub>/journey?token=…`: send it to the customer. The token is shown only here, never again.' })
  url!: string;

  @Field({ description: 'When the link stops working (UTC); issue a new one after that.' })
  expiresAt!: Date;
}

@ObjectType({ description: 'One of the playbook’s customer-facing actions on this handoff, and whether it is done.' })
export class HandoffCustomerAction {
  @Field(() => Int, { description: 'Its position (from 0) in the playbook version’s customerFacingActions; pass it to setCustomerActionStatus.' })
  position!: number;

  @Field({ description: 'What the customer experiences, as the playbook says.' })
  action!: string;

  @Field(() => CustomerActionStatus, { description: 'OPEN until the new owner marks it DONE.' })
  status!: CustomerActionStatus;

  @Field(() => Date, { nullable: true, description: 'When it was marked DONE (UTC); null while OPEN.' })
  doneAt!: Date | null;
}
