import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { isInternal } from '../../../../shared/auth/identity';
import { forbidden } from '../../../../shared/errors';
import { AFTER_DESCRIPTION, decodeCursor, FIRST_DESCRIPTION, pageSize, toConnection, type Connection } from '../../../../shared/graphql/pagination';
import type { HandoffsContext } from '../context';
import type { Handoff } from '../entities/handoff.entity';
import { PartnerRef } from '../entities/partner.stub';
import { HandoffConnection } from './handoff.resolver';
import { ORDER_BY_DESCRIPTION, priorityKey, priorityPage, WorkOrder } from '../../../../shared/graphql/priority';

@Resolver(() => PartnerRef)
export class PartnerContributionResolver {
  @RequireScopes('handoffs:read')
  @FieldResolver(() => HandoffConnection, {
    nullable: true,
    description:
      'Handoffs waiting for this partner to accept or reject, oldest first (orderBy PRIORITY: most valuable and most at risk first). Only the partner itself and internal teams may read it (FORBIDDEN otherwise).',
  })
  async inbox(
    @Root() partner: PartnerRef,
    @Ctx() ctx: HandoffsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
    @Arg('orderBy', () => WorkOrder, { nullable: true, description: ORDER_BY_DESCRIPTION }) orderBy?: WorkOrder | null,
  ): Promise<Connection<Handoff>> {
    if (!isInternal(ctx.identity) && ctx.identity.partnerId !== partner.id) throw forbidden(`Only partner ${partner.id} and internal teams can read its inbox`);
    const limit = pageSize(first);
    const priority = priorityPage(orderBy, after, ctx.loaders.asOf);
    if (priority) {
      const rows = await ctx.loaders.inbox.load({ partnerId: partner.id, limit, priority });
      const asOf = new Date(priority.asOf);
      for (const h of rows) h.priorityAsOf = asOf;
      const at = priority.after;
      return toConnection(rows, limit, (h) => priorityKey(priority.asOf, h.priorityScore, h.proposedAt, h.id), {
        count: () => ctx.loaders.inboxCount.load(partner.id),
        before: at && (() => ctx.loaders.inboxPriorityBefore.load({ partnerId: partner.id, asOf: priority.asOf, after: at })),
      });
    }
    const cursor = decodeCursor(after, 2) as [string, string] | undefined;
    const rows = await ctx.loaders.inbox.load({ partnerId: partner.id, limit, after: cursor });
    return toConnection(rows, limit, (h) => [h.proposedAt.toISOString(), h.id], {
      count: () => ctx.loaders.inboxCount.load(partner.id),
      before: cursor && (() => ctx.loaders.inboxBefore.load({ partnerId: partner.id, after: cursor })),
    });
  }
}
