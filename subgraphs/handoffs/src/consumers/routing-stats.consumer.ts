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

type Counts = Partial<Record<Counter | 'rating_sum' | 'rating_count', number>>;
const COLUMNS = ['sla_met', 'sla_breached', 'rating_sum', 'rating_count'] as const;

/** A batch's counts summed per bucket in memory, then written in one statement. */
class Fold {
  private readonly buckets = new Map<string, Bucket & Required<Counts>>();

  add(b: Bucket, counts: Counts) {
    const key = JSON.stringify([b.momentKey, b.segment, b.partnerId, b.day]);
    let row = this.buckets.get(key);
    if (!row) this.buckets.set(key, (row = { ...b, sla_met: 0, sla_breached: 0, rating_sum: 0, rating_count: 0 }));
    for (const c of COLUMNS) row[c] += counts[c] ?? 0;
  }

  /**
   * One upsert for every bucket the batch touched, on stripe 0 of each (the requests' decisions
   * spread over the other stripes: services/routing/stats.ts).
   */
  async write(sql: EntityManager) {
    if (!this.buckets.size) return;
    await sql.query(
      `${BACKGROUND}INSERT INTO handoffs.routing_stats_daily AS d (moment_key, segment, partner_id, day, ${COLUMNS.join(', ')})
       SELECT r."momentKey", r.segment, r."partnerId", r.day, ${COLUMNS.map((c) => `r.${c}`).join(', ')}
         FROM jsonb_to_recordset($1::jsonb) AS r("momentKey" text, segment text, "partnerId" uuid, day date, ${COLUMNS.map((c) => `${c} int`).join(', ')})
       ON CONFLICT (moment_key, segment, partner_id, day, stripe) DO UPDATE SET ${COLUMNS.map((c) => `${c} = d.${c} + EXCLUDED.${c}`).join(', ')}`,
      [JSON.stringify([...this.buckets.values()])],
    );
  }
}

/** A customer's rating of a handoff counts for its receiver; a revision replaces the rating it revises. */
async function applyFeedback(sql: EntityManager, event: HubEvent, fold: Fold) {
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
  fold.add(bucket, old === null ? { rating_sum: feedback.rating, rating_count: 1 } : { rating_sum: feedback.rating - old });
}

async function apply(sql: EntityManager, event: HubEvent, fold: Fold) {
  if (event.type === FEEDBACK_SUBMITTED) return applyFeedback(sql, event, fold);
  const { clock, handoff } = event.payload as unknown as SlaEventPayload;
  // MET comes only with the stop; a breach counts once, when it happens (a later stop repeats it).
  if (event.type === SLA_CLOCK_STOPPED && clock.state !== 'MET') return;
  fold.add(
    { ...bucketOf(handoff), partnerId: clock.accountablePartnerId ?? handoff.toPartnerId },
    { [event.type === SLA_BREACHED ? 'sla_breached' : 'sla_met']: 1 },
  );
}

/**
 * Keeps the part of routing_stats_daily (the figures SCORECARD ranks by) that other
 * subgraphs decide: per receiver × customer segment × moment × proposal day, SLA clocks met
 * and breached (slas) and customer ratings (scorecards). handoffs' own decisions (accepted,
 * rejected, expired) are counted in the transactions that make them (services/routing/stats.ts).
 * Exactly once per event (the position moves in the same transaction). A batch's SLA
 * outcomes and ratings are summed per bucket and written in one statement. Folds the demo
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
      const fold = new Fold();
      for (const event of events) await apply(manager, event, fold);
      await fold.write(manager);
    },
  });
}
