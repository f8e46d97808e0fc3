import { buildSchema, parse } from 'graphql';
import { requestedCost } from '../../gateway/cost';

// The federation cost directive as composition prints it into the supergraph.
const schema = buildSchema(`
  directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
  type Query {
    feed(first: Int, after: String): FeedConnection! @cost(weight: 10)
    customers(first: Int): CustomerConnection!
    report: Report! @cost(weight: 50)
    cheap: Customer! @cost(weight: 0)
  }
  type FeedConnection { edges: [FeedEdge!]! pageInfo: PageInfo! @cost(weight: 0) }
  type FeedEdge @cost(weight: 0) { cursor: String! node: Item! }
  type Item @cost(weight: 0) { id: ID! owner: Customer! }
  type CustomerConnection { edges: [CustomerEdge!]! pageInfo: PageInfo! }
  type CustomerEdge { node: Customer! }
  type Customer { id: ID! name: String! expensive: String! @cost(weight: 3) twin: Item! @cost(weight: 2) }
  type Report { total: Int! }
  type PageInfo { hasNextPage: Boolean! }
`);
const cost = (q: string) => requestedCost(schema, parse(q), {}, undefined);

describe('query cost: the @cost directive', () => {
  it('prices a field at its declared weight in place of the default, whatever `first` is, when what it selects is weighted 0', () => {
    for (const first of [1, 100, 250]) expect(cost(`{ feed(first: ${first}) { pageInfo { hasNextPage } edges { cursor node { id } } } }`)).toBe(10);
  });

  it('still counts, and multiplies, what a weighted field selects', () => {
    expect(cost('{ feed(first: 5) { edges { node { owner { id } } } } }')).toBe(10 + 5 * 1);
    expect(cost('{ report { total } }')).toBe(50);
  });

  it('takes a type’s weight for fields returning it, and a field’s own weight over its type’s', () => {
    expect(cost('{ cheap { id } }')).toBe(0);
    expect(cost('{ cheap { twin { id } } }')).toBe(2);
  });

  it('adds a weighted scalar field; everything without the directive keeps the rules', () => {
    expect(cost('{ customers(first: 4) { edges { node { id expensive } } } }')).toBe(2 + 4 * (1 + 1 + 3));
    expect(cost('{ customers(first: 4) { edges { node { id name } } } }')).toBe(2 + 4 * 2);
  });
});
