import { registerEnumType } from 'type-graphql';

export { PartnerTier, Region, Segment, LifecycleStage } from '../../../../shared/graphql/enums';

export enum PartnerKind {
  RESELLER = 'RESELLER',
  AGENCY = 'AGENCY',
  SERVICE_PROVIDER = 'SERVICE_PROVIDER',
  INTERNAL_TEAM = 'INTERNAL_TEAM',
}

export enum PartnerStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
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
registerEnumType(PartnerStatus, { name: 'PartnerStatus' });
registerEnumType(AccessKind, { name: 'AccessKind' });
registerEnumType(ViewerRole, { name: 'ViewerRole' });
