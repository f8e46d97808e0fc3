import { compileCalendar, type CalendarSpec } from '../calendar/business-calendar';
import { addBusinessMillis, businessMillisBetween } from '../calendar/business-time';
import { SlaClockState } from '../entities/enums';

/** The time-keeping part of a clock, as stored. */
export interface ClockTimes {
  state: SlaClockState;
  targetMs: number;
  warningMs: number;
  /** Start of the current running stretch; null while paused or once stopped. */
  runningSince: Date | null;
  /** Business ms of closed running stretches. */
  elapsedMs: number;
  pausedAt: Date | null;
  /** Business ms of closed pauses. */
  pausedMs: number;
  stoppedAt: Date | null;
}

export interface ClockSchedule {
  warningAt: Date | null;
  dueAt: Date | null;
  nextAction: 'WARN' | 'BREACH' | null;
  nextActionAt: Date | null;
}

/** Business time a clock has used up to `now` (its final value once stopped). */
export function elapsedAt(calendar: CalendarSpec, clock: ClockTimes, now: Date): number {
  if (!clock.runningSince || clock.stoppedAt) return clock.elapsedMs;
  return (
    clock.elapsedMs + businessMillisBetween(compileCalendar(calendar), clock.runningSince.getTime(), Math.max(now.getTime(), clock.runningSince.getTime()))
  );
}

/** Business time taken out by pauses up to `now`, the current pause included. */
export function pausedAt(calendar: CalendarSpec, clock: ClockTimes, now: Date): number {
  if (!clock.pausedAt || clock.stoppedAt) return clock.pausedMs;
  return clock.pausedMs + businessMillisBetween(compileCalendar(calendar), clock.pausedAt.getTime(), Math.max(now.getTime(), clock.pausedAt.getTime()));
}

export const warningMsOf = (targetMs: number, percent: number) => Math.round((targetMs * percent) / 100);

/**
 * When a running clock turns AT_RISK and BREACHED, and which of the two the scheduler
 * does next. A paused, stopped or breached clock has nothing scheduled.
 */
export function scheduleOf(calendar: CalendarSpec, clock: ClockTimes & { state: SlaClockState }): ClockSchedule {
  if (!clock.runningSince || clock.stoppedAt) return { warningAt: null, dueAt: null, nextAction: null, nextActionAt: null };
  const cal = compileCalendar(calendar);
  const since = clock.runningSince.getTime();
  const due = addBusinessMillis(cal, since, clock.targetMs - clock.elapsedMs);
  const warning = clock.warningMs < clock.targetMs ? addBusinessMillis(cal, since, clock.warningMs - clock.elapsedMs) : null;
  const dueAt = due === null ? null : new Date(due);
  const warningAt = warning === null ? null : new Date(warning);
  if (clock.state === SlaClockState.BREACHED) return { warningAt, dueAt, nextAction: null, nextActionAt: null };
  if (clock.state !== SlaClockState.AT_RISK && warningAt) return { warningAt, dueAt, nextAction: 'WARN', nextActionAt: warningAt };
  return { warningAt, dueAt, nextAction: dueAt ? 'BREACH' : null, nextActionAt: dueAt };
}

/** What stopping changes on a clock (handoff clocks and PROPOSE clocks alike). */
export interface StoppableClock {
  state: SlaClockState;
  targetMs: number;
  elapsedMs: number;
  dueAt: Date | null;
  breachedAt: Date | null;
  decidedAt: Date | null;
  stoppedAt: Date | null;
}

/**
 * Stops a clock at `stopAt` with `elapsed` business ms used. DECIDE (the step it timed was
 * taken): MET within the target, else BREACHED. CANCEL (the step no longer applies):
 * CANCELLED, unless past the target — a breach stays a breach. Returns whether the clock
 * breached only now, so the caller announces a breach the scheduler had not.
 */
export function stopClock(c: StoppableClock, elapsed: number, stopAt: Date, mode: 'DECIDE' | 'CANCEL'): boolean {
  const over = elapsed > c.targetMs || c.state === SlaClockState.BREACHED;
  const newlyBreached = over && !c.breachedAt;
  c.state = over ? SlaClockState.BREACHED : mode === 'DECIDE' ? SlaClockState.MET : SlaClockState.CANCELLED;
  if (over) c.breachedAt = c.breachedAt ?? c.dueAt ?? stopAt;
  c.decidedAt = c.state === SlaClockState.MET ? stopAt : c.state === SlaClockState.BREACHED ? c.breachedAt : null;
  c.elapsedMs = elapsed;
  c.stoppedAt = stopAt;
  return newlyBreached;
}
