import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { notFound } from '../../../../shared/errors';
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
import { Customer } from '../entities/customer.entity';
import { ExternalId } from '../entities/customer-parts';
import { createCustomer, updateCustomer } from '../services/customer.service';
import { CreateCustomerInput, CustomerFilter, UpdateCustomerInput } from './customer.inputs';

export const CustomerConnection = ConnectionType(Customer, 'Customer');

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true, description: 'null with a NOT_FOUND error when it does not exist or the caller may not see it.' })
  @RequireScopes('customers:read')
  async customer(@Arg('id', () => ID, { description: 'The customer’s id.' }) id: string, @Ctx() ctx: AccountsContext): Promise<Customer | null> {
    const customer = await ctx.loaders.visibleCustomer.load(assertId(id, 'id'));
    if (!customer) throw notFound('Customer', id);
    return customer;
  }

  @Query(() => CustomerConnection, { description: 'Customers the caller may see, oldest first.' })
  @RequireScopes('customers:read')
  async customers(
    @Ctx() ctx: AccountsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
    @Arg('filter', () => CustomerFilter, { nullable: true, description: 'Narrows the list; every field given must match.' }) filter?: CustomerFilter,
  ): Promise<Connection<Customer>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const qb = ctx.db.getRepository(Customer).createQueryBuilder('c');
    if (!isInternal(ctx.identity)) {
      qb.andWhere('EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = c.id AND a.partner_id = :partner)', {
        partner: ctx.identity.partnerId,
      });
    }
    if (filter?.segment) qb.andWhere('c.segment = :segment', { segment: filter.segment });
    if (filter?.region) qb.andWhere('c.region = :region', { region: filter.region });
    if (filter?.lifecycleStage) qb.andWhere('c.lifecycle_stage = :stage', { stage: filter.lifecycleStage });
    if (filter?.ownerPartnerId) qb.andWhere('c.owner_partner_id = :owner', { owner: assertId(filter.ownerPartnerId, 'filter.ownerPartnerId') });
    if (filter?.search) {
      qb.andWhere('(c.name ILIKE :search OR c.domain ILIKE :search)', { search: `%${filter.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%` });
    }
    const filtered = qb.clone();
    const at = cursor && { at: cursor[0], id: cursor[1] };
    if (at) qb.andWhere('(c.created_at, c.id) > (:at::timestamptz, :id::uuid)', at);
    const rows = await qb
      .orderBy('c.created_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(limit + 1)
      .getMany();
    for (const row of rows) ctx.loaders.visibleCustomer.prime(row.id, row);
    const before = at && { where: '(c.created_at, c.id) <= (:at::timestamptz, :id::uuid)', params: at };
    return toConnection(rows, limit, (c) => [c.createdAt.toISOString(), c.id], queryBuilderProbes(ctx.db, filtered, before));
  }

  @Query(() => Customer, { nullable: true, description: "Finds a customer by a partner system's id for it." })
  @RequireScopes('customers:read')
  async customerByExternalId(
    @Arg('system', { description: 'The partner system the id belongs to, e.g. "acme-reseller-crm" (the `system` of upsertCustomers).' }) system: string,
    @Arg('externalId', { description: 'The id that system uses for the customer.' }) externalId: string,
    @Ctx() ctx: AccountsContext,
  ): Promise<Customer | null> {
    const rows: { customer_id: string }[] = await ctx.db.query(
      `SELECT customer_id FROM accounts.customer_external_ids WHERE system = $1 AND external_id = $2`,
      [system, externalId],
    );
    const customer = rows[0] ? await ctx.loaders.visibleCustomer.load(rows[0].customer_id) : null;
    if (!customer) throw notFound('Customer with external id', `${system}/${externalId}`);
    return customer;
  }

  @FieldResolver(() => [ExternalId], {
    description: 'The ids partner systems use for this customer (one per system), as linked by upsertCustomers or createCustomer.',
  })
  externalIds(@Root() customer: Customer, @Ctx() ctx: AccountsContext): Promise<ExternalId[]> {
    return ctx.loaders.externalIds.load(customer.id);
  }

  @Mutation(() => Customer, { description: 'Replaying the same idempotencyKey with the same input returns the same customer.' })
  @RequireScopes('customers:write')
  createCustomer(
    @Arg('input', () => CreateCustomerInput, { description: 'The new customer record.' }) input: CreateCustomerInput,
    @Ctx() ctx: AccountsContext,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description:
        'Any string up to 200 characters unique to this creation (e.g. your record’s id). A retry with the same key and input returns the customer created first; the same key with a different input is BAD_USER_INPUT.',
    })
    idempotencyKey?: string,
  ): Promise<Customer> {
    return createCustomer(ctx.db, ctx.identity, input, idempotencyKey);
  }

  @Mutation(() => Customer, { description: 'Fails with CONFLICT (extensions.currentVersion) when expectedVersion is stale.' })
  @RequireScopes('customers:write')
  updateCustomer(
    @Arg('id', () => ID, { description: 'The customer to change; one you may not see is NOT_FOUND.' }) id: string,
    @Arg('expectedVersion', () => Int, {
      description:
        'The `version` you read the customer at. If someone changed it since, nothing is written and the answer is CONFLICT with extensions.currentVersion: read again and retry.',
    })
    expectedVersion: number,
    @Arg('input', () => UpdateCustomerInput, { description: 'The fields to change; fields left out stay as they are.' }) input: UpdateCustomerInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<Customer> {
    return updateCustomer(ctx.db, ctx.identity, id, expectedVersion, input);
  }
}
