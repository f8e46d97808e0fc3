import { registerEnumType } from 'type-graphql';

export enum PartnerKind {
  RESELLER = 'RESELLER',
  AGENCY = 'AGENCY',
  SERVICE_PROVIDER = 'SERVICE_PROVIDER',
  INTERNAL_TEAM = 'INTERNAL_TEAM',
}

export enum PartnerTier {
  PLATINUM = 'PLATINUM',
  GOLD = 'GOLD',
  SILVER = 'SILVER',
  REGISTERED = 'REGISTERED',
}

export enum PartnerStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
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

export enum AccessKind {
  OWNER = 'OWNER',
  COLLABORATOR = 'COLLABORATOR',
}

export enum ViewerRole {
  INTERNAL = 'INTERNAL',
  PARTNER = 'PARTNER',
  SERVICE = 'SERVICE',
}

registerEnumType(PartnerKind, { name: 'PartnerKind', description: 'What a partner is to us.' });
registerEnumType(PartnerTier, { name: 'PartnerTier' });
registerEnumType(PartnerStatus, { name: 'PartnerStatus' });
registerEnumType(Region, { name: 'Region' });
registerEnumType(Segment, { name: 'Segment' });
registerEnumType(LifecycleStage, { name: 'LifecycleStage', description: 'Where the customer is in its life with us.' });
registerEnumType(AccessKind, { name: 'AccessKind' });
registerEnumType(ViewerRole, { name: 'ViewerRole' });
