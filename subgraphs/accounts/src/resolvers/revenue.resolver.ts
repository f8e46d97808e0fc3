import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { badUserInput } from '../../../../shared/errors';
import type { Money } from '../../../../shared/graphql/money';
import {
  AFTER_DESCRIPTION,
  BEFORE_PROBE,
  ConnectionType,
  COUNT_CAP,
  COUNT_PROBE,
  decodeCursor,
  FIRST_DESCRIPTION,
  pageSize,
  sqlProbes,
  toConnection,
  type Connection,
} from '../../../../shared/graphql/pagination';
import type { AccountsContext } from '../context';
import { Customer } from '../entities/customer.entity';
import { Partner } from '../entities/partner.entity';
import {
  CommercialsRevision,
  CommercialsSource,
  CustomerCommercials,
  ExchangeRate,
  ExchangeRatesVersion,
  RenewalOutcome,
  RenewalOutcomeKind,
} from '../entities/revenue.types';
import type { CommercialsValue } from '../services/commercials';
import {
  assertInternal,
  rateFromRow,
  ratesFilterProblems,
  ratesInForceSql,
  reportingCurrency,
  setExchangeRates,
  type RateValue,
  type RatesVersionValue,
} from '../services/exchange-rates.service';
import { recordRenewalOutcome, type RenewalOutcomeValue } from '../services/renewal-outcome.service';
import { ExchangeRateFilter, ExchangeRatesInput, RenewalOutcomeInput } from './revenue.inputs';

export const CommercialsRevisionConnection = ConnectionType(CommercialsRevision, 'CommercialsRevision');
export const RenewalOutcomeConnection = ConnectionType(RenewalOutcome, 'RenewalOutcome');
export const ExchangeRateConnection = ConnectionType(ExchangeRate, 'ExchangeRate');

const money = (amount: string | null, currency: string): Money | null => (amount === null ? null : { amount, currency });

const figures = (v: CommercialsValue) => ({
  currency: v.currency,
  arr: money(v.arr, v.currency),
  pipelineValue: money(v.pipelineValue, v.currency),
  contractValue: money(v.contractValue, v.currency),
  contractTermMonths: v.contractTermMonths,
  renewalDate: v.renewalDate,
});

export const toRenewalOutcome = (o: RenewalOutcomeValue): RenewalOutcome =>
  Object.assign(new RenewalOutcome(), {
    id: o.id,
    customerId: o.customerId,
    kind: o.kind as RenewalOutcomeKind,
    previousArr: money(o.previousArr, o.currency),
    newArr: { amount: o.newArr, currency: o.currency },
    effectiveDate: o.effectiveDate,
    handoffId: o.handoffId,
    ownerPartnerId: o.ownerPartnerId,
    recordedByPartnerId: o.recordedByPartnerId,
    recordedAt: new Date(o.recordedAt),
  });

const toVersion = (v: RatesVersionValue): ExchangeRatesVersion => Object.assign(new ExchangeRatesVersion(), { ...v, rates: v.rates.map(toRate) });
const toRate = (r: RateValue): ExchangeRate => Object.assign(new ExchangeRate(), r);

/** Internal teams and the customer's owner read its figures; a collaborator (a previous owner) and anyone else, nothing. */
const seesFigures = (ctx: AccountsContext, customer: Customer) =>
  isInternal(ctx.identity) || (!!customer.ownerPartnerId && customer.ownerPartnerId === ctx.identity.partnerId);

function emptyConnection<T>(): Connection<T> {
  return toConnection<T>([], 1, () => [], { count: async () => 0 });
}

const OWNER_ONLY = 'Internal teams and the customer’s owner only: null for anyone else (a collaborator or previous owner included).';

@Resolver(() => Customer)
export class CustomerRevenueResolver {
  @FieldResolver(() => CustomerCommercials, { nullable: true, description: `The customer’s commercial figures; null when none are recorded. ${OWNER_ONLY}` })
  async commercials(@Root() customer: Customer, @Ctx() ctx: AccountsContext): Promise<CustomerCommercials | null> {
    if (!seesFigures(ctx, customer)) return null;
    const now = await ctx.loaders.commercials.load(customer.id);
    return now ? Object.assign(new CustomerCommercials(), figures(now), { customerVersion: now.customerVersion, updatedAt: now.updatedAt }) : null;
  }

