import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { HandoffsContext } from '../context';
import { CustomerRef } from '../entities/customer.stub';
import { Handoff } from '../entities/handoff.entity';
import { OwnershipChange } from '../entities/ownership-change.entity';
import { partnerRef, PartnerRef } from '../entities/partner.stub';
import { visibleCustomerRef } from './handoff.resolver';

@Resolver(() => OwnershipChange)
export class OwnershipChangeResolver {
  @FieldResolver(() => CustomerRef, { nullable: true, description: 'null when the caller may not see the customer record.' })
  customer(@Root() change: OwnershipChange, @Ctx() ctx: HandoffsContext): Promise<CustomerRef | null> {
    return visibleCustomerRef(change.customerId, ctx);
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The previous owner; null = held directly by us.' })
  from(@Root() change: OwnershipChange): PartnerRef | null {
    return partnerRef(change.fromPartnerId);
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The new owner; null = back with us.' })
  to(@Root() change: OwnershipChange): PartnerRef | null {
    return partnerRef(change.toPartnerId);
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The partner that made it happen; null for the hub itself.' })
  actor(@Root() change: OwnershipChange): PartnerRef | null {
    return partnerRef(change.actorPartnerId);
  }

  @FieldResolver(() => Handoff, { nullable: true, description: 'The handoff behind it, when the caller may see that handoff.' })
  handoff(@Root() change: OwnershipChange, @Ctx() ctx: HandoffsContext): Promise<Handoff | null> | null {
    return change.handoffId ? ctx.loaders.handoff.load(change.handoffId) : null;
  }
}
