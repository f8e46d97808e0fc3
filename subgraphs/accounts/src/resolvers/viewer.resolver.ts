import { Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { AccountsContext } from '../context';
import { ViewerRole } from '../entities/enums';
import { Partner } from '../entities/partner.entity';
import { Person } from '../entities/person.entity';

@ObjectType({ description: 'The caller: whom it acts for and what it may do.' })
export class Viewer {
  @Field(() => Partner, { nullable: true, description: 'null for the hub’s own services.' })
  partner!: Partner | null;

  @Field(() => ViewerRole, { description: 'How the hub treats the caller: INTERNAL sees every record, PARTNER only its own.' })
  role!: ViewerRole;

  @Field(() => [String], { description: 'The scopes of the credential in use (see ApiKey.scopes).' })
  scopes!: string[];

  @Field(() => Person, { nullable: true, description: 'The person you act as, when your credential is bound to one (see createApiKey personId); else null.' })
  person!: Person | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who you are calling as: your partner, your role and the scopes of your credential. Useful first call to check a key.' })
  async me(@Ctx() ctx: AccountsContext): Promise<Viewer> {
    const { identity } = ctx;
    return {
      partner: identity.partnerId ? await ctx.loaders.partner.load(identity.partnerId) : null,
      role: identity.role as ViewerRole,
      scopes: identity.scopes,
      person: identity.personId ? await ctx.loaders.visiblePerson.load(identity.personId) : null,
    };
  }
}
