import type { DataSource } from 'typeorm';
import { MaturityDimensionName } from '../entities/enums';
import type { MaturityAssessment, MaturityDimension, MaturityEvidence } from '../entities/maturity.type';
import { REPEAT_TAG } from './handoff-fact';
import { oneRow } from '../../../../shared/db/rows';
import { NRR_WINDOW_MONTHS, revenueStats, type RevenueStats } from './maturity-revenue';

/** The window a maturity assessment looks at, ending now. */
export const MATURITY_WINDOW_DAYS = 180;
/** Below this many handoffs (or customer ratings) a figure is too thin to lift a stage. */
export const MIN_SAMPLE = 5;

export const STAGE_NAMES = ['', 'ad hoc & reactive', 'defined but inconsistent', 'orchestrated & measured'];

interface Stats extends RevenueStats {
  n: number;
  playbook: number;
  data_complete: number;
  under_sla: number;
  sla_met: number;
  sla_breached: number;
  customer_n: number;
  customer_sum: number;
  with_feedback: number;
  repeat: number;
  all_sides: number;
  /** Handoffs that came due with the partner accountable for proposing them (due_facts). */
  dues: number;
  /** Of those: superseded, dismissed, or past a breach of the PROPOSE clock with nothing proposed. */
  never_proposed: number;
  /** Of those: proposed, with a time to propose. */
  proposed: number;
  /** Median time to propose, in seconds (business time where a PROPOSE clock measured it). */
  propose_median: number | null;
}

/**
 * `dueFigure`: about handoffs that came due; it counts only over a minimum sample of them.
 * `stage3Only`: a requirement of stage 3 alone (the revenue figures): short of it the
 * figure holds its dimension at stage 2, never lower.
 */
type Check = Omit<MaturityEvidence, 'stage' | 'counts'> & { dueFigure?: boolean; stage3Only?: boolean };

function judge({ dueFigure, stage3Only, ...c }: Check): MaturityEvidence {
  const ok = (t: number) => c.value !== null && c.sampleSize >= MIN_SAMPLE && (c.comparison === 'AT_LEAST' ? c.value >= t : c.value <= t);
  const stage = ok(c.stage3Threshold) ? 3 : stage3Only || ok(c.stage2Threshold) ? 2 : 1;
  return { ...c, stage, counts: !dueFigure || c.sampleSize >= MIN_SAMPLE };
}

const hours = (seconds: number | null) => (seconds === null ? null : Math.round((seconds / 3600) * 100) / 100);

const share = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

/** A dimension reaches the lowest stage any of its figures reaches. */
function dimension(dimension: MaturityDimensionName, label: string, rule: string, checks: Check[]): MaturityDimension {
  const evidence = checks.map(judge);
  const stage = Math.min(...evidence.filter((e) => e.counts).map((e) => e.stage));
  const stageName = STAGE_NAMES[stage];
  if (stageName === undefined) throw new Error(`${dimension}: stage ${stage} is out of range (no figures?)`);
  return { dimension, label, rule, stage, stageName, evidence };
}

/**
 * The rules (docs/scorecards.md repeats them). Every figure is over the handoffs the
 * partner sent or received in the last {@link MATURITY_WINDOW_DAYS} days.
 */
