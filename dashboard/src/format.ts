export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);
export const num = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? '—' : String(Math.round(x * 10 ** digits) / 10 ** digits));

/** A duration in seconds as the unit a person reads best. */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${num(seconds / 3600)} h`;
  return `${num(seconds / 86400)} d`;
}

export const MOMENT_LABELS: Record<string, string> = {
  MQL_TO_SQL: 'MQL → SQL',
  DIRECT_TO_PARTNER: 'Direct → partner',
  CLOSED_WON_TO_ONBOARDING: 'Closed-won → onboarding',
  ONBOARDING_TO_SUCCESS: 'Onboarding → success',
  SUCCESS_TO_RENEWAL: 'Success → renewal',
  CUSTOM: 'Custom',
};
export const momentLabel = (m: string | null) => (m ? (MOMENT_LABELS[m] ?? m) : 'All');

/** Red (bad) to green (good) for a 0–1 score. */
export const heat = (goodness: number) => `hsl(${Math.round(Math.max(0, Math.min(1, goodness)) * 120)}, 65%, 82%)`;

/** An instant as a person reads it, in UTC ("2026-03-02 14:05 UTC"); '—' when there is none. */
export const utcTime = (iso: string | null | undefined) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '—');

/** A handoff's moment, naming a CUSTOM one by its own name. */
export const handoffMomentLabel = (moment: string, customMoment: string | null) => (moment === 'CUSTOM' && customMoment ? customMoment : momentLabel(moment));

/** An enum value as words: "AT_RISK" → "at risk". */
export const enumLabel = (value: string) => value.replace(/_/g, ' ').toLowerCase();
