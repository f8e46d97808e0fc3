import { IANAZone } from 'luxon';
import { LRUCache } from 'lru-cache';

export const WEEKDAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export type WeekdayName = (typeof WEEKDAYS)[number];

/** One stretch of working time on a weekday, in the calendar's local wall time ("09:00"–"17:00"; "24:00" ends the day). */
export interface WorkingHoursSpec {
  weekday: WeekdayName;
  from: string;
  to: string;
}

/**
 * A business calendar as policies store it and the API shows it. An instant is business
 * time when its local wall time in `timeZone` falls in a working interval of its local
 * weekday and its local date is not a holiday. On a DST change the wall clock decides: a
 * skipped hour is not worked, a repeated hour inside working hours is worked twice.
 */
export interface CalendarSpec {
  /** IANA zone, e.g. "Europe/Berlin". */
  timeZone: string;
  workingHours: WorkingHoursSpec[];
  /** Local dates ("2025-12-25") on which nothing is business time. */
  holidays: string[];
}

/** The calculator's form of a calendar: intervals in ms after local midnight, per ISO weekday index 0 (Monday) … 6. */
export interface CompiledCalendar {
  zone: IANAZone;
  days: [number, number][][];
  holidays: Set<string>;
  /** Working ms in a week without holidays: the length of "P1W" in business time. */
  weekMs: number;
  /** weekMs divided by the number of weekdays that have working hours: the length of "P1D". */
  dayMs: number;
}

const MINUTE = 60_000;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "09:30" → 570; undefined when malformed. */
export function parseTimeOfDay(value: string): number | undefined {
  if (!TIME.test(value)) return undefined;
  const [h = 0, m = 0] = value.split(':').map(Number); // TIME matched: both are there
  return h * 60 + m;
}

export const formatTimeOfDay = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

function isValidDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Checks a calendar and names each bad field under `prefix` (e.g. "input.calendar"). A
 * calendar without any working time is refused: a clock on it could never come due.
 */
export function validateCalendar(spec: CalendarSpec, prefix: string): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!IANAZone.isValidZone(spec.timeZone)) {
    problems.push({ field: `${prefix}.timeZone`, message: `"${spec.timeZone}" is not an IANA time zone (e.g. "Europe/Berlin")` });
  }
  if (spec.workingHours.length === 0) problems.push({ field: `${prefix}.workingHours`, message: 'must list at least one working interval' });
  if (spec.workingHours.length > 70) problems.push({ field: `${prefix}.workingHours`, message: 'at most 70 intervals' });
  const byDay = new Map<string, { from: number; to: number; index: number }[]>();
  spec.workingHours.forEach((h, i) => {
    const from = parseTimeOfDay(h.from);
    const to = parseTimeOfDay(h.to);
    const field = `${prefix}.workingHours.${i}`;
    if (from === undefined || from === 1440) problems.push({ field: `${field}.from`, message: 'must be a time "HH:MM" from 00:00 to 23:59' });
    if (to === undefined) problems.push({ field: `${field}.to`, message: 'must be a time "HH:MM" from 00:01 to 24:00' });
    if (from === undefined || to === undefined) return;
    if (to <= from) return void problems.push({ field: `${field}.to`, message: 'must be after "from" (use "24:00" for the end of the day)' });
    const list = byDay.get(h.weekday) ?? [];
    for (const other of list) {
      if (from < other.to && other.from < to) problems.push({ field, message: `overlaps workingHours.${other.index} on ${h.weekday}` });
    }
    list.push({ from, to, index: i });
    byDay.set(h.weekday, list);
  });
  if (spec.holidays.length > 1000) problems.push({ field: `${prefix}.holidays`, message: 'at most 1000 holidays' });
  spec.holidays.forEach((d, i) => {
    if (!isValidDate(d)) problems.push({ field: `${prefix}.holidays.${i}`, message: 'must be a date "YYYY-MM-DD"' });
  });
  return problems;
}

/** The canonical stored form: intervals sorted by weekday then start, holidays sorted and unique. */
export function normalizeCalendar(spec: CalendarSpec): CalendarSpec {
  const workingHours = [...spec.workingHours]
    .map((h) => ({
      weekday: h.weekday,
      from: formatTimeOfDay(parseTimeOfDay(h.from)!),
      to: h.to === '24:00' ? '24:00' : formatTimeOfDay(parseTimeOfDay(h.to)!),
    }))
    .sort((a, b) => WEEKDAYS.indexOf(a.weekday) - WEEKDAYS.indexOf(b.weekday) || a.from.localeCompare(b.from));
  return { timeZone: spec.timeZone, workingHours, holidays: [...new Set(spec.holidays)].sort() };
}

const compiled = new LRUCache<string, CompiledCalendar>({ max: 500 });

/** Compiles (and caches) a valid calendar for the calculator. */
export function compileCalendar(spec: CalendarSpec): CompiledCalendar {
  const key = JSON.stringify(spec);
  const hit = compiled.get(key);
  if (hit) return hit;
  const days: [number, number][][] = WEEKDAYS.map(() => []);
  for (const h of spec.workingHours) {
    const day = days[WEEKDAYS.indexOf(h.weekday)];
    if (!day) throw new Error(`compileCalendar: unknown weekday ${h.weekday} (validate the calendar first)`);
    day.push([parseTimeOfDay(h.from)! * MINUTE, parseTimeOfDay(h.to)! * MINUTE]);
  }
  for (const d of days) d.sort((a, b) => a[0] - b[0]);
  const weekMs = days.flat().reduce((sum, [f, t]) => sum + t - f, 0);
  const workingDays = days.filter((d) => d.length > 0).length;
  const calendar: CompiledCalendar = {
    zone: IANAZone.create(spec.timeZone),
    days,
    holidays: new Set(spec.holidays),
    weekMs,
    dayMs: workingDays ? weekMs / workingDays : 0,
  };
  compiled.set(key, calendar);
  return calendar;
}

/** Every day, all day: what "24x7" means. */
export const ALWAYS_ON = (timeZone = 'UTC'): CalendarSpec => ({
  timeZone,
  workingHours: WEEKDAYS.map((weekday) => ({ weekday, from: '00:00', to: '24:00' })),
  holidays: [],
});

/** Monday to Friday, 09:00–17:00 local time. */
export const OFFICE_HOURS = (timeZone: string, holidays: string[] = []): CalendarSpec => ({
  timeZone,
  workingHours: WEEKDAYS.slice(0, 5).map((weekday) => ({ weekday, from: '09:00', to: '17:00' })),
  holidays,
});
