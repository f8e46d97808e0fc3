import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HandoffsContext } from '../context';
import { CustomerRef } from '../entities/customer.stub';
import { Handoff } from '../entities/handoff.entity';
import { OwnershipChange } from '../entities/ownership-change.entity';
import { partnerRef, PartnerRef } from '../entities/partner.stub';

/** What handoffs adds to accounts' Customer; every field checks the caller's access itself. */
@Resolver(() => CustomerRef)
export class CustomerContributionResolver {
  @FieldResolver(() => PartnerRef, { nullable: true, description: 'Who owns the customer now; null when we hold it directly (or the caller may not see it).' })
  async owner(@Root() customer: CustomerRef, @Ctx() ctx: HandoffsContext): Promise<PartnerRef | null> {
    const view = await ctx.loaders.customer.load(customer.id);
    return ctx.loaders.canSeeRecord(view) ? partnerRef(view!.ownerPartnerId) : null;
  }

  @FieldResolver(() => [Handoff], { description: 'Its handoffs the caller sent or received (internal teams: all), newest first.' })
  handoffs(@Root() customer: CustomerRef, @Ctx() ctx: HandoffsContext): Promise<Handoff[]> {
    return ctx.loaders.handoffsByCustomer.load(customer.id);
  }

  @FieldResolver(() => [OwnershipChange], { description: 'Every change of owner, oldest first (append-only).' })
  async ownershipHistory(@Root() customer: CustomerRef, @Ctx() ctx: HandoffsContext): Promise<OwnershipChange[]> {
    const [view, history] = await Promise.all([ctx.loaders.customer.load(customer.id), ctx.loaders.ownershipHistory.load(customer.id)]);
    return ctx.loaders.canSeeRecord(view) ? history : [];
  }
}
