import { Dec } from '../../shared/graphql/money';
import { formatAmount, formatMoney, formatRatio, isZero } from '../../dashboard/src/money';

/**
 * The dashboard shows amounts from the API's decimal strings without a float: grouped and
 * padded, every digit kept, so a figure beyond a double's precision reads exactly.
 */
describe('dashboard money formatting', () => {
  it.each([
    ['0', '0.00'],
    ['5', '5.00'],
    ['1250.5', '1,250.50'],
    ['-1234567.1', '-1,234,567.10'],
    ['0.000125', '0.000125'],
    ['120000.10', '120,000.10'],
  ])('%s → %s', (amount, shown) => {
    expect(formatAmount(amount)).toBe(shown);
  });

  it('keeps every digit of an amount a float would round', () => {
    const amount = '123456789012345678.99';
    expect(Number(amount).toFixed(2)).not.toBe(amount); // what a float parse would show
    const shown = formatMoney(amount, 'USD');
    expect(shown).toBe('USD 123,456,789,012,345,678.99');
    expect(new Dec(shown.slice(4).replace(/,/g, '')).eq(amount)).toBe(true);
  });

  it.each([
    ['0.9250', '92.5%'],
    ['1.0840', '108.4%'],
    ['1.0000', '100%'],
    ['0.0000', '0%'],
    ['0.0001', '0.01%'],
  ])('ratio %s → %s', (ratio, shown) => {
    expect(formatRatio(ratio)).toBe(shown);
  });

  it('says — for a missing ratio, and knows a zero amount in any form', () => {
    expect(formatRatio(null)).toBe('—');
    expect(['0', '0.00', '-0', '0.'].map(isZero)).toEqual([true, true, true, true]);
    expect(['0.01', '10', '-1'].map(isZero)).toEqual([false, false, false]);
  });
});
