import { DateTime } from 'luxon';

export type Grain = 'DAY' | 'WEEK' | 'MONTH' | 'QUARTER';
export const GRAINS: readonly Grain[] = ['DAY', 'WEEK', 'MONTH', 'QUARTER'];

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' } as const;

/** Periods are calendar periods in UTC; weeks start on Monday (ISO 8601). */
export function periodStart(at: Date | string, grain: Grain): string {
  const dt = typeof at === 'string' ? DateTime.fromISO(at, { zone: 'utc' }) : DateTime.fromJSDate(at, { zone: 'utc' });
  return dt.startOf(UNIT[grain]).toISODate()!;
}

/** The exclusive end of the period starting on `start` (a YYYY-MM-DD date). */
export function periodEnd(start: string, grain: Grain): string {
  return DateTime.fromISO(start, { zone: 'utc' })
    .plus({ [UNIT[grain] + 's']: 1 })
    .toISODate()!;
}

export const toDateTime = (date: string) => DateTime.fromISO(date, { zone: 'utc' }).toJSDate();
