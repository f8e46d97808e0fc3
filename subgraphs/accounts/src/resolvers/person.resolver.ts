import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { AFTER_DESCRIPTION, ConnectionType, FIRST_DESCRIPTION, type Connection } from '../../../../shared/graphql/pagination';
import type { AccountsContext } from '../context';
import { Partner } from '../entities/partner.entity';
import { Person } from '../entities/person.entity';
import { addPerson, deactivatePerson, listPeople, updatePerson } from '../services/person.service';
import { AddPersonInput, PeopleFilter, UpdatePersonInput } from './person.inputs';

export const PersonConnection = ConnectionType(Person, 'Person');

const MANAGE =
  "The partner's admins (its credentials with apikeys:manage; a person-bound key only if that person is an ADMIN) or an internal team with the admin scope; FORBIDDEN otherwise.";

/** People at partners and internal teams (docs/people.md). */
@Resolver(() => Person)
export class PersonResolver {
  @Query(() => PersonConnection, {
    description: "A partner's people, oldest first. A partner lists only its own (naming another partner is FORBIDDEN); internal teams any partner's.",
  })
  people(
    @Ctx() ctx: AccountsContext,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Whose people; default: the caller’s partner.' }) partnerId?: string,
    @Arg('filter', () => PeopleFilter, { nullable: true, description: 'Only people with this status and/or role.' }) filter?: PeopleFilter,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<Person>> {
    return listPeople(ctx.db, ctx.identity, { partnerId, status: filter?.status, role: filter?.role, first, after });
  }

  @Mutation(() => Person, {
    description: `Adds a person to a partner or internal team; writes PersonAdded. ${MANAGE} BAD_USER_INPUT for an empty name or an invalid e-mail, CONFLICT when the partner already has the e-mail (whatever the case).`,
  })
  addPerson(@Arg('input', () => AddPersonInput, { description: 'The new person.' }) input: AddPersonInput, @Ctx() ctx: AccountsContext): Promise<Person> {
    return addPerson(ctx.db, ctx.identity, { partnerId: input.partnerId, name: input.name, email: input.email, role: input.role });
  }

  @Mutation(() => Person, {
    description: `Changes a person's name, e-mail or role; writes PersonUpdated naming the fields (a repeat changes nothing). ${MANAGE} NOT_FOUND for another partner's person, CONFLICT for a deactivated person or an e-mail the partner already has.`,
  })
  updatePerson(
    @Arg('id', () => ID, { description: 'The person to change.' }) id: string,
    @Arg('input', () => UpdatePersonInput, { description: 'The fields to change.' }) input: UpdatePersonInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<Person> {
    return updatePerson(ctx.db, ctx.identity, id, { name: input.name, email: input.email, role: input.role });
  }

  @Mutation(() => Person, {
    description: `Deactivates a person for good: the API keys bound to them stop working at once (ApiKeyRevoked each), they take no new tasks; writes PersonDeactivated. Twice changes nothing. ${MANAGE} NOT_FOUND for another partner's person.`,
  })
  deactivatePerson(@Arg('id', () => ID, { description: 'The person to deactivate.' }) id: string, @Ctx() ctx: AccountsContext): Promise<Person> {
    return deactivatePerson(ctx.db, ctx.identity, id);
  }
}

/** `Partner.people`: batched per request; another partner's people are not the caller's to see. */
@Resolver(() => Partner)
export class PartnerPeopleResolver {
  @FieldResolver(() => [Person], {
    nullable: true,
    description: "The partner's people (deactivated ones included), oldest first. null unless the caller is this partner or an internal team.",
  })
  people(@Root() partner: Partner, @Ctx() ctx: AccountsContext): Promise<Person[] | null> {
    return ctx.loaders.peopleOfPartner.load(partner.id);
  }
}