export function assess(stats: Stats): MaturityDimension[] {
  const s = stats;
  const attainment = share(s.sla_met, s.sla_met + s.sla_breached);
  return [
    dimension(
      MaturityDimensionName.HANDOFF_DESIGN,
      'Handoff design',
      `Stage 3 when ≥ 90% of handoffs ran under a published playbook and ≤ 10% of the handoffs that came due were never proposed; stage 2 from 50% and ≤ 25% (the second figure counts from ${MIN_SAMPLE} dues the partner was accountable for).`,
      [
        {
          metric: 'share of handoffs under a published playbook',
          value: share(s.playbook, s.n),
          sampleSize: s.n,
          comparison: 'AT_LEAST',
          stage2Threshold: 0.5,
          stage3Threshold: 0.9,
        },
        {
          metric: 'share of handoffs that came due and were never proposed (superseded, dismissed, or breached with nothing proposed)',
          value: share(s.never_proposed, s.dues),
          sampleSize: s.dues,
          comparison: 'AT_MOST',
          stage2Threshold: 0.25,
          stage3Threshold: 0.1,
          dueFigure: true,
        },
      ],
    ),
    dimension(
      MaturityDimensionName.DATA_AND_SYSTEMS,
      'Data & systems',
      `Stage 3 when ≥ 90% of handoffs carried all required data at proposal and the median time from stage move to proposal is ≤ 8 business hours; stage 2 from 60% and ≤ 24 hours (the second figure counts from ${MIN_SAMPLE} proposed dues).`,
      [
        {
          metric: 'share of handoffs with complete required data',
          value: share(s.data_complete, s.n),
          sampleSize: s.n,
          comparison: 'AT_LEAST',
          stage2Threshold: 0.6,
          stage3Threshold: 0.9,
        },
        {
          metric: 'median time to propose, in hours (stage move to proposal; business hours where a PROPOSE clock measured it)',
          value: hours(s.propose_median),
          sampleSize: s.proposed,
          comparison: 'AT_MOST',
          stage2Threshold: 24,
          stage3Threshold: 8,
          dueFigure: true,
        },
      ],
    ),
    dimension(
      MaturityDimensionName.SLAS_AND_PLAYBOOKS,
      'SLAs & playbooks',
      'Stage 3 when ≥ 80% of handoffs ran under an SLA policy and ≥ 90% of SLA clocks were met; stage 2 from 50% under SLA and 70% met.',
      [
        {
          metric: 'share of handoffs under an SLA policy',
          value: share(s.under_sla, s.n),
          sampleSize: s.n,
          comparison: 'AT_LEAST',
          stage2Threshold: 0.5,
          stage3Threshold: 0.8,
        },
        {
          metric: 'SLA attainment (clocks met / met + breached)',
          value: attainment,
          sampleSize: s.sla_met + s.sla_breached,
          comparison: 'AT_LEAST',
          stage2Threshold: 0.7,
          stage3Threshold: 0.9,
        },
      ],
    ),
    dimension(
      MaturityDimensionName.CUSTOMER_EXPERIENCE,
      'Customer experience',
      `Stage 3 when customers rate handoffs ≥ 4.2 on average and ≤ 10% of handoffs with feedback were tagged "${REPEAT_TAG}"; stage 2 from 3.5 and ≤ 25%.`,
      [
        {
          metric: 'average customer rating (1–5)',
          value: s.customer_n ? Math.round((s.customer_sum / s.customer_n) * 100) / 100 : null,
          sampleSize: s.customer_n,
          comparison: 'AT_LEAST',
          stage2Threshold: 3.5,
          stage3Threshold: 4.2,
        },
        {
          metric: `share of handoffs with feedback tagged "${REPEAT_TAG}"`,
          value: share(s.repeat, s.with_feedback),
          sampleSize: s.with_feedback,
          comparison: 'AT_MOST',
          stage2Threshold: 0.25,
          stage3Threshold: 0.1,
        },
      ],
    ),
    dimension(
      MaturityDimensionName.MEASUREMENT_AND_ACCOUNTABILITY,
      'Measurement & accountability',
      `Stage 3 when ≥ 50% of handoffs have feedback from all three sides (customer, internal, partner), ≥ 80% have some feedback, ≥ 90% carry a value, ≥ 90% of the renewals that came due have an outcome recorded, and NRR is measurable (at least ${MIN_SAMPLE} customers in the partner's cohort of the last ${NRR_WINDOW_MONTHS} months); stage 2 from 15% and 40% (the revenue figures decide stage 3 only).`,
      [
        {
          metric: 'share of handoffs with feedback from all three sides',
          value: share(s.all_sides, s.n),
          sampleSize: s.n,
          comparison: 'AT_LEAST',
          stage2Threshold: 0.15,
          stage3Threshold: 0.5,
        },
        {
          metric: 'share of handoffs with any feedback',
          value: share(s.with_feedback, s.n),
          sampleSize: s.n,
          comparison: 'AT_LEAST',
          stage2Threshold: 0.4,
          stage3Threshold: 0.8,
        },
        {
          metric: 'share of handoffs with a value recorded at proposal',
          value: share(s.valued, s.value_handoffs),
          sampleSize: s.value_handoffs,
          comparison: 'AT_LEAST',
          stage2Threshold: 0,
          stage3Threshold: 0.9,
          stage3Only: true,
        },
        {
          metric: 'share of renewals that came due (renewal date passed while the partner owned the customer) with an outcome recorded',
          value: share(s.renewals_recorded, s.renewals_due),
          sampleSize: s.renewals_due,
          comparison: 'AT_LEAST',
          stage2Threshold: 0,
          stage3Threshold: 0.9,
          stage3Only: true,
        },
        {
          metric: `customers in the partner's NRR cohort over the last ${NRR_WINDOW_MONTHS} months (NRR measurable from ${MIN_SAMPLE})`,
          value: s.nrr_customers,
          sampleSize: s.nrr_customers,
          comparison: 'AT_LEAST',
          stage2Threshold: 0,
          stage3Threshold: MIN_SAMPLE,
          stage3Only: true,
        },
      ],
    ),
  ];
}

