import { asHub } from '../../../../../shared/db/tenant-context';
import type { Handoff } from '../../entities/handoff.entity';
import { momentKey } from '../playbook.service';
import type { Sql } from '../sql';

/** A receiver's decision on a handoff, as SCORECARD counts it. */
export type DecisionCounter = 'accepted' | 'rejected' | 'expired';

/**
 * Rows each routing_stats_daily bucket is spread over: concurrent decisions in one bucket
 * (the same receiver, segment and moment on a day: a busy receiver's normal case) lock
 * different rows, so they do not wait for each other's commit. SCORECARD sums them.
 */
export const ROUTING_STATS_STRIPES = 16;

/**
 * Counts a decision in routing_stats_daily (by receiver × segment × moment × proposal day)
 * in the transaction that makes it: handoffs' own transitions need no consumer, so the
 * figures cost a request one statement (and the switch to the hub, whose table it is)
 * instead of a consumer transaction per event. SLA outcomes and customer ratings, which
 * other subgraphs decide, come through consumers/routing-stats.consumer.ts. The row is the
 * handoff's stripe of its bucket ({@link ROUTING_STATS_STRIPES}).
 */
export async function countDecision(
  sql: Sql,
  h: Pick<Handoff, 'id' | 'moment' | 'customMoment' | 'customerSegment' | 'toPartnerId' | 'proposedAt'>,
  counter: DecisionCounter,
): Promise<void> {
  await asHub(sql, () =>
    sql.query(
      `INSERT INTO handoffs.routing_stats_daily (moment_key, segment, partner_id, day, stripe, ${counter})
       VALUES ($1, $2, $3, ($4::timestamptz AT TIME ZONE 'UTC')::date, hashtext($5) & ${ROUTING_STATS_STRIPES - 1}, 1)
       ON CONFLICT (moment_key, segment, partner_id, day, stripe) DO UPDATE SET ${counter} = routing_stats_daily.${counter} + 1`,
      [momentKey(h.moment, h.customMoment), h.customerSegment ?? '', h.toPartnerId, h.proposedAt, h.id],
    ),
  );
}
