import { GraphQLJSON } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { PageInfo } from '../../../../shared/graphql/pagination';
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

  @Field()
  occurredAt!: Date;

  @Field({ description: 'e.g. Customer, Handoff.' })
  aggregateType!: string;

  @Field(() => ID)
  aggregateId!: string;

  @Field({ description: 'The subgraph that recorded it.' })
  source!: string;

  @Field(() => GraphQLJSON, { description: 'The event payload (see the event contract).' })
  payload!: Record<string, unknown>;
}

@Directive('@cost(weight: 0)')
@ObjectType()
export class ChangeEdge {
  @Field({ description: 'Durable: poll with it as `after` at any later time to get what came next.' })
  cursor!: string;

  @Field(() => Change)
  node!: Change;
}

@ObjectType({ description: 'A page of the change feed, in global log order.' })
export class ChangeConnection {
  @Field(() => [ChangeEdge])
  edges!: ChangeEdge[];

  @Field(() => [Change])
  nodes!: Change[];

  @Directive('@cost(weight: 0)')
  @Field(() => PageInfo, { description: 'endCursor is where to resume, even when the page is empty.' })
  pageInfo!: PageInfo;

  @Field({ description: 'true when `after` was older than the feed’s retention: changes between it and the oldest retained one are gone; resync.' })
  truncated!: boolean;
}
