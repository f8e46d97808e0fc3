import { LRUCache } from 'lru-cache';
import type { CompiledCalendar } from './business-calendar';

const DAY = 86_400_000;
/** How far {@link addBusinessMillis} looks before it calls a target unreachable. */
export const DEFAULT_HORIZON_MS = 20 * 366 * DAY;

/**
 * A stretch of instants with one UTC offset and one local date: inside it local wall time
 * advances exactly with real time, so working intervals map to instants by subtraction.
 */
interface Piece {
  start: number;
  end: number;
  /** Local wall time at `start`, in ms after local midnight. */
  localStart: number;
  /** Working intervals of the piece's local date (empty on a holiday). */
  intervals: [number, number][];
}

// A zone's UTC offset at an instant never changes, and a running clock is measured again on
// every read from the same start over the same local midnights: remembered, a year-old clock
// costs a walk over its days instead of an Intl lookup for each (about 4 ms per clock before).
const offsetsByZone = new Map<string, LRUCache<number, number>>();

function offsetMs(calendar: CompiledCalendar, t: number): number {
  let offsets = offsetsByZone.get(calendar.zone.name);
  if (!offsets) offsetsByZone.set(calendar.zone.name, (offsets = new LRUCache<number, number>({ max: 50_000 })));
  let offset = offsets.get(t);
  if (offset === undefined) offsets.set(t, (offset = calendar.zone.offset(t) * 60_000));
  return offset;
}

/** The first instant after `from` (and before `until`) whose offset differs from `offset`. */
function nextTransition(calendar: CompiledCalendar, from: number, until: number, offset: number): number {
  // tz transitions are whole seconds apart by far more than a day, so checking the end
  // of a stretch shorter than a day finds any change inside it.
  if (offsetMs(calendar, until - 1) === offset) return until;
  let lo = from;
  let hi = until - 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(calendar, mid) === offset) lo = mid;
    else hi = mid;
  }
  return hi;
}

function* pieces(calendar: CompiledCalendar, from: number, to: number): Generator<Piece> {
  let t = from;
  while (t < to) {
    const offset = offsetMs(calendar, t);
    const local = t + offset;
    const dayStart = Math.floor(local / DAY) * DAY;
    const end = nextTransition(calendar, t, Math.min(to, t + (dayStart + DAY - local)), offset);
    const date = new Date(dayStart);
    const weekday = (date.getUTCDay() + 6) % 7;
    const holiday = calendar.holidays.size > 0 && calendar.holidays.has(date.toISOString().slice(0, 10));
    yield { start: t, end, localStart: local - dayStart, intervals: holiday ? [] : (calendar.days[weekday] ?? []) };
    t = end;
  }
}

/** Business milliseconds in [from, to); 0 when `to` is not after `from`. */
export function businessMillisBetween(calendar: CompiledCalendar, from: number, to: number): number {
  let total = 0;
  for (const piece of pieces(calendar, from, to)) {
    const lt0 = piece.localStart;
    const lt1 = lt0 + (piece.end - piece.start);
    for (const [f, e] of piece.intervals) {
      const overlap = Math.min(e, lt1) - Math.max(f, lt0);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/**
 * The earliest instant T with `businessMillisBetween(start, T) === amount`: when a clock
 * started at `start` with `amount` to go comes due. `start` itself for amount ≤ 0; null
 * when the calendar has no such instant within `horizonMs`.
 */
export function addBusinessMillis(calendar: CompiledCalendar, start: number, amount: number, horizonMs = DEFAULT_HORIZON_MS): number | null {
  if (amount <= 0) return start;
  if (calendar.weekMs === 0) return null;
  let remaining = amount;
  for (const piece of pieces(calendar, start, start + horizonMs)) {
    const lt0 = piece.localStart;
    const lt1 = lt0 + (piece.end - piece.start);
    for (const [f, e] of piece.intervals) {
      const s = Math.max(f, lt0);
      const len = Math.min(e, lt1) - s;
      if (len <= 0) continue;
      if (remaining <= len) return piece.start + (s + remaining - lt0);
      remaining -= len;
    }
  }
  return null;
}

/** Convenience for Date callers. */
export const businessSecondsBetween = (calendar: CompiledCalendar, from: Date, to: Date) =>
  businessMillisBetween(calendar, from.getTime(), to.getTime()) / 1000;

export function addBusinessSeconds(calendar: CompiledCalendar, start: Date, seconds: number): Date | null {
  const t = addBusinessMillis(calendar, start.getTime(), seconds * 1000);
  return t === null ? null : new Date(t);
}
