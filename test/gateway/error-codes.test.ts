import { buildSchema, execute, GraphQLError, parse } from 'graphql';
import { reshapeError } from '../../gateway/error-codes';

const schema = buildSchema(`
  type Query { customers(first: Int!, filter: Filter): [String!]! }
  input Filter { search: String }
`);

/** The errors graphql-js itself reports for these variables. */
const coercionErrors = (variables: Record<string, unknown>) =>
  execute({ schema, document: parse('query($n: Int!, $f: Filter) { customers(first: $n, filter: $f) }'), variableValues: variables }) as {
    errors: readonly GraphQLError[];
  };

describe('the errors the gateway returns', () => {
  it('codes variable coercion errors BAD_USER_INPUT, as request errors (HTTP 400)', () => {
    for (const variables of [{ n: 'many' }, {}, { n: null }, { n: 1, f: { nope: true } }]) {
      const [error] = coercionErrors(variables).errors;
      const coded = reshapeError(error!, false);
      expect(coded.message).toBe(error!.message);
      expect(coded.extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400 } });
      expect(coded.locations).toEqual(error!.locations);
    }
  });

  it('leaves other errors and codes alone', () => {
    const coded = new GraphQLError('Customer x was not found', { extensions: { code: 'NOT_FOUND', serviceName: 'accounts' } });
    expect(reshapeError(coded, false)).toBe(coded);
    const uncoded = new GraphQLError('Something else', { path: ['customers'] });
    expect(reshapeError(uncoded, true)).toBe(uncoded);
  });

  it('in production, names no subgraph and shows no upstream request or response', () => {
    const timeout = new GraphQLError('The operation was aborted due to timeout', {
      path: ['customers', 0, 'slaClocks'],
      extensions: {
        code: 'GATEWAY_TIMEOUT',
        serviceName: 'slas',
        request: { url: 'http://10.0.0.7:4003/graphql', method: 'POST', body: '{"query":"…"}' },
        response: { status: 0 },
      },
    });
    expect(reshapeError(timeout, false)).toBe(timeout);
    const shown = reshapeError(timeout, true);
    expect(shown.extensions).toEqual({ code: 'GATEWAY_TIMEOUT' });
    expect(shown.path).toEqual(['customers', 0, 'slaClocks']);
  });

  it('keeps the original error behind a reshaped one, so that masking still sees an unexpected failure', () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.7:4002');
    const wrapped = new GraphQLError(cause.message, { originalError: cause, extensions: { serviceName: 'handoffs' } });
    expect(reshapeError(wrapped, true).originalError).toBe(cause);
  });
});