  @FieldResolver(() => CommercialsRevisionConnection, {
    description: `Every revision of the commercial figures, newest first. ${OWNER_ONLY.replace('null', 'empty')}`,
  })
  async commercialsHistory(
    @Root() customer: Customer,
    @Ctx() ctx: AccountsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<CommercialsRevision>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 1);
    if (!seesFigures(ctx, customer)) return emptyConnection();
    const before = cursor ? String(cursor[0]) : null;
    if (before !== null && !/^\d+$/.test(before))
      throw badUserInput('"after" is not a cursor this API issued', [{ field: 'after', message: 'malformed cursor' }]);
    const rows = await ctx.loaders.commercialsHistory.load({ customerId: customer.id, limit, before });
    const nodes = rows.map((r) =>
      Object.assign(new CommercialsRevision(), figures(r), {
        id: r.id,
        customerVersion: r.customerVersion,
        source: r.source as CommercialsSource,
        changedByPartnerId: r.changedByPartnerId,
        changedAt: r.changedAt,
      }),
    );
    const filtered = `SELECT 1 FROM accounts.customer_commercials_history WHERE customer_id = $1`;
    return toConnection(
      nodes,
      limit,
      (n) => [n.customerVersion],
      sqlProbes(ctx.db, [filtered, [customer.id]], before === null ? undefined : [`${filtered} AND customer_version >= $2::int`, [customer.id, before]]),
    );
  }

  @FieldResolver(() => RenewalOutcomeConnection, {
    description: `The customer’s renewal outcomes, newest recorded first. ${OWNER_ONLY.replace('null', 'empty')}`,
  })
  async renewalOutcomes(
    @Root() customer: Customer,
    @Ctx() ctx: AccountsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<RenewalOutcome>> {
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 1);
    if (!seesFigures(ctx, customer)) return emptyConnection();
    const before = cursor ? String(cursor[0]) : null;
    if (before !== null && !/^\d+$/.test(before))
      throw badUserInput('"after" is not a cursor this API issued', [{ field: 'after', message: 'malformed cursor' }]);
    const rows = await ctx.loaders.renewalOutcomes.load({ customerId: customer.id, limit, before });
    const seqOf = new Map<RenewalOutcome, string>();
    const nodes = rows.map((r) => {
      const node = toRenewalOutcome(r);
      seqOf.set(node, r.seq);
      return node;
    });
    const filtered = `SELECT 1 FROM accounts.renewal_outcomes WHERE customer_id = $1`;
    return toConnection(
      nodes,
      limit,
      (n) => [seqOf.get(n) ?? ''],
      sqlProbes(ctx.db, [filtered, [customer.id]], before === null ? undefined : [`${filtered} AND seq >= $2::bigint`, [customer.id, before]]),
    );
  }
}

@Resolver(() => CommercialsRevision)
export class CommercialsRevisionResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'Who made the change; null for the hub itself or an internal service.' })
  changedBy(@Root() r: CommercialsRevision, @Ctx() ctx: AccountsContext): Promise<Partner | null> | null {
    return r.changedByPartnerId ? ctx.loaders.partner.load(r.changedByPartnerId) : null;
  }
}

@Resolver(() => RenewalOutcome)
export class RenewalOutcomeResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'The customer’s owner when the outcome was recorded; null when we held it directly.' })
  owner(@Root() o: RenewalOutcome, @Ctx() ctx: AccountsContext): Promise<Partner | null> | null {
    return o.ownerPartnerId ? ctx.loaders.partner.load(o.ownerPartnerId) : null;
  }

  @FieldResolver(() => Partner, {
    nullable: true,
    description: 'Who recorded it (the receiver of a completed renewal handoff, the owner or an internal team).',
  })
  recordedBy(@Root() o: RenewalOutcome, @Ctx() ctx: AccountsContext): Promise<Partner | null> | null {
    return o.recordedByPartnerId ? ctx.loaders.partner.load(o.recordedByPartnerId) : null;
  }
}

