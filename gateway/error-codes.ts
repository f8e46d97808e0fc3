import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, type ExecutionResult } from 'graphql';

/**
 * What the runtime attaches to an error about the upstream call behind it: the subgraph's
 * name (on every subgraph error, and on upstream timeouts), and on timeouts and transport
 * failures the upstream request (internal URL, query) and response.
 */
const UPSTREAM_DETAILS = ['serviceName', 'request', 'response'];

/**
 * graphql-js reports a variable that is missing, null where non-null, of the wrong type or
 * with an unknown input field (coercion, before execution) on its variable definition, and
 * with no code.
 */
const isVariableCoercionError = (error: GraphQLError) => error.nodes?.length === 1 && error.nodes[0]!.kind === Kind.VARIABLE_DEFINITION;

/** `error` as the gateway returns it (see {@link errorCodesPlugin}). */
export function reshapeError(error: GraphQLError, production: boolean): GraphQLError {
  const extensions: Record<string, unknown> = { ...error.extensions };
  let changed = false;
  if (extensions.code === undefined && isVariableCoercionError(error)) {
    // A request error, as GraphQL over HTTP calls it: 400, as graphql-tools' executor says.
    extensions.code = 'BAD_USER_INPUT';
    extensions.http = { status: 400, ...(extensions.http as object | undefined) };
    changed = true;
  }
  if (production) {
    for (const key of UPSTREAM_DETAILS) {
      if (key in extensions) {
        delete extensions[key];
        changed = true;
      }
    }
  }
  if (!changed) return error;
  // The original error stays attached, so the runtime's masking still sees what it was.
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/**
 * The variable coercion errors `error` stands for, if that is what it is: the Rust query
 * planner's runtime throws them (one, or an AggregateError of several) where graphql-js
 * returns them as a result without data.
 */
function coercionErrors(error: unknown): GraphQLError[] | undefined {
  const errors = error instanceof AggregateError ? (error.errors as unknown[]) : [error];
  return errors.length > 0 && errors.every((e) => e instanceof GraphQLError && isVariableCoercionError(e)) ? (errors as GraphQLError[]) : undefined;
}

/** `fn`, answering thrown variable coercion errors as a result, like graphql-js does. */
const resultForCoercionErrors =
  <A, R>(fn: (args: A) => R) =>
  async (args: A) => {
    try {
      return await fn(args);
    } catch (error) {
      const errors = coercionErrors(error);
      if (errors) return { errors } as Awaited<R>;
      throw error;
    }
  };

const isStream = (result: unknown): result is AsyncIterable<ExecutionResult> => typeof result === 'object' && result !== null && Symbol.asyncIterator in result;

/**
 * The gateway's own say on the errors it returns, for every operation (HTTP and WebSocket,
 * each subscription event included): variable coercion errors get BAD_USER_INPUT, as
 * Apollo Server gives them (validation errors already have GRAPHQL_VALIDATION_FAILED); in
 * production no error names a subgraph or shows an upstream request.
 */
export function errorCodesPlugin(opts: { production: boolean }): GatewayPlugin {
  const onResult = ({ result, setResult }: { result: ExecutionResult; setResult: (r: ExecutionResult) => void }) => {
    if (!result.errors?.length) return;
    const errors = result.errors.map((e) => reshapeError(e, opts.production));
    if (errors.some((e, i) => e !== result.errors![i])) setResult({ ...result, errors });
  };
  const onDone = ({ result, setResult }: { result: unknown; setResult: (r: never) => void }) =>
    isStream(result) ? { onNext: onResult } : onResult({ result: result as ExecutionResult, setResult: setResult as (r: ExecutionResult) => void });
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn(resultForCoercionErrors(executeFn));
      return { onExecuteDone: onDone };
    },
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      setSubscribeFn(resultForCoercionErrors(subscribeFn));
      return { onSubscribeResult: onDone };
    },
  };
}
