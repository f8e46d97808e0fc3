import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DAILY_DIGEST } from './notification-catalog';
import type { NotificationContent } from './templates';

/** The last day whose held notifications may go out at `now`: yesterday from the digest hour on, else the day before. */
export function digestCutoff(now: Date, digestHourUtc: number): string {
  const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  day.setUTCDate(day.getUTCDate() - (now.getUTCHours() >= digestHourUtc ? 1 : 2));
  return day.toISOString().slice(0, 10);
}

interface HeldRow {
  id: string;
  partner_id: string;
  person_id: string | null;
  channel_id: string | null;
  channel_kind: string;
  recipient_key: string;
  recipient: string;
  digest_day: string;
  content: NotificationContent;
}

/**
 * Turns the held notifications of each recipient and day up to the cutoff into one digest
 * notification (queued like any other) and marks them DIGESTED, in one transaction: a
 * second run, here or on another instance, finds nothing left to hold. Returns how many
 * digests it queued.
 */
export async function composeDigests(db: DataSource, opts: { now: Date; digestHourUtc: number; publicUrl: string }): Promise<number> {
  const cutoff = digestCutoff(opts.now, opts.digestHourUtc);
  return db.transaction(async (manager) => {
    const held: HeldRow[] = await manager.query(
      `${BACKGROUND}SELECT id, partner_id, person_id, channel_id, channel_kind, recipient_key, recipient, to_char(digest_day, 'YYYY-MM-DD') AS digest_day, content
         FROM accounts.notifications WHERE status = 'HELD' AND digest_day <= $1::date ORDER BY seq FOR UPDATE SKIP LOCKED`,
      [cutoff],
    );
    const groups = new Map<string, HeldRow[]>();
    for (const row of held) {
      const key = `${row.recipient_key}|${row.digest_day}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    let queued = 0;
    for (const rows of groups.values()) {
      const [first] = rows;
      if (!first) continue;
      const content: NotificationContent = {
        subject: `Your hub digest for ${first.digest_day}: ${rows.length} notification${rows.length === 1 ? '' : 's'}`,
        headline: `What happened on ${first.digest_day}`,
        facts: [],
        items: rows.map((r) => ({ subject: r.content.subject, url: r.content.link.url })),
        link: { label: 'Open the dashboard', url: `${opts.publicUrl}/dashboard/` },
      };
      const [digest]: { id: string }[] = await manager.query(
        `${BACKGROUND}INSERT INTO accounts.notifications
           (partner_id, person_id, channel_id, channel_kind, recipient_key, recipient, event_type, status, digest_day, content)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'PENDING', $8::date, $9::jsonb)
         ON CONFLICT (recipient_key, digest_day) WHERE event_id IS NULL AND event_type = 'DailyDigest' DO NOTHING
         RETURNING id`,
        [
          first.partner_id,
          first.person_id,
          first.channel_id,
          first.channel_kind,
          first.recipient_key,
          first.recipient,
          DAILY_DIGEST,
          first.digest_day,
          JSON.stringify(content),
        ],
      );
      if (!digest) {
        // That day's digest already went out (an event arrived late): send these on their own.
        await manager.query(`${BACKGROUND}UPDATE accounts.notifications SET status = 'PENDING', next_attempt_at = now() WHERE id = ANY($1::uuid[])`, [
          rows.map((r) => r.id),
        ]);
        continue;
      }
      await manager.query(`${BACKGROUND}UPDATE accounts.notifications SET status = 'DIGESTED', digest_id = $2 WHERE id = ANY($1::uuid[])`, [
        rows.map((r) => r.id),
        digest.id,
      ]);
      queued++;
    }
    return queued;
  });
}
