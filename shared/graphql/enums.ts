import { registerEnumType } from 'type-graphql';

/**
 * The vocabulary every subgraph shares. Federation requires a value type declared in
 * several subgraphs to be identical, so it is declared once here and each subgraph's
 * `entities/enums.ts` re-exports what it uses.
 */

export enum HandoffMoment {
  MQL_TO_SQL = 'MQL_TO_SQL',
  DIRECT_TO_PARTNER = 'DIRECT_TO_PARTNER',
  CLOSED_WON_TO_ONBOARDING = 'CLOSED_WON_TO_ONBOARDING',
  ONBOARDING_TO_SUCCESS = 'ONBOARDING_TO_SUCCESS',
  SUCCESS_TO_RENEWAL = 'SUCCESS_TO_RENEWAL',
  CUSTOM = 'CUSTOM',
}

export enum PartnerTier {
  PLATINUM = 'PLATINUM',
  GOLD = 'GOLD',
  SILVER = 'SILVER',
  REGISTERED = 'REGISTERED',
}

export enum Region {
  NA = 'NA',
  LATAM = 'LATAM',
  EMEA = 'EMEA',
  APAC = 'APAC',
}

export enum Segment {
  SMB = 'SMB',
  MID_MARKET = 'MID_MARKET',
  ENTERPRISE = 'ENTERPRISE',
  STRATEGIC = 'STRATEGIC',
}

export enum LifecycleStage {
  LEAD = 'LEAD',
  MQL = 'MQL',
  SQL = 'SQL',
  OPPORTUNITY = 'OPPORTUNITY',
  CLOSED_WON = 'CLOSED_WON',
  ONBOARDING = 'ONBOARDING',
  ACTIVE = 'ACTIVE',
  RENEWAL = 'RENEWAL',
  CHURNED = 'CHURNED',
}

registerEnumType(HandoffMoment, { name: 'HandoffMoment', description: 'A moment where ownership of a customer changes hands.' });
registerEnumType(PartnerTier, { name: 'PartnerTier' });
registerEnumType(Region, { name: 'Region' });
registerEnumType(Segment, { name: 'Segment' });
registerEnumType(LifecycleStage, { name: 'LifecycleStage', description: 'Where the customer is in its life with us.' });