/** One aggregate over the partner's handoffs of the window (two indexed ranges), one over the dues it was accountable for, and its revenue figures (maturity-revenue.ts). */
export async function assessMaturity(db: Pick<DataSource, 'query'>, partnerId: string, now = new Date()): Promise<MaturityAssessment> {
  const windowStart = new Date(now.getTime() - MATURITY_WINDOW_DAYS * 86400_000);
  const rows: Record<keyof Stats, string | number | null>[] = await db.query(
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE playbook_id IS NOT NULL)::int AS playbook,
            count(*) FILTER (WHERE required_data_complete)::int AS data_complete,
            count(*) FILTER (WHERE clocks <> '{}'::jsonb)::int AS under_sla,
            coalesce(sum((SELECT count(*) FROM jsonb_each(clocks) c WHERE (c.value->>'stopped')::boolean AND c.value->>'state' = 'MET' AND NOT (c.value->>'breached')::boolean)), 0)::int AS sla_met,
            coalesce(sum((SELECT count(*) FROM jsonb_each(clocks) c WHERE (c.value->>'breached')::boolean)), 0)::int AS sla_breached,
            count(*) FILTER (WHERE feedback ? 'CUSTOMER')::int AS customer_n,
            coalesce(sum((feedback->'CUSTOMER'->>'rating')::int), 0)::int AS customer_sum,
            count(*) FILTER (WHERE feedback <> '{}'::jsonb)::int AS with_feedback,
            count(*) FILTER (WHERE EXISTS (SELECT 1 FROM jsonb_each(feedback) f WHERE (f.value->>'repeat')::boolean))::int AS repeat,
            count(*) FILTER (WHERE feedback ?& ARRAY['CUSTOMER', 'INTERNAL', 'PARTNER'])::int AS all_sides
       FROM scorecards.handoff_facts
      WHERE (to_partner_id = $1 OR from_partner_id = $1) AND proposed_at >= $2 AND proposed_at < $3`,
    [partnerId, windowStart, now],
  );
  const [dues, revenue]: [Record<'dues' | 'never_proposed' | 'proposed' | 'propose_median', string | number | null>[], RevenueStats] = await Promise.all([
    db.query(
      `SELECT count(*)::int AS dues,
            count(*) FILTER (WHERE state IN ('SUPERSEDED', 'DISMISSED') OR (state = 'OPEN' AND breached_at IS NOT NULL))::int AS never_proposed,
            count(propose_seconds)::int AS proposed,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY propose_seconds) AS propose_median
       FROM scorecards.due_facts
      WHERE accountable_partner_id = $1 AND stage_moved_at >= $2 AND stage_moved_at < $3`,
      [partnerId, windowStart, now],
    ),
    revenueStats(db, partnerId, windowStart, now),
  ]);
  const due = oneRow(dues, 'maturity dues aggregate');
  const stats = {
    ...(Object.fromEntries(Object.entries(oneRow(rows, 'maturity aggregate')).map(([k, v]) => [k, Number(v ?? 0)])) as Omit<
      Stats,
      keyof typeof due | keyof RevenueStats
    >),
    ...revenue,
    dues: Number(due.dues ?? 0),
    never_proposed: Number(due.never_proposed ?? 0),
    proposed: Number(due.proposed ?? 0),
    propose_median: due.propose_median === null ? null : Number(due.propose_median),
  };
  const dimensions = assess(stats);
  return {
    partnerId,
    partner: { id: partnerId },
    windowStart,
    windowEnd: now,
    handoffs: stats.n,
    overallStage: Math.min(...dimensions.map((d) => d.stage)),
    dimensions,
  };
}
