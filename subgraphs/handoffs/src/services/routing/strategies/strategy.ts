import type { Sql } from '../../sql';
import type { Evaluated, RoutedCustomer, RuleVersion, StoredReason } from '../types';

/** What every strategy may read. Statements run as the hub (route() wraps them in asHub). */
export interface StrategyContext {
  sql: Sql;
  rule: RuleVersion;
  customer: RoutedCustomer;
  /** A real proposal (advance durable state) rather than a preview. */
  commit: boolean;
  now: Date;
}

/** A filter marks candidates skipped (or kept) with a reason; it never reorders. */
export type Filter = (candidates: Evaluated[], ctx: StrategyContext) => Promise<void>;

/** A ranking orders the kept candidates and says, per rank, why. */
export interface Ranking {
  ordered: Evaluated[];
  reasonAt(candidate: Evaluated, rank: number): StoredReason;
  /** Called with the candidate the proposal goes to, when committing. */
  commit?(chosen: Evaluated): Promise<void>;
}

export type Ranker = (kept: Evaluated[], ctx: StrategyContext) => Promise<Ranking>;

export const skip = (e: Evaluated, r: StoredReason) => {
  e.skipped = true;
  e.reasons.push(r);
};
