import type { HandoffDueSnapshot } from '../../../../shared/eventlog/events';
import type { CalendarSpec } from '../calendar/business-calendar';
import { SlaTarget, type SlaClockState } from '../entities/enums';
import { SlaDueClock } from '../entities/sla-due-clock.entity';
import type { ClockTimes } from './clock-math';

/** The PROPOSE clock columns every reader selects (alias c), with the calendar of its policy version (alias v). */
export const DUE_CLOCK_COLUMNS = `c.id, c.due_id, c.customer_id, c.moment, c.accountable_partner_id, c.state, c.policy_id, c.policy_version, c.target_ms,
  c.warning_ms, c.started_at, c.elapsed_ms, c.warning_at, c.due_at, c.at_risk_at, c.breached_at, c.stopped_at, c.decided_at, c.due, v.calendar`;

export const DUE_CLOCK_FROM = `slas.due_clocks c JOIN slas.policy_versions v ON v.policy_id = c.policy_id AND v.version = c.policy_version`;

export interface DueClockRow {
  id: string;
  due_id: string;
  customer_id: string;
  moment: string;
  accountable_partner_id: string | null;
  state: SlaClockState;
  policy_id: string;
  policy_version: number;
  target_ms: string;
  warning_ms: string;
  started_at: Date;
  elapsed_ms: string;
  warning_at: Date | null;
  due_at: Date | null;
  at_risk_at: Date | null;
  breached_at: Date | null;
  stopped_at: Date | null;
  decided_at: Date | null;
  due: HandoffDueSnapshot;
  calendar: CalendarSpec;
}

export function toDueClock(r: DueClockRow): SlaDueClock {
  return Object.assign(new SlaDueClock(), {
    id: r.id,
    target: SlaTarget.PROPOSE,
    dueId: r.due_id,
    customerId: r.customer_id,
    moment: r.moment,
    accountablePartnerId: r.accountable_partner_id,
    state: r.state,
    policyId: r.policy_id,
    policyVersion: r.policy_version,
    targetMs: Number(r.target_ms),
    warningMs: Number(r.warning_ms),
    targetBusinessSeconds: Math.round(Number(r.target_ms) / 1000),
    startedAt: r.started_at,
    elapsedMs: Number(r.elapsed_ms),
    warningAt: r.warning_at,
    dueAt: r.due_at,
    atRiskAt: r.at_risk_at,
    breachedAt: r.breached_at,
    stoppedAt: r.stopped_at,
    decidedAt: r.decided_at,
    due: r.due,
    calendar: r.calendar,
  });
}

/** A PROPOSE clock as clock-math sees it: one running stretch from its start, closed when it stops. */
export const dueClockTimes = (c: SlaDueClock): ClockTimes => ({
  state: c.state,
  targetMs: c.targetMs,
  warningMs: c.warningMs,
  runningSince: c.stoppedAt ? null : c.startedAt,
  elapsedMs: c.stoppedAt ? c.elapsedMs : 0,
  pausedAt: null,
  pausedMs: 0,
  stoppedAt: c.stoppedAt,
});
