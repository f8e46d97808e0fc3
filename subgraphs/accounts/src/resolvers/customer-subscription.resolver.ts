import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { scopedTopics } from '../../../../shared/auth/scopes';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import type { AccountsContext } from '../context';
import { Customer } from '../entities/customer.entity';
import { CUSTOMER_UPDATED } from '../services/customer-events';

/** Rebuilds the record an event carries (JSON has turned its dates into strings). */
export function customerFromEvent(event: HubEvent): Customer {
  const snapshot = event.payload.customer as Record<string, unknown>;
  return Object.assign(new Customer(), snapshot, {
    createdAt: new Date(snapshot.createdAt as string),
    updatedAt: new Date(snapshot.updatedAt as string),
  });
}

@Resolver(() => Customer)
export class CustomerSubscriptionResolver {
  @Subscription(() => Customer, {
    topics: scopedTopics(CUSTOMER_UPDATED, 'customers:read'),
    description: 'Each committed change to a customer the caller may see (optionally one customer).',
    // Visibility comes from the event, checked against the subscriber's identity, never its arguments.
    filter: ({ payload, args, context }: { payload: HubEvent; args: { customerId?: string | null }; context: AccountsContext }) =>
      (isInternal(context.identity) || payload.visibleTo.includes(context.identity.partnerId ?? '')) &&
      (!args.customerId || args.customerId.toLowerCase() === payload.aggregateId),
  })
  customerUpdated(
    @Root() event: HubEvent,
    @Arg('customerId', () => ID, { nullable: true, description: 'Only changes to this customer. Default: every customer you may see.' }) _customerId?: string,
  ): Customer {
    return customerFromEvent(event);
  }
}
