import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { oneRow } from '../../../../shared/db/rows';
import { badUserInput, forbidden, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { decodeCursor, pageSize, sqlProbes, toConnection, type Connection } from '../../../../shared/graphql/pagination';
import { validateWebhookUrl, type TargetPolicy } from '../webhooks/url-guard';
import { NOTIFICATION_CATALOG, NOTIFIABLE_EVENT_TYPES } from './notification-catalog';
import { NotificationChannelKind, type NotificationStatus } from './notification.enums';
import { Notification, NotificationChannel, NotificationPreference } from './notification.types';
import { effectivePreference, type PreferenceOverride } from './preferences';
import { partnerAdminRefusal } from '../services/person.service';

export const MAX_CHANNELS_PER_PARTNER = 25;

/** The subject of preferences: a person (e-mail) or a team channel. */
interface Subject {
  personId: string | null;
  channelId: string | null;
  partnerId: string;
  kind: NotificationChannelKind;
}

/**
 * A partner's admins manage its notification channels and everyone's preferences: as for
 * its people, a credential of that partner with `apikeys:manage` (a person-bound one only
 * for an ACTIVE ADMIN), or an internal team with the admin scope for any partner.
 */
const isPartnerAdmin = async (manager: EntityManager, identity: Identity, partnerId: string): Promise<boolean> =>
  (await partnerAdminRefusal(manager, identity, partnerId)) === null;

const MANAGERS = 'the person themselves, their partner’s admins (apikeys:manage) or an internal team with the admin scope';

async function personSubject(manager: EntityManager, identity: Identity, rawId: string | null | undefined, write: boolean): Promise<Subject> {
  const id = rawId ? assertId(rawId, 'personId') : identity.personId;
  if (!id)
    throw badUserInput('This credential is not bound to a person: name personId or channelId (or partnerId to list a partner’s)', [
      { field: 'personId', message: 'required' },
    ]);
  const [row]: { id: string; partner_id: string }[] = await manager.query(`SELECT id, partner_id FROM accounts.people WHERE id = $1`, [id]);
  // Hidden is not found: another partner's person does not exist for the caller.
  if (!row || (!isInternal(identity) && row.partner_id !== identity.partnerId)) throw notFound('Person', id);
  const subject = { personId: row.id, channelId: null, partnerId: row.partner_id, kind: NotificationChannelKind.EMAIL };
  if (identity.personId === row.id || (isInternal(identity) && !write) || (await isPartnerAdmin(manager, identity, row.partner_id))) return subject;
  throw forbidden(`A person’s notification preferences are managed by ${MANAGERS}`);
}

async function channelSubject(manager: EntityManager, identity: Identity, rawId: string, write: boolean): Promise<Subject> {
  const id = assertId(rawId, 'channelId');
  const [row]: { id: string; partner_id: string; kind: NotificationChannelKind }[] = await manager.query(
    `SELECT id, partner_id, kind FROM accounts.notification_channels WHERE id = $1`,
    [id],
  );
  if (!row || (!isInternal(identity) && row.partner_id !== identity.partnerId)) throw notFound('Notification channel', id);
  if ((isInternal(identity) && !write) || (await isPartnerAdmin(manager, identity, row.partner_id)))
    return { personId: null, channelId: row.id, partnerId: row.partner_id, kind: row.kind };
  throw forbidden('A partner’s notification channels are managed by its admins (apikeys:manage) or an internal team with the admin scope');
}

async function assertPartnerReadable(manager: EntityManager, identity: Identity, partnerId: string): Promise<void> {
  if (isInternal(identity)) return;
  if (identity.partnerId !== partnerId) throw forbidden('A partner sees only its own notification settings; internal teams see any partner’s');
  if (!(await isPartnerAdmin(manager, identity, partnerId)))
    throw forbidden('A partner’s notification settings are for its admins (apikeys:manage); a person sees their own with no argument');
}

function preferencesOf(subjects: Subject[], overrides: Map<string, PreferenceOverride>): NotificationPreference[] {
  return subjects.flatMap((s) =>
    NOTIFIABLE_EVENT_TYPES.map((eventType) => {
      const kind = NOTIFICATION_CATALOG[eventType]!;
      const pref = effectivePreference(kind, s.kind, overrides.get(`${s.personId ?? s.channelId}|${eventType}`));
      return Object.assign(new NotificationPreference(), {
        eventType,
        description: kind.description,
        channel: s.kind,
        personId: s.personId,
        channelId: s.channelId,
        ...pref,
      });
    }),
  );
}

async function overridesFor(manager: EntityManager, subjects: Subject[]): Promise<Map<string, PreferenceOverride>> {
  const rows: { person_id: string | null; channel_id: string | null; event_type: string; enabled: boolean; digest: boolean }[] = await manager.query(
    `SELECT person_id, channel_id, event_type, enabled, digest FROM accounts.notification_preferences
      WHERE person_id = ANY($1::uuid[]) OR channel_id = ANY($2::uuid[])`,
    [subjects.flatMap((s) => (s.personId ? [s.personId] : [])), subjects.flatMap((s) => (s.channelId ? [s.channelId] : []))],
  );
  return new Map(rows.map((r) => [`${r.person_id ?? r.channel_id}|${r.event_type}`, { enabled: r.enabled, digest: r.digest }]));
}

/**
 * Every notifiable event type with what applies: for the caller's own person (no
 * argument), one person, one channel, or every ACTIVE person and channel of a partner.
 */
export async function listPreferences(
  db: DataSource,
  identity: Identity,
  args: { personId?: string | null; channelId?: string | null; partnerId?: string | null },
): Promise<NotificationPreference[]> {
  const given = [args.personId, args.channelId, args.partnerId].filter((v) => v != null).length;
  if (given > 1) throw badUserInput('Give at most one of personId, channelId and partnerId', [{ field: 'personId', message: 'one of three' }]);
  return db.transaction(async (manager) => {
    let subjects: Subject[];
    if (args.channelId) subjects = [await channelSubject(manager, identity, args.channelId, false)];
    else if (args.partnerId) {
      const partnerId = assertId(args.partnerId, 'partnerId');
      await assertPartnerReadable(manager, identity, partnerId);
      const [people, channels]: [{ id: string }[], { id: string; kind: NotificationChannelKind }[]] = await Promise.all([
        manager.query(`SELECT id FROM accounts.people WHERE partner_id = $1 AND status = 'ACTIVE' ORDER BY created_at, id`, [partnerId]),
        manager.query(`SELECT id, kind FROM accounts.notification_channels WHERE partner_id = $1 ORDER BY created_at, id`, [partnerId]),
      ]);
      subjects = [
        ...people.map((p) => ({ personId: p.id, channelId: null, partnerId, kind: NotificationChannelKind.EMAIL })),
        ...channels.map((c) => ({ personId: null, channelId: c.id, partnerId, kind: c.kind })),
      ];
    } else subjects = [await personSubject(manager, identity, args.personId, false)];
    return preferencesOf(subjects, await overridesFor(manager, subjects));
  });
}

export async function setPreference(
  db: DataSource,
  identity: Identity,
  input: { personId?: string | null; channelId?: string | null; eventType: string; enabled: boolean; digest?: boolean | null },
): Promise<NotificationPreference> {
  if (input.personId && input.channelId)
    throw badUserInput('Give personId or channelId, not both', [{ field: 'input.channelId', message: 'personId given too' }]);
  const kind = NOTIFICATION_CATALOG[input.eventType];
  if (!kind)
    throw badUserInput(`"${input.eventType.slice(0, 100)}" is not a notifiable event type. Known: ${NOTIFIABLE_EVENT_TYPES.join(', ')}`, [
      { field: 'input.eventType', message: 'not notifiable' },
    ]);
  return db.transaction(async (manager) => {
    const subject = input.channelId
      ? await channelSubject(manager, identity, input.channelId, true)
      : await personSubject(manager, identity, input.personId, true);
    const conflictTarget = subject.personId ? '(person_id, event_type) WHERE person_id IS NOT NULL' : '(channel_id, event_type) WHERE channel_id IS NOT NULL';
    await manager.query(
      `INSERT INTO accounts.notification_preferences (partner_id, person_id, channel_id, event_type, enabled, digest)
       VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ${conflictTarget} DO UPDATE SET enabled = EXCLUDED.enabled, digest = EXCLUDED.digest, updated_at = now()`,
      [subject.partnerId, subject.personId, subject.channelId, input.eventType, input.enabled, input.digest ?? false],
    );
    const [pref] = preferencesOf([subject], await overridesFor(manager, [subject])).filter((p) => p.eventType === input.eventType);
    return oneRow(pref ? [pref] : [], 'preference after upsert');
  });
}

interface ChannelRow {
  id: string;
  partner_id: string;
  kind: NotificationChannelKind;
  label: string;
  url: string;
  created_at: Date;
}

/** The webhook URL is a credential (whoever has it may post): show only where it points. */
const maskedTarget = (raw: string) => {
  const url = new URL(raw);
  return `${url.protocol}//${url.host}/…${raw.slice(-4)}`;
};

const toChannel = (r: ChannelRow) =>
  Object.assign(new NotificationChannel(), {
    id: r.id,
    partnerId: r.partner_id,
    kind: r.kind,
    label: r.label,
    target: maskedTarget(r.url),
    createdAt: r.created_at,
  });

export async function addChannel(
  db: DataSource,
  identity: Identity,
  policy: TargetPolicy,
  input: { partnerId?: string | null; kind: NotificationChannelKind; label: string; url: string },
): Promise<NotificationChannel> {
  const partnerId = input.partnerId ? assertId(input.partnerId, 'input.partnerId') : identity.partnerId;
  if (!partnerId) throw badUserInput('input.partnerId is required for a caller that acts for no partner', [{ field: 'input.partnerId', message: 'required' }]);
  if (input.kind === NotificationChannelKind.EMAIL)
    throw badUserInput('E-mail goes to each person’s own address and needs no channel: set the person’s preferences instead', [
      { field: 'input.kind', message: 'EMAIL needs no channel' },
    ]);
  const label = input.label.trim();
  if (label.length < 1 || label.length > 100)
    throw badUserInput('input.label must be 1 to 100 characters', [{ field: 'input.label', message: 'must be 1 to 100 characters' }]);
  const url = await validateWebhookUrl(input.url, policy).catch((err: Error) => {
    throw badUserInput(`input.url: ${err.message}`, [{ field: 'input.url', message: err.message }]);
  });
  return db.transaction(async (manager) => {
    if (!(await isPartnerAdmin(manager, identity, partnerId)))
      throw forbidden('A partner’s notification channels are managed by its admins (apikeys:manage) or an internal team with the admin scope');
    const [partner]: { id: string }[] = await manager.query(`SELECT id FROM accounts.partners WHERE id = $1`, [partnerId]);
    if (!partner) throw notFound('Partner', partnerId);
    // Serialises additions by one partner so the limit holds.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('notification-channels:' || $1, 7))`, [partnerId]);
    const { n } = oneRow<{ n: number }>(
      await manager.query(`SELECT count(*)::int AS n FROM accounts.notification_channels WHERE partner_id = $1`, [partnerId]),
      'count of channels',
    );
    if (n >= MAX_CHANNELS_PER_PARTNER)
      throw badUserInput(`A partner may have at most ${MAX_CHANNELS_PER_PARTNER} notification channels; remove one first`, [
        { field: 'input.url', message: 'channel limit reached' },
      ]);
    const rows: ChannelRow[] = await manager.query(
      `INSERT INTO accounts.notification_channels (partner_id, kind, label, url) VALUES ($1, $2, $3, $4) RETURNING id, partner_id, kind, label, url, created_at`,
      [partnerId, input.kind, label, url.toString()],
    );
    return toChannel(oneRow(rows, 'INSERT INTO accounts.notification_channels'));
  });
}

/** Removes a channel and its preferences; its log rows stay (without the channel). */
export async function removeChannel(db: DataSource, identity: Identity, rawId: string): Promise<string> {
  return db.transaction(async (manager) => {
    const subject = await channelSubject(manager, identity, rawId, true);
    await manager.query(`DELETE FROM accounts.notification_channels WHERE id = $1`, [subject.channelId]);
    return rawId;
  });
}

export async function listChannels(db: DataSource, identity: Identity, rawPartnerId?: string | null): Promise<NotificationChannel[]> {
  const partnerId = rawPartnerId ? assertId(rawPartnerId, 'partnerId') : identity.partnerId;
  if (!partnerId) throw badUserInput('partnerId is required for a caller that acts for no partner', [{ field: 'partnerId', message: 'required' }]);
  return db.transaction(async (manager) => {
    await assertPartnerReadable(manager, identity, partnerId);
    const rows: ChannelRow[] = await manager.query(
      `SELECT id, partner_id, kind, label, url, created_at FROM accounts.notification_channels WHERE partner_id = $1 ORDER BY created_at, id`,
      [partnerId],
    );
    return rows.map(toChannel);
  });
}

export interface NotificationQuery {
  partnerId?: string | null;
  personId?: string | null;
  channelId?: string | null;
  status?: NotificationStatus | null;
  eventType?: string | null;
  first?: number | null;
  after?: string | null;
}

interface NotificationRow {
  id: string;
  seq: string;
  partner_id: string;
  channel_kind: NotificationChannelKind;
  person_id: string | null;
  channel_id: string | null;
  recipient: string;
  event_id: string | null;
  event_type: string;
  subject: string;
  status: NotificationStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date;
  sent_at: Date | null;
  created_at: Date;
}

const toNotification = (r: NotificationRow) =>
  Object.assign(new Notification(), {
    id: r.id,
    seq: String(r.seq),
    partnerId: r.partner_id,
    channel: r.channel_kind,
    personId: r.person_id,
    channelId: r.channel_id,
    recipient: r.recipient,
    eventId: r.event_id,
    eventType: r.event_type,
    subject: r.subject,
    status: r.status,
    attempts: r.attempts,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'PENDING' ? r.next_attempt_at : null,
    sentAt: r.sent_at,
    createdAt: r.created_at,
  });

/**
 * The notification log, newest first. Internal teams see every partner's; a partner's
 * admins their partner's; anyone else bound to a person only what was sent to them.
 */
export async function listNotifications(db: DataSource, identity: Identity, q: NotificationQuery): Promise<Connection<Notification>> {
  const limit = pageSize(q.first);
  const cursor = decodeCursor(q.after, 1);
  const params: unknown[] = [];
  const where: string[] = [];
  const filterPartner = q.partnerId ? assertId(q.partnerId, 'filter.partnerId') : null;
  const filterPerson = q.personId ? assertId(q.personId, 'filter.personId') : null;
  if (!isInternal(identity)) {
    const partnerId = identity.partnerId;
    if (!partnerId || (filterPartner && filterPartner !== partnerId)) throw forbidden('A partner sees only its own notifications');
    if (await isPartnerAdmin(db.manager, identity, partnerId)) where.push(`partner_id = $${params.push(partnerId)}`);
    else if (identity.personId) {
      if (filterPerson && filterPerson !== identity.personId)
        throw forbidden('A person sees only the notifications sent to them; their partner’s admins see all of its');
      where.push(`partner_id = $${params.push(partnerId)}`, `person_id = $${params.push(identity.personId)}`);
    } else throw forbidden('The notification log is for a partner’s admins (apikeys:manage), or a person’s own with a person-bound key');
  }
  if (filterPartner) where.push(`partner_id = $${params.push(filterPartner)}`);
  if (filterPerson) where.push(`person_id = $${params.push(filterPerson)}`);
  if (q.channelId) where.push(`channel_id = $${params.push(assertId(q.channelId, 'filter.channelId'))}`);
  if (q.status) where.push(`status = $${params.push(q.status)}`);
  if (q.eventType) where.push(`event_type = $${params.push(q.eventType)}`);
  const filtered = `FROM accounts.notifications${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const and = where.length ? ' AND' : ' WHERE';
  const base = [...params];
  const at = cursor ? `$${params.push(String(cursor[0]))}::bigint` : '';
  const rows: NotificationRow[] = await db.query(
    `SELECT id, seq, partner_id, channel_kind, person_id, channel_id, recipient, event_id, event_type, content->>'subject' AS subject, status, attempts,
            last_error, next_attempt_at, sent_at, created_at
       ${filtered}${cursor ? `${and} seq < ${at}` : ''} ORDER BY seq DESC LIMIT $${params.push(limit + 1)}`,
    params,
  );
  return toConnection(
    rows.map(toNotification),
    limit,
    (n) => [n.seq],
    sqlProbes(db, [`SELECT 1 ${filtered}`, base], cursor ? [`SELECT 1 ${filtered}${and} seq >= ${at}`, params.slice(0, base.length + 1)] : undefined),
  );
}
