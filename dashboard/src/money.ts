/**
 * Money on screen, exactly as the hub answered it. Amounts arrive as decimal strings
 * (`Decimal`, already rounded by the hub to the currency's minor units); they are grouped
 * and padded here as strings, never parsed into a float, so "1234567.1" shows
 * "1,234,567.10" and "0.000125" keeps every digit. Totals are the hub's (its GRAND_TOTAL
 * rows), never sums made in the browser. Number(...) is used only for colours and
 * proportions (a heat-map shade, a bar length), never for a figure a person reads.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** "1234567.1" → "1,234,567.10"; at least two decimals, every decimal the string has kept. */
export function formatAmount(amount: string): string {
  const m = DECIMAL.exec(amount.trim());
  if (!m) return amount;
  const [, sign, whole, fraction = ''] = m;
  const grouped = whole!.replace(/^0+(?=\d)/, '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}.${fraction.padEnd(2, '0')}`;
}

/** "USD 1,234.50". */
export const formatMoney = (amount: string, currency: string | null): string => (currency ? `${currency} ${formatAmount(amount)}` : formatAmount(amount));

/** True when a decimal string is zero ("0", "0.00"). */
export const isZero = (amount: string): boolean => /^-?0*(\.0*)?$/.test(amount.trim());

/** A 0–1 share of two decimal strings, for a colour or a bar only (never shown as a figure). */
export function share(part: string, whole: string): number | null {
  const w = Number(whole);
  return w > 0 ? Math.max(0, Math.min(1, Number(part) / w)) : null;
}

/** A `Decimal` ratio ("0.9250") as a percentage with one decimal, from the string: "92.5%". */
export function formatRatio(ratio: string | null): string {
  if (ratio === null) return '—';
  const m = DECIMAL.exec(ratio.trim());
  if (!m) return ratio;
  const [, sign, whole, fraction = ''] = m;
  // Moving the point two places is exact on the digits: "1.0840" → "108.40" → "108.4".
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const int = digits.slice(0, whole!.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(whole!.length + 2).replace(/0+$/, '');
  return `${sign}${int}${rest ? `.${rest}` : ''}%`;
}
