import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { headPosition, type HubEvent } from '../../../../shared/eventlog/event-log';
import type { Logger } from '../../../../shared/logger';
import { NOTIFICATION_CATALOG, NOTIFIABLE_EVENT_TYPES } from '../notifications/notification-catalog';
import { NotificationChannelKind, NotificationStatus } from '../notifications/notification.enums';
import { channelKey, effectivePreference, personKey, type PreferenceOverride } from '../notifications/preferences';
import { absolute } from '../notifications/templates';
import { planOnceArray } from '../../../../shared/db/prepared-statements';

export const NOTIFICATION_FANOUT_CONSUMER = 'accounts.notification-fanout';

interface Recipient {
  partnerId: string;
  personId: string | null;
  channelId: string | null;
  kind: NotificationChannelKind;
  key: string;
  /** Shown in the log: the person's address, or the channel's label. */
  label: string;
}

interface NotificationRow {
  partner_id: string;
  person_id: string | null;
  channel_id: string | null;
  channel_kind: string;
  recipient_key: string;
  recipient: string;
  event_id: string;
  event_type: string;
  status: NotificationStatus;
  digest_day: string | null;
  content: unknown;
}

const unique = <T>(v: T[]) => [...new Set(v)];

/** The rows a batch of events makes: one per event per recipient whose preference wants it. */
async function notificationRows(manager: EntityManager, events: HubEvent[], publicUrl: string): Promise<NotificationRow[]> {
  const items = events.flatMap((event) => {
    const kind = NOTIFICATION_CATALOG[event.type];
    return kind ? [{ event, kind, concerned: kind.concerns(event.payload) }] : [];
  });
  const partnerIds = unique(items.flatMap((i) => i.concerned.partnerIds));
  const personIds = unique(items.flatMap((i) => i.concerned.people.map((p) => p.personId)));
  if (partnerIds.length === 0 && personIds.length === 0) return [];
  const types = unique(items.map((i) => i.event.type));
  const mentioned = unique(items.flatMap((i) => i.kind.mentions(i.event.payload)).filter((id): id is string => typeof id === 'string'));
  // One statement for the whole batch: the candidate people and channels with their stored
  // preferences for these types, and the names of the partners the messages mention.
  const found: {
    what: 'person' | 'channel' | 'partner';
    id: string;
    partner_id: string;
    kind: NotificationChannelKind | null;
    label: string;
    prefs: Record<string, PreferenceOverride> | null;
  }[] = await manager.query(
    `${BACKGROUND}WITH r AS (
       SELECT 'person' AS what, id, partner_id, 'EMAIL' AS kind, email AS label FROM accounts.people
        WHERE status = 'ACTIVE' AND (partner_id = ANY(${planOnceArray(1, 'uuid[]')}) OR id = ANY(${planOnceArray(2, 'uuid[]')}))
       UNION ALL
       SELECT 'channel', id, partner_id, kind, label FROM accounts.notification_channels WHERE partner_id = ANY(${planOnceArray(1, 'uuid[]')})
     )
     SELECT r.what, r.id, r.partner_id, r.kind, r.label, (SELECT jsonb_object_agg(np.event_type, jsonb_build_object('enabled', np.enabled, 'digest', np.digest))
                    FROM accounts.notification_preferences np
                   WHERE np.event_type = ANY(${planOnceArray(3, 'text[]')}) AND (np.person_id = r.id OR np.channel_id = r.id)) AS prefs
       FROM r
     UNION ALL
     SELECT 'partner', id, id, NULL, name, NULL FROM accounts.partners WHERE id = ANY(${planOnceArray(4, 'uuid[]')})`,
    [partnerIds, personIds, types, mentioned],
  );
  const people = found.filter((f) => f.what === 'person').map((f) => ({ id: f.id, partner_id: f.partner_id, email: f.label }));
  const channels = found
    .filter((f) => f.what === 'channel')
    .map((f) => ({ id: f.id, partner_id: f.partner_id, kind: f.kind ?? NotificationChannelKind.SLACK, label: f.label }));
  const partners = found.filter((f) => f.what === 'partner').map((f) => ({ id: f.id, name: f.label }));
  const override = new Map<string, PreferenceOverride>(
    found.flatMap((f) =>
      Object.entries(f.prefs ?? {}).map(([type, pref]) => [`${f.what === 'person' ? personKey(f.id) : channelKey(f.id)}|${type}`, pref] as const),
    ),
  );
  const names = new Map(partners.map((p) => [p.id, p.name]));
  const ctx = { partnerName: (id: string | null | undefined) => (id ? (names.get(id) ?? 'A partner') : 'Our team') };

  const rows: NotificationRow[] = [];
  for (const { event, kind, concerned } of items) {
    const recipients: Recipient[] = [
      ...people
        .filter((p) => concerned.partnerIds.includes(p.partner_id) || concerned.people.some((c) => c.personId === p.id && c.partnerId === p.partner_id))
        .map((p) => ({ partnerId: p.partner_id, personId: p.id, channelId: null, kind: NotificationChannelKind.EMAIL, key: personKey(p.id), label: p.email })),
      ...channels
        .filter((c) => concerned.partnerIds.includes(c.partner_id))
        .map((c) => ({ partnerId: c.partner_id, personId: null, channelId: c.id, kind: c.kind, key: channelKey(c.id), label: c.label })),
    ];
    let content: unknown;
    for (const r of recipients) {
      const pref = effectivePreference(kind, r.kind, override.get(`${r.key}|${event.type}`));
      if (!pref.enabled) continue;
      content ??= absolute(publicUrl, kind.render(event.payload, ctx));
      rows.push({
        partner_id: r.partnerId,
        person_id: r.personId,
        channel_id: r.channelId,
        channel_kind: r.kind,
        recipient_key: r.key,
        recipient: r.label,
        event_id: event.id,
        event_type: event.type,
        status: pref.digest ? NotificationStatus.HELD : NotificationStatus.PENDING,
        digest_day: pref.digest ? new Date(event.occurredAt).toISOString().slice(0, 10) : null,
        content,
      });
    }
  }
  return rows;
}

