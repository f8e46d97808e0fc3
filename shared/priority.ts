import { Dec, roundToCurrency, type MoneyValue } from './graphql/money';

/**
 * The priority of a piece of work — a handoff waiting to be accepted or completed, a due
 * waiting to be proposed, an SLA clock — from the value at stake and the risk of missing its
 * due time (docs/handoffs.md#priority). A domain formula shared by the subgraphs that order
 * work by it (handoffs, slas); pure, no database. shared/db/priority-sql.ts writes the same
 * score in SQL for the lists ordered by it; the subgraphs' tests hold the two to the same numbers.
 *
 *   valuePart = min(1, log10(1 + V) / VALUE_DIGITS)      V: the value in the reporting currency
 *                                                       (0 when unknown, unconvertible or ≤ 0)
 *   riskPart  = 0                     no due time, closed, or the clock is paused
 *             = 1                     breached (slas said so, or the due time has passed)
 *             = max(OPEN_RISK_CAP × f, AT_RISK_FLOOR when slas said AT_RISK)
 *                                     f = elapsed / (due − start), wall-clock, in [0, 1]
 *   score     = round(VALUE_WEIGHT × valuePart + RISK_WEIGHT × riskPart, SCORE_DECIMALS)
 *
 * The score ranks (higher first); it is not money. A value is converted at the rate of its
 * day (a handoff's proposal day); with no rate for that currency and day it is never taken
 * at 1: the value part is 0 and a reason says the value is unconvertible.
 */
export const PRIORITY_WEIGHTS = {
  VALUE_WEIGHT: '0.5',
  RISK_WEIGHT: '0.5',
  /** A value of 10^VALUE_DIGITS − 1 in the reporting currency (9,999,999) reaches the full value part. */
  VALUE_DIGITS: 7,
  /** Work not yet breached stays below a breach, however close to its due time. */
  OPEN_RISK_CAP: '0.9',
  /** The risk part of a clock slas reported AT_RISK (past its warning threshold), at least. */
  AT_RISK_FLOOR: '0.6',
  SCORE_DECIMALS: 6,
} as const;

/** How to convert the value: the reporting currency and the rate of the value's currency on its day. */
export interface PriorityConversion {
  /** The reporting currency; null when no exchange rates were ever set. */
  reportingCurrency: string | null;
  /** Units of reportingCurrency one unit of the value's currency was worth on `day`; null when not known. */
  rate: string | null;
  /** YYYY-MM-DD: the day the rate is of (a handoff's proposal day, a due's opening day). */
  day: string;
}

/** What the risk part is read from. */
export interface PriorityRisk {
  /** When the priority is evaluated (a list evaluates every row at the same instant). */
  now: Date;
  /** What the work waits for, in words, for the reasons ("accept", "complete", "propose"). */
  target: string;
  /** false: nothing is at risk any more (closed, met). */
  open: boolean;
  /** Start and due time of the target's window; dueAt null: no due time. */
  startedAt: Date | null;
  dueAt: Date | null;
  /** slas reported the target breached (for an open handoff: it is stalled). */
  breached: boolean;
  /** slas reported the target AT_RISK (past its warning threshold). */
  atRisk: boolean;
  /** The clock is paused (the handoff is on hold). */
  paused: boolean;
}

export interface PriorityResult {
  /** The rank: higher first, in [0, 1]. Not money. */
  score: number;
  /** The value in the reporting currency, rounded to its minor units; null when unknown or unconvertible. */
  valueAtStake: MoneyValue | null;
  valuePart: number;
  riskPart: number;
  /** Why, in words: what the value and the risk parts were made of. */
  reasons: string[];
}

const W = PRIORITY_WEIGHTS;
const clamp01 = (d: Dec) => Dec.max(0, Dec.min(1, d));
const hours = (ms: number) => `${Math.round(ms / 360_000) / 10} h`;

/** The value in the reporting currency (unrounded), or why there is none. */
export function convertedValue(value: MoneyValue | null, c: PriorityConversion): { amount: Dec | null; reason: string } {
  if (!value) return { amount: null, reason: 'no value known: the value part is 0' };
  if (c.reportingCurrency === null)
    return { amount: null, reason: `value ${value.amount} ${value.currency} unconvertible: no exchange rates are set; the value part is 0` };
  if (value.currency === c.reportingCurrency) return { amount: new Dec(value.amount), reason: `value ${value.amount} ${value.currency}` };
  if (c.rate === null) {
    return {
      amount: null,
      reason: `value ${value.amount} ${value.currency} unconvertible: no ${value.currency} → ${c.reportingCurrency} rate for ${c.day}; the value part is 0`,
    };
  }
  const amount = new Dec(value.amount).times(c.rate);
  return {
    amount,
    reason: `value ${value.amount} ${value.currency} = ${roundToCurrency(amount, c.reportingCurrency)} ${c.reportingCurrency} at the ${c.day} rate ${c.rate}`,
  };
}

/** valuePart of a value in the reporting currency (null: unknown). */
export function valuePartOf(amount: Dec | null): Dec {
  if (amount === null || amount.lte(0)) return new Dec(0);
  return Dec.min(1, amount.plus(1).log(10).div(W.VALUE_DIGITS));
}

/** riskPart and its reason. */
export function riskPartOf(r: PriorityRisk): { part: Dec; reason: string } {
  if (!r.open) return { part: new Dec(0), reason: `nothing at risk: no longer waiting to ${r.target}` };
  if (r.breached) return { part: new Dec(1), reason: `breached: the time to ${r.target} has passed (stalled)` };
  if (r.paused) return { part: new Dec(0), reason: `on hold: the clock to ${r.target} is paused` };
  if (!r.dueAt) return { part: new Dec(0), reason: `no due time to ${r.target}` };
  const now = r.now.getTime();
  const due = r.dueAt.getTime();
  if (now >= due) return { part: new Dec(1), reason: `breached: due to ${r.target} ${hours(now - due)} ago` };
  const start = r.startedAt?.getTime() ?? now;
  const f = due > start ? clamp01(new Dec(now - start).div(due - start)) : new Dec(1);
  let part = f.times(W.OPEN_RISK_CAP);
  let reason = `${hours(due - now)} left to ${r.target} (${f.times(100).toDecimalPlaces(0).toString()}% of the time used)`;
  if (r.atRisk) {
    part = Dec.max(part, W.AT_RISK_FLOOR);
    reason = `at risk: ${reason}`;
  }
  return { part, reason };
}

const rounded = (d: Dec) => d.toDecimalPlaces(W.SCORE_DECIMALS, Dec.ROUND_HALF_UP).toNumber();

/** The priority of one piece of work (see the module's comment for the formula). */
export function priorityOf(value: MoneyValue | null, conversion: PriorityConversion, risk: PriorityRisk): PriorityResult {
  const converted = convertedValue(value, conversion);
  const valuePart = valuePartOf(converted.amount);
  const risked = riskPartOf(risk);
  const score = valuePart.times(W.VALUE_WEIGHT).plus(risked.part.times(W.RISK_WEIGHT));
  return {
    score: rounded(score),
    valueAtStake:
      converted.amount !== null && conversion.reportingCurrency !== null
        ? { amount: roundToCurrency(converted.amount, conversion.reportingCurrency), currency: conversion.reportingCurrency }
        : null,
    valuePart: rounded(valuePart),
    riskPart: rounded(risked.part),
    reasons: [converted.reason, risked.reason],
  };
}
