import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';
const OWN = `${ALL} OR partner_id = hubsec.partner()`;

/**
 * Channels and preferences are managed by their partner (the services decide which of its
 * callers may); the delivery log is written only by the hub's consumer, digest and worker,
 * and read by the partner it went to.
 */
const POLICIES: TablePolicies[] = [
  { table: 'notification_channels', select: OWN, insert: OWN, update: { using: OWN }, delete: OWN },
  { table: 'notification_preferences', select: OWN, insert: OWN, update: { using: OWN }, delete: OWN },
  { table: 'notifications', select: OWN, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
];

/**
 * Notifications (docs/notifications.md). The composite foreign keys keep every person and
 * channel a preference or a notification names inside the partner the row belongs to, so an
 * e-mail can only ever go to an address of the partner it was written for.
 */
export class Notifications1733910000000 implements MigrationInterface {
  name = 'Notifications1733910000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts.notification_channels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        kind text NOT NULL CHECK (kind IN ('SLACK','TEAMS')),
        label text NOT NULL CHECK (length(btrim(label)) BETWEEN 1 AND 100),
        url text NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (id, partner_id)
      )`);
    await q.query(`CREATE INDEX notification_channels_partner_idx ON accounts.notification_channels (partner_id, created_at, id)`);
    await q.query(`
      CREATE TABLE accounts.notification_preferences (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        person_id uuid,
        channel_id uuid,
        event_type text NOT NULL,
        enabled boolean NOT NULL,
        digest boolean NOT NULL DEFAULT false,
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((person_id IS NULL) <> (channel_id IS NULL)),
        FOREIGN KEY (person_id, partner_id) REFERENCES accounts.people (id, partner_id),
        FOREIGN KEY (channel_id, partner_id) REFERENCES accounts.notification_channels (id, partner_id) ON DELETE CASCADE
      )`);
    await q.query(
      `CREATE UNIQUE INDEX notification_preferences_person_uq ON accounts.notification_preferences (person_id, event_type) WHERE person_id IS NOT NULL`,
    );
    await q.query(
      `CREATE UNIQUE INDEX notification_preferences_channel_uq ON accounts.notification_preferences (channel_id, event_type) WHERE channel_id IS NOT NULL`,
    );
    await q.query(`CREATE INDEX notification_preferences_partner_idx ON accounts.notification_preferences (partner_id)`);
    await q.query(`
      CREATE TABLE accounts.notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial NOT NULL UNIQUE,
        partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        person_id uuid,
        channel_id uuid,
        channel_kind text NOT NULL CHECK (channel_kind IN ('EMAIL','SLACK','TEAMS')),
        -- 'person:<id>' or 'channel:<id>': one notification per event per recipient.
        recipient_key text NOT NULL,
        recipient text NOT NULL,
        event_id uuid,
        event_type text NOT NULL,
        status text NOT NULL CHECK (status IN ('PENDING','HELD','DIGESTED','SENT','FAILED')),
        digest_day date,
        digest_id uuid REFERENCES accounts.notifications(id),
        content jsonb NOT NULL,
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        lease_owner text,
        lease_until timestamptz(3),
        last_error text,
        sent_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        -- A removed channel leaves its log rows with neither.
        CHECK (person_id IS NULL OR channel_id IS NULL),
        FOREIGN KEY (person_id, partner_id) REFERENCES accounts.people (id, partner_id),
        FOREIGN KEY (channel_id, partner_id) REFERENCES accounts.notification_channels (id, partner_id) ON DELETE SET NULL (channel_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX notifications_event_recipient_uq ON accounts.notifications (event_id, recipient_key) WHERE event_id IS NOT NULL`);
    await q.query(
      `CREATE UNIQUE INDEX notifications_digest_uq ON accounts.notifications (recipient_key, digest_day) WHERE event_id IS NULL AND event_type = 'DailyDigest'`,
    );
    await q.query(`CREATE INDEX notifications_due_idx ON accounts.notifications (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX notifications_held_idx ON accounts.notifications (digest_day) WHERE status = 'HELD'`);
    await q.query(`CREATE INDEX notifications_partner_idx ON accounts.notifications (partner_id, seq)`);
    for (const p of POLICIES) for (const sql of rlsPolicySql('accounts', p)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const p of [...POLICIES].reverse()) for (const sql of dropRlsPolicySql('accounts', p.table)) await q.query(sql);
    await q.query(`DROP TABLE accounts.notifications`);
    await q.query(`DROP TABLE accounts.notification_preferences`);
    await q.query(`DROP TABLE accounts.notification_channels`);
  }
}
