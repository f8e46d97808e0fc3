import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { badUserInput, forbidden, notFound } from '../../../../shared/errors';
import { EVENTS_CHANNEL, headPosition } from '../../../../shared/eventlog/event-log';
import { signalPayload } from '../../../../shared/eventlog/event-reader';
import { WEBHOOKS_CHANGED } from '../consumers/webhook-fanout.consumer';
import { assertId } from '../../../../shared/graphql/ids';
import { EVENT_TYPES } from '../feed/change-type';
import type { WebhookConfig } from '../../../../shared/config';
import { generateWebhookSecret } from './signature';
import { validateWebhookUrl } from './url-guard';
import { WebhookDelivery } from './webhook-delivery.entity';
import { Webhook } from './webhook.entity';
import { WebhookStatus } from './webhook.enums';
import { oneRow } from '../../../../shared/db/rows';

export const MAX_WEBHOOKS_PER_PARTNER = 25;
export const ALL_EVENTS = '*';

/** Every event type of the contract, so new types are subscribable at once. */
export const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(EVENT_TYPES);

function callerPartner(identity: Identity): string {
  if (!identity.partnerId) throw forbidden('Webhooks belong to a partner or an internal team; this credential has neither');
  return identity.partnerId;
}

function normalizeEvents(events: string[]): string[] {
  const cleaned = [...new Set(events.map((e) => e.trim()).filter(Boolean))];
  if (cleaned.length === 0) throw badUserInput('"events" must name at least one event type, or "*" for all', [{ field: 'events', message: 'empty' }]);
  if (cleaned.length > 50) throw badUserInput('"events" may name at most 50 event types', [{ field: 'events', message: 'too many' }]);
  const unknown = cleaned.filter((e) => e !== ALL_EVENTS && !KNOWN_EVENT_TYPES.has(e));
  if (unknown.length > 0) {
    throw badUserInput(`Unknown event type(s): ${unknown.join(', ')}. Known: ${[...KNOWN_EVENT_TYPES].sort().join(', ')}, or "*"`, [
      { field: 'events', message: `unknown: ${unknown.join(', ')}` },
    ]);
  }
  return cleaned.includes(ALL_EVENTS) ? [ALL_EVENTS] : cleaned;
}

/** Creates an endpoint; returns the signing secret, which is never shown again. */
export async function createWebhook(
  db: DataSource,
  identity: Identity,
  config: WebhookConfig,
  input: { url: string; events: string[]; secret?: string | null },
): Promise<{ webhook: Webhook; secret: string }> {
  const partnerId = callerPartner(identity);
  const events = normalizeEvents(input.events);
  if (input.secret !== undefined && input.secret !== null && (input.secret.length < 24 || input.secret.length > 200)) {
    throw badUserInput('"secret" must be 24 to 200 characters (or leave it out and one is generated)', [
      { field: 'secret', message: 'must be 24 to 200 characters' },
    ]);
  }
  const url = await validateWebhookUrl(input.url, config);
  const secret = input.secret ?? generateWebhookSecret();
  const id = await db.transaction(async (manager) => {
    // Serialises creations by one partner so the per-partner limit holds.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('webhooks:' || $1, 7))`, [partnerId]);
    const { n } = oneRow<{ n: number }>(
      await manager.query(`SELECT count(*)::int AS n FROM accounts.webhooks WHERE partner_id = $1`, [partnerId]),
      'count of webhooks',
    );
    if (n >= MAX_WEBHOOKS_PER_PARTNER) {
      throw badUserInput(`A partner may have at most ${MAX_WEBHOOKS_PER_PARTNER} webhooks; delete one first`, [
        { field: 'url', message: 'webhook limit reached' },
      ]);
    }
    // Events committed from now on are delivered; older ones are in the change feed.
    const start = await headPosition(manager);
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO accounts.webhooks (partner_id, owner_internal, url, events, secret, status, start_tx, start_seq)
       VALUES ($1, $2, $3, $4, $5, 'ACTIVE', $6::xid8, $7) RETURNING id`,
      [partnerId, isInternal(identity), url.toString(), events, secret, start.tx, start.seq],
    );
    // On commit, every instance's fan-out starts handling the types this webhook wants.
    await manager.query(`SELECT pg_notify($1, $2)`, [EVENTS_CHANNEL, signalPayload(WEBHOOKS_CHANGED)]);
    return oneRow(rows, 'INSERT INTO accounts.webhooks').id;
  });
  return { webhook: await db.getRepository(Webhook).findOneByOrFail({ id }), secret };
}

/** The webhook when the caller may manage it (its owner; internal teams: any), else NOT_FOUND. */
export async function visibleWebhook(db: DataSource, identity: Identity, rawId: string, field = 'id'): Promise<Webhook> {
  const id = assertId(rawId, field);
  const webhook = await db.getRepository(Webhook).findOneBy({ id });
  if (!webhook || (!isInternal(identity) && webhook.partnerId !== identity.partnerId)) throw notFound('Webhook', rawId);
  return webhook;
}

export async function setWebhookStatus(
  db: DataSource,
  identity: Identity,
  rawId: string,
  status: WebhookStatus.ACTIVE | WebhookStatus.PAUSED,
): Promise<Webhook> {
  const webhook = await visibleWebhook(db, identity, rawId);
  if (status === WebhookStatus.ACTIVE) {
    await db.transaction(async (manager) => {
      await manager.query(
        `UPDATE accounts.webhooks SET status = 'ACTIVE', disabled_reason = NULL, consecutive_failures = 0, failing_since = NULL, updated_at = now() WHERE id = $1`,
        [webhook.id],
      );
      // Whatever waited through the pause or the failures goes out now, in order.
      await manager.query(
        `UPDATE accounts.webhook_deliveries SET next_attempt_at = now() WHERE webhook_id = $1 AND status = 'PENDING' AND next_attempt_at > now()`,
        [webhook.id],
      );
    });
  } else {
    await db.query(`UPDATE accounts.webhooks SET status = 'PAUSED', updated_at = now() WHERE id = $1`, [webhook.id]);
  }
  return db.getRepository(Webhook).findOneByOrFail({ id: webhook.id });
}

export async function deleteWebhook(db: DataSource, identity: Identity, rawId: string): Promise<string> {
  const webhook = await visibleWebhook(db, identity, rawId);
  await db.query(`DELETE FROM accounts.webhooks WHERE id = $1`, [webhook.id]);
  return webhook.id;
}

/** Sends a delivery again (whatever its status), ahead of the endpoint's newer events. */
export async function redeliver(db: DataSource, identity: Identity, rawId: string): Promise<WebhookDelivery> {
  const id = assertId(rawId, 'deliveryId');
  const rows: { webhook_id: string }[] = await db.query(`SELECT webhook_id FROM accounts.webhook_deliveries WHERE id = $1`, [id]);
  if (!rows[0]) throw notFound('Webhook delivery', rawId);
  try {
    await visibleWebhook(db, identity, rows[0].webhook_id);
  } catch {
    throw notFound('Webhook delivery', rawId);
  }
  await db.query(
    `UPDATE accounts.webhook_deliveries
        SET status = 'PENDING', next_attempt_at = now(), delivered_at = CASE WHEN status = 'PENDING' THEN delivered_at ELSE NULL END
      WHERE id = $1`,
    [id],
  );
  return db.getRepository(WebhookDelivery).findOneByOrFail({ id });
}
