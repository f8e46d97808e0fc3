import Decimal from 'decimal.js';
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { Directive, Field, InputType, ObjectType } from 'type-graphql';

/**
 * Money in the hub: an exact decimal amount and an ISO 4217 currency. Amounts travel as
 * strings (the `Decimal` scalar), are `numeric` in SQL and decimal.js in code — never a
 * JavaScript number, which cannot hold 0.10 exactly.
 */

/** Digits an amount may carry: 18 before the point, 6 after (SQL `numeric(24, 6)`). */
export const AMOUNT_PATTERN = /^-?(0|[1-9]\d{0,17})(\.\d{1,6})?$/;

/** An independent decimal.js constructor: enough precision for sums of many amounts and rate products. */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
export type Dec = InstanceType<typeof Dec>;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 code this runtime knows (upper case, three letters). */
export const isCurrency = (code: string): boolean => /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);

/** The currency's minor units (EUR 2, JPY 0, BHD 3): where reported figures are rounded. */
export function minorUnits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Rounds an amount to the currency's minor units (half to even) and prints it with exactly that many decimals. */
export const roundToCurrency = (amount: Dec, currency: string): string =>
  amount.toDecimalPlaces(minorUnits(currency), Dec.ROUND_HALF_EVEN).toFixed(minorUnits(currency));

/** A string-encoded decimal as the API takes it; why not, when it is not. */
export function amountProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'an amount is a string-encoded decimal such as "1250.50" (never a JSON number, which may not be exact)';
  if (!AMOUNT_PATTERN.test(value)) return 'an amount has at most 18 digits before the point and 6 after, such as "1250.50"';
  return undefined;
}

function parseDecimal(value: unknown): string {
  const problem = amountProblem(value);
  if (problem) throw new GraphQLError(`Decimal: ${problem}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return value as string;
}

/**
 * `Decimal`: an exact decimal number as a string ("1250.50", "-3", "0.000125"). Every
 * subgraph uses this one scalar.
 */
export const DecimalScalar = new GraphQLScalarType({
  name: 'Decimal',
  description: 'An exact decimal number, as a string: "1250.50", "-3", "0.000125". Never a JSON number (which may not be exact).',
  serialize: (value) => (value instanceof Dec || value instanceof Decimal ? (value as Dec).toFixed() : String(value)),
  parseValue: parseDecimal,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Decimal: write an amount as a string, such as "1250.50"', { extensions: { code: 'BAD_USER_INPUT' } });
    return parseDecimal(ast.value);
  },
});

@Directive('@shareable')
@ObjectType({ description: 'An amount of money: an exact decimal and its ISO 4217 currency.' })
export class Money {
  @Field(() => DecimalScalar, { description: 'The amount, exact, as a string ("1250.50").' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code ("EUR", "USD", "JPY").' })
  currency!: string;
}

@InputType({ description: 'An amount of money as written: an exact decimal string and an ISO 4217 currency.' })
export class MoneyInput {
  @Field(() => DecimalScalar, { description: 'The amount as a string ("1250.50"): at most 18 digits before the point and 6 after.' })
  amount!: string;

  @Field({ description: 'ISO 4217 currency code ("EUR", "USD", "JPY").' })
  currency!: string;
}

/** A money value as events and services carry it (amount a decimal string). */
export interface MoneyValue {
  amount: string;
  currency: string;
}

/** Why a money input is unusable, for `badUserInput` field details; undefined when fine. */
export function moneyProblem(value: MoneyValue): string | undefined {
  const amount = amountProblem(value.amount);
  if (amount) return amount;
  if (!isCurrency(value.currency)) return `"${value.currency}" is not an ISO 4217 currency code`;
  return undefined;
}
