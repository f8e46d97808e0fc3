export type Period = 'WEEK' | 'MONTH' | 'QUARTER';

export interface Filters {
  period: Period;
  segment: string;
  region: string;
}

export interface Row {
  level: 'GROUP' | 'PERIOD_TOTAL' | 'GRAND_TOTAL';
  periodStart: string;
  partner: { id: string; name: string | null } | null;
  moment: string | null;
  proposed: number;
  accepted: number;
  completed: number;
  conversion: { acceptRate: number | null; completeRate: number | null };
  velocity: { timeToAccept: Duration; timeToComplete: Duration; timeToPropose: Duration };
  leakage: { rejected: Rate; expired: Rate; cancelled: Rate; stalled: Rate; total: Rate; neverProposed: Rate };
  dues: { cameDue: number; proposed: number };
  sla: { attainment: number | null; met: number; breached: number };
  feedback: { customer: Avg; internal: Avg; partner: Avg; repeatedInformationRate: number | null };
}
export interface Duration {
  samples: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}
export interface Rate {
  count: number;
  rate: number | null;
}
export interface Avg {
  count: number;
  averageRating: number | null;
}

export interface Maturity {
  partnerId: string;
  overallStage: number;
  handoffs: number;
  dimensions: { dimension: string; label: string; stage: number; rule: string; evidence: { metric: string; value: number | null; sampleSize: number }[] }[];
}

const ROW = `level periodStart partner { id name } moment proposed accepted completed
  conversion { acceptRate completeRate }
  velocity { timeToAccept { samples medianSeconds p90Seconds } timeToComplete { samples medianSeconds p90Seconds } timeToPropose { samples medianSeconds p90Seconds } }
  leakage { rejected { count rate } expired { count rate } cancelled { count rate } stalled { count rate } total { count rate } neverProposed { count rate } }
  dues { cameDue proposed }
  sla { attainment met breached }
  feedback { customer { count averageRating } internal { count averageRating } partner { count averageRating } repeatedInformationRate }`;

/** Who the caller is, alone: what a record's page (a notification's link) needs besides the record. */
export const ME_QUERY = `query Me { me { role partner { id name } person { id name } } }`;

export const DASHBOARD_QUERY = `query Dashboard($byMoment: ScorecardFilter!, $byPartnerMoment: ScorecardFilter!, $byPartner: ScorecardFilter!, $trend: ScorecardFilter!) {
  me { role partner { id name } person { id name } }
  byMoment: scorecard(filter: $byMoment) { ${ROW} }
  byPartnerMoment: scorecard(filter: $byPartnerMoment) { level partner { id name } moment proposed leakage { total { count rate } } }
  byPartner: scorecard(filter: $byPartner) { ${ROW} }
  trend: scorecard(filter: $trend) { ${ROW} }
}`;

export const maturityQuery = (ids: string[]) =>
  `query Maturity { ${ids.map((id, i) => `m${i}: maturity(partnerId: "${id}") { partnerId overallStage handoffs dimensions { dimension label stage rule evidence { metric value sampleSize } } }`).join('\n')} }`;

const SPAN: Record<Period, number> = { WEEK: 17, MONTH: 5, QUARTER: 2 };

/** The variables of {@link DASHBOARD_QUERY}: one range, four groupings. */
export function dashboardVariables(f: Filters, now = new Date()) {
  const from = new Date(now);
  if (f.period === 'WEEK') from.setUTCDate(from.getUTCDate() - 7 * (SPAN.WEEK - 1));
  else from.setUTCMonth(from.getUTCMonth() - (f.period === 'MONTH' ? SPAN.MONTH - 1 : 3 * (SPAN.QUARTER - 1)));
  const base = {
    period: f.period,
    from: from.toISOString(),
    to: now.toISOString(),
    ...(f.segment ? { segments: [f.segment] } : {}),
    ...(f.region ? { regions: [f.region] } : {}),
  };
  // The funnel, velocity, heat-map and partner views span the whole range; the trend is per period.
  return {
    byMoment: { ...base, groupBy: ['MOMENT'], collapsePeriods: true },
    byPartnerMoment: { ...base, groupBy: ['PARTNER', 'MOMENT'], collapsePeriods: true },
    byPartner: { ...base, groupBy: ['PARTNER'], collapsePeriods: true },
    trend: { ...base, groupBy: [] },
  };
}

export interface DueSummary {
  moment: string;
  customMoment: string | null;
  open: number;
  overdue: number;
  opened: number;
  proposed: number;
  dismissed: number;
  superseded: number;
  oldestOpen: { stageMove: { at: string }; customer: { name: string } | null } | null;
}

export interface RuleDecisions {
  rule: {
    id: string;
    version: number;
    moment: string;
    customerSegment: string | null;
    customerRegion: string | null;
    currentOwnerKind: string | null;
    strategies: string[];
  };
  routed: number;
  candidates: { partnerId: string; partner: { name: string | null }; weight: number; weightShare: number; chosen: number; share: number | null }[];
}

export const JOURNEY_QUERY = `query Journey($from: DateTimeISO!, $to: DateTimeISO!) {
  handoffDueSummary(from: $from, to: $to) { moment customMoment open overdue opened proposed dismissed superseded oldestOpen { stageMove { at } customer { name } } }
  ownershipGapSummary { rule count oldestSince }
}`;

/** Customers the journey leaves without a rightful owner, per rule (ownershipGapSummary). */
export interface GapCount {
  rule: string;
  count: number;
  oldestSince: string | null;
}

/** Internal teams only: a partner's dashboard does not ask. */
export const ROUTING_QUERY = `query Routing($from: DateTimeISO!, $to: DateTimeISO!) {
  routingDecisions(from: $from, to: $to) {
    rule { id version moment customerSegment customerRegion currentOwnerKind strategies }
    routed
    candidates { partnerId partner { name } weight weightShare chosen share }
  }
}`;
