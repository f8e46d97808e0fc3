import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { BEFORE_PROBE, COUNT_CAP, COUNT_PROBE } from '../../../../shared/graphql/pagination';
import type { WebhookAttempt, WebhookDelivery } from './webhook-delivery.entity';

export interface DeliveryPageKey {
  webhookId: string;
  limit: number;
  /** Deliveries older (lower seq) than this; undefined for the newest. */
  beforeSeq?: string;
  status?: string | null;
}

export interface WebhookLoaders {
  /** One page of each webhook's delivery log (newest first), limit + 1 rows. */
  deliveryPage: DataLoader<DeliveryPageKey, (WebhookDelivery & { seq: string })[], string>;
  /** Per webhook (and status filter), how many deliveries its log holds, counted up to COUNT_CAP + 1. */
  deliveryCount: DataLoader<{ webhookId: string; status?: string | null }, number, string>;
  /** Whether a webhook's log (with the status filter) holds deliveries at or after `beforeSeq`, i.e. newer ones. */
  deliveriesBefore: DataLoader<{ webhookId: string; status?: string | null; beforeSeq: string }, boolean, string>;
  attempts: DataLoader<string, WebhookAttempt[]>;
}

const toDelivery = (r: Record<string, unknown>) =>
  ({
    id: r.id,
    seq: String(r.seq),
    webhookId: r.webhook_id,
    eventId: r.event_id,
    eventType: r.event_type,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at : null,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    lastLatencyMs: r.last_latency_ms,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  }) as WebhookDelivery & { seq: string };

/** A webhook's delivery log, optionally of one status: one condition for its pages, its count and its before-probe. */
const deliveriesOf = (webhook: string, status: string) => `d.webhook_id = ${webhook} AND (${status}::text IS NULL OR d.status = ${status})`;

// Loaders live as long as the request's context object: one set per request.
const perContext = new WeakMap<object, WebhookLoaders>();

export function webhookLoaders(ctx: { db: DataSource }): WebhookLoaders {
  let loaders = perContext.get(ctx);
  if (!loaders) {
    loaders = createWebhookLoaders(ctx.db);
    perContext.set(ctx, loaders);
  }
  return loaders;
}

function createWebhookLoaders(db: DataSource): WebhookLoaders {
  return {
    // Keys that share paging arguments become one LATERAL query over all their webhooks.
    deliveryPage: new DataLoader(
      async (keys) => {
        const groups = new Map<string, [DeliveryPageKey, ...DeliveryPageKey[]]>();
        for (const k of keys) {
          const g = `${k.limit}|${k.beforeSeq ?? ''}|${k.status ?? ''}`;
          const group = groups.get(g);
          if (group) group.push(k);
          else groups.set(g, [k]);
        }
        const pages = new Map<DeliveryPageKey, (WebhookDelivery & { seq: string })[]>();
        for (const group of groups.values()) {
          const { limit, beforeSeq, status } = group[0];
          const rows: Record<string, unknown>[] = await db.query(
            `SELECT d.* FROM unnest($1::uuid[]) AS w(id)
               CROSS JOIN LATERAL (
                 SELECT * FROM accounts.webhook_deliveries d
                  WHERE ${deliveriesOf('w.id', '$3')} AND ($2::bigint IS NULL OR d.seq < $2::bigint)
                  ORDER BY seq DESC LIMIT $4) d`,
            [group.map((k) => k.webhookId), beforeSeq ?? null, status ?? null, limit],
          );
          for (const k of group) pages.set(k, rows.filter((r) => r.webhook_id === k.webhookId).map(toDelivery));
        }
        return keys.map((k) => pages.get(k) ?? []);
      },
      { cacheKeyFn: (k) => `${k.webhookId}|${k.limit}|${k.beforeSeq ?? ''}|${k.status ?? ''}` },
    ),
    deliveryCount: new DataLoader(
      async (keys) => {
        const rows: { n: number }[] = await db.query(
          `${COUNT_PROBE}SELECT (SELECT count(*)::int FROM (SELECT 1 FROM accounts.webhook_deliveries d WHERE ${deliveriesOf('k.id', 'k.status')} LIMIT $3) capped) AS n
             FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS k(id, status, i) ORDER BY k.i`,
          [keys.map((k) => k.webhookId), keys.map((k) => k.status ?? null), COUNT_CAP + 1],
        );
        return rows.map((r) => r.n);
      },
      { cacheKeyFn: (k) => `${k.webhookId}|${k.status ?? ''}` },
    ),
    deliveriesBefore: new DataLoader(
      async (keys) => {
        const rows: { found: boolean }[] = await db.query(
          `${BEFORE_PROBE}SELECT EXISTS (SELECT 1 FROM accounts.webhook_deliveries d WHERE ${deliveriesOf('k.id', 'k.status')} AND d.seq >= k.seq) AS found
             FROM unnest($1::uuid[], $2::text[], $3::bigint[]) WITH ORDINALITY AS k(id, status, seq, i) ORDER BY k.i`,
          [keys.map((k) => k.webhookId), keys.map((k) => k.status ?? null), keys.map((k) => k.beforeSeq)],
        );
        return rows.map((r) => r.found);
      },
      { cacheKeyFn: (k) => `${k.webhookId}|${k.status ?? ''}|${k.beforeSeq}` },
    ),
    attempts: new DataLoader(async (deliveryIds) => {
      const rows: { delivery_id: string; attempted_at: Date; status_code: number | null; latency_ms: number | null; error: string | null }[] = await db.query(
        `SELECT delivery_id, attempted_at, status_code, latency_ms, error FROM accounts.webhook_attempts WHERE delivery_id = ANY($1::uuid[]) ORDER BY id`,
        [deliveryIds],
      );
      const grouped = new Map<string, WebhookAttempt[]>();
      for (const r of rows) {
        grouped.set(r.delivery_id, [
          ...(grouped.get(r.delivery_id) ?? []),
          { attemptedAt: r.attempted_at, statusCode: r.status_code, latencyMs: r.latency_ms, error: r.error },
        ]);
      }
      return deliveryIds.map((id) => grouped.get(id) ?? []);
    }),
  };
}
