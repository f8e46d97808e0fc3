import { assess } from './maturity';

const base = {
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
});
