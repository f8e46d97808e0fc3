import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar, Money } from '../../../../shared/graphql/money';
import { Region, Segment } from './enums';
import { PartnerRef } from './refs';

export { RetentionDimension } from './retention-dimension';

@ObjectType({
  description:
    'Gross and net revenue retention of one group of customers over one period, in one currency: the customers that had ARR just before the period started, and what became of it.',
})
export class RevenueRetentionRow {
  @Field({ description: 'Start of the period (UTC, inclusive).' })
  periodStart!: Date;

  @Field({ description: 'End of the period (UTC, exclusive).' })
  periodEnd!: Date;

  @Field(() => ID, { nullable: true, description: 'The partner the customers’ periods are attributed to; null when not grouped by PARTNER, or held directly.' })
  partnerId!: string | null;

  @Field(() => PartnerRef, { nullable: true, description: 'That partner.' })
  partner!: PartnerRef | null;

  @Field({ description: 'Grouped by PARTNER and the customers were held directly by us (no partner): internal teams only.' })
  heldDirectly!: boolean;

  @Field(() => Segment, { nullable: true, description: 'The customers’ segment, when grouped by SEGMENT.' })
  segment!: Segment | null;

  @Field(() => Region, { nullable: true, description: 'The customers’ region, when grouped by REGION.' })
  region!: Region | null;

  @Field(() => String, { nullable: true, description: 'The quarter the customers were handed to the partner (YYYY-Qn), when grouped by COHORT.' })
  cohort!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'ISO 4217 currency of every amount of the row (ratios need no conversion); null on a row with no customers.',
  })
  currency!: string | null;

  @Field(() => Money, { nullable: true, description: 'ARR of the counted customers just before the period started.' })
  startingArr!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Starting ARR of the customers whose ARR was zero at the end of the period.' })
  churnedArr!: Money | null;

  @Field(() => Money, { nullable: true, description: 'ARR lost by customers that ended the period below their start (not churned).' })
  contractedArr!: Money | null;

  @Field(() => Money, { nullable: true, description: 'ARR gained by customers that ended the period above their start.' })
  expandedArr!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Starting − churned − contracted + expanded: the counted customers’ ARR at the end of the period.' })
  endingArr!: Money | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description:
      'Gross revenue retention: (starting − churned − contracted) ÷ starting, an exact decimal with four places ("0.9250"); null without starting ARR.',
  })
  grossRevenueRetention!: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Net revenue retention: ending ÷ starting, an exact decimal with four places ("1.0840"); null without starting ARR.',
  })
  netRevenueRetention!: string | null;

  @Field(() => Int, { description: 'Customers counted: ARR above zero just before the period started, in this currency.' })
  customers!: number;

  @Field(() => Int, { description: 'Of those, churned (ARR zero at the end).' })
  churnedCustomers!: number;

  @Field(() => Int, { description: 'Of those, contracted.' })
  contractedCustomers!: number;

  @Field(() => Int, { description: 'Of those, expanded.' })
  expandedCustomers!: number;

  @Field(() => Int, { description: 'Customers of the starting cohort left out because their ARR moved to another currency in the period.' })
  excludedCustomers!: number;
}

@ObjectType({ description: 'What a lifetime value rests on.' })
export class LifetimeValueSample {
  @Field(() => Int, { description: 'Customers the partner owns now in the segment with ARR in this currency (the average ARR’s sample).' })
  customers!: number;

  @Field(() => Int, {
    description: 'Renewal outcomes of the partner’s customers in the segment that took effect in the last 12 months (the churn rate’s sample).',
  })
  outcomes!: number;

  @Field(() => Int, { description: 'Of those outcomes, CHURNED.' })
  churned!: number;

  @Field({ description: 'Start of the outcomes’ 12-month window (UTC).' })
  windowStart!: Date;

  @Field({ description: 'End of the window: when the figure was computed (UTC).' })
  windowEnd!: Date;
}

@ObjectType({
  description:
    'Customer lifetime value of a partner’s customers in one segment and currency: average ARR × gross margin ÷ annual churn rate. Null, with the reason, below the minimum sample.',
})
export class LifetimeValueRow {
  @Field(() => ID, { description: 'The partner that owns the customers now.' })
  partnerId!: string;

  @Field(() => PartnerRef, { description: 'That partner.' })
  partner!: PartnerRef;

  @Field(() => Segment, { nullable: true, description: 'The customers’ segment; null on a row for a partner with no customer.' })
  segment!: Segment | null;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency of the amounts; null on a row with no customer.' })
  currency!: string | null;

  @Field(() => Money, { nullable: true, description: 'Average ARR of the customers counted.' })
  averageArr!: Money | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'The gross margin used (a fraction: "0.72"), the segment’s own or the hub-wide one; null when none is set.',
  })
  grossMargin!: string | null;

  @Field(() => Int, { nullable: true, description: 'The version of the gross margin used.' })
  grossMarginVersion!: number | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Churned outcomes ÷ outcomes of the last 12 months (four places); null without outcomes.' })
  annualChurnRate!: string | null;

  @Field(() => Money, { nullable: true, description: 'The lifetime value; null when `unavailableReason` says why.' })
  lifetimeValue!: Money | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why there is no lifetime value (too small a sample, no churn, no gross margin); null when there is one.',
  })
  unavailableReason!: string | null;

  @Field(() => LifetimeValueSample, { description: 'The customers and outcomes the figure rests on.' })
  sample!: LifetimeValueSample;
}

@ObjectType({ description: 'A version of the gross margin lifetime values use.' })
export class GrossMargin {
  @Field(() => Int, { description: 'Increases with every change.' })
  version!: number;

  @Field(() => Segment, { nullable: true, description: 'The segment it applies to; null: every segment without one of its own.' })
  segment!: Segment | null;

  @Field(() => DecimalScalar, { description: 'A fraction of revenue, as an exact decimal ("0.72" is 72 %).' })
  margin!: string;

  @Field(() => ID, { nullable: true, description: 'The internal team that set it.' })
  setByPartnerId!: string | null;

  @Field({ description: 'When it was set (UTC).' })
  setAt!: Date;
}
