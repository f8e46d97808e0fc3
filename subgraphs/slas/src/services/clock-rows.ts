import type { CalendarSpec } from '../calendar/business-calendar';
import { SlaClock } from '../entities/sla-clock.entity';
import type { SlaClockState, SlaTarget } from '../entities/enums';

/** The clock columns every reader selects (alias c), with the calendar of its policy version (alias v). */
export const CLOCK_COLUMNS = `c.id, c.handoff_id, c.target, c.state, c.policy_id, c.policy_version, c.accountable_partner_id, c.target_ms, c.warning_ms,
  c.started_at, c.running_since, c.elapsed_ms, c.paused_at, c.pause_reason, c.paused_ms, c.warning_at, c.due_at, c.at_risk_at,
  c.breached_at, c.stopped_at, c.decided_at, v.calendar`;

export const CLOCK_FROM = `slas.clocks c JOIN slas.policy_versions v ON v.policy_id = c.policy_id AND v.version = c.policy_version`;

export interface ClockRow {
  id: string;
  handoff_id: string;
  target: SlaTarget;
  state: SlaClockState;
  policy_id: string;
  policy_version: number;
  accountable_partner_id: string;
  target_ms: string;
  warning_ms: string;
  started_at: Date;
  running_since: Date | null;
  elapsed_ms: string;
  paused_at: Date | null;
  pause_reason: string | null;
  paused_ms: string;
  warning_at: Date | null;
  due_at: Date | null;
  at_risk_at: Date | null;
  breached_at: Date | null;
  stopped_at: Date | null;
  decided_at: Date | null;
  calendar: CalendarSpec;
}

export interface LoadedClock extends SlaClock {
  warningMs: number;
  pausedAt: Date | null;
  /** When the outcome was decided (MET: stop; BREACHED: the instant it breached). */
  decidedAt: Date | null;
}

export function toClock(r: ClockRow): LoadedClock {
  return Object.assign(new SlaClock(), {
    id: r.id,
    handoffId: r.handoff_id,
    target: r.target,
    state: r.state,
    policyId: r.policy_id,
    policyVersion: r.policy_version,
    accountablePartnerId: r.accountable_partner_id,
    targetMs: Number(r.target_ms),
    warningMs: Number(r.warning_ms),
    targetBusinessSeconds: Math.round(Number(r.target_ms) / 1000),
    startedAt: r.started_at,
    runningSince: r.running_since,
    elapsedMs: Number(r.elapsed_ms),
    pausedAt: r.paused_at,
    pausedSince: r.paused_at,
    pauseReason: r.pause_reason,
    pausedMs: Number(r.paused_ms),
    warningAt: r.warning_at,
    dueAt: r.due_at,
    atRiskAt: r.at_risk_at,
    breachedAt: r.breached_at,
    stoppedAt: r.stopped_at,
    decidedAt: r.decided_at,
    calendar: r.calendar,
  });
}
