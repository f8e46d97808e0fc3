import { DateTime } from 'luxon';
import { GRAINS, periodStart } from './periods';

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month', QUARTER: 'quarter' } as const;
const byLuxon = (iso: string, grain: (typeof GRAINS)[number]) => DateTime.fromISO(iso, { zone: 'utc' }).startOf(UNIT[grain]).toISODate();

describe('periodStart', () => {
  it('cuts UTC instants exactly as luxon does, at every grain, across week, month, quarter and year boundaries', () => {
    // Every 7 h 13 min over eight years (leap years and ISO weeks that start in the previous year included).
    const start = Date.parse('2023-12-25T00:00:00Z');
    let checked = 0;
    const wrong: string[] = [];
    for (let t = start; t < start + 8 * 366 * 86_400_000; t += 433 * 60_000) {
      const iso = new Date(t).toISOString();
      for (const grain of GRAINS) {
        const expected = byLuxon(iso, grain);
        if (periodStart(iso, grain) !== expected || periodStart(new Date(t), grain) !== expected) wrong.push(`${grain} ${iso}`);
      }
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(9000);
  });

  it('cuts the edges of periods: the first and last millisecond of a week, quarter and year', () => {
    expect(periodStart('2025-12-29T00:00:00.000Z', 'WEEK')).toBe('2025-12-29');
    expect(periodStart('2026-01-04T23:59:59.999Z', 'WEEK')).toBe('2025-12-29');
    expect(periodStart('2026-01-05T00:00:00.000Z', 'WEEK')).toBe('2026-01-05');
    expect(periodStart('2025-06-30T23:59:59.999Z', 'QUARTER')).toBe('2025-04-01');
    expect(periodStart('2025-07-01T00:00:00.000Z', 'QUARTER')).toBe('2025-07-01');
    expect(periodStart('2024-02-29T12:00:00Z', 'MONTH')).toBe('2024-02-01');
    expect(periodStart('2024-12-31T23:59:59.999Z', 'DAY')).toBe('2024-12-31');
  });

  it('reads dates and instants with an offset as luxon does', () => {
    expect(periodStart('2025-04-01', 'QUARTER')).toBe('2025-04-01');
    expect(periodStart('2025-03-31', 'WEEK')).toBe(byLuxon('2025-03-31', 'WEEK'));
    // An offset: 00:30 at +02:00 is the evening before in UTC.
    expect(periodStart('2025-04-01T00:30:00+02:00', 'DAY')).toBe('2025-03-31');
    expect(periodStart('2025-04-01T00:30:00+02:00', 'QUARTER')).toBe('2025-01-01');
  });
});
