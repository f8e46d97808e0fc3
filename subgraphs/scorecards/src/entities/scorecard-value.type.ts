import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DecimalScalar } from '../../../../shared/graphql/money';

export enum ScorecardValueFigure {
  PROPOSED = 'PROPOSED',
  ACCEPTED = 'ACCEPTED',
  COMPLETED = 'COMPLETED',
  REJECTED = 'REJECTED',
  EXPIRED = 'EXPIRED',
  CANCELLED = 'CANCELLED',
  STALLED = 'STALLED',
  NEVER_PROPOSED = 'NEVER_PROPOSED',
  REVENUE_AT_RISK = 'REVENUE_AT_RISK',
}
registerEnumType(ScorecardValueFigure, {
  name: 'ScorecardValueFigure',
  description: 'A value figure of a scorecard row (ScorecardValue).',
  valuesConfig: {
    PROPOSED: { description: 'ScorecardValue.proposed.' },
    ACCEPTED: { description: 'ScorecardValue.accepted.' },
    COMPLETED: { description: 'ScorecardValue.completed.' },
    REJECTED: { description: 'ScorecardValue.leakage.rejected.' },
    EXPIRED: { description: 'ScorecardValue.leakage.expired.' },
    CANCELLED: { description: 'ScorecardValue.leakage.cancelled.' },
    STALLED: { description: 'ScorecardValue.leakage.stalled.' },
    NEVER_PROPOSED: { description: 'ScorecardValue.leakage.neverProposed (the dues’ values).' },
    REVENUE_AT_RISK: { description: 'ScorecardValue.revenueAtRisk.' },
  },
});

@ObjectType({
  description:
    'Part of a value figure that could not be converted: no exchange rate into the reporting currency for its currency on the handoffs’ proposal days (a due’s: its stage move). It is left out of the figure, never converted at 1.',
})
export class UnconvertibleValue {
  @Field(() => ScorecardValueFigure, { description: 'The figure this part is missing from.' })
  figure!: ScorecardValueFigure;

  @Field({ description: 'The currency without a rate (ISO 4217).' })
  currency!: string;

  @Field(() => DecimalScalar, { description: 'Their native amount in that currency, exact (not rounded).' })
  amount!: string;

  @Field(() => Int, { description: 'How many handoffs (for NEVER_PROPOSED: dues) it is.' })
  handoffs!: number;
}

@ObjectType({
  description:
    'Value-weighted conversion, from the exact sums in the reporting currency: Float ratios from 0 to 1 rounded to 4 decimals, like the count rates; null when the denominator is 0.',
})
export class ScorecardValueConversion {
  @Field(() => Float, { nullable: true, description: 'accepted value / proposed value' })
  acceptRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed value / accepted value' })
  completeRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'completed value / proposed value' })
  endToEndRate!: number | null;
}

@ObjectType({ description: 'Value leaked, in the reporting currency, by the same kinds as the leakage counts.' })
export class ScorecardValueLeakage {
  @Field(() => DecimalScalar, { description: 'Value of the handoffs rejected by the receiver.' })
  rejected!: string;

  @Field(() => DecimalScalar, { description: 'Value of the handoffs closed by an SLA escalation.' })
  expired!: string;

  @Field(() => DecimalScalar, { description: 'Value of the handoffs withdrawn by the sender.' })
  cancelled!: string;

  @Field(() => DecimalScalar, { description: 'Value of the handoffs stalled now (as `leakage.stalled` counts them).' })
  stalled!: string;

  @Field(() => DecimalScalar, { description: 'rejected + expired + cancelled + stalled (dues never proposed are apart, in `neverProposed`).' })
  total!: string;

  @Field(() => DecimalScalar, {
    description:
      'Value of the dues of the period never proposed (superseded, dismissed, or open past a breached PROPOSE clock), by the value each due carried, at its stage move day’s rate.',
  })
  neverProposed!: string;
}

@ObjectType({
  description:
    'The row’s handoffs in money, in the reporting currency: each handoff converted at the rate of its proposal day (UTC), with the rates scorecards holds when it answers; summed exactly and rounded once, to the currency’s minor units. Handoffs without a value count in no figure; parts without a rate are listed in `unconvertible`, never dropped nor converted at 1.',
})
export class ScorecardValue {
  @Field(() => String, {
    nullable: true,
    description:
      'The currency of every figure (ISO 4217): that of the newest exchange rates. Null before any were set: then every value is in `unconvertible`.',
  })
  reportingCurrency!: string | null;

  @Field(() => Int, { description: 'Handoffs proposed in the row that carry a value, convertible or not.' })
  valuedHandoffs!: number;

  @Field(() => DecimalScalar, { description: 'Value of the handoffs proposed.' })
  proposed!: string;

  @Field(() => DecimalScalar, { description: 'Value of those accepted (whenever).' })
  accepted!: string;

  @Field(() => DecimalScalar, { description: 'Value of those completed (whenever).' })
  completed!: string;

  @Field(() => ScorecardValueConversion, { description: 'Value-weighted conversion: accepted, completed and end-to-end, by value.' })
  conversion!: ScorecardValueConversion;

  @Field(() => ScorecardValueLeakage, { description: 'Value leaked, by kind.' })
  leakage!: ScorecardValueLeakage;

  @Field(() => DecimalScalar, {
    description:
      'Value of the open handoffs at risk now: stalled (as `leakage.stalled` counts them), or with an SLA clock at risk or breached; each counted once.',
  })
  revenueAtRisk!: string;

  @Field(() => [UnconvertibleValue], {
    description: 'What each figure leaves out for want of a rate, per figure and currency; empty when everything converted.',
  })
  unconvertible!: UnconvertibleValue[];
}
