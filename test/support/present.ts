/**
 * A value a test relies on being there (a demo row, the first delivery, a list's head): a
 * missing one fails the test saying what was missing, instead of a TypeError further on.
 */
export function present<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found ${String(value)}`);
  return value;
}
