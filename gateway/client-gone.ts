import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError } from 'graphql';

// Nobody receives it: the client has gone, or the deadline's 503 has already been sent.
const requestEnded = () =>
  new GraphQLError('The request ended (its client went away or its deadline passed); the rest of its plan was not fetched', {
    extensions: { code: 'REQUEST_ABORTED' },
  });

/**
 * Stops a request's plan once its client has gone: a subgraph call that would start after the
 * client's connection closed (whatwg-node aborts the request's signal then; the request
 * deadline aborts the same signal) is answered here and never sent. Calls already in flight
 * finish: with upstream deduplication another caller may be sharing them, and cancelling one
 * would fail that caller too. So the check costs a flag read per subgraph call, and no listener.
 */
export function clientGonePlugin(): GatewayPlugin {
  return {
    onSubgraphExecute({ executionRequest, setExecutor }) {
      const signal = (executionRequest.context as { request?: Request } | undefined)?.request?.signal;
      if (signal?.aborted) setExecutor(() => ({ errors: [requestEnded()] }));
    },
  };
}
