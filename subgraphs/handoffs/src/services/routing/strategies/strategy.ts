import type { CandidateFigures } from './scorecard';
import type { Evaluated, RoutedCustomer, RuleVersion, StoredReason } from '../types';

/**
 * The shared state the strategies rank by, read once for a whole set of routings
 * (routing.service routeMany) before any of them runs: open handoffs per limited receiver
 * (CAPACITY), figures per moment × segment × candidate (SCORECARD), the rotation position
 * per rule version (ROUND_ROBIN). A committing batch updates it in memory as it chooses, so
 * each routing sees what the ones before it in the batch did, as if proposed one by one.
 */
export interface RoutingFacts {
  openHandoffs: Map<string, number>;
  figures: Map<string, CandidateFigures>;
  rotations: Map<string, number>;
}

/** The keys of {@link RoutingFacts}' maps. */
export const figuresKey = (momentKey: string, segment: string | null, partnerId: string) => `${momentKey}|${segment ?? ''}|${partnerId}`;
export const rotationKey = (rule: Pick<RuleVersion, 'id' | 'version'>) => `${rule.id}:${rule.version}`;

/** What every strategy may read: the rule, the customer, and the facts read beforehand (no SQL of its own). */
export interface StrategyContext {
  rule: RuleVersion;
  customer: RoutedCustomer;
  facts: RoutingFacts;
  /** A real proposal (advance durable state) rather than a preview. */
  commit: boolean;
  now: Date;
}

/** A filter marks candidates skipped (or kept) with a reason; it never reorders. */
export type Filter = (candidates: Evaluated[], ctx: StrategyContext) => void;

/** A ranking orders the kept candidates and says, per rank, why. */
export interface Ranking {
  ordered: Evaluated[];
  reasonAt(candidate: Evaluated, rank: number): StoredReason;
  /** Called with the candidate the proposal goes to, when committing: moves the facts (written back by routeMany). */
  commit?(chosen: Evaluated): void;
}

export type Ranker = (kept: Evaluated[], ctx: StrategyContext) => Ranking;

export const skip = (e: Evaluated, r: StoredReason) => {
  e.skipped = true;
  e.reasons.push(r);
};
