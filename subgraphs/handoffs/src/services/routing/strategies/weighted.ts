import { createHash } from 'node:crypto';
import { RoutingReasonCode } from '../../../entities/routing.entity';
import { reason } from '../types';
import type { Ranker } from './strategy';

/** A uniform draw in (0, 1), the same for the same customer and candidate every time. */
function draw(customerId: string, partnerId: string): number {
  const digest = createHash('sha256').update(`${customerId}:${partnerId}`).digest();
  return (digest.readUIntBE(0, 6) + 0.5) / 2 ** 48;
}

/**
 * WEIGHTED: weighted rendezvous hashing. Each candidate draws -ln(u) / weight with u uniform
 * per (customer, candidate); the smallest wins, which picks each candidate with probability
 * weight / Σ weights. Stateless and stable: routing the same customer again gives the same
 * order, and a skipped candidate only drops out of it (the next in the draw moves up).
 */
export const weighted: Ranker = (kept, { customer }) => {
  const total = kept.reduce((sum, e) => sum + e.candidate.weight, 0);
  const key = new Map(kept.map((e) => [e, -Math.log(draw(customer.id, e.candidate.partnerId)) / e.candidate.weight]));
  return {
    ordered: [...kept].sort((a, b) => key.get(a)! - key.get(b)! || a.index - b.index),
    reasonAt: (e, rank) =>
      reason(
        RoutingReasonCode.WEIGHTED_DRAW,
        `rank ${rank}: weighted draw, weight ${e.candidate.weight} of ${total}`,
        RoutingReasonCode.WEIGHTED_DRAW,
        `rank ${rank}`,
      ),
  };
};
