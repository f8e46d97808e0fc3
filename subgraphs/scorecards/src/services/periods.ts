import { DateTime } from 'luxon';

export type Grain = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER';
export const GRAINS: readonly Grain[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER'];

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' } as const;

const DAY_MS = 86_400_000;
/** An instant the fast path reads exactly: a date, or a date-time in UTC (`Z`), as toISOString writes it. */
const UTC_ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z)?$/;

/**
 * Periods are calendar periods in UTC; weeks start on Monday (ISO 8601). The projection calls
 * this for every grain of every fact it moves, so UTC dates and instants are cut with Date
 * arithmetic (in UTC no zone rule applies); anything else goes through luxon's parser.
 */
export function periodStart(at: Date | string, grain: Grain): string {
  const ms = typeof at === 'string' ? (UTC_ISO.test(at) ? Date.parse(at) : NaN) : at.getTime();
  if (Number.isNaN(ms)) {
    const dt = typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }) : DateTime.fromJSDate(at, { zone: 'utc' });
    return dt.startOf(UNIT[grain]).toISODate()!;
  }
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  switch (grain) {
    case 'DAY':
      return isoDate(Date.UTC(y, m, d.getUTCDate()));
    case 'WEEK':
      return isoDate(Date.UTC(y, m, d.getUTCDate()) - ((d.getUTCDay() + 6) % 7) * DAY_MS);
    case 'MONTH':
      return isoDate(Date.UTC(y, m, 1));
    case 'QUARTER':
      return isoDate(Date.UTC(y, m - (m % 3), 1));
  }
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The exclusive end of the period starting on `start` (a YYYY-MM-DD date). */
export function periodEnd(start: string, grain: Grain): string {
  return DateTime.fromISO(start, { zone: 'utc' })
    .plus({ [UNIT[grain] + 's']: 1 })
    .toISODate()!;
}

export const toDateTime = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).toJSDate();
