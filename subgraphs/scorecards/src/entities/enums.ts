import { registerEnumType } from 'type-graphql';

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
export enum HandoffMoment {
  MQL_TO_SQL = 'MQL_TO_SQL',
  DIRECT_TO_PARTNER = 'DIRECT_TO_PARTNER',
  CLOSED_WON_TO_ONBOARDING = 'CLOSED_WON_TO_ONBOARDING',
  ONBOARDING_TO_SUCCESS = 'ONBOARDING_TO_SUCCESS',
  SUCCESS_TO_RENEWAL = 'SUCCESS_TO_RENEWAL',
  CUSTOM = 'CUSTOM',
}

export enum Segment {
  SMB = 'SMB',
  MID_MARKET = 'MID_MARKET',
  ENTERPRISE = 'ENTERPRISE',
  STRATEGIC = 'STRATEGIC',
}

export enum Region {
  NA = 'NA',
  LATAM = 'LATAM',
  EMEA = 'EMEA',
  APAC = 'APAC',
}

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
registerEnumType(HandoffMoment, { name: 'HandoffMoment' });
registerEnumType(Segment, { name: 'Segment' });
registerEnumType(Region, { name: 'Region' });
registerEnumType(FeedbackSource, { name: 'FeedbackSource', description: 'Who gave the feedback on a handoff.' });
registerEnumType(MaturityDimensionName, { name: 'MaturityDimensionName' });
