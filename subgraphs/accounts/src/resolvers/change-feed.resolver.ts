import { Arg, Ctx, Directive, Int, Query, Resolver } from 'type-graphql';
import type { AccountsContext } from '../context';
import { FEED_PAGE_COST, feedHead, readChanges } from '../feed/change-feed.service';
import { ChangeConnection } from '../feed/change.types';
import { syncSettingsFor } from '../sync/sync-settings';

@Resolver()
export class ChangeFeedResolver {
  // Priced per page, whatever its size (FEED_PAGE_COST).
  @Directive(`@cost(weight: ${FEED_PAGE_COST})`)
  @Query(() => ChangeConnection, {
    description:
      'Your change feed: every change you may see, in global order. Keep pageInfo.endCursor and poll with it as `after`; ' +
      `after any outage the same cursor returns exactly what you missed. first: 1–250, default 100. A page costs ${FEED_PAGE_COST} query-cost points, whatever its size.`,
  })
  changes(
    @Ctx() ctx: AccountsContext,
    @Arg('after', () => String, {
      nullable: true,
      description: 'The endCursor you kept from your last poll; omit it to start from the oldest retained change.',
    })
    after?: string,
    @Arg('first', () => Int, { nullable: true, description: 'Page size, 1–250 (default 100); anything else is BAD_USER_INPUT.' }) first?: number,
  ): Promise<ChangeConnection> {
    return readChanges(ctx.db, ctx.identity, { after, first, retentionDays: syncSettingsFor(ctx.db).changeFeedRetentionDays });
  }

  @Query(() => String, {
    description:
      'A cursor for now: poll `changes(after:)` with it to receive every change committed from now on, without paging through the history. ' +
      'Take it before your initial export, so nothing that changes during the export is missed.',
  })
  changesHead(@Ctx() ctx: AccountsContext): Promise<string> {
    return feedHead(ctx.db);
  }
}
