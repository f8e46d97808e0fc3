import { graphql, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { Dec, DecimalScalar, isCurrency, minorUnits, moneyProblem, roundToCurrency } from '../../shared/graphql/money';

describe('money: exact decimals and ISO 4217 currencies', () => {
  it('sums 10,000 amounts of 0.10 to exactly 1000.00', () => {
    let sum = new Dec(0);
    for (let i = 0; i < 10_000; i++) sum = sum.plus('0.10');
    expect(roundToCurrency(sum, 'EUR')).toBe('1000.00');
    // What a float would have said instead.
    let float = 0;
    for (let i = 0; i < 10_000; i++) float += 0.1;
    expect(float).not.toBe(1000);
  });

  it('rounds to the currency’s minor units, half to even', () => {
    expect(minorUnits('EUR')).toBe(2);
    expect(minorUnits('JPY')).toBe(0);
    expect(minorUnits('BHD')).toBe(3);
    expect(roundToCurrency(new Dec('2.345'), 'EUR')).toBe('2.34');
    expect(roundToCurrency(new Dec('2.355'), 'EUR')).toBe('2.36');
    expect(roundToCurrency(new Dec('1234.5'), 'JPY')).toBe('1234');
  });

  it('knows ISO 4217 codes and says what is wrong with an amount', () => {
    expect(isCurrency('EUR')).toBe(true);
    expect(isCurrency('eur')).toBe(false);
    expect(isCurrency('XYZ')).toBe(false);
    expect(moneyProblem({ amount: '1250.50', currency: 'USD' })).toBeUndefined();
    expect(moneyProblem({ amount: '1250.5000001', currency: 'USD' })).toMatch(/6 after/);
    expect(moneyProblem({ amount: '01', currency: 'USD' })).toMatch(/string-encoded|digits/);
    expect(moneyProblem({ amount: '5', currency: 'ABC' })).toMatch(/ISO 4217/);
  });

  it('the Decimal scalar takes strings only, in variables and inline, with BAD_USER_INPUT otherwise', async () => {
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({
        name: 'Query',
        fields: { echo: { type: GraphQLString, args: { v: { type: DecimalScalar } }, resolve: (_r, a: { v: string }) => a.v } },
      }),
    });
    expect((await graphql({ schema, source: '{ echo(v: "0.10") }' })).data).toEqual({ echo: '0.10' });
    const inlineNumber = await graphql({ schema, source: '{ echo(v: 0.1) }' });
    expect(inlineNumber.errors?.[0]?.message).toMatch(/as a string/);
    const variableNumber = await graphql({ schema, source: 'query($v: Decimal) { echo(v: $v) }', variableValues: { v: 0.1 } });
    expect(variableNumber.errors?.[0]?.message).toMatch(/string-encoded decimal/);
    expect(DecimalScalar.serialize(new Dec('1.50'))).toBe('1.5');
  });
});
