import { RoutingReasonCode } from '../../../entities/routing.entity';
import type { Sql } from '../../sql';
import { reason, type RuleVersion } from '../types';
import { skip, type Filter } from './strategy';

const UNAVAILABLE = 'skipped: not available';

/** The candidates CAPACITY counts open handoffs for: listed with a limit and not paused. */
export const limitedCandidates = (rule: RuleVersion): string[] => rule.candidates.filter((c) => !c.paused && c.maxOpen != null).map((c) => c.partnerId);

/**
 * Open (PROPOSED or ACCEPTED) handoffs per receiver, for every limited candidate of every
 * rule a set of routings applies: one statement, from an index alone, however many routings.
 */
export async function loadOpenHandoffs(sql: Sql, partnerIds: string[]): Promise<Map<string, number>> {
  const open = new Map<string, number>();
  if (!partnerIds.length) return open;
  const rows: { partner: string; open: number }[] = await sql.query(
    // The state list is literal so that the partial index handoffs_open_by_receiver_idx applies.
    `SELECT to_partner_id AS partner, count(*)::int AS open FROM handoffs.handoffs
      WHERE to_partner_id = ANY($1::uuid[]) AND state IN ('PROPOSED', 'ACCEPTED') GROUP BY to_partner_id`,
    [[...new Set(partnerIds)]],
  );
  for (const r of rows) open.set(r.partner, r.open);
  return open;
}

/**
 * CAPACITY skips a candidate paused in the rule, or holding `maxOpen` open (PROPOSED or
 * ACCEPTED) handoffs, counted beforehand (loadOpenHandoffs) and, in a committing batch, with
 * the handoffs the batch has routed so far. The open count is the candidate's own figure:
 * another partner reads "not available".
 */
export const capacity: Filter = (candidates, { facts }) => {
  for (const e of candidates) {
    if (e.skipped) continue;
    if (e.candidate.paused) {
      skip(e, reason(RoutingReasonCode.PAUSED, 'skipped: paused in the rule', RoutingReasonCode.UNAVAILABLE, UNAVAILABLE));
      continue;
    }
    const max = e.candidate.maxOpen;
    if (max == null) {
      e.reasons.push(reason(RoutingReasonCode.HAS_CAPACITY, 'kept: no limit on open handoffs', RoutingReasonCode.HAS_CAPACITY, 'kept: available'));
      continue;
    }
    const n = facts.openHandoffs.get(e.candidate.partnerId) ?? 0;
    if (n >= max) skip(e, reason(RoutingReasonCode.AT_CAPACITY, `skipped: at capacity ${n}/${max}`, RoutingReasonCode.UNAVAILABLE, UNAVAILABLE));
    else e.reasons.push(reason(RoutingReasonCode.HAS_CAPACITY, `kept: ${n}/${max} open handoffs`, RoutingReasonCode.HAS_CAPACITY, 'kept: available'));
  }
};
