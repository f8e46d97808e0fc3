import { Dec, roundToCurrency } from '../../../../shared/graphql/money';
import { roundedIn } from './scorecard-value';

describe('roundedIn', () => {
  it('rounds and prints exactly as roundToCurrency, in currencies of 0, 2 and 3 minor units', () => {
    for (const currency of ['EUR', 'JPY', 'BHD', 'USD']) {
      for (const amount of ['0', '2041.009', '0.005', '0.015', '-12.3456', '1234567890123456.5', '999.9995', '0.0005']) {
        expect(roundedIn(currency)(new Dec(amount))).toBe(roundToCurrency(new Dec(amount), currency));
      }
    }
  });
});
