import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import type { Feedback } from '../entities/feedback.entity';
import { FeedbackRevision } from '../entities/feedback-revision.entity';
import type { ScorecardRow } from '../entities/scorecard-row.type';
import { feedbackFromRow, isParty, type HandoffParties } from '../services/feedback.service';
import { queryPartnerScorecards, type ScorecardQuery } from '../services/scorecard-query';

/** One partner's scorecard under a filter (the filter's own partnerIds are ignored). */
export interface PartnerScorecardKey {
  partnerId: string;
  filter: ScorecardQuery;
}

export interface ScorecardsLoaders {
  /** Handoffs the caller may see (it sends or receives them, or is internal); null for missing and hidden alike. */
  visibleHandoff: DataLoader<string, HandoffParties | null>;
  /** The current feedback on a handoff, one per source. */
  feedbackByHandoff: DataLoader<string, Feedback[]>;
  revisions: DataLoader<string, FeedbackRevision[]>;
  /**
   * `Partner.scorecard`: every partner asked for under the same filter in one batch costs
   * the statements of one scorecard query, not one query per partner. NOT_FOUND for a
   * partner the caller may not see (another partner's, unless internal).
   */
  partnerScorecard: DataLoader<PartnerScorecardKey, ScorecardRow[], string>;
}

/** Filters that answer the same way share a key; the order of fields is fixed here. */
const filterKey = (f: ScorecardQuery) =>
  JSON.stringify([
    f.period,
    f.from?.toISOString() ?? null,
    f.to?.toISOString() ?? null,
    f.segments ?? null,
    f.regions ?? null,
    f.moments ?? null,
    f.groupBy,
    f.includeTotals,
    f.collapsePeriods ?? false,
    f.withValue ?? false,
  ]);

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
    partnerScorecard: new DataLoader(
      async (keys) => {
        const out: (ScorecardRow[] | Error)[] = new Array(keys.length);
        const byFilter = new Map<string, { filter: (typeof keys)[number]['filter']; indexes: number[]; partnerIds: string[] }>();
        keys.forEach((k, i) => {
          const fk = filterKey(k.filter);
          const group = byFilter.get(fk);
          if (group) {
            group.indexes.push(i);
            group.partnerIds.push(k.partnerId);
          } else byFilter.set(fk, { filter: k.filter, indexes: [i], partnerIds: [k.partnerId] });
        });
        // One "now" for the batch, so every partner's default range is the same one.
        const now = new Date();
        await Promise.all(
          [...byFilter.values()].map(async ({ filter, indexes, partnerIds }) => {
            const answers = await queryPartnerScorecards(db, identity, filter, partnerIds, now);
            indexes.forEach((i, j) => (out[i] = answers[j] ?? new Error(`no scorecard answer for key ${i}`)));
          }),
        );
        return out;
      },
      { cacheKeyFn: (k) => `${k.partnerId}|${filterKey(k.filter)}` },
    ),
  };
}
