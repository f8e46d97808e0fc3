import type { DataSource } from 'typeorm';
import { MaturityDimensionName } from '../entities/enums';
import type { MaturityAssessment, MaturityDimension, MaturityEvidence } from '../entities/maturity.type';
import { REPEAT_TAG } from './handoff-fact';
import { oneRow } from '../../../../shared/db/rows';

/** The window a maturity assessment looks at, ending now. */
export const MATURITY_WINDOW_DAYS = 180;
/** Below this many handoffs (or customer ratings) a figure is too thin to lift a stage. */
export const MIN_SAMPLE = 5;

export const STAGE_NAMES = ['', 'ad hoc & reactive', 'defined but inconsistent', 'orchestrated & measured'];

interface Stats {
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
}

type Check = Omit<MaturityEvidence, 'stage'>;

function judge(c: Check): MaturityEvidence {
  const ok = (t: number) => c.value !== null && c.sampleSize >= MIN_SAMPLE && (c.comparison === 'AT_LEAST' ? c.value >= t : c.value <= t);
  return { ...c, stage: ok(c.stage3Threshold) ? 3 : ok(c.stage2Threshold) ? 2 : 1 };
}

const share = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 10000) / 10000 : null);

/** A dimension reaches the lowest stage any of its figures reaches. */
function dimension(dimension: MaturityDimensionName, label: string, rule: string, checks: Check[]): MaturityDimension {
  const evidence = checks.map(judge);
  const stage = Math.min(...evidence.map((e) => e.stage));
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
    dimension(MaturityDimensionName.HANDOFF_DESIGN, 'Handoff design', 'Stage 3 when ≥ 90% of handoffs ran under a published playbook; stage 2 from 50%.', [
      {
        metric: 'share of handoffs under a published playbook',
        value: share(s.playbook, s.n),
        sampleSize: s.n,
        comparison: 'AT_LEAST',
        stage2Threshold: 0.5,
        stage3Threshold: 0.9,
      },
    ]),
    dimension(
      MaturityDimensionName.DATA_AND_SYSTEMS,
      'Data & systems',
      'Stage 3 when ≥ 90% of handoffs carried all required data at proposal; stage 2 from 60%.',
      [
        {
          metric: 'share of handoffs with complete required data',
          value: share(s.data_complete, s.n),
          sampleSize: s.n,
          comparison: 'AT_LEAST',
          stage2Threshold: 0.6,
          stage3Threshold: 0.9,
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
      'Stage 3 when ≥ 50% of handoffs have feedback from all three sides (customer, internal, partner) and ≥ 80% have some feedback; stage 2 from 15% and 40%.',
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
      ],
    ),
  ];
}

/** One aggregate over the partner's handoffs of the window (two indexed ranges). */
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
  const stats = Object.fromEntries(Object.entries(oneRow(rows, 'maturity aggregate')).map(([k, v]) => [k, Number(v ?? 0)])) as unknown as Stats;
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
