import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { badUserInput, forbidden, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import {
  AFTER_DESCRIPTION,
  ConnectionType,
  decodeCursor,
  FIRST_DESCRIPTION,
  pageSize,
  queryBuilderProbes,
  toConnection,
  type Connection,
} from '../../../../shared/graphql/pagination';
import type { AccountsContext } from '../context';
import { Partner } from '../entities/partner.entity';
import { recordPartnerCreated } from '../services/customer-events';
import { updatePartner } from '../services/partner.service';
import { CreatePartnerInput, UpdatePartnerInput } from './partner.inputs';

export const PartnerConnection = ConnectionType(Partner, 'Partner');

/**
 * The partner directory (name, kind, tier, region) is visible to every authenticated caller:
 * a partner needs it to hand a customer on. What a partner does (inbox, scorecards) is
 * contributed by other subgraphs, which enforce their own access.
 */
@Resolver(() => Partner)
export class PartnerResolver {
  @Query(() => Partner, {
    nullable: true,
    description:
      'A partner or internal team by id; the directory (name, kind, tier, region) is visible to every caller. null with a NOT_FOUND error when no such partner exists.',
  })
  async partner(@Arg('id', () => ID, { description: 'The partner’s id.' }) id: string, @Ctx() ctx: AccountsContext): Promise<Partner | null> {
    const partner = await ctx.loaders.partner.load(assertId(id, 'id'));
    if (!partner) throw notFound('Partner', id);
    return partner;
  }

  @Query(() => PartnerConnection, {
    description:
      'Every partner and internal team in the directory, oldest first. Visible to every authenticated caller: you need it to pick whom to hand a customer to.',
  })
  async partners(
    @Ctx() ctx: AccountsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<Partner>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const qb = ctx.db.getRepository(Partner).createQueryBuilder('p');
    const filtered = qb.clone();
    const at = cursor && { at: cursor[0], id: cursor[1] };
    if (at) qb.where('(p.created_at, p.id) > (:at::timestamptz, :id::uuid)', at);
    const rows = await qb
      .orderBy('p.created_at', 'ASC')
      .addOrderBy('p.id', 'ASC')
      .take(limit + 1)
      .getMany();
    const before = at && { where: '(p.created_at, p.id) <= (:at::timestamptz, :id::uuid)', params: at };
    return toConnection(rows, limit, (p) => [p.createdAt.toISOString(), p.id], queryBuilderProbes(ctx.db, filtered, before));
  }

  @Mutation(() => Partner, { description: 'Internal callers only (scope admin).' })
  @RequireScopes('admin')
  async createPartner(
    @Arg('input', () => CreatePartnerInput, { description: 'The new partner’s directory entry.' }) input: CreatePartnerInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<Partner> {
    if (!isInternal(ctx.identity)) throw forbidden('Only internal teams can create partners');
    const name = input.name.trim();
    if (!name) throw badUserInput('input.name must not be empty', [{ field: 'input.name', message: 'must not be empty' }]);
    return ctx.db.transaction(async (manager) => {
      const partner = await manager.save(manager.create(Partner, { name, kind: input.kind, tier: input.tier, region: input.region }));
      await recordPartnerCreated(manager, partner, ctx.identity);
      return partner;
    });
  }

  @Mutation(() => Partner, {
    description:
      'Internal teams only (scope admin; FORBIDDEN otherwise). Changes a directory entry: name, tier, region, status. NOT_FOUND for an unknown id, BAD_USER_INPUT for an empty change or name; repeating the current values changes nothing. Writes PartnerUpdated.',
  })
  @RequireScopes('admin')
  updatePartner(
    @Arg('id', () => ID, { description: 'The partner or internal team to change.' }) id: string,
    @Arg('input', () => UpdatePartnerInput, { description: 'The fields to change.' }) input: UpdatePartnerInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<Partner> {
    return updatePartner(ctx.db, ctx.identity, id, input);
  }
}
