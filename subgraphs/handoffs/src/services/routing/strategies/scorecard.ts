import { RoutingReasonCode } from '../../../entities/routing.entity';
import { momentKey } from '../../playbook.service';
import { reason, type Evaluated } from '../types';
import type { Sql } from '../../sql';
import { figuresKey, type Ranker } from './strategy';

/** The window SCORECARD reads, by the day each handoff was proposed. */
export const SCORECARD_WINDOW_DAYS = 90;

/** The weights of the score's parts; a part without data is left out and the rest re-weighted. */
export const SCORE_WEIGHTS = { acceptRate: 0.5, slaAttainment: 0.3, rating: 0.2 } as const;

/** A candidate's figures for one segment and moment over the window (routing_stats_daily). */
export interface CandidateFigures {
  accepted: number;
  rejected: number;
  expired: number;
  slaMet: number;
  slaBreached: number;
  ratingSum: number;
  ratingCount: number;
}

/** Handoffs the receiver decided on: accepted, rejected, or let expire before accepting. */
export const decided = (f: CandidateFigures) => f.accepted + f.rejected + f.expired;

/**
 * score = (0.5·acceptRate + 0.3·slaAttainment + 0.2·rating) / (the weights of the parts
 * present), from 0 to 1, where
 * - acceptRate = accepted / decided,
 * - slaAttainment = SLA clocks met / (met + breached), present when any clock stopped,
 * - rating = (mean customer rating − 1) / 4 (ratings are 1–5), present when any was given.
 * Null below `minSample` decided handoffs: too few to rank on.
 */
export function score(f: CandidateFigures, minSample: number): number | null {
  const n = decided(f);
  if (n < minSample || n === 0) return null;
  let sum = SCORE_WEIGHTS.acceptRate * (f.accepted / n);
  let weights: number = SCORE_WEIGHTS.acceptRate;
  if (f.slaMet + f.slaBreached > 0) {
    sum += SCORE_WEIGHTS.slaAttainment * (f.slaMet / (f.slaMet + f.slaBreached));
    weights += SCORE_WEIGHTS.slaAttainment;
  }
  if (f.ratingCount > 0) {
    sum += SCORE_WEIGHTS.rating * ((f.ratingSum / f.ratingCount - 1) / 4);
    weights += SCORE_WEIGHTS.rating;
  }
  return Math.round((sum / weights) * 1000) / 1000;
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)} %`;

function describe(f: CandidateFigures, s: number): string {
  const n = decided(f);
  const parts = [`accept rate ${pct(f.accepted, n)} over ${n} handoff${n === 1 ? '' : 's'}`];
  if (f.slaMet + f.slaBreached > 0) parts.push(`SLA met ${pct(f.slaMet, f.slaMet + f.slaBreached)} of ${f.slaMet + f.slaBreached}`);
  if (f.ratingCount > 0) parts.push(`customer rating ${(f.ratingSum / f.ratingCount).toFixed(1)} from ${f.ratingCount}`);
  return `score ${s.toFixed(2)}: ${parts.join(', ')}`;
}

const EMPTY: CandidateFigures = { accepted: 0, rejected: 0, expired: 0, slaMet: 0, slaBreached: 0, ratingSum: 0, ratingCount: 0 };

/**
 * The SCORECARD figures of a set of routings: per (moment, segment) asked, the candidates'
 * sums over the window, in one indexed statement over routing_stats_daily (the key's leading
 * columns are moment, segment, partner; the window is a range of its last), however long the
 * history and however many routings.
 */
export async function loadFigures(
  sql: Sql,
  asks: { momentKey: string; segment: string | null; partnerIds: string[] }[],
  now: Date,
): Promise<Map<string, CandidateFigures>> {
  const figures = new Map<string, CandidateFigures>();
  const wanted = asks.filter((a) => a.partnerIds.length);
  if (!wanted.length) return figures;
  const since = new Date(now.getTime() - SCORECARD_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);
  const rows: ({ moment: string; segment: string; partner: string } & CandidateFigures)[] = await sql.query(
    // A lateral lookup per (moment, segment, candidate): each one a range of the key's index.
    `SELECT a.moment_key AS moment, a.segment, p.id AS partner, s.accepted, s.rejected, s.expired, s."slaMet", s."slaBreached", s."ratingSum", s."ratingCount"
       FROM jsonb_to_recordset($1::jsonb) AS a(moment_key text, segment text, partner_ids uuid[])
      CROSS JOIN LATERAL unnest(a.partner_ids) AS p(id)
      CROSS JOIN LATERAL (
        SELECT count(*) AS n, sum(accepted)::int AS accepted, sum(rejected)::int AS rejected, sum(expired)::int AS expired, sum(sla_met)::int AS "slaMet",
               sum(sla_breached)::int AS "slaBreached", sum(rating_sum)::int AS "ratingSum", sum(rating_count)::int AS "ratingCount"
          FROM handoffs.routing_stats_daily d
         WHERE d.moment_key = a.moment_key AND d.segment = a.segment AND d.partner_id = p.id AND d.day >= $2::date) s
      WHERE s.n > 0`,
    [JSON.stringify(wanted.map((a) => ({ moment_key: a.momentKey, segment: a.segment ?? '', partner_ids: [...new Set(a.partnerIds)] }))), since],
  );
  for (const { moment, segment, partner, ...f } of rows) figures.set(figuresKey(moment, segment, partner), f);
  return figures;
}

/**
 * SCORECARD: by the candidates' figures (loadFigures). Scored candidates first by score
 * (ties: more decided handoffs, then list order), then the unscored in list order. Figures
 * are the candidate's own: another partner reads the rank.
 */
export const scorecard: Ranker = (kept, { rule, customer, facts }) => {
  const key = momentKey(rule.moment, rule.customMoment);
  const of = (e: Evaluated) => facts.figures.get(figuresKey(key, customer.segment, e.candidate.partnerId)) ?? EMPTY;
  for (const e of kept) e.score = score(of(e), rule.minSample);
  const ordered = [...kept].sort((a, b) => {
    if (a.score !== null && b.score !== null) return b.score - a.score || decided(of(b)) - decided(of(a)) || a.index - b.index;
    if (a.score !== null) return -1;
    if (b.score !== null) return 1;
    return a.index - b.index;
  });
  return {
    ordered,
    reasonAt(e, rank) {
      const f = of(e);
      if (e.score === null) {
        const n = decided(f);
        return reason(
          RoutingReasonCode.BELOW_MINIMUM_SAMPLE,
          `rank ${rank}: not scored, ${n} decided handoff${n === 1 ? '' : 's'} in ${SCORECARD_WINDOW_DAYS} days (minimum ${rule.minSample})`,
          RoutingReasonCode.RANKED,
          `rank ${rank}`,
        );
      }
      return reason(RoutingReasonCode.SCORECARD, `rank ${rank}: ${describe(f, e.score)}`, RoutingReasonCode.RANKED, `rank ${rank}`);
    },
  };
};
