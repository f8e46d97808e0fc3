import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import {
  FEEDBACK_SUBMITTED,
  SLA_BREACHED,
  SLA_CLOCK_STOPPED,
  type FeedbackEventPayload,
  type HandoffSnapshot,
  type SlaEventPayload,
} from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import type { HandoffMoment } from '../entities/enums';
import { momentKey } from '../services/playbook.service';

export const ROUTING_STATS_CONSUMER = 'handoffs.routing-stats';
export const ROUTING_STATS_TYPES = [SLA_CLOCK_STOPPED, SLA_BREACHED, FEEDBACK_SUBMITTED];

type Counter = 'sla_met' | 'sla_breached';

interface Bucket {
  momentKey: string;
  segment: string;
  partnerId: string;
  day: string;
}

const bucketOf = (h: Pick<HandoffSnapshot, 'moment' | 'customMoment' | 'customerSegment' | 'toPartnerId' | 'proposedAt'>): Bucket => ({
  momentKey: momentKey(h.moment as HandoffMoment, h.customMoment),
  segment: h.customerSegment ?? '',
  partnerId: h.toPartnerId,
  day: new Date(h.proposedAt).toISOString().slice(0, 10),
});

async function add(sql: EntityManager, b: Bucket, counts: Partial<Record<Counter | 'rating_sum' | 'rating_count', number>>) {
  const columns = Object.keys(counts);
  if (!columns.length) return;
  const values = Object.values(counts);
  await sql.query(
    `${BACKGROUND}INSERT INTO handoffs.routing_stats_daily (moment_key, segment, partner_id, day, ${columns.join(', ')})
     VALUES ($1, $2, $3, $4, ${values.map((_, i) => `$${i + 5}`).join(', ')})
     ON CONFLICT (moment_key, segment, partner_id, day) DO UPDATE SET ${columns.map((c) => `${c} = routing_stats_daily.${c} + EXCLUDED.${c}`).join(', ')}`,
    [b.momentKey, b.segment, b.partnerId, b.day, ...values],
  );
}

/** A customer's rating of a handoff counts for its receiver; a revision replaces the rating it revises. */
async function applyFeedback(sql: EntityManager, event: HubEvent) {
  const { feedback } = event.payload as unknown as FeedbackEventPayload;
  if (feedback.source !== 'CUSTOMER') return;
  const [h]: { moment: string; customMoment: string | null; customerSegment: string | null; toPartnerId: string; proposedAt: Date }[] = await sql.query(
    `${BACKGROUND}SELECT moment, custom_moment AS "customMoment", customer_segment AS "customerSegment", to_partner_id AS "toPartnerId", proposed_at AS "proposedAt"
       FROM handoffs.handoffs WHERE id = $1`,
    [feedback.handoffId],
  );
  if (!h) return;
  const [previous]: { rating: number | null }[] = await sql.query(
    `${BACKGROUND}WITH old AS (SELECT rating FROM handoffs.routing_feedback WHERE feedback_id = $1)
     INSERT INTO handoffs.routing_feedback (feedback_id, handoff_id, rating) VALUES ($1, $2, $3)
     ON CONFLICT (feedback_id) DO UPDATE SET rating = EXCLUDED.rating
     RETURNING (SELECT rating FROM old) AS rating`,
    [feedback.id, feedback.handoffId, feedback.rating],
  );
  const old = previous?.rating ?? null;
  const bucket = bucketOf({ ...h, moment: h.moment as HandoffSnapshot['moment'], proposedAt: h.proposedAt.toISOString() });
  await add(sql, bucket, old === null ? { rating_sum: feedback.rating, rating_count: 1 } : { rating_sum: feedback.rating - old });
}

async function apply(sql: EntityManager, event: HubEvent) {
  if (event.type === FEEDBACK_SUBMITTED) return applyFeedback(sql, event);
  const { clock, handoff } = event.payload as unknown as SlaEventPayload;
  // MET comes only with the stop; a breach counts once, when it happens (a later stop repeats it).
  if (event.type === SLA_CLOCK_STOPPED && clock.state !== 'MET') return;
  await add(
    sql,
    { ...bucketOf(handoff), partnerId: clock.accountablePartnerId ?? handoff.toPartnerId },
    { [event.type === SLA_BREACHED ? 'sla_breached' : 'sla_met']: 1 },
  );
}

/**
 * Keeps the part of routing_stats_daily (the figures SCORECARD ranks by) that other
 * subgraphs decide: per receiver × customer segment × moment × proposal day, SLA clocks met
 * and breached (slas) and customer ratings (scorecards). handoffs' own decisions (accepted,
 * rejected, expired) are counted in the transactions that make them (services/routing/stats.ts).
 * Exactly once per event (the position moves in the same transaction). Folds the demo
 * history too.
 */
export function createRoutingStatsConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return new DurableConsumer({
    name: ROUTING_STATS_CONSUMER,
    dataSource,
    log,
    types: ROUTING_STATS_TYPES,
    batchSize: 500,
    includeDemoHistory: true,
    async handle(events, manager) {
      for (const event of events) await apply(manager, event);
    },
  });
}
