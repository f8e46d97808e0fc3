import { assess } from './maturity';

const base: Parameters<typeof assess>[0] = {
  n: 20,
  playbook: 20,
  data_complete: 20,
  under_sla: 20,
  sla_met: 19,
  sla_breached: 1,
  customer_n: 10,
  customer_sum: 45,
  with_feedback: 20,
  repeat: 1,
  all_sides: 12,
  dues: 20,
  never_proposed: 1,
  proposed: 18,
  propose_median: 4 * 3600,
  value_handoffs: 20,
  valued: 19,
  renewals_due: 10,
  renewals_recorded: 9,
  nrr_customers: 8,
};
const stages = (s: typeof base) => Object.fromEntries(assess(s).map((d) => [d.dimension, d.stage]));

describe('maturity rules', () => {
  it('scores a partner that meets every stage-3 threshold at stage 3 everywhere', () => {
    expect(Object.values(stages(base))).toEqual([3, 3, 3, 3, 3]);
  });

  it('holds each dimension at the stage its weakest figure reaches, with the evidence', () => {
    const s = stages({ ...base, playbook: 12, data_complete: 11, sla_met: 15, sla_breached: 5, repeat: 6, all_sides: 2, with_feedback: 9 });
    expect(s).toEqual({ HANDOFF_DESIGN: 2, DATA_AND_SYSTEMS: 1, SLAS_AND_PLAYBOOKS: 2, CUSTOMER_EXPERIENCE: 1, MEASUREMENT_AND_ACCOUNTABILITY: 1 });
    const sla = assess({ ...base, sla_met: 15, sla_breached: 5 }).find((d) => d.dimension === 'SLAS_AND_PLAYBOOKS')!;
    expect(sla.evidence[1]).toMatchObject({ value: 0.75, sampleSize: 20, stage2Threshold: 0.7, stage3Threshold: 0.9, stage: 2 });
  });

  it('does not lift a stage on too few handoffs or no customer ratings', () => {
    expect(Object.values(stages({ ...base, n: 4, playbook: 4, data_complete: 4, under_sla: 4, with_feedback: 4, all_sides: 4 })).slice(0, 2)).toEqual([1, 1]);
    expect(stages({ ...base, customer_n: 0, customer_sum: 0 }).CUSTOMER_EXPERIENCE).toBe(1);
  });

  it('holds handoff design at the share of dues never proposed, and data & systems at the median time to propose', () => {
    // 6 of 20 dues never proposed (30%): past the stage-2 ceiling of 25%.
    expect(stages({ ...base, never_proposed: 6 }).HANDOFF_DESIGN).toBe(1);
    expect(stages({ ...base, never_proposed: 4 }).HANDOFF_DESIGN).toBe(2);
    // A median of 12 hours from stage move to proposal: stage 2 (≤ 24 h), not 3 (≤ 8 h).
    const data = assess({ ...base, propose_median: 12 * 3600 }).find((d) => d.dimension === 'DATA_AND_SYSTEMS')!;
    expect(data.stage).toBe(2);
    expect(data.evidence[1]).toMatchObject({
      value: 12,
      sampleSize: 18,
      comparison: 'AT_MOST',
      stage2Threshold: 24,
      stage3Threshold: 8,
      stage: 2,
      counts: true,
    });
    expect(stages({ ...base, propose_median: 30 * 3600 }).DATA_AND_SYSTEMS).toBe(1);
  });

  it('does not judge a partner on dues it was hardly ever accountable for', () => {
    const few = assess({ ...base, dues: 3, never_proposed: 3, proposed: 0, propose_median: null });
    const design = few.find((d) => d.dimension === 'HANDOFF_DESIGN')!;
    expect(design.stage).toBe(3);
    expect(design.evidence[1]).toMatchObject({ value: 1, sampleSize: 3, stage: 1, counts: false });
    expect(few.find((d) => d.dimension === 'DATA_AND_SYSTEMS')!.evidence[1]).toMatchObject({ value: null, sampleSize: 0, counts: false });
    expect(Object.values(stages({ ...base, dues: 0, never_proposed: 0, proposed: 0, propose_median: null }))).toEqual([3, 3, 3, 3, 3]);
    // Every other figure counts whatever its sample: too few handoffs hold the stage at 1.
    expect(
      assess(base)
        .flatMap((d) => d.evidence.filter((e) => !e.metric.includes('came due') && !e.metric.includes('time to propose')))
        .every((e) => e.counts),
    ).toBe(true);
  });

  it('holds measurement & accountability at stage 2, never lower, short of the revenue figures stage 3 requires', () => {
    const measured = (over: Partial<typeof base>) => assess({ ...base, ...over }).find((d) => d.dimension === 'MEASUREMENT_AND_ACCOUNTABILITY')!;
    expect(measured({}).stage).toBe(3);
    expect(measured({}).evidence.slice(2)).toEqual([
      expect.objectContaining({ value: 0.95, sampleSize: 20, stage3Threshold: 0.9, stage: 3, counts: true }),
      expect.objectContaining({ value: 0.9, sampleSize: 10, stage3Threshold: 0.9, stage: 3 }),
      expect.objectContaining({ value: 8, sampleSize: 8, stage3Threshold: 5, stage: 3 }),
    ]);
    // 17 of 20 handoffs valued (85 %), 8 of 10 renewals recorded, NRR over 4 customers: each alone keeps stage 3 away.
    expect(measured({ valued: 17 }).stage).toBe(2);
    expect(measured({ renewals_recorded: 8 }).stage).toBe(2);
    expect(measured({ nrr_customers: 4 }).stage).toBe(2);
    // No money data at all: stage 2 at most, and the feedback figures still decide below that.
    const none = { value_handoffs: 0, valued: 0, renewals_due: 0, renewals_recorded: 0, nrr_customers: 0 };
    expect(measured(none).stage).toBe(2);
    expect(measured(none).evidence[3]).toMatchObject({ value: null, sampleSize: 0, stage: 2 });
    expect(measured({ ...none, all_sides: 1 }).stage).toBe(1);
    // Too few handoffs: a perfect share of valued ones does not lift the stage.
    expect(measured({ value_handoffs: 4, valued: 4 }).stage).toBe(2);
  });
});
