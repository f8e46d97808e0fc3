import { Ctx, Int, Arg, Query, Resolver } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { forbidden } from '../../../../shared/errors';
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
import { OwnershipClaim } from '../sync/ownership-claim.entity';

export const OwnershipClaimConnection = ConnectionType(OwnershipClaim, 'OwnershipClaim');

@Resolver(() => OwnershipClaim)
export class OwnershipClaimResolver {
  @Query(() => OwnershipClaimConnection, { description: 'Internal only: customers two partners both claimed through sync, oldest first.' })
  async ownershipClaims(
    @Ctx() ctx: AccountsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<OwnershipClaim>> {
    if (!isInternal(ctx.identity)) throw forbidden('Ownership claims are reviewed by internal teams only');
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const qb = ctx.db.getRepository(OwnershipClaim).createQueryBuilder('k');
    const filtered = qb.clone();
    const at = cursor && { at: cursor[0], id: cursor[1] };
    if (at) qb.where('(k.created_at, k.id) > (:at::timestamptz, :id::uuid)', at);
    const rows = await qb
      .orderBy('k.created_at', 'ASC')
      .addOrderBy('k.id', 'ASC')
      .take(limit + 1)
      .getMany();
    const before = at && { where: '(k.created_at, k.id) <= (:at::timestamptz, :id::uuid)', params: at };
    return toConnection(rows, limit, (k) => [k.createdAt.toISOString(), k.id], queryBuilderProbes(ctx.db, filtered, before));
  }
}
