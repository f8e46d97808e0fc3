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

registerEnumType(PartnerKind, {
  name: 'PartnerKind',
  description: 'What a partner is to us.',
  valuesConfig: {
    RESELLER: { description: 'Resells our product and owns the customers it brings.' },
    AGENCY: { description: 'Generates and qualifies demand for us (marketing, lead generation).' },
    SERVICE_PROVIDER: { description: 'Implements, onboards and supports customers.' },
    INTERNAL_TEAM: { description: 'One of our own teams (sales, success, revenue operations); sees every record.' },
  },
});
registerEnumType(PartnerStatus, {
  name: 'PartnerStatus',
  description: 'Whether a partner takes part in the hub.',
  valuesConfig: {
    ACTIVE: { description: 'Takes part: may own customers and receive handoffs.' },
    SUSPENDED: { description: 'Suspended by an internal team: keeps its history, cannot receive handoffs.' },
  },
});
registerEnumType(AccessKind, { name: 'AccessKind' });
registerEnumType(ViewerRole, {
  name: 'ViewerRole',
  description: 'How the hub treats a caller.',
  valuesConfig: {
    INTERNAL: { description: 'One of our internal teams: sees every record.' },
    PARTNER: { description: 'A partner: sees the customers it owns, collaborates on, or is named on a handoff of.' },
    SERVICE: { description: 'One of the hub’s own services.' },
  },
});
