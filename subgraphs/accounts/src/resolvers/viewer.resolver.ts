import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { AccountsContext } from '../context';
import { ViewerRole } from '../entities/enums';
import { Partner } from '../entities/partner.entity';

@ObjectType({ description: 'The caller: whom it acts for and what it may do.' })
export class Viewer {
  @Field(() => Partner, { nullable: true, description: 'null for the hub’s own services.' })
  partner!: Partner | null;

  @Field(() => ViewerRole)
  role!: ViewerRole;

  @Field(() => [String])
  scopes!: string[];
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer)
  async me(@Ctx() ctx: AccountsContext): Promise<Viewer> {
    const { identity } = ctx;
    return {
      partner: identity.partnerId ? await ctx.loaders.partner.load(identity.partnerId) : null,
      role: identity.role as ViewerRole,
      scopes: identity.scopes,
    };
  }
}
