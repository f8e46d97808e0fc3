import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import {
  AFTER_DESCRIPTION,
  ConnectionType,
  decodeCursor,
  FIRST_DESCRIPTION,
  pageSize,
  sqlProbes,
  toConnection,
  type Connection,
} from '../../../../shared/graphql/pagination';
import type { HandoffsContext } from '../context';
import { CustomerRef } from '../entities/customer.stub';
import { HandoffDue } from '../entities/handoff-due.entity';
import { Handoff } from '../entities/handoff.entity';
import { OwnershipGap, OwnershipGapCount, StageLimit } from '../entities/ownership-gap.entity';
import { partnerRef, PartnerRef } from '../entities/partner.stub';
import { accountableFilter, GAP_COLUMNS, gapsWhere, gapSummary, listStageLimits, setStageLimits, toGap, type GapRow } from '../services/ownership-gap.service';
import { visibleCustomerRef } from './handoff.resolver';
import { OwnershipGapFilter, StageLimitInput } from './ownership-gap.inputs';

export const OwnershipGapConnection = ConnectionType(OwnershipGap, 'OwnershipGap');

/**
 * Ownership gaps ("no owner zones", docs/journeys.md): customers in a state the journey does
 * not allow, computed when asked in one statement (one arm per rule) under the caller's
 * row-level security. Internal teams see every gap; a partner those on customers it may see
 * where it is accountable or the owner.
 */
@Resolver(() => OwnershipGap)
export class OwnershipGapResolver {
  @RequireScopes('handoffs:read')
  @Query(() => OwnershipGapConnection, {
    description:
      'Customers in a state the journey does not allow ("no owner zones"), one row per customer and rule broken, oldest first: no owner, an inactive owner, a handoff the journey calls for that nobody opened, a stalled handoff, too long in a stage, a due handoff routing found no receiver for. Internal teams see all; a partner sees those on customers it may see where it is accountable or the owner.',
  })
  async ownershipGaps(
    @Ctx() ctx: HandoffsContext,
    @Arg('filter', () => OwnershipGapFilter, { nullable: true, description: 'Narrows the list; every field given must match.' }) filter?: OwnershipGapFilter,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<OwnershipGap>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const { from, params } = gapsWhere(ctx.identity, {
      rules: filter?.rules ?? null,
      accountablePartnerId: accountableFilter(ctx.identity, filter?.partnerId),
      moment: filter?.moment ?? null,
      sinceBefore: filter?.sinceBefore ?? null,
    });
    const filterParams = [...params];
    let cursorAt: string | null = null;
    if (cursor) {
      params.push(cursor[0], cursor[1]);
      cursorAt = `$${params.length - 1}::timestamptz, $${params.length}::text`;
    }
    const cursorParams = [...params];
    params.push(limit + 1);
    const rows: GapRow[] = await ctx.db.query(
      `SELECT ${GAP_COLUMNS} ${from} ${cursorAt ? `AND (g.since, g.key) > (${cursorAt})` : ''} ORDER BY g.since, g.key LIMIT $${params.length}`,
      params,
    );
    return toConnection(
      rows.map(toGap),
      limit,
      (g) => [g.since.toISOString(), g.key],
      sqlProbes(ctx.db, [`SELECT 1 ${from}`, filterParams], cursorAt ? [`SELECT 1 ${from} AND (g.since, g.key) <= (${cursorAt})`, cursorParams] : undefined),
    );
  }

  @RequireScopes('handoffs:read')
  @Query(() => [OwnershipGapCount], {
    description:
      'Ownership gaps per rule, every rule listed (0 when none), counted as ownershipGaps would list them for the caller: the dashboard’s figures in one statement.',
  })
  ownershipGapSummary(@Ctx() ctx: HandoffsContext): Promise<OwnershipGapCount[]> {
    return gapSummary(ctx.db.manager, ctx.identity);
  }

  @FieldResolver(() => CustomerRef, { nullable: true, description: 'The customer record; null while the caller may not see it. customerId is always there.' })
  customer(@Root() g: OwnershipGap, @Ctx() ctx: HandoffsContext): Promise<CustomerRef | null> {
    return visibleCustomerRef(g.customerId, ctx);
  }

  @FieldResolver(() => PartnerRef, {
    nullable: true,
    description: 'Who should act: a partner or a named internal team; null: any internal team (see OwnershipGapRule for each rule’s).',
  })
  accountablePartner(@Root() g: OwnershipGap): PartnerRef | null {
    return partnerRef(g.accountablePartnerId);
  }

  @FieldResolver(() => Handoff, { nullable: true, description: 'The stalled handoff (STALLED_HANDOFF); null otherwise.' })
  handoff(@Root() g: OwnershipGap, @Ctx() ctx: HandoffsContext): Promise<Handoff | null> | null {
    return g.handoffId ? ctx.loaders.handoff.load(g.handoffId) : null;
  }

  @FieldResolver(() => HandoffDue, { nullable: true, description: 'The due routing found no receiver for (NO_ROUTE); null otherwise.' })
  due(@Root() g: OwnershipGap, @Ctx() ctx: HandoffsContext): Promise<HandoffDue | null> | null {
    return g.dueId ? ctx.loaders.due.load(g.dueId) : null;
  }
}

/** The per-stage limits STAGE_TOO_LONG compares with: every caller reads them, internal teams set them. */
@Resolver(() => StageLimit)
export class StageLimitResolver {
  @RequireScopes('handoffs:read')
  @Query(() => [StageLimit], { description: 'How long a customer may stay in each lifecycle stage (stages without a limit are left out), by stage.' })
  stageLimits(@Ctx() ctx: HandoffsContext): Promise<StageLimit[]> {
    return listStageLimits(ctx.db.manager);
  }

  @RequireScopes('admin')
  @Mutation(() => [StageLimit], {
    description:
      'Internal teams only (FORBIDDEN for partners): sets how long a customer may stay in the stages named (maxDays or maxDuration), or removes a stage’s limit (neither). All or nothing: a bad item is BAD_USER_INPUT and changes nothing. Returns every limit as it now stands.',
  })
  setStageLimits(
    @Ctx() ctx: HandoffsContext,
    @Arg('input', () => [StageLimitInput], { description: 'One item per stage to change; a stage at most once.' }) input: StageLimitInput[],
  ): Promise<StageLimit[]> {
    return setStageLimits(ctx.db, ctx.identity, input);
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The internal team that set it last.' })
  updatedBy(@Root() l: StageLimit): PartnerRef | null {
    return partnerRef(l.updatedByPartnerId);
  }
}