@Resolver(() => ExchangeRatesVersion)
export class ExchangeRatesResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'The internal team that set this version.' })
  setBy(@Root() v: ExchangeRatesVersion, @Ctx() ctx: AccountsContext): Promise<Partner | null> | null {
    return v.setByPartnerId ? ctx.loaders.partner.load(v.setByPartnerId) : null;
  }

  @Query(() => String, {
    nullable: true,
    description:
      'The ISO 4217 currency the hub reports money in (scorecards convert into it); null until internal teams set exchange rates. Any signed-in caller.',
  })
  reportingCurrency(@Ctx() ctx: AccountsContext): Promise<string | null> {
    return reportingCurrency(ctx.db.manager);
  }

  @RequireScopes('admin')
  @Query(() => ExchangeRateConnection, {
    description:
      'Internal teams only (FORBIDDEN for partners). The exchange rates in force into the reporting currency, by currency then day, each with the version that set it.',
  })
  async exchangeRates(
    @Ctx() ctx: AccountsContext,
    @Arg('filter', () => ExchangeRateFilter, { nullable: true, description: 'Narrows the rates; every field given must match.' }) filter?: ExchangeRateFilter,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
  ): Promise<Connection<ExchangeRate>> {
    assertInternal(ctx.identity, 'Reading exchange rates');
    const limit = pageSize(first);
    const cursor = decodeCursor(after, 2);
    const problems = ratesFilterProblems(filter);
    if (problems.length) throw badUserInput(`The filter is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
    const at = cursor ? ([String(cursor[0]), String(cursor[1])] as [string, string]) : undefined;
    const [sql, params] = ratesInForceSql(filter, at, limit + 1);
    const rows: { currency: string; day: string; rate: string; version: number }[] = await ctx.db.query(sql, params);
    const [all, allParams] = ratesInForceSql(filter, undefined);
    return toConnection(rows.map(rateFromRow).map(toRate), limit, (r) => [r.currency, r.day], {
      count: async () =>
        Number((await ctx.db.query(`${COUNT_PROBE}SELECT count(*)::int AS n FROM (${all} LIMIT ${COUNT_CAP + 1}) rates`, allParams))[0]?.n ?? 0),
      before: at
        ? async () => {
            const n = allParams.length;
            const rowsBefore = await ctx.db.query(
              `${BEFORE_PROBE}SELECT EXISTS (SELECT 1 FROM (${all}) rates WHERE (rates.currency, rates.day::date) <= ($${n + 1}, $${n + 2}::date)) AS found`,
              [...allParams, ...at],
            );
            return rowsBefore[0]?.found === true;
          }
        : undefined,
    });
  }

  @RequireScopes('admin')
  @Mutation(() => ExchangeRatesVersion, {
    description:
      'Internal teams only (FORBIDDEN for partners). Sets the next version of the exchange rates (docs/revenue.md#exchange-rates): in the current reporting currency they add to and, per currency and day, replace the rates in force; in another they replace them all. BAD_USER_INPUT names every bad currency, day, rate and repeated (currency, day). No network is used.',
  })
  async setExchangeRates(
    @Arg('input', () => ExchangeRatesInput, { description: 'The reporting currency and the rates of the new version.' }) input: ExchangeRatesInput,
    @Ctx() ctx: AccountsContext,
  ): Promise<ExchangeRatesVersion> {
    return toVersion(await setExchangeRates(ctx.db, ctx.identity, input));
  }

  @RequireScopes('customers:write')
  @Mutation(() => RenewalOutcome, {
    description:
      'The customer’s owner or an internal team records how its renewal ended; sets its commercials’ ARR to newArr (a new version) in the same transaction. BAD_USER_INPUT when the outcome breaks a rule (docs/revenue.md#renewal-outcomes); FORBIDDEN for a collaborator; NOT_FOUND for a customer you may not see; CONFLICT when the handoff already has an outcome.',
  })
  async recordRenewalOutcome(
    @Arg('customerId', () => ID, { description: 'The customer whose renewal it is.' }) customerId: string,
    @Arg('input', () => RenewalOutcomeInput, { description: 'The outcome.' }) input: RenewalOutcomeInput,
    @Ctx() ctx: AccountsContext,
    @Arg('idempotencyKey', () => String, {
      nullable: true,
      description: 'Any string up to 200 characters unique to this outcome: a retry with the same key and input returns the outcome recorded first.',
    })
    idempotencyKey?: string,
  ): Promise<RenewalOutcome> {
    return toRenewalOutcome(
      await recordRenewalOutcome(
        ctx.db,
        ctx.identity,
        customerId,
        {
          kind: input.kind,
          newArr: { amount: input.newArr.amount, currency: input.newArr.currency },
          effectiveDate: input.effectiveDate,
          handoffId: input.handoffId,
        },
        idempotencyKey,
      ),
    );
  }
}