/**
 * Turns each committed event of a notifiable type (the notification catalog) into one
 * notification row per recipient whose preference wants it, in the transaction that
 * advances the consumer's position: exactly once however many instances run. The rows are
 * the delivery worker's queue (or wait for the recipient's digest).
 */
export async function createNotificationFanout(
  db: DataSource,
  log: Logger,
  opts: { publicUrl: string; onNotifications?: (kinds: NotificationChannelKind[]) => void },
): Promise<DurableConsumer> {
  // A fresh deployment starts at the head: nobody wants to hear of what happened before.
  const head = await headPosition(db.manager);
  await db.query(`${BACKGROUND}INSERT INTO eventlog.consumers (name, tx, seq) VALUES ($1, $2::xid8, $3::bigint) ON CONFLICT (name) DO NOTHING`, [
    NOTIFICATION_FANOUT_CONSUMER,
    head.tx,
    head.seq,
  ]);
  let pending: NotificationChannelKind[] = [];
  return new DurableConsumer({
    name: NOTIFICATION_FANOUT_CONSUMER,
    dataSource: db,
    log,
    batchSize: 500,
    types: [...NOTIFIABLE_EVENT_TYPES],
    onApplied: () => {
      if (pending.length > 0) opts.onNotifications?.(pending);
      pending = [];
    },
    handle: async (events, manager) => {
      const rows = await notificationRows(manager, events, opts.publicUrl);
      if (rows.length === 0) return;
      const inserted: { status: string; channel_kind: NotificationChannelKind }[] = await manager.query(
        `${BACKGROUND}INSERT INTO accounts.notifications
           (partner_id, person_id, channel_id, channel_kind, recipient_key, recipient, event_id, event_type, status, digest_day, content)
         SELECT partner_id, person_id, channel_id, channel_kind, recipient_key, recipient, event_id, event_type, status, digest_day, content
           FROM jsonb_to_recordset($1::jsonb) AS r(partner_id uuid, person_id uuid, channel_id uuid, channel_kind text, recipient_key text, recipient text,
                event_id uuid, event_type text, status text, digest_day date, content jsonb)
         ON CONFLICT (event_id, recipient_key) WHERE event_id IS NOT NULL DO NOTHING
         RETURNING status, channel_kind`,
        [JSON.stringify(rows)],
      );
      pending = [...new Set(inserted.filter((r) => r.status === NotificationStatus.PENDING).map((r) => r.channel_kind))];
    },
  });
}
