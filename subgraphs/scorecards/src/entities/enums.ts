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

registerEnumType(ScorecardPeriod, { name: 'ScorecardPeriod' });
registerEnumType(ScorecardDimension, { name: 'ScorecardDimension' });
registerEnumType(FeedbackSource, { name: 'FeedbackSource', description: 'Who gave the feedback on a handoff.' });
registerEnumType(MaturityDimensionName, { name: 'MaturityDimensionName' });
