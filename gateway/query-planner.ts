import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { unifiedGraphHandler as nativeHandler } from '@graphql-hive/router-runtime';
import { GraphQLError, type ExecutionResult } from 'graphql';
import type { QueryPlannerKind } from '../shared/config';

/**
 * The gateway runtime's `unifiedGraphHandler` for a planner: the native (Rust) one from
 * @graphql-hive/router-runtime, or undefined for the runtime's own JavaScript planner.
 * The native planner spends about half the gateway CPU per request (BENCHMARKS.md); the
 * JavaScript one stays as a fallback for platforms without a prebuilt planner binary.
 */
export const unifiedGraphHandlerFor = (kind: QueryPlannerKind) => (kind === 'native' ? nativeHandler : undefined);

/**
 * Fails with a message that says what to do when the native planner cannot load here
 * (its prebuilt binary is missing for this platform): otherwise the runtime loads it on the
 * first operation and every request fails with a bare INTERNAL_SERVER_ERROR.
 */
export async function assertPlannerLoads(kind: QueryPlannerKind): Promise<void> {
  if (kind !== 'native') return;
  try {
    await import('@graphql-hive/router-query-planner');
  } catch (err) {
    throw new Error(
      `The native query planner cannot load on this platform (${err instanceof Error ? err.message.split('\n')[0] : String(err)}); set HUB_QUERY_PLANNER=javascript to run the JavaScript planner`,
      { cause: err },
    );
  }
}

/** A subgraph error as graphql-ws hands it over: the JSON of a `next` message. */
interface WireError {
  message?: unknown;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * The error as a GraphQLError, so that error masking keeps it as the subgraph's deliberate
 * answer (FORBIDDEN, NOT_FOUND, ...) instead of hiding it behind INTERNAL_SERVER_ERROR.
 * Locations are dropped: they point into the document the gateway sent the subgraph.
 */
export function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof GraphQLError) return error;
  const wire = (error ?? {}) as WireError;
  return new GraphQLError(typeof wire.message === 'string' ? wire.message : 'Subgraph error', {
    path: Array.isArray(wire.path) ? wire.path : undefined,
    extensions: wire.extensions && typeof wire.extensions === 'object' ? wire.extensions : undefined,
  });
}

/** A subscription event whose errors are all GraphQLErrors, or undefined when already so. */
export function withGraphQLErrors(result: ExecutionResult): ExecutionResult | undefined {
  if (!result.errors?.length || result.errors.every((e) => e instanceof GraphQLError)) return undefined;
  return { ...result, errors: result.errors.map(toGraphQLError) };
}

/**
 * An executed operation's result with the `data: null` the GraphQL spec requires when a
 * field error nulled the whole response (the native planner leaves `data` out), or
 * undefined when nothing needs changing. Errors without a path were raised before
 * execution, where the spec wants no `data` at all, so those results are left alone.
 */
export function withSpecData(result: ExecutionResult): ExecutionResult | undefined {
  if ('data' in result || !result.errors?.some((e) => e.path)) return undefined;
  return { data: null, ...result };
}

/**
 * A partial result without the HTTP statuses its errors ask for (GATEWAY_TIMEOUT's 504, ...),
 * or undefined when there is nothing to strip: the GraphQL-over-HTTP spec wants a 2xx
 * whenever `data` is not null, so that clients keep the fields that did resolve.
 */
export function withPartialDataStatus(result: ExecutionResult): ExecutionResult | undefined {
  if (result.data == null || !result.errors?.some((e) => e.extensions?.http)) return undefined;
  const errors = result.errors.map((e) => {
    if (!e.extensions?.http) return e;
    const { http: _status, ...extensions } = e.extensions;
    return new GraphQLError(e.message, { path: e.path, originalError: e.originalError ?? undefined, extensions });
  });
  return { ...result, errors };
}

/**
 * Keeps both planners' answers alike and spec-shaped, whichever runs: subscription events
 * streamed by a subgraph over graphql-ws get real GraphQLErrors (the HTTP executor already
 * builds them), results of executed operations carry `data: null` when a field error
 * nulled everything, and a partial result is sent with a 2xx status. test/e2e/query-planner.e2e.test.ts compares the two planners.
 */
export function plannerConformancePlugin(): GatewayPlugin {
  // Stateless hooks, built once rather than per operation.
  const onSubgraphEvent = {
    onNext({ result, setResult }: { result: ExecutionResult; setResult(r: ExecutionResult): void }) {
      const mapped = withGraphQLErrors(result);
      if (mapped) setResult(mapped);
    },
  };
  const onExecuted = {
    onExecuteDone({ result, setResult }: { result: ExecutionResult | AsyncIterable<unknown>; setResult(r: ExecutionResult): void }) {
      if (Symbol.asyncIterator in result) return;
      const shaped = withSpecData(result) ?? withPartialDataStatus(result);
      if (shaped) setResult(shaped);
    },
  };
  const onSubscriptionEvent = {
    onNext({ result, setResult }: { result: ExecutionResult; setResult(r: ExecutionResult): void }) {
      const shaped = withSpecData(result);
      if (shaped) setResult(shaped);
    },
  };
  return {
    onSubgraphExecute: ({ executionRequest }) => (executionRequest.operationType === 'subscription' ? () => onSubgraphEvent : undefined),
    onExecute: () => onExecuted,
    onSubscribe: () => ({ onSubscribeResult: () => onSubscriptionEvent }),
  };
}
