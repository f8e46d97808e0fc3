import { Field, ID, Int, ObjectType } from 'type-graphql';
import { CustomerActionStatus, JourneyLinkStatus } from './enums';

@ObjectType({ description: 'A signed link the customer opens to see its handoff: what the playbook says it should see and know.' })
export class CustomerJourneyLink {
  @Field(() => ID, { description: 'The link’s id (as in Handoff.journeyLinks and CustomerJourneyLinkIssued); pass it to revokeCustomerJourneyLink.' })
  id!: string;

  @Field({ description: 'The page, `<hub>/journey?token=…`: send it to the customer. The token is shown only here, never again.' })
  url!: string;

  @Field({ description: 'When it was issued (UTC).' })
  issuedAt!: Date;

  @Field({ description: 'When the link stops working (UTC); issue a new one after that.' })
  expiresAt!: Date;
}

@ObjectType({
  description:
    'A customer journey link as the hub recorded it on issue (issueCustomerJourneyLink): when, by whom, until when, and whether it was withdrawn. Never the token or its url, which only the issuer saw once.',
})
export class JourneyLink {
  @Field(() => ID, { description: 'The link’s id; pass it to revokeCustomerJourneyLink.' })
  id!: string;

  @Field({ description: 'When it was issued (UTC).' })
  issuedAt!: Date;

  @Field({ description: 'When it stops working by itself (UTC).' })
  expiresAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The partner (or internal team) that issued it; null when no partner identity did (a hub service).' })
  issuedByPartnerId!: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was withdrawn (UTC); null while it was not.' })
  revokedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'The partner (or internal team) that withdrew it; null while it is not revoked.' })
  revokedByPartnerId!: string | null;

  @Field(() => JourneyLinkStatus, { description: 'REVOKED once withdrawn, else EXPIRED past expiresAt, else ACTIVE (at the time of the request).' })
  status!: JourneyLinkStatus;

  /** The handoff it opens (not exposed: the field lives on that handoff). */
  handoffId!: string;
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
