import { RoutingReasonCode } from '../../../entities/routing.entity';
import { reason } from '../types';
import { skip, type Filter } from './strategy';

/**
 * TERRITORY keeps a candidate whose regions (in the rule; else the partner's own region in
 * the directory) include the customer's region and whose segments (else any) include its
 * segment. A customer without a region matches only candidates that name no regions and
 * whose partner has none either; without a segment, only candidates that name no segments.
 */
export const territory: Filter = (candidates, { customer }) => {
  for (const e of candidates) {
    if (e.skipped) continue;
    const regions = e.candidate.regions.length ? (e.candidate.regions as string[]) : e.partner?.region ? [e.partner.region] : [];
    const segments = e.candidate.segments as string[];
    if (regions.length && !(customer.region && regions.includes(customer.region))) {
      skip(e, reason(RoutingReasonCode.WRONG_REGION, `skipped: serves ${regions.join(', ')}, not ${customer.region ?? 'a customer without a region'}`));
    } else if (segments.length && !(customer.segment && segments.includes(customer.segment))) {
      skip(e, reason(RoutingReasonCode.WRONG_SEGMENT, `skipped: serves ${segments.join(', ')}, not ${customer.segment ?? 'a customer without a segment'}`));
    } else {
      const where = [regions.length ? regions.join('/') : 'every region', segments.length ? segments.join('/') : 'every segment'];
      e.reasons.push(reason(RoutingReasonCode.IN_TERRITORY, `kept: serves ${where.join(', ')}`));
    }
  }
};
