import { convertedValueSql, priorityScoreSql, type PriorityInputSql } from '../../../../shared/db/priority-sql';
import { priorityOf, type PriorityResult } from '../../../../shared/priority';
import type { HandoffDue } from '../entities/handoff-due.entity';
import type { Handoff } from '../entities/handoff.entity';
import { valueOfRow } from './handoff-value';

/**
 * Priority in handoffs (shared/priority.ts is the formula): the inputs of a handoff or a due
 * as SQL reads them for the lists ordered by PRIORITY, and the inputs
 * turned into a Priority by the shared formula for the `priority` fields. The score in SQL is
 * shared/db/priority-sql.ts (a mirror of priorityOf, which subgraphs/handoffs/test/priority.int.test.ts
 * holds to the same numbers).
 */

/** The SLA target an open handoff waits for (ACCEPT while PROPOSED, COMPLETE while ACCEPTED). */
const WAITED_TARGET = `CASE h.state WHEN 'PROPOSED' THEN 'ACCEPT' WHEN 'ACCEPTED' THEN 'COMPLETE' END`;

/**
 * Joins of handoff `h` to what its priority reads: the reporting currency, the rate of its
 * value's currency on its proposal day (UTC), the newest SLA clock of the target it waits
 * for, and whether that target was breached. One row per handoff.
 */
export const HANDOFF_PRIORITY_JOINS = `
  LEFT JOIN handoffs.exchange_rate_settings xs ON true
  LEFT JOIN handoffs.exchange_rates xr ON xr.currency = h.value_currency AND xr.day = (h.proposed_at AT TIME ZONE 'UTC')::date
  LEFT JOIN LATERAL (SELECT k.state, k.started_at, k.due_at FROM handoffs.handoff_sla_clocks k
                      WHERE k.handoff_id = h.id AND k.target = ${WAITED_TARGET} ORDER BY k.started_at DESC, k.clock_id DESC LIMIT 1) hk ON true
  LEFT JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM handoffs.handoff_sla_breaches b WHERE b.handoff_id = h.id AND b.target = ${WAITED_TARGET})
                              OR COALESCE(hk.state = 'BREACHED', false) AS breached) hb ON true`;

const HANDOFF_INPUTS: PriorityInputSql = {
  value: convertedValueSql({ amount: 'h.value_amount', currency: 'h.value_currency', reportingCurrency: 'xs.reporting_currency', rate: 'xr.rate' }),
  open: `h.state IN ('PROPOSED', 'ACCEPTED')`,
  breached: `hb.breached`,
  atRisk: `hk.state = 'AT_RISK'`,
  paused: `hk.state = 'PAUSED'`,
  startedAt: `hk.started_at`,
  dueAt: `(CASE WHEN hk.state IN ('RUNNING', 'AT_RISK') THEN hk.due_at END)`,
};

/** A handoff's PRIORITY score at `now` (needs {@link HANDOFF_PRIORITY_JOINS}). */
export const handoffScoreSql = (now: string) => priorityScoreSql(HANDOFF_INPUTS, now);

/** Joins of due `d` to the reporting currency and the rate of its value's currency on its opening day (UTC). */
export const DUE_PRIORITY_JOINS = `
  LEFT JOIN handoffs.exchange_rate_settings xs ON true
  LEFT JOIN handoffs.exchange_rates xr ON xr.currency = d.value_currency AND xr.day = (d.opened_at AT TIME ZONE 'UTC')::date`;

const DUE_INPUTS: PriorityInputSql = {
  value: convertedValueSql({ amount: 'd.value_amount', currency: 'd.value_currency', reportingCurrency: 'xs.reporting_currency', rate: 'xr.rate' }),
  open: `d.state = 'OPEN'`,
  breached: 'false',
  atRisk: 'false',
  paused: 'false',
  startedAt: 'd.moved_at',
  dueAt: 'd.due_at',
};

/** A due's PRIORITY score at `now` (needs {@link DUE_PRIORITY_JOINS}). */
export const dueScoreSql = (now: string) => priorityScoreSql(DUE_INPUTS, now);

/** What a handoff's priority reads, as the priority loader selects it (one row per handoff). */
export interface HandoffPriorityInputs {
  id: string;
  reportingCurrency: string | null;
  rate: string | null;
  clockState: string | null;
  clockStartedAt: Date | null;
  clockDueAt: Date | null;
  breached: boolean;
}

export const HANDOFF_PRIORITY_INPUT_COLUMNS = `h.id, xs.reporting_currency AS "reportingCurrency", xr.rate::text AS rate, hk.state AS "clockState",
  hk.started_at AS "clockStartedAt", hk.due_at AS "clockDueAt", hb.breached`;

export interface DuePriorityInputs {
  id: string;
  reportingCurrency: string | null;
  rate: string | null;
}

export const DUE_PRIORITY_INPUT_COLUMNS = `d.id, xs.reporting_currency AS "reportingCurrency", xr.rate::text AS rate`;

const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const TARGET_WORDS: Record<string, string> = { PROPOSED: 'accept', ACCEPTED: 'complete' };

/** Handoff.priority: the shared formula on a handoff's inputs. */
export function handoffPriority(h: Handoff, i: HandoffPriorityInputs, now: Date): PriorityResult {
  const running = i.clockState === 'RUNNING' || i.clockState === 'AT_RISK';
  return priorityOf(
    valueOfRow(h),
    { reportingCurrency: i.reportingCurrency, rate: i.rate, day: utcDay(h.proposedAt) },
    {
      now,
      target: TARGET_WORDS[h.state] ?? 'act',
      open: h.state === 'PROPOSED' || h.state === 'ACCEPTED',
      startedAt: i.clockStartedAt,
      dueAt: running ? i.clockDueAt : null,
      breached: i.breached,
      atRisk: i.clockState === 'AT_RISK',
      paused: i.clockState === 'PAUSED',
    },
  );
}

/** HandoffDue.priority: the shared formula on a due's inputs. */
export function duePriority(d: HandoffDue, i: DuePriorityInputs, now: Date): PriorityResult {
  return priorityOf(
    valueOfRow(d),
    { reportingCurrency: i.reportingCurrency, rate: i.rate, day: utcDay(d.openedAt) },
    { now, target: 'propose', open: d.state === 'OPEN', startedAt: d.movedAt, dueAt: d.dueAt, breached: false, atRisk: false, paused: false },
  );
}
