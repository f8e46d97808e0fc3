import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { WebhookConfig } from '../../../../shared/config';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import type { Logger } from '../../../../shared/logger';
import { redactForPartner } from '../services/customer-events';
import { HttpSender, type AttemptResult } from './http-delivery';
import {
  SIGNATURE_HEADER,
  signDelivery,
  signStandardWebhook,
  STANDARD_ID_HEADER,
  STANDARD_SIGNATURE_HEADER,
  STANDARD_TIMESTAMP_HEADER,
  TIMESTAMP_HEADER,
} from './signature';

/** A delivery a worker holds a lease on. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
  attempts: number;
}

/** Options for {@link WebhookWorker}. */
export interface WebhookWorkerOptions {
  dataSource: DataSource;
  log: Logger;
  config: WebhookConfig;
  /** Shown in lease_owner; unique per worker instance. */
  workerId?: string;
}

/** Exponential backoff with "equal jitter": half the delay fixed, half random. */
export function retryDelayMs(attempts: number, config: Pick<WebhookConfig, 'retryBaseMs' | 'retryMaxDelayMs'>, random = Math.random): number {
  const exp = Math.min(config.retryMaxDelayMs, config.retryBaseMs * 2 ** Math.min(attempts - 1, 30));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** The body every delivery carries; `id` is the event id, for dedupe. */
export const deliveryBody = (d: Pick<ClaimedDelivery, 'eventId' | 'eventType' | 'occurredAt' | 'payload'>) =>
  JSON.stringify({ id: d.eventId, type: d.eventType, occurredAt: new Date(d.occurredAt).toISOString(), payload: d.payload });

/**
 * The durable delivery worker. Deliveries live in Postgres; a worker claims the oldest
 * pending delivery of each active endpoint (`FOR UPDATE SKIP LOCKED`) and holds it by a
 * lease, so several instances share the work, each endpoint has at most one delivery in
 * flight (per-endpoint order by log sequence), and a worker that dies mid-delivery only
 * delays it: once the lease expires another worker sends it again (at-least-once; the
 * event id lets receivers dedupe).
 */
export class WebhookWorker {
  readonly workerId: string;
  private readonly sender: HttpSender;
  private readonly active = new Set<Promise<void>>();
  private inFlight = 0;
  private filling: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private nextDue: number | undefined;
  private started = false;

  constructor(private readonly opts: WebhookWorkerOptions) {
    this.workerId = opts.workerId ?? `worker-${randomUUID()}`;
    this.sender = new HttpSender({ policy: opts.config, timeoutMs: opts.config.timeoutMs });
  }

  /**
   * Claims what is due now, then sleeps until the earliest retry this worker scheduled, or
   * at most `pollMs` (the safety net for retries other instances scheduled and leases of
   * workers that died); {@link kick} on new deliveries for immediate delivery.
   */
  start(): void {
    this.started = true;
    this.kick();
  }

  /** Sleeps until the next thing this worker knows is due, or `pollMs` at most. */
  private arm(): void {
    // A worker driven by hand (claim, deliver) keeps no timer.
    if (this.stopped || !this.started) return;
    const now = Date.now();
    let at = now + this.opts.config.pollMs;
    if (this.nextDue !== undefined && this.nextDue < at) at = this.nextDue;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        if (this.nextDue !== undefined && this.nextDue <= Date.now()) this.nextDue = undefined;
        this.kick();
      },
      Math.max(10, at - now),
    );
    this.timer.unref();
  }

  /** A retry this worker scheduled: wake for it (it claims any instance's due deliveries then). */
  private noteDue(at: number): void {
    if (this.nextDue !== undefined && this.nextDue <= at) return;
    this.nextDue = at;
    if (!this.filling) this.arm();
  }

  /** Claims and starts deliveries up to the concurrency limit; calls coalesce. */
  kick(): void {
    if (this.stopped) return;
    if (this.filling) {
      this.again = true;
      return;
    }
    this.filling = this.fill()
      .catch((err) => this.opts.log.warn({ err: (err as Error).message }, 'webhook claim failed; will retry'))
      .finally(() => {
        this.filling = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.arm();
      });
  }

  private async fill(): Promise<void> {
    while (!this.stopped && this.inFlight < this.opts.config.concurrency) {
      const want = this.opts.config.concurrency - this.inFlight;
      const batch = await this.claim(want);
      for (const delivery of batch) {
        this.inFlight++;
        const p: Promise<void> = this.deliver(delivery)
          .then(() => undefined)
          .catch((err) => this.opts.log.error({ err: (err as Error).message, delivery: delivery.id }, 'webhook delivery bookkeeping failed'))
          .finally(() => {
            this.inFlight--;
            this.active.delete(p);
            this.kick();
          });
        this.active.add(p);
      }
      // Fewer than asked: nothing else is due right now; a completion or a wake-up kicks again.
      if (batch.length < want) return;
    }
  }

  /**
   * Leases up to `limit` deliveries: each the oldest pending one of its endpoint, due, and
   * not leased by a live worker. An expired lease means a worker died mid-delivery; that
   * lost attempt is written to the delivery log.
   */
  async claim(limit: number): Promise<ClaimedDelivery[]> {
    const rows: {
      id: string;
      webhook_id: string;
      url: string;
      secret: string;
      event_id: string;
      event_type: string;
      occurred_at: Date;
      payload: Record<string, unknown>;
      attempts: number;
      partner_id: string;
      owner_internal: boolean;
    }[] = await this.opts.dataSource.query(
      `${BACKGROUND}WITH due AS (
         SELECT d.id, d.lease_owner AS previous_owner
           FROM accounts.webhooks w
          CROSS JOIN LATERAL (
                SELECT h.id FROM accounts.webhook_deliveries h
                 WHERE h.webhook_id = w.id AND h.status = 'PENDING'
                 ORDER BY h.event_tx, h.event_seq
                 LIMIT 1) head
           JOIN accounts.webhook_deliveries d ON d.id = head.id
          WHERE w.status = 'ACTIVE' AND d.next_attempt_at <= now()
            AND (d.lease_until IS NULL OR d.lease_until < now())
          ORDER BY d.next_attempt_at
          LIMIT $1
            FOR UPDATE OF d SKIP LOCKED
       ), lost AS (
         INSERT INTO accounts.webhook_attempts (delivery_id, error)
         SELECT id, 'worker lost mid-delivery (lease expired); retried' FROM due WHERE previous_owner IS NOT NULL
       ), claimed AS (
         UPDATE accounts.webhook_deliveries d
            SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', attempts = d.attempts + 1
           FROM due WHERE d.id = due.id
         RETURNING d.id, d.webhook_id, d.event_id, d.attempts
       )
       SELECT c.id, c.webhook_id, c.event_id, c.attempts, w.url, w.secret, w.partner_id, w.owner_internal, e.type AS event_type, e.occurred_at, e.payload
         FROM claimed c
         JOIN accounts.webhooks w ON w.id = c.webhook_id
         JOIN eventlog.events e ON e.id = c.event_id`,
      [limit, this.workerId, this.opts.config.leaseMs],
    );
    return rows.map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      url: r.url,
      secret: r.secret,
      eventId: r.event_id,
      eventType: r.event_type,
      occurredAt: new Date(r.occurred_at),
      // What the endpoint's partner may read of it (commercial figures are the owner's).
      payload: redactForPartner(r.event_type, r.payload, r.owner_internal ? null : r.partner_id),
      attempts: r.attempts,
    }));
  }

  /** Sends one claimed delivery and records the outcome. */
  async deliver(d: ClaimedDelivery): Promise<AttemptResult> {
    const body = deliveryBody(d);
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await this.sender.send(
      d.url,
      {
        'content-type': 'application/json',
        'user-agent': 'PartnerHandoffHub-Webhooks/1',
        'x-hub-webhook-id': d.webhookId,
        'x-hub-delivery-id': d.id,
        'x-hub-event-id': d.eventId,
        'x-hub-event-type': d.eventType,
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signDelivery(d.secret, timestamp, body),
        // Standard Webhooks: the message id is the delivery's, the same on every retry and
        // redelivery of it, so a receiver can drop what it already processed.
        [STANDARD_ID_HEADER]: d.id,
        [STANDARD_TIMESTAMP_HEADER]: String(timestamp),
        [STANDARD_SIGNATURE_HEADER]: signStandardWebhook(d.secret, d.id, timestamp, body),
      },
      body,
    );
    if (result.ok) await this.recordSuccess(d, result);
    else await this.recordFailure(d, result);
    return result;
  }

  private async recordSuccess(d: ClaimedDelivery, r: AttemptResult) {
    // Only the lease holder settles a delivery; if the lease was lost, the new holder will.
    await this.opts.dataSource.query(
      `${BACKGROUND}WITH done AS (
         UPDATE accounts.webhook_deliveries
            SET status = 'SUCCEEDED', delivered_at = now(), lease_owner = NULL, lease_until = NULL,
                last_status_code = $3, last_latency_ms = $4, last_error = NULL
          WHERE id = $1 AND lease_owner = $2 AND status = 'PENDING'
         RETURNING id, webhook_id
       ), attempt AS (
         INSERT INTO accounts.webhook_attempts (delivery_id, status_code, latency_ms)
         SELECT id, $3, $4 FROM accounts.webhook_deliveries WHERE id = $1
       )
       UPDATE accounts.webhooks w SET consecutive_failures = 0, failing_since = NULL
         FROM done WHERE w.id = done.webhook_id AND (w.consecutive_failures > 0 OR w.failing_since IS NOT NULL)`,
      [d.id, this.workerId, r.statusCode, r.latencyMs],
    );
  }

  private async recordFailure(d: ClaimedDelivery, r: AttemptResult) {
    const c = this.opts.config;
    const delay = retryDelayMs(d.attempts, c);
    await this.opts.dataSource.query(
      `${BACKGROUND}WITH failed AS (
         UPDATE accounts.webhook_deliveries
            SET status = CASE WHEN created_at + $6 * interval '1 millisecond' <= now() THEN 'FAILED' ELSE 'PENDING' END,
                next_attempt_at = now() + $5 * interval '1 millisecond',
                lease_owner = NULL, lease_until = NULL,
                last_status_code = $3, last_latency_ms = $4, last_error = $7
          WHERE id = $1 AND lease_owner = $2 AND status = 'PENDING'
         RETURNING id, webhook_id
       ), attempt AS (
         INSERT INTO accounts.webhook_attempts (delivery_id, status_code, latency_ms, error)
         SELECT id, $3, $4, $7 FROM accounts.webhook_deliveries WHERE id = $1
       )
       UPDATE accounts.webhooks w
          SET consecutive_failures = w.consecutive_failures + 1,
              failing_since = coalesce(w.failing_since, now()),
              status = CASE WHEN trip THEN 'DISABLED' ELSE w.status END,
              disabled_reason = CASE WHEN trip THEN format('Disabled automatically: %s consecutive failed deliveries since %s; last: %s',
                                   w.consecutive_failures + 1, to_char(coalesce(w.failing_since, now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), $7)
                                ELSE w.disabled_reason END,
              updated_at = CASE WHEN trip THEN now() ELSE w.updated_at END
         FROM failed,
              LATERAL (SELECT w2.status = 'ACTIVE' AND w2.consecutive_failures + 1 >= $8
                              AND now() - coalesce(w2.failing_since, now()) >= $9 * interval '1 millisecond' AS trip
                         FROM accounts.webhooks w2 WHERE w2.id = failed.webhook_id) t
        WHERE w.id = failed.webhook_id`,
      [d.id, this.workerId, r.statusCode, r.latencyMs, delay, c.retryHorizonMs, r.error ?? 'failed', c.disableAfterFailures, c.disableAfterMs],
    );
    this.noteDue(Date.now() + delay);
  }

  /** Stops claiming and waits for deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.filling;
    await Promise.all([...this.active]);
    this.sender.close();
  }
}
