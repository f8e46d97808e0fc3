import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar, Money } from '../../../../shared/graphql/money';

export enum RenewalOutcomeKind {
  RENEWED = 'RENEWED',
  EXPANDED = 'EXPANDED',
  CONTRACTED = 'CONTRACTED',
  CHURNED = 'CHURNED',
}

registerEnumType(RenewalOutcomeKind, {
  name: 'RenewalOutcomeKind',
  description: 'How a renewal ended (docs/revenue.md#renewal-outcomes for the rules each one keeps).',
  valuesConfig: {
    RENEWED: { description: 'Renewed at the same ARR (newArr equals the ARR before, when there was one).' },
    EXPANDED: { description: 'Renewed at a higher ARR than before.' },
    CONTRACTED: { description: 'Renewed at a lower ARR than before, above zero.' },
    CHURNED: { description: 'Did not renew: newArr is 0.' },
  },
});

export enum CommercialsSource {
  UPDATE = 'UPDATE',
  SYNC = 'SYNC',
  RENEWAL_OUTCOME = 'RENEWAL_OUTCOME',
}

registerEnumType(CommercialsSource, {
  name: 'CommercialsSource',
  description: 'What wrote a revision of a customer’s commercial figures.',
  valuesConfig: {
    UPDATE: { description: 'updateCustomer.' },
    SYNC: { description: 'upsertCustomers (a partner system’s sync).' },
    RENEWAL_OUTCOME: { description: 'A renewal outcome set the ARR (recordRenewalOutcome, or a completed SUCCESS_TO_RENEWAL handoff).' },
  },
});

@ObjectType({
  description: 'A customer’s commercial figures, all in one currency. Only internal teams and the customer’s owner may read them; a figure not known is null.',
})
export class CustomerCommercials {
  @Field({ description: 'ISO 4217 currency of every figure below.' })
  currency!: string;

  @Field(() => Money, { nullable: true, description: 'Annual recurring revenue today.' })
  arr!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Value of the open opportunity (before the sale).' })
  pipelineValue!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Total contract value.' })
  contractValue!: Money | null;

  @Field(() => Int, { nullable: true, description: 'Length of the contract in months.' })
  contractTermMonths!: number | null;

  @Field(() => String, { nullable: true, description: 'When the contract comes up for renewal, YYYY-MM-DD.' })
  renewalDate!: string | null;

  @Field(() => Int, { description: 'The customer’s `version` at which these figures were last set.' })
  customerVersion!: number;

  @Field({ description: 'When they were last set (UTC).' })
  updatedAt!: Date;
}

@ObjectType({ description: 'One revision of a customer’s commercial figures: the figures as that change left them.' })
export class CommercialsRevision {
  @Field(() => ID, { description: 'Stable id of the revision.' })
  id!: string;

  @Field(() => Int, { description: 'The customer’s `version` this change produced.' })
  customerVersion!: number;

  @Field({ description: 'ISO 4217 currency of the figures.' })
  currency!: string;

  @Field(() => Money, { nullable: true, description: 'ARR after the change.' })
  arr!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Pipeline value after the change.' })
  pipelineValue!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Contract value after the change.' })
  contractValue!: Money | null;

  @Field(() => Int, { nullable: true, description: 'Contract term in months after the change.' })
  contractTermMonths!: number | null;

  @Field(() => String, { nullable: true, description: 'Renewal date (YYYY-MM-DD) after the change.' })
  renewalDate!: string | null;

  @Field(() => CommercialsSource, { description: 'What made the change.' })
  source!: CommercialsSource;

  /** Resolved to `changedBy`. */
  changedByPartnerId!: string | null;

  @Field({ description: 'When it changed (UTC).' })
  changedAt!: Date;
}

@ObjectType({ description: 'A renewal’s outcome: how the customer’s ARR moved, and when it took effect.' })
export class RenewalOutcome {
  @Field(() => ID, { description: 'Stable id of the outcome.' })
  id!: string;

  @Field(() => ID, { description: 'The customer it is about.' })
  customerId!: string;

  @Field(() => RenewalOutcomeKind, { description: 'RENEWED, EXPANDED, CONTRACTED or CHURNED.' })
  kind!: RenewalOutcomeKind;

  @Field(() => Money, { nullable: true, description: 'The ARR before it; null when none was recorded.' })
  previousArr!: Money | null;

  @Field(() => Money, { description: 'The ARR from the effective date (0 when CHURNED).' })
  newArr!: Money;

  @Field({ description: 'When the outcome takes effect, YYYY-MM-DD.' })
  effectiveDate!: string;

  @Field(() => ID, { nullable: true, description: 'The SUCCESS_TO_RENEWAL handoff whose completion recorded it, if any.' })
  handoffId!: string | null;

  /** Resolved to `owner`. */
  ownerPartnerId!: string | null;

  /** Resolved to `recordedBy`. */
  recordedByPartnerId!: string | null;

  @Field({ description: 'When it was recorded (UTC).' })
  recordedAt!: Date;
}

@ObjectType({ description: 'An exchange rate in force: how many units of the reporting currency one unit of `currency` was worth on `day`.' })
export class ExchangeRate {
  @Field({ description: 'ISO 4217 currency the rate converts from.' })
  currency!: string;

  @Field({ description: 'The day the rate holds for, YYYY-MM-DD.' })
  day!: string;

  @Field(() => DecimalScalar, { description: 'Units of the reporting currency per unit of `currency`, exact.' })
  rate!: string;

  @Field(() => Int, { description: 'The version of the exchange rates that set this rate.' })
  version!: number;
}

@ObjectType({ description: 'One version of the exchange rates, as setExchangeRates wrote it.' })
export class ExchangeRatesVersion {
  @Field(() => Int, { description: 'Increments by one with every setExchangeRates.' })
  version!: number;

  @Field({ description: 'ISO 4217 currency every rate of this version converts into.' })
  reportingCurrency!: string;

  @Field(() => [ExchangeRate], { description: 'The rates this version gives, by currency and day.' })
  rates!: ExchangeRate[];

  /** Resolved to `setBy`. */
  setByPartnerId!: string | null;

  @Field({ description: 'When it was set (UTC).' })
  setAt!: Date;
}
