import type { SubgraphName } from '../shared/config';

/**
 * The partner's main read (P2, P4): a page of customers with their owner, their handoffs
 * (the open one among them) with SLA clocks, and the owner's scorecard. Built from what the
 * build registers, so the benches run while subgraphs are still landing and say what is missing.
 */
export function mainReadQuery(registered: readonly SubgraphName[]): { query: string; missing: SubgraphName[] } {
  const has = (s: SubgraphName) => registered.includes(s);
  const scorecard = has('scorecards')
    ? 'scorecard(filter: { period: QUARTER, collapsePeriods: true }) { moment proposed accepted completed conversion { acceptRate } }'
    : '';
  const clocks = has('slas') ? 'slaClocks { target state dueAt businessTimeRemaining }' : '';
  const handoffs = has('handoffs') ? `owner { id name tier ${scorecard} } handoffs { id state moment proposedAt to { id name } ${clocks} }` : '';
  const query = `query PartnerMainRead($first: Int) { customers(first: $first) { nodes { id name segment region lifecycleStage version ${handoffs} } pageInfo { hasNextPage endCursor } } }`;
  const missing = (['accounts', 'handoffs', 'slas', 'scorecards'] as SubgraphName[]).filter((s) => !has(s));
  return { query: query.replace(/\s+/g, ' '), missing };
}

/** Page size of the main read. */
export const MAIN_READ_PAGE = 20;
