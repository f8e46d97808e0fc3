import { Duration } from 'luxon';
import type { CompiledCalendar } from './business-calendar';

/** A target longer than this many working weeks of its calendar is refused as a mistake. */
export const MAX_TARGET_WEEKS = 53;

/**
 * Reads an SLA target ("PT4H", "P2D", "P1W", "PT90M") as business time on `calendar`.
 * Hours, minutes and seconds are business hours, minutes and seconds. A day ("D") is one
 * working day of the calendar — its weekly working time divided by its working weekdays
 * (8 h on Mon–Fri 09–17, 24 h on 24x7) — and a week ("W") is its weekly working time, so
 * "P5D" and "P1W" mean the same on an office calendar. Years and months have no fixed
 * length in business time and are refused. Returns ms, or a message saying what is wrong.
 */
export function parseBusinessDuration(iso: string, calendar: CompiledCalendar): { ms: number } | { error: string } {
  const d = Duration.fromISO(iso);
  if (!d.isValid) return { error: `"${iso}" is not an ISO-8601 duration (e.g. "PT4H", "P2D")` };
  const o = d.toObject();
  if (o.years || o.quarters || o.months) return { error: 'years and months have no fixed length in business time; use weeks, days, hours or minutes' };
  if ([o.weeks, o.days, o.hours, o.minutes, o.seconds, o.milliseconds].some((v) => (v ?? 0) < 0)) return { error: 'must not be negative' };
  const ms =
    (o.weeks ?? 0) * calendar.weekMs +
    (o.days ?? 0) * calendar.dayMs +
    (o.hours ?? 0) * 3_600_000 +
    (o.minutes ?? 0) * 60_000 +
    (o.seconds ?? 0) * 1000 +
    (o.milliseconds ?? 0);
  if (!(ms >= 1000)) return { error: 'must be at least one second' };
  if (ms > MAX_TARGET_WEEKS * calendar.weekMs) return { error: `must be at most ${MAX_TARGET_WEEKS} working weeks of its calendar` };
  return { ms: Math.round(ms) };
}

/** Business time as an ISO-8601 duration in hours, minutes and seconds ("PT27H30M"); days would be ambiguous. */
export function formatBusinessDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (total === 0) return 'PT0S';
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s ? `${s}S` : ''}`;
}
