import { RoutingReasonCode } from '../../../entities/routing.entity';
import { reason } from '../types';
import { skip, type Filter } from './strategy';

const UNAVAILABLE = 'skipped: not available';

/**
 * CAPACITY skips a candidate paused in the rule, or holding `maxOpen` open (PROPOSED or
 * ACCEPTED) handoffs. One statement for every candidate with a limit, from an index alone. The
 * open count is the candidate's own figure: another partner reads "not available".
 */
export const capacity: Filter = async (candidates, { sql }) => {
  const limited = candidates.filter((e) => !e.skipped && !e.candidate.paused && e.candidate.maxOpen != null).map((e) => e.candidate.partnerId);
  const open = new Map<string, number>();
  if (limited.length) {
    const rows: { partner: string; open: number }[] = await sql.query(
      // The state list is literal so that the partial index handoffs_open_by_receiver_idx applies.
      `SELECT to_partner_id AS partner, count(*)::int AS open FROM handoffs.handoffs
        WHERE to_partner_id = ANY($1::uuid[]) AND state IN ('PROPOSED', 'ACCEPTED') GROUP BY to_partner_id`,
      [limited],
    );
    for (const r of rows) open.set(r.partner, r.open);
  }
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
    const n = open.get(e.candidate.partnerId) ?? 0;
    if (n >= max) skip(e, reason(RoutingReasonCode.AT_CAPACITY, `skipped: at capacity ${n}/${max}`, RoutingReasonCode.UNAVAILABLE, UNAVAILABLE));
    else e.reasons.push(reason(RoutingReasonCode.HAS_CAPACITY, `kept: ${n}/${max} open handoffs`, RoutingReasonCode.HAS_CAPACITY, 'kept: available'));
  }
};
