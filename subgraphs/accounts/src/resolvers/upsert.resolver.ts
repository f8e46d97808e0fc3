import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import type { AccountsContext } from '../context';
import { UpsertResult } from '../sync/upsert-result.types';
import { UpsertCustomerInput } from '../sync/upsert.inputs';
import { upsertCustomers } from '../sync/upsert.service';

@Resolver()
export class UpsertResolver {
  @Mutation(() => UpsertResult, {
    description:
      'Bulk sync from a partner system, up to 1,000 rows: matched by (system, externalId), then by domain, else created. ' +
      'Each row has its own outcome; a bad row never fails the batch; sending the same batch again changes nothing.',
  })
  @RequireScopes('customers:write')
  upsertCustomers(
    @Arg('system', { description: 'Your system’s name, e.g. "acme-reseller-crm".' }) system: string,
    @Arg('input', () => [UpsertCustomerInput], {
      description: 'The rows, 1–1,000 per call; each is matched, created or updated on its own and reported in input order.',
    })
    input: UpsertCustomerInput[],
    @Ctx() ctx: AccountsContext,
  ): Promise<UpsertResult> {
    return upsertCustomers(ctx.db, ctx.identity, system, input);
  }
}
