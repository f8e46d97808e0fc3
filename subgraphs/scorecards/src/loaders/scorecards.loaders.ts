import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import type { Feedback } from '../entities/feedback.entity';
import { FeedbackRevision } from '../entities/feedback-revision.entity';
import { feedbackFromRow, isParty, type HandoffParties } from '../services/feedback.service';

export interface ScorecardsLoaders {
  /** Handoffs the caller may see (it sends or receives them, or is internal); null for missing and hidden alike. */
  visibleHandoff: DataLoader<string, HandoffParties | null>;
  /** The current feedback on a handoff, one per source. */
  feedbackByHandoff: DataLoader<string, Feedback[]>;
  revisions: DataLoader<string, FeedbackRevision[]>;
}

const grouped = <T>(keys: readonly string[], rows: T[], keyOf: (row: T) => string) => {
  const map = new Map<string, T[]>();
  for (const r of rows) {
    const list = map.get(keyOf(r));
    if (list) list.push(r);
    else map.set(keyOf(r), [r]);
  }
  return keys.map((k) => map.get(k) ?? []);
};

/** One loader set per request: one SQL statement per batch, rows in key order. */
export function createScorecardsLoaders(db: DataSource, identity: Identity): ScorecardsLoaders {
  return {
    visibleHandoff: new DataLoader(async (ids) => {
      const rows: { id: string; from_partner_id: string | null; to_partner_id: string }[] = await db.query(
        `SELECT id, from_partner_id, to_partner_id FROM scorecards.handoff_facts WHERE id = ANY($1::uuid[])`,
        [ids],
      );
      const byId = new Map(rows.map((r) => [r.id, { id: r.id, fromPartnerId: r.from_partner_id, toPartnerId: r.to_partner_id }]));
      return ids.map((id) => {
        const h = byId.get(id);
        return h && isParty(identity, h) ? h : null;
      });
    }),
    feedbackByHandoff: new DataLoader(async (ids) => {
      const rows = await db.query(`SELECT * FROM scorecards.feedback WHERE handoff_id = ANY($1::uuid[]) ORDER BY source`, [ids]);
      return grouped(ids, rows.map(feedbackFromRow), (f) => f.handoffId);
    }),
    revisions: new DataLoader(async (ids) => {
      const rows = await db
        .getRepository(FeedbackRevision)
        .createQueryBuilder('r')
        .where('r.feedback_id = ANY(:ids)', { ids })
        .orderBy('r.revision', 'ASC')
        .getMany();
      return grouped(ids, rows, (r) => r.feedbackId);
    }),
  };
}
