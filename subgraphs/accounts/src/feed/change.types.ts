import { JSONScalar } from '../../../../shared/graphql/json';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { PageInfo, type PageInfoValue } from '../../../../shared/graphql/pagination';
import { ChangeType } from './change-type';

// A feed page is priced as a whole (Query.changes' @cost): its edges are rows of one
// keyset read of the log with their payloads as stored, no resolver or entity fetch each.
@Directive('@cost(weight: 0)')
@ObjectType({ description: 'One committed change (an event of the hub’s log) the caller may see.' })
export class Change {
  @Field(() => ID, { description: 'The event id: stable, use it to dedupe.' })
  id!: string;

  @Field(() => ChangeType, { description: 'e.g. CustomerCreated, CustomerUpdated, HandoffAccepted, OwnershipChanged.' })
  type!: string;

  @Field({ description: 'When the change was committed (UTC).' })
  occurredAt!: Date;

  @Field({ description: 'e.g. Customer, Handoff.' })
  aggregateType!: string;

  @Field(() => ID, { description: 'The id of the record that changed, e.g. the customer’s or the handoff’s id.' })
  aggregateId!: string;

  @Field({ description: 'The subgraph that recorded it.' })
  source!: string;

  @Field(() => JSONScalar, { description: 'The event payload (see the event contract).' })
  payload!: Record<string, unknown>;
}

@Directive('@cost(weight: 0)')
@ObjectType({ description: 'One change of the feed, with the cursor that points just past it.' })
export class ChangeEdge {
  @Field({ description: 'Durable: poll with it as `after` at any later time to get what came next.' })
  cursor!: string;

  @Field(() => Change, { description: 'The change.' })
  node!: Change;
}

@ObjectType({ description: 'A page of the change feed, in global log order.' })
export class ChangeConnection {
  @Field(() => [ChangeEdge], { description: 'The changes of this page, each with its durable cursor.' })
  edges!: ChangeEdge[];

  @Field(() => [Change], { description: 'The changes of `edges`, for clients that need no cursors.' })
  nodes!: Change[];

  @Directive('@cost(weight: 0)')
  @Field(() => PageInfo, { description: 'endCursor is where to resume, even when the page is empty.' })
  pageInfo!: PageInfoValue;

  @Field({ description: 'true when `after` was older than the feed’s retention: changes between it and the oldest retained one are gone; resync.' })
  truncated!: boolean;
}
