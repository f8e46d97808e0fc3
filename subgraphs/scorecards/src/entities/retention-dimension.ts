import { registerEnumType } from 'type-graphql';

/** What revenue retention rows can be grouped by. */
export enum RetentionDimension {
  PARTNER = 'PARTNER',
  SEGMENT = 'SEGMENT',
  REGION = 'REGION',
  COHORT = 'COHORT',
  PERIOD = 'PERIOD',
}

registerEnumType(RetentionDimension, {
  name: 'RetentionDimension',
  description: 'What revenue retention rows can be grouped by (rows are always split by currency).',
  valuesConfig: {
    PARTNER: { description: 'The partner a customer’s period is attributed to (the one that held it longest in the period, until its churn).' },
    SEGMENT: { description: 'The customer’s segment (as it is now).' },
    REGION: { description: 'The customer’s region (as it is now).' },
    COHORT: { description: 'The quarter the customer was handed to that partner (YYYY-Qn).' },
    PERIOD: { description: 'Calendar quarters (UTC) of the range; without it the whole range is one period.' },
  },
});
