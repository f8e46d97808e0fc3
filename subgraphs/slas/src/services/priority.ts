import { convertedValueSql, priorityScoreSql, type PriorityInputSql } from '../../../../shared/db/priority-sql';
import type { ValueSnapshot } from '../../../../shared/eventlog/events';
import { priorityOf, type PriorityResult } from '../../../../shared/priority';
import type { LoadedClock } from './clock-rows';

/**
 * An SLA clock's priority (shared/priority.ts; docs/slas.md): the value of its handoff as the
 * handoff events' snapshot carries it (slas.handoffs.snapshot.value, fixed at proposal),
 * converted at the proposal day's rate (slas' copy of the rates), and the risk of missing the
 * clock's due time. slaClocks ordered by PRIORITY scores in SQL (shared/db/priority-sql.ts);
 * SlaClock.priority runs the shared formula on the same inputs.
 */

const VALUE_AMOUNT = `(h.snapshot->'value'->>'amount')::numeric`;
const VALUE_CURRENCY = `(h.snapshot->'value'->>'currency')`;
const PROPOSAL_DAY = `((h.snapshot->>'proposedAt')::timestamptz AT TIME ZONE 'UTC')::date`;

/** Joins of clock `c` and its handoff `h` (slas.handoffs) to the reporting currency and the rate of the value's currency on the proposal day. */
export const CLOCK_PRIORITY_JOINS = `
  LEFT JOIN slas.exchange_rate_settings xs ON true
  LEFT JOIN slas.exchange_rates xr ON xr.currency = ${VALUE_CURRENCY} AND xr.day = ${PROPOSAL_DAY}`;

const CLOCK_INPUTS: PriorityInputSql = {
  value: convertedValueSql({ amount: VALUE_AMOUNT, currency: VALUE_CURRENCY, reportingCurrency: 'xs.reporting_currency', rate: 'xr.rate' }),
  open: 'c.stopped_at IS NULL',
  breached: 'c.breached_at IS NOT NULL',
  atRisk: `c.state = 'AT_RISK'`,
  paused: 'c.paused_at IS NOT NULL',
  startedAt: 'c.started_at',
  dueAt: 'c.due_at',
};

/** A clock's PRIORITY score at `now` (needs {@link CLOCK_PRIORITY_JOINS}). */
export const clockScoreSql = (now: string) => priorityScoreSql(CLOCK_INPUTS, now);

/** What a clock's priority reads besides the clock itself (one row per clock). */
export interface ClockPriorityInputs {
  id: string;
  value: ValueSnapshot | null;
  proposedAt: string | null;
  reportingCurrency: string | null;
  rate: string | null;
}

export const CLOCK_PRIORITY_INPUT_COLUMNS = `c.id, h.snapshot->'value' AS value, h.snapshot->>'proposedAt' AS "proposedAt",
  xs.reporting_currency AS "reportingCurrency", xr.rate::text AS rate`;

const TARGET_WORDS: Record<string, string> = { ACCEPT: 'accept', COMPLETE: 'complete' };

/** SlaClock.priority: the shared formula on a clock's inputs. */
export function clockPriority(c: LoadedClock, i: ClockPriorityInputs, now: Date): PriorityResult {
  const value =
    i.value && typeof i.value.amount === 'string' && typeof i.value.currency === 'string' ? { amount: i.value.amount, currency: i.value.currency } : null;
  return priorityOf(
    value,
    { reportingCurrency: i.reportingCurrency, rate: i.rate, day: (i.proposedAt ? new Date(i.proposedAt) : c.startedAt).toISOString().slice(0, 10) },
    {
      now,
      target: TARGET_WORDS[c.target] ?? 'meet the target',
      open: c.stoppedAt === null,
      startedAt: c.startedAt,
      dueAt: c.dueAt,
      breached: c.breachedAt !== null,
      atRisk: c.state === 'AT_RISK',
      paused: c.pausedSince !== null,
    },
  );
}
