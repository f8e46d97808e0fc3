import type { Contribution } from './handoff-fact';
import { GRAINS, periodStart, type Grain } from './periods';

/**
 * The segment and region of a partner-level cell. Besides the fine cells (one per period ×
 * partner × segment × region × moment), the projection keeps one pre-summed cell per
 * period × partner × moment over all segments and regions: the common queries (by partner
 * and/or moment, no segment or region asked) read those, 16 times fewer rows than summing
 * the fine cells at query time. Not a value a handoff can carry: segments and regions are
 * enum names or ''.
 */
export const ALL = '*';

export interface CellKey {
  grain: Grain;
  period_start: string;
  partner_id: string;
  segment: string;
  region: string;
  moment: string;
}

/** Every rollup cell a handoff's (or a due's) contribution lands in: per grain, its fine cell and its partner-level cell. */
export function cellsOf(c: Pick<Contribution, 'partnerId' | 'segment' | 'region' | 'moment' | 'periodAt'>): CellKey[] {
  return GRAINS.flatMap((grain) => {
    const period_start = periodStart(c.periodAt, grain);
    return [
      { grain, period_start, partner_id: c.partnerId, segment: c.segment, region: c.region, moment: c.moment },
      { grain, period_start, partner_id: c.partnerId, segment: ALL, region: ALL, moment: c.moment },
    ];
  });
}
