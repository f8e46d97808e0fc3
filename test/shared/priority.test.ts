import { priorityOf, type PriorityConversion, type PriorityRisk } from '../../shared/priority';

const T0 = new Date('2026-12-03T08:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);
const EUR: PriorityConversion = { reportingCurrency: 'EUR', rate: null, day: '2026-12-03' };
/** Open, started at T0, due 10 h later, evaluated 5 h in: half the time used. */
const halfway: PriorityRisk = { now: at(5), target: 'accept', open: true, startedAt: T0, dueAt: at(10), breached: false, atRisk: false, paused: false };
const noRisk: PriorityRisk = { ...halfway, dueAt: null };

/** The formula of docs/handoffs.md#priority, against numbers worked out by hand. */
describe('priority (shared/priority.ts)', () => {
  it('999 EUR halfway to its due time: valuePart 3/7, riskPart 0.9 × 0.5, score their mean', () => {
    expect(priorityOf({ amount: '999', currency: 'EUR' }, EUR, halfway)).toEqual({
      score: 0.439286, // 0.5 × 0.4285714… + 0.5 × 0.45 = 0.4392857…
      valueAtStake: { amount: '999.00', currency: 'EUR' },
      valuePart: 0.428571,
      riskPart: 0.45,
      reasons: ['value 999 EUR', '5 h left to accept (50% of the time used)'],
    });
  });

  it('converts at the rate of its day: 1998 USD at 0.5 is 999 EUR, the same value part', () => {
    const p = priorityOf({ amount: '1998', currency: 'USD' }, { ...EUR, rate: '0.5' }, halfway);
    expect(p).toMatchObject({ score: 0.439286, valuePart: 0.428571, valueAtStake: { amount: '999.00', currency: 'EUR' } });
    expect(p.reasons[0]).toBe('value 1998 USD = 999.00 EUR at the 2026-12-03 rate 0.5');
  });

  it('a currency without a rate that day is unconvertible: never taken at 1, the value part is 0, and the reason says so', () => {
    const p = priorityOf({ amount: '5000', currency: 'JPY' }, EUR, { ...halfway, breached: true });
    expect(p).toEqual({
      score: 0.5,
      valueAtStake: null,
      valuePart: 0,
      riskPart: 1,
      reasons: ['value 5000 JPY unconvertible: no JPY → EUR rate for 2026-12-03; the value part is 0', 'breached: the time to accept has passed (stalled)'],
    });
    const noRates = priorityOf({ amount: '5000', currency: 'EUR' }, { reportingCurrency: null, rate: null, day: '2026-12-03' }, noRisk);
    expect(noRates).toMatchObject({ score: 0, valueAtStake: null, valuePart: 0 });
    expect(noRates.reasons[0]).toMatch(/unconvertible: no exchange rates are set/);
  });

  it('the value part reaches 1 at 9,999,999 and stays there; nothing, zero or a negative value is 0', () => {
    expect(priorityOf({ amount: '9999999', currency: 'EUR' }, EUR, noRisk)).toMatchObject({ valuePart: 1, score: 0.5 });
    expect(priorityOf({ amount: '1000000000', currency: 'EUR' }, EUR, noRisk)).toMatchObject({ valuePart: 1, score: 0.5 });
    expect(priorityOf({ amount: '9', currency: 'EUR' }, EUR, noRisk)).toMatchObject({ valuePart: 0.142857 }); // 1/7
    expect(priorityOf({ amount: '-50', currency: 'EUR' }, EUR, noRisk)).toMatchObject({ valuePart: 0, score: 0 });
    const none = priorityOf(null, EUR, noRisk);
    expect(none).toMatchObject({ valuePart: 0, riskPart: 0, score: 0, valueAtStake: null });
    expect(none.reasons).toEqual(['no value known: the value part is 0', 'no due time to accept']);
  });

  it('rounds valueAtStake to the reporting currency’s minor units (JPY: none), half to even', () => {
    const p = priorityOf({ amount: '1234.5', currency: 'USD' }, { reportingCurrency: 'JPY', rate: '151.123', day: '2026-12-03' }, noRisk);
    expect(p.valueAtStake).toEqual({ amount: '186561', currency: 'JPY' }); // 186561.3435
  });

  it('risk: AT_RISK lifts the risk part to 0.6 at least; past the due time is 1 even before slas reports the breach', () => {
    const early: PriorityRisk = { ...halfway, now: at(2) };
    expect(priorityOf(null, EUR, early)).toMatchObject({ riskPart: 0.18, score: 0.09 });
    const atRisk = priorityOf(null, EUR, { ...early, atRisk: true });
    expect(atRisk).toMatchObject({ riskPart: 0.6, score: 0.3 });
    expect(atRisk.reasons[1]).toBe('at risk: 8 h left to accept (20% of the time used)');
    const late = priorityOf(null, EUR, { ...halfway, now: at(12) });
    expect(late).toMatchObject({ riskPart: 1, score: 0.5 });
    expect(late.reasons[1]).toBe('breached: due to accept 2 h ago');
    // 9.99 h in: close to the due time, still below a breach.
    expect(priorityOf(null, EUR, { ...halfway, now: at(9.99) }).riskPart).toBeCloseTo(0.8991, 6);
  });

  it('risk: nothing while paused (on hold), closed or without a due time', () => {
    expect(priorityOf(null, EUR, { ...halfway, paused: true })).toMatchObject({
      riskPart: 0,
      reasons: [expect.any(String), 'on hold: the clock to accept is paused'],
    });
    expect(priorityOf(null, EUR, { ...halfway, open: false, breached: true })).toMatchObject({ riskPart: 0 });
    expect(priorityOf(null, EUR, noRisk)).toMatchObject({ riskPart: 0 });
  });
});
