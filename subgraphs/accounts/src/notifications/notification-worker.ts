import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { NotificationConfig, WebhookConfig } from '../../../../shared/config';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import type { Logger } from '../../../../shared/logger';
import { retryDelayMs } from '../webhooks/delivery-worker';
import { HttpSender } from '../webhooks/http-delivery';
import { composeDigests } from './digest';
import { MailTransport, type SendResult } from './mail-transport';
import { NotificationChannelKind } from './notification.enums';
import { renderEmail, renderSlack, renderTeams, type NotificationContent } from './templates';

/** A notification a worker holds a lease on, with where it goes now. */
export interface ClaimedNotification {
  id: string;
  kind: NotificationChannelKind;
  attempts: number;
  content: NotificationContent;
  /** The person's current address (EMAIL), null when the person is gone or deactivated. */
  email: string | null;
  /** The channel's URL (SLACK, TEAMS), null when the channel was removed. */
  url: string | null;
}

/** Options for {@link NotificationWorker}. */
export interface NotificationWorkerOptions {
  dataSource: DataSource;
  log: Logger;
  /** Retries, backoff, leases, horizon and SSRF rules: the same as webhooks'. */
  delivery: WebhookConfig;
  notifications: NotificationConfig;
  /** The digest's clock (tests drive it); default: the system clock. */
  clock?: () => Date;
  workerId?: string;
}

/**
 * The durable notification sender. Its queue is accounts.notifications; it works as the
 * webhook delivery worker does, with the same settings: a worker leases due rows
 * (`FOR UPDATE SKIP LOCKED`), so several instances share the work and one that dies only
 * delays a row until its lease expires; a failure is retried with exponential backoff and
 * jitter until the retry horizon (3 days by default), every attempt counted and its last
 * error kept in the log. Chat messages go through the webhooks' HTTP sender, which refuses
 * non-public addresses at connect time. It also composes the daily digests on a timer.
 */
export class NotificationWorker {
  readonly workerId: string;
  private readonly http: HttpSender;
  private readonly mail: MailTransport;
  private readonly clock: () => Date;
  private stopped = false;
  private started = false;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private digestTimer: NodeJS.Timeout | undefined;
  private nextDue: number | undefined;

  constructor(private readonly opts: NotificationWorkerOptions) {
    this.workerId = opts.workerId ?? `notifier-${randomUUID()}`;
    this.http = new HttpSender({ policy: opts.delivery, timeoutMs: opts.delivery.timeoutMs });
    this.mail = new MailTransport(opts.notifications.smtp);
    this.clock = opts.clock ?? (() => new Date());
  }

  start(): void {
    this.started = true;
    this.kick();
    const digest = () => {
      this.digestTimer = setTimeout(() => {
        void this.digest()
          .catch((err) => this.opts.log.warn({ err: (err as Error).message }, 'digest failed; will retry'))
          .finally(() => {
            if (!this.stopped) digest();
          });
      }, this.opts.notifications.digestPollMs);
      this.digestTimer.unref();
    };
    digest();
  }

  /** Queues the digests due at the clock's time and wakes the sender; returns how many. */
  async digest(): Promise<number> {
    const n = await composeDigests(this.opts.dataSource, {
      now: this.clock(),
      digestHourUtc: this.opts.notifications.digestHourUtc,
      publicUrl: this.opts.notifications.publicUrl,
    });
    if (n > 0) this.kick();
    return n;
  }

  /** New notifications over these channels: send them now, unless none of them can go out (e-mail with no SMTP server). */
  wake(kinds: NotificationChannelKind[]): void {
    if (this.opts.notifications.smtp.host || kinds.some((k) => k !== NotificationChannelKind.EMAIL)) this.kick();
  }

