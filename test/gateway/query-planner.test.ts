import { GraphQLError } from 'graphql';
import { loadConfig } from '../../shared/config';
import {
  assertPlannerLoads,
  toGraphQLError,
  unifiedGraphHandlerFor,
  withGraphQLErrors,
  withPartialDataStatus,
  withSpecData,
} from '../../gateway/query-planner';
import { firstError } from '../support/graphql-client';

describe('query planner conformance helpers', () => {
  it('selects the native planner unless the JavaScript one is asked for, and refuses any other', async () => {
    expect(typeof unifiedGraphHandlerFor('native')).toBe('function');
    expect(unifiedGraphHandlerFor('javascript')).toBeUndefined();
    expect(loadConfig({}).security.queryPlanner).toBe('native');
    expect(() => loadConfig({ HUB_QUERY_PLANNER: 'rust' })).toThrow(/HUB_QUERY_PLANNER/);
    // The gateway checks this before it listens: on a platform without the planner's binary
    // it fails at start, naming HUB_QUERY_PLANNER=javascript, instead of on every request.
    await expect(assertPlannerLoads('native')).resolves.toBeUndefined();
    await expect(assertPlannerLoads('javascript')).resolves.toBeUndefined();
  });

  it('turns a subgraph error from the wire into a GraphQLError that keeps message, path and code', () => {
    const wire = {
      message: 'You may subscribe to your own partner’s events only',
      locations: [{ line: 1, column: 21 }],
      path: ['ownershipChanged'],
      extensions: { code: 'FORBIDDEN' },
    };
    const error = toGraphQLError(wire);
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.toJSON()).toEqual({ message: wire.message, path: ['ownershipChanged'], extensions: { code: 'FORBIDDEN' } });
    const already = new GraphQLError('x');
    expect(toGraphQLError(already)).toBe(already);
    expect(toGraphQLError(null).message).toBe('Subgraph error');
  });

  it('rewrites an event only when one of its errors is not a GraphQLError', () => {
    expect(withGraphQLErrors({ data: { a: 1 } })).toBeUndefined();
    expect(withGraphQLErrors({ data: null, errors: [new GraphQLError('x')] })).toBeUndefined();
    const mapped = withGraphQLErrors({ data: null, errors: [{ message: 'gone', extensions: { code: 'NOT_FOUND' } } as unknown as GraphQLError] })!;
    expect(mapped.data).toBeNull();
    expect(firstError(mapped)).toBeInstanceOf(GraphQLError);
    expect(firstError(mapped).extensions.code).toBe('NOT_FOUND');
  });

  it('adds data: null after a field error, never to a request error or a result that has data', () => {
    const fieldError = new GraphQLError('bad first', { path: ['customers'], extensions: { code: 'BAD_USER_INPUT' } });
    expect(withSpecData({ errors: [fieldError] })).toEqual({ data: null, errors: [fieldError] });
    expect(withSpecData({ errors: [new GraphQLError('Variable "$id" got invalid value')] })).toBeUndefined();
    expect(withSpecData({ data: { customer: null }, errors: [fieldError] })).toBeUndefined();
    expect(withSpecData({ data: { customer: { id: '1' } } })).toBeUndefined();
  });
});

describe('partial results', () => {
  it('drop the HTTP status an error asks for when data is not null, keeping code and path', () => {
    const timeout = new GraphQLError('The operation was aborted due to timeout', {
      path: ['customers', 'nodes', 0, 'handoffs'],
      extensions: { code: 'GATEWAY_TIMEOUT', http: { status: 504 } },
    });
    const shaped = withPartialDataStatus({ data: { customers: { nodes: [] } }, errors: [timeout] })!;
    expect(firstError(shaped).extensions).toEqual({ code: 'GATEWAY_TIMEOUT' });
    expect(firstError(shaped).path).toEqual(timeout.path);
    expect(withPartialDataStatus({ data: null, errors: [timeout] })).toBeUndefined();
    expect(withPartialDataStatus({ data: { a: 1 }, errors: [new GraphQLError('x', { extensions: { code: 'NOT_FOUND' } })] })).toBeUndefined();
  });
});
