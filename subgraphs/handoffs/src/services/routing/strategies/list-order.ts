import { RoutingReasonCode } from '../../../entities/routing.entity';
import { reason } from '../types';
import type { Ranker } from './strategy';

/** Without a ranking strategy: the rule's list order (TERRITORY alone = first match wins). */
export const listOrder: Ranker = (kept) => ({
  ordered: [...kept].sort((a, b) => a.index - b.index),
  reasonAt: (e, rank) =>
    reason(RoutingReasonCode.LIST_ORDER, `rank ${rank}: position ${e.index + 1} in the rule’s list`, RoutingReasonCode.LIST_ORDER, `rank ${rank}`),
});
