import { Field, ID, InputType, Int } from 'type-graphql';
import { DecimalScalar, MoneyInput } from '../../../../shared/graphql/money';
import { RenewalOutcomeKind } from '../entities/revenue.types';

/*
 * Deliberately without class-validator rules: the services check these field by field
 * (services/commercials.ts, exchange-rates.service.ts, renewal-outcome.service.ts) so that
 * every problem comes back at once, named, and sync can report a bad row instead of
 * failing its batch.
 */

@InputType({
  description:
    'A customer’s commercial figures, all in `currency`. updateCustomer: a figure left out stays, null clears it. upsertCustomers: a figure left out or null stays. A change of currency must restate every amount the record holds.',
})
export class CommercialsInput {
  @Field({ description: 'ISO 4217 currency of every amount ("EUR", "USD", "JPY").' })
  currency!: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Annual recurring revenue, a decimal string ("120000.00"); not negative.' })
  arr?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Value of the open opportunity, a decimal string; not negative.' })
  pipelineValue?: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Total contract value, a decimal string; not negative.' })
  contractValue?: string | null;

  @Field(() => Int, { nullable: true, description: 'Length of the contract in months, 1–1200.' })
  contractTermMonths?: number | null;

  @Field(() => String, { nullable: true, description: 'When the contract comes up for renewal, YYYY-MM-DD.' })
  renewalDate?: string | null;
}

@InputType({ description: 'One exchange rate: how many units of the reporting currency one unit of `currency` was worth on `day`.' })
export class ExchangeRateInput {
  @Field({ description: 'ISO 4217 currency to convert from; not the reporting currency itself.' })
  currency!: string;

  @Field({ description: 'The day the rate holds for, YYYY-MM-DD.' })
  day!: string;

  @Field(() => DecimalScalar, { description: 'Units of the reporting currency per unit of `currency`: a positive decimal string ("1.0842").' })
  rate!: string;
}

@InputType({ description: 'A new version of the exchange rates.' })
export class ExchangeRatesInput {
  @Field({
    description:
      'ISO 4217 currency the hub reports in. The same as the current one: these rates add to (and, per currency and day, replace) those in force. Another one: they replace every earlier rate.',
  })
  reportingCurrency!: string;

  @Field(() => [ExchangeRateInput], { description: 'The rates of this version (at most 5,000; one per currency and day).' })
  rates!: ExchangeRateInput[];
}

@InputType({ description: 'Narrows the exchange rates in force; every field given must match.' })
export class ExchangeRateFilter {
  @Field(() => String, { nullable: true, description: 'Only rates from this ISO 4217 currency.' })
  currency?: string | null;

  @Field(() => String, { nullable: true, description: 'Only rates of this day or later, YYYY-MM-DD.' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'Only rates of this day or earlier, YYYY-MM-DD.' })
  to?: string | null;
}

@InputType({ description: 'A renewal’s outcome (docs/revenue.md#renewal-outcomes for the rules).' })
export class RenewalOutcomeInput {
  @Field(() => RenewalOutcomeKind, { description: 'How the renewal ended.' })
  kind!: RenewalOutcomeKind;

  @Field(() => MoneyInput, { description: 'The ARR from the effective date, in the commercials’ currency; "0" for CHURNED.' })
  newArr!: MoneyInput;

  @Field({ description: 'When the outcome takes effect, YYYY-MM-DD.' })
  effectiveDate!: string;

  @Field(() => ID, { nullable: true, description: 'The SUCCESS_TO_RENEWAL handoff this outcome closes, if any: one outcome per handoff.' })
  handoffId?: string | null;
}
