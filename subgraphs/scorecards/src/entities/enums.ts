import { registerEnumType } from 'type-graphql';

export { HandoffMoment, Region, Segment } from '../../../../shared/graphql/enums';

/** The period a scorecard row covers (calendar periods in UTC; weeks start on Monday). */
export enum ScorecardPeriod {
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  QUARTER = 'QUARTER',
}

/** What scorecard rows can be grouped by (besides the period, always grouped). */
export enum ScorecardDimension {
  PARTNER = 'PARTNER',
  SEGMENT = 'SEGMENT',
  REGION = 'REGION',
  MOMENT = 'MOMENT',
}

// The next three are shared with other subgraphs and must stay identical to theirs.

export enum FeedbackSource {
  CUSTOMER = 'CUSTOMER',
  INTERNAL = 'INTERNAL',
  PARTNER = 'PARTNER',
}

export enum MaturityDimensionName {
  HANDOFF_DESIGN = 'HANDOFF_DESIGN',
  DATA_AND_SYSTEMS = 'DATA_AND_SYSTEMS',
  SLAS_AND_PLAYBOOKS = 'SLAS_AND_PLAYBOOKS',
  CUSTOMER_EXPERIENCE = 'CUSTOMER_EXPERIENCE',
  MEASUREMENT_AND_ACCOUNTABILITY = 'MEASUREMENT_AND_ACCOUNTABILITY',
}

registerEnumType(ScorecardPeriod, {
  name: 'ScorecardPeriod',
  description: 'The grain scorecard rows are computed at, in UTC.',
  valuesConfig: {
    DAY: { description: 'Calendar days.' },
    WEEK: { description: 'ISO weeks, starting on Monday.' },
    MONTH: { description: 'Calendar months.' },
    QUARTER: { description: 'Calendar quarters (January, April, July, October).' },
  },
});
registerEnumType(ScorecardDimension, {
  name: 'ScorecardDimension',
  description: 'What scorecard rows can be grouped by.',
  valuesConfig: {
    PARTNER: { description: 'The receiving partner.' },
    SEGMENT: { description: 'The customer’s segment.' },
    REGION: { description: 'The customer’s region.' },
    MOMENT: { description: 'The handoff moment.' },
  },
});
registerEnumType(FeedbackSource, {
  name: 'FeedbackSource',
  description: 'Who gave the feedback on a handoff.',
  valuesConfig: {
    CUSTOMER: { description: 'The customer, through a single-use feedback link.' },
    INTERNAL: { description: 'One of our internal teams.' },
    PARTNER: { description: 'One of the handoff’s partners (sender or receiver).' },
  },
});
registerEnumType(MaturityDimensionName, {
  name: 'MaturityDimensionName',
  description: 'The five dimensions of handoff maturity.',
  valuesConfig: {
    HANDOFF_DESIGN: { description: 'Handoffs run under a published playbook.' },
    DATA_AND_SYSTEMS: { description: 'Handoffs carry all the required data at proposal.' },
    SLAS_AND_PLAYBOOKS: { description: 'Handoffs run under an SLA policy and meet it.' },
    CUSTOMER_EXPERIENCE: { description: 'Customers rate handoffs well and do not have to repeat themselves.' },
    MEASUREMENT_AND_ACCOUNTABILITY: { description: 'Handoffs get feedback, from all three sides.' },
  },
});