  /** Sends what is due now; calls coalesce. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.opts.log.warn({ err: (err as Error).message }, 'notification claim failed; will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        } else this.arm();
      });
  }

  private arm(): void {
    if (this.stopped || !this.started) return;
    const now = Date.now();
    let at = now + this.opts.delivery.pollMs;
    if (this.nextDue !== undefined && this.nextDue < at) at = this.nextDue;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.nextDue = undefined;
        this.kick();
      },
      Math.max(10, at - now),
    );
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    const limit = this.opts.delivery.concurrency;
    while (!this.stopped) {
      const batch = await this.claim(limit);
      await Promise.all(batch.map((n) => this.deliver(n)));
      if (batch.length < limit) return;
    }
  }

  /** Leases up to `limit` due notifications. */
  async claim(limit: number): Promise<ClaimedNotification[]> {
    const rows: {
      id: string;
      channel_kind: NotificationChannelKind;
      attempts: number;
      content: NotificationContent;
      email: string | null;
      url: string | null;
    }[] = await this.opts.dataSource.query(
      `${BACKGROUND}WITH due AS (
         SELECT id FROM accounts.notifications
          WHERE status = 'PENDING' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
            -- Without an SMTP server e-mails wait, unsent and unretried, until one is configured.
            AND ($4::boolean OR channel_kind <> 'EMAIL')
          ORDER BY next_attempt_at, seq LIMIT $1
            FOR UPDATE SKIP LOCKED
       ), claimed AS (
         UPDATE accounts.notifications n
            SET lease_owner = $2, lease_until = now() + $3 * interval '1 millisecond', attempts = n.attempts + 1
           FROM due WHERE n.id = due.id
         RETURNING n.id, n.partner_id, n.person_id, n.channel_id, n.channel_kind, n.attempts, n.content
       )
       -- The address is read now, and only within the notification's own partner.
       SELECT c.id, c.channel_kind, c.attempts, c.content, p.email, ch.url
         FROM claimed c
         LEFT JOIN accounts.people p ON p.id = c.person_id AND p.partner_id = c.partner_id AND p.status = 'ACTIVE'
         LEFT JOIN accounts.notification_channels ch ON ch.id = c.channel_id AND ch.partner_id = c.partner_id`,
      [limit, this.workerId, this.opts.delivery.leaseMs, Boolean(this.opts.notifications.smtp.host)],
    );
    return rows.map((r) => ({ id: r.id, kind: r.channel_kind, attempts: r.attempts, content: r.content, email: r.email, url: r.url }));
  }

  /** Sends one claimed notification and records the outcome. */
  async deliver(n: ClaimedNotification): Promise<SendResult> {
    let result: SendResult;
    if (n.kind === NotificationChannelKind.EMAIL) {
      if (!n.email) return this.giveUp(n, 'the person is no longer active');
      result = await this.mail.send({ to: n.email, ...renderEmail(n.content) });
    } else {
      if (!n.url) return this.giveUp(n, 'the channel was removed');
      const body = JSON.stringify(n.kind === NotificationChannelKind.SLACK ? renderSlack(n.content) : renderTeams(n.content));
      const r = await this.http.send(n.url, { 'content-type': 'application/json', 'user-agent': 'PartnerHandoffHub-Notifications/1' }, body);
      result = { ok: r.ok, error: r.error };
    }
    if (result.ok) {
      await this.opts.dataSource.query(
        `${BACKGROUND}UPDATE accounts.notifications SET status = 'SENT', sent_at = now(), lease_owner = NULL, lease_until = NULL, last_error = NULL
          WHERE id = $1 AND lease_owner = $2 AND status = 'PENDING'`,
        [n.id, this.workerId],
      );
    } else {
      const delay = retryDelayMs(n.attempts, this.opts.delivery);
      await this.opts.dataSource.query(
        `${BACKGROUND}UPDATE accounts.notifications
            SET status = CASE WHEN created_at + $4 * interval '1 millisecond' <= now() THEN 'FAILED' ELSE 'PENDING' END,
                next_attempt_at = now() + $3 * interval '1 millisecond', lease_owner = NULL, lease_until = NULL, last_error = $5
          WHERE id = $1 AND lease_owner = $2 AND status = 'PENDING'`,
        [n.id, this.workerId, delay, this.opts.delivery.retryHorizonMs, result.error ?? 'failed'],
      );
      this.noteDue(Date.now() + delay);
    }
    return result;
  }

  private async giveUp(n: ClaimedNotification, error: string): Promise<SendResult> {
    await this.opts.dataSource.query(
      `${BACKGROUND}UPDATE accounts.notifications SET status = 'FAILED', lease_owner = NULL, lease_until = NULL, last_error = $3
        WHERE id = $1 AND lease_owner = $2 AND status = 'PENDING'`,
      [n.id, this.workerId, error],
    );
    return { ok: false, error };
  }

  private noteDue(at: number): void {
    if (this.nextDue !== undefined && this.nextDue <= at) return;
    this.nextDue = at;
    if (!this.running) this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.digestTimer) clearTimeout(this.digestTimer);
    await this.running;
    this.http.close();
    this.mail.close();
  }
}
