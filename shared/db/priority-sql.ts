import { PRIORITY_WEIGHTS as W } from '../priority';

/**
 * shared/priority.ts's score written in SQL, for the subgraphs that order work by it in a
 * query (handoffs' lists, slas' clocks): a mirror of priorityOf, which each subgraph's tests
 * hold to the same numbers. Every input is a SQL expression of the row.
 */
export interface PriorityInputSql {
  /** The value in the reporting currency (numeric), NULL when unknown or unconvertible. */
  value: string;
  open: string;
  breached: string;
  atRisk: string;
  paused: string;
  startedAt: string;
  dueAt: string;
}

/** The score (numeric, SCORE_DECIMALS places) evaluated at `now` (a timestamptz expression). */
export function priorityScoreSql(i: PriorityInputSql, now: string): string {
  const valuePart = `(CASE WHEN (${i.value}) IS NULL OR (${i.value}) <= 0 THEN 0::numeric ELSE LEAST(1::numeric, log(10::numeric, (${i.value}) + 1) / ${W.VALUE_DIGITS}) END)`;
  const start = `COALESCE(${i.startedAt}, ${now})`;
  const f = `(CASE WHEN ${i.dueAt} > ${start}
                   THEN LEAST(1::numeric, GREATEST(0::numeric, extract(epoch FROM ${now} - ${start}) / extract(epoch FROM ${i.dueAt} - ${start})))
                   ELSE 1::numeric END)`;
  const riskPart = `(CASE WHEN NOT (${i.open}) THEN 0::numeric WHEN ${i.breached} THEN 1::numeric WHEN ${i.paused} THEN 0::numeric
                          WHEN ${i.dueAt} IS NULL THEN 0::numeric WHEN ${now} >= ${i.dueAt} THEN 1::numeric
                          ELSE GREATEST(${W.OPEN_RISK_CAP}::numeric * ${f}, CASE WHEN ${i.atRisk} THEN ${W.AT_RISK_FLOOR}::numeric ELSE 0::numeric END) END)`;
  return `round(${W.VALUE_WEIGHT}::numeric * ${valuePart} + ${W.RISK_WEIGHT}::numeric * ${riskPart}, ${W.SCORE_DECIMALS})`;
}

/**
 * The value of a row converted into the reporting currency, as priorityOf converts it:
 * NULL without a value or a reporting currency, the amount itself in the reporting currency,
 * else amount × the day's rate (NULL without one: never taken at 1).
 */
export const convertedValueSql = (v: { amount: string; currency: string; reportingCurrency: string; rate: string }) =>
  `CASE WHEN ${v.amount} IS NULL OR ${v.reportingCurrency} IS NULL THEN NULL WHEN ${v.currency} = ${v.reportingCurrency} THEN ${v.amount}
        ELSE ${v.amount} * ${v.rate} END`;
