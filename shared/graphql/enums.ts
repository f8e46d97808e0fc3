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

registerEnumType(HandoffMoment, {
  name: 'HandoffMoment',
  description: 'A moment where ownership of a customer changes hands.',
  valuesConfig: {
    MQL_TO_SQL: { description: 'Marketing hands a qualified lead to sales.' },
    DIRECT_TO_PARTNER: { description: 'Our direct team hands a customer to a partner.' },
    CLOSED_WON_TO_ONBOARDING: { description: 'Sales hands a signed customer to onboarding.' },
    ONBOARDING_TO_SUCCESS: { description: 'Onboarding hands a live customer to customer success.' },
    SUCCESS_TO_RENEWAL: { description: 'Customer success hands a customer to whoever runs its renewal.' },
    CUSTOM: { description: 'Any other moment; name it in customMoment.' },
  },
});
registerEnumType(PartnerTier, {
  name: 'PartnerTier',
  description: 'A partner’s programme tier, from the highest; SLA policies can be narrowed to one.',
  valuesConfig: {
    PLATINUM: { description: 'The highest tier.' },
    GOLD: { description: 'The second tier.' },
    SILVER: { description: 'The third tier.' },
    REGISTERED: { description: 'Signed up, no tier earned yet (the default for a new partner).' },
  },
});
registerEnumType(Region, {
  name: 'Region',
  description: 'A sales region.',
  valuesConfig: {
    NA: { description: 'North America.' },
    LATAM: { description: 'Latin America.' },
    EMEA: { description: 'Europe, the Middle East and Africa.' },
    APAC: { description: 'Asia-Pacific.' },
  },
});
registerEnumType(Segment, {
  name: 'Segment',
  description: 'A customer’s market segment, from the smallest.',
  valuesConfig: {
    SMB: { description: 'Small and medium businesses.' },
    MID_MARKET: { description: 'Mid-sized companies.' },
    ENTERPRISE: { description: 'Large companies.' },
    STRATEGIC: { description: 'Named accounts we manage most closely.' },
  },
});
registerEnumType(LifecycleStage, {
  name: 'LifecycleStage',
  description: 'Where the customer is in its life with us.',
  valuesConfig: {
    LEAD: { description: 'Known to us, not yet qualified (the default for a new customer).' },
    MQL: { description: 'Marketing-qualified lead.' },
    SQL: { description: 'Sales-qualified lead: sales has accepted it.' },
    OPPORTUNITY: { description: 'An open deal.' },
    CLOSED_WON: { description: 'The deal is signed.' },
    ONBOARDING: { description: 'Being set up and trained.' },
    ACTIVE: { description: 'Live and using the product.' },
    RENEWAL: { description: 'Its contract is up for renewal.' },
    CHURNED: { description: 'No longer a customer.' },
  },
});

/**
 * What a person does at its partner (or internal team). Playbook tasks name one
 * (`assigneeRole`), so the set is closed: a new role is a schema change, not free text.
 */
export enum PersonRole {
  PARTNER_MANAGER = 'PARTNER_MANAGER',
  ONBOARDING_LEAD = 'ONBOARDING_LEAD',
  SUCCESS_MANAGER = 'SUCCESS_MANAGER',
  SALES_REP = 'SALES_REP',
  ADMIN = 'ADMIN',
}
registerEnumType(PersonRole, {
  name: 'PersonRole',
  description: 'What a person does at its partner or internal team; playbook tasks name the role that should take them.',
  valuesConfig: {
    PARTNER_MANAGER: { description: 'Runs the relationship between the partner and us.' },
    ONBOARDING_LEAD: { description: 'Brings a new customer live (onboarding handoffs and their tasks).' },
    SUCCESS_MANAGER: { description: 'Looks after a live customer: adoption, health, renewal.' },
    SALES_REP: { description: 'Qualifies and closes deals (MQL→SQL, direct→partner).' },
    ADMIN: { description: 'Administers the partner on the hub: its people and API keys.' },
  },
});
