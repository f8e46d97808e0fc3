import type { ValueSnapshot } from '../../../../shared/eventlog/events';
import { amountProblem, isCurrency } from '../../../../shared/graphql/money';

/**
 * The value figures a scorecards cell keeps, natively (per currency and proposal day), each as
 * a count and a summed amount (docs/scorecards.md, "Value"):
 * - proposed, accepted, completed: handoffs with a value, as the counts count them;
 * - rejected, expired, cancelled: leaked, as the counts count them;
 * - stallable: open, not on hold, no action since its due time was set (a query subtracts
 *   those not due yet, as for the stalled count);
 * - clock_risk: open, with an SLA clock at risk or breached, and not stallable (with the
 *   stalled ones, revenue at risk);
 * - never_proposed: dues never proposed (superseded, dismissed, open past a breach), by the
 *   value the due carried.
 */
export const VALUE_FIGURES = ['proposed', 'accepted', 'completed', 'rejected', 'expired', 'cancelled', 'stallable', 'clock_risk', 'never_proposed'] as const;
export type ValueFigure = (typeof VALUE_FIGURES)[number];

/** A value as scorecards keeps it: exact decimal string, ISO 4217 currency. */
export interface NativeValue {
  amount: string;
  currency: string;
}

/**
 * The value a snapshot carries, if usable. An amount or currency the contract does not allow
 * would stop the projection at its numeric cast, so it counts as no value (handoffs checks
 * both before it emits them; this only guards the fold).
 */
export function nativeValueOf(v: ValueSnapshot | null | undefined): NativeValue | null {
  if (!v || amountProblem(v.amount) !== undefined || !isCurrency(v.currency)) return null;
  return { amount: v.amount, currency: v.currency };
}

/** What a handoff's (or due's) value adds to its value cell: its amount, in the figures it belongs to. */
export interface ValueContribution extends NativeValue {
  figures: ValueFigure[];
}
