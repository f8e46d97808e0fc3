import type { Filters } from './queries';

/** A scorecard row's value (ScorecardValue), in the reporting currency. */
export interface Value {
  reportingCurrency: string | null;
  valuedHandoffs: number;
  proposed: string;
  accepted: string;
  completed: string;
  leakage: { rejected: string; expired: string; cancelled: string; stalled: string; total: string; neverProposed: string };
  revenueAtRisk: string;
  unconvertible: Unconvertible[];
}

/** What a figure leaves out for want of a rate. */
export interface Unconvertible {
  figure: 'PROPOSED' | 'ACCEPTED' | 'COMPLETED' | 'REJECTED' | 'EXPIRED' | 'CANCELLED' | 'STALLED' | 'NEVER_PROPOSED' | 'REVENUE_AT_RISK';
  currency: string;
  amount: string;
  handoffs: number;
}

export interface ValueRow {
  level: 'GROUP' | 'PERIOD_TOTAL' | 'GRAND_TOTAL';
  partner: { id: string; name: string | null } | null;
  moment: string | null;
  proposed: number;
  value: Value;
}

export interface Money {
  amount: string;
  currency: string;
}

export interface RetentionRow {
  periodStart: string;
  partnerId: string | null;
  partner: { id: string; name: string | null } | null;
  heldDirectly: boolean;
  cohort: string | null;
  currency: string | null;
  customers: number;
  startingArr: Money | null;
  endingArr: Money | null;
  churnedArr: Money | null;
  grossRevenueRetention: string | null;
  netRevenueRetention: string | null;
}

const VALUE = `value { reportingCurrency valuedHandoffs proposed accepted completed
  leakage { rejected expired cancelled stalled total neverProposed } revenueAtRisk unconvertible { figure currency amount handoffs } }`;
const VALUE_ROW = `level partner { id name } moment proposed ${VALUE}`;
const RETENTION_ROW = `periodStart partnerId partner { id name } heldDirectly cohort currency customers
  startingArr { amount currency } endingArr { amount currency } churnedArr { amount currency } grossRevenueRetention netRevenueRetention`;

export const REVENUE_QUERY = `query Revenue($total: ScorecardFilter!, $byMoment: ScorecardFilter!, $byPartnerMoment: ScorecardFilter!, $retention: RevenueRetentionFilter!) {
  reportingCurrency
  total: scorecard(filter: $total) { ${VALUE_ROW} }
  valueByMoment: scorecard(filter: $byMoment) { ${VALUE_ROW} }
  valueByPartnerMoment: scorecard(filter: $byPartnerMoment) { ${VALUE_ROW} }
  retentionByPeriod: revenueRetention(filter: $retention, groupBy: [PARTNER, PERIOD]) { ${RETENTION_ROW} }
  retentionByCohort: revenueRetention(filter: $retention, groupBy: [PARTNER, COHORT]) { ${RETENTION_ROW} }
}`;

export interface RevenueData {
  reportingCurrency: string | null;
  total: ValueRow[];
  valueByMoment: ValueRow[];
  valueByPartnerMoment: ValueRow[];
  retentionByPeriod: RetentionRow[];
  retentionByCohort: RetentionRow[];
}

/**
 * The variables of {@link REVENUE_QUERY}: the scorecards' range and segment/region filters
 * (the value views follow the period picker), retention over its default four quarters with
 * the same segment and region.
 */
export function revenueVariables(scorecard: { from: string; to: string; period: string; segments?: string[]; regions?: string[] }, f: Filters) {
  const base = { ...scorecard, collapsePeriods: true };
  return {
    total: { ...base, groupBy: [] },
    byMoment: { ...base, groupBy: ['MOMENT'] },
    byPartnerMoment: { ...base, groupBy: ['PARTNER', 'MOMENT'] },
    retention: { ...(f.segment ? { segment: f.segment } : {}), ...(f.region ? { region: f.region } : {}) },
  };
}
