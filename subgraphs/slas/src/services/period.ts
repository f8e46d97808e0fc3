import { badUserInput } from '../../../../shared/errors';

const DAY = 86_400_000;

/**
 * A reporting period, in UTC: "2025" (a year), "2025-Q2" (a quarter), "2025-03" (a month),
 * "2025-03-14" (a day), or LAST_7_DAYS / LAST_30_DAYS / LAST_90_DAYS (up to now).
 */
export function parsePeriod(period: string, now = new Date(), field = 'period'): { from: Date; to: Date } {
  const p = period.trim().toUpperCase();
  let m: RegExpExecArray | null;
  if ((m = /^LAST_(7|30|90)_DAYS$/.exec(p))) return { from: new Date(now.getTime() - Number(m[1]) * DAY), to: now };
  if ((m = /^(\d{4})$/.exec(p))) return { from: new Date(Date.UTC(Number(m[1]), 0, 1)), to: new Date(Date.UTC(Number(m[1]) + 1, 0, 1)) };
  if ((m = /^(\d{4})-Q([1-4])$/.exec(p))) {
    const q = Number(m[2]) - 1;
    return { from: new Date(Date.UTC(Number(m[1]), q * 3, 1)), to: new Date(Date.UTC(Number(m[1]), q * 3 + 3, 1)) };
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(p)) && Number(m[2]) >= 1 && Number(m[2]) <= 12) {
    return { from: new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)), to: new Date(Date.UTC(Number(m[1]), Number(m[2]), 1)) };
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(p))) {
    const from = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    if (from.toISOString().slice(0, 10) === p) return { from, to: new Date(from.getTime() + DAY) };
  }
  throw badUserInput(
    `"${field}" must be a year ("2025"), quarter ("2025-Q2"), month ("2025-03"), day ("2025-03-14") or LAST_7_DAYS / LAST_30_DAYS / LAST_90_DAYS`,
    [{ field, message: 'not a period' }],
  );
}
