import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { headPosition } from '../../../../shared/eventlog/event-log';
import type { Logger } from '../../../../shared/logger';

export const WEBHOOK_FANOUT_CONSUMER = 'accounts.webhook-fanout';
/** Sent (pg_notify) by a transaction that creates a webhook: the fan-out reloads the types it handles. */
export const WEBHOOKS_CHANGED = 'accounts.webhooks-changed';

/** The event types some webhook subscribes to (undefined when one takes every type, `*`). */
async function subscribedTypes(db: DataSource): Promise<string[] | undefined> {
  const [row]: { types: string[] | null; every: boolean }[] = await db.query(
    `${BACKGROUND}SELECT array_agg(DISTINCT t) FILTER (WHERE t <> '*') AS types, coalesce(bool_or(t = '*'), false) AS every
       FROM accounts.webhooks w CROSS JOIN LATERAL unnest(w.events) AS t`,
  );
  return row?.every ? undefined : (row?.types ?? []);
}

/**
 * Turns each committed event into one delivery row per webhook that wants it: subscribed to
 * its type, created before it, and owned by a partner that may see it (internal owners see
 * all). It runs in the transaction that advances the consumer's position, so every event is
 * fanned out exactly once however many instances run; the delivery rows are then the
 * durable worker's queue. It handles only the types some webhook subscribes to (none: it
 * costs nothing), reloaded when a webhook is created.
 */
export async function createWebhookFanout(db: DataSource, log: Logger, opts: { onDeliveries?: () => void } = {}): Promise<DurableConsumer> {
  // A fresh deployment starts at the head: no webhook can want events older than itself.
  const head = await headPosition(db.manager);
  await db.query(
    `${BACKGROUND}INSERT INTO eventlog.consumers (name, tx, seq)
     SELECT $1, CASE WHEN EXISTS (SELECT 1 FROM accounts.webhooks) THEN '0'::xid8 ELSE $2::xid8 END,
                CASE WHEN EXISTS (SELECT 1 FROM accounts.webhooks) THEN 0 ELSE $3::bigint END
     ON CONFLICT (name) DO NOTHING`,
    [WEBHOOK_FANOUT_CONSUMER, head.tx, head.seq],
  );
  let inserted = 0;
  return new DurableConsumer({
    name: WEBHOOK_FANOUT_CONSUMER,
    dataSource: db,
    log,
    batchSize: 1000,
    types: [],
    dynamicTypes: { signal: WEBHOOKS_CHANGED, load: () => subscribedTypes(db) },
    onApplied: () => {
      if (inserted > 0) opts.onDeliveries?.();
      inserted = 0;
    },
    handle: async (events, manager) => {
      const [row]: { n: number }[] = await manager.query(
        `${BACKGROUND}WITH ins AS (
         INSERT INTO accounts.webhook_deliveries (webhook_id, event_id, event_tx, event_seq, event_type, created_at)
         SELECT w.id, e.id, e.tx::xid8, e.seq, e.type, e.occurred_at
           FROM jsonb_to_recordset($1::jsonb) AS e(id uuid, tx text, seq bigint, type text, visible jsonb, occurred_at timestamptz)
           JOIN accounts.webhooks w
             ON (e.type = ANY(w.events) OR '*' = ANY(w.events))
            AND (e.tx::xid8, e.seq) > (w.start_tx, w.start_seq)
            -- The start position stops before any transaction open at creation, so changes
            -- made before the webhook existed can sit behind it: skip those too.
            AND e.occurred_at >= date_trunc('milliseconds', w.created_at) - interval '1 millisecond'
            AND (w.owner_internal OR e.visible ? w.partner_id::text)
          ORDER BY e.tx::xid8, e.seq
         ON CONFLICT (webhook_id, event_id) DO NOTHING
         RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [
          JSON.stringify(
            events.map((e) => ({ id: e.id, tx: e.position.tx, seq: e.position.seq, type: e.type, visible: e.visibleTo, occurred_at: e.occurredAt })),
          ),
        ],
      );
      inserted = row?.n ?? 0;
    },
  });
}
