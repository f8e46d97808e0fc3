import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { getOperationAST, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Identity } from '../shared/auth/identity';
import type { Logger } from '../shared/logger';
import { graphqlDuration, graphqlErrors, graphqlRequests, registry, subscriptionsOpen } from '../shared/observability/metrics';
import { isTracingEnabled, isUntracedPath } from '../shared/observability/tracing';

/** Options for {@link observabilityPlugins}. */
export interface GatewayObservabilityOptions {
  log: Logger;
  /** The GraphQL path (default /graphql). */
  graphqlEndpoint?: string;
}

const SERVICE = 'gateway';

/** The server context of the gateway's own warm-up request at start, which is not measured or logged. */
export const WARM_UP_CONTEXT = { hubWarmUp: true } as const;

interface OperationInfo {
  operation?: string;
  operationName?: string;
  identity?: Identity;
  codes: string[];
}

interface HubContextShape {
  request?: Request;
  hubIdentity?: Identity;
  connectionParams?: unknown;
}

function describeOperation(document: DocumentNode, operationName?: string | null): { operation: string; operationName?: string } {
  const ast = getOperationAST(document, operationName ?? undefined);
  return { operation: ast?.operation ?? 'invalid', operationName: ast?.name?.value };
}

function errorCodes(result: unknown): string[] {
  if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return [];
  const results = (Array.isArray(result) ? result : [result]) as ExecutionResult[];
  return results.flatMap((r) => (r.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
}

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * The gateway's metrics, access log and traces, as gateway plugins:
 * - `GET /metrics`: the process's Prometheus registry (shared/observability/metrics.ts) with
 *   `service="gateway"` request rate, errors by code, latency and open subscriptions (a
 *   gateway runs no durable consumer, so it reports no event-log lag of its own);
 * - one pino line per HTTP operation with the request id (x-request-id, which the runtime
 *   also forwards to the subgraphs) and the caller's partner id — never headers or keys;
 * - OpenTelemetry spans for the HTTP request, GraphQL phases and each subgraph call, with
 *   W3C trace context propagated upstream, when tracing was started in this process.
 */
export function observabilityPlugins(opts: GatewayObservabilityOptions): GatewayPlugin[] {
  const endpoint = opts.graphqlEndpoint ?? '/graphql';
  const started = new WeakMap<Request, bigint>();
  const operations = new WeakMap<Request, OperationInfo>();
  const info = (request: Request) => {
    let entry = operations.get(request);
    if (!entry) operations.set(request, (entry = { codes: [] }));
    return entry;
  };

  // Over WebSocket there is no HTTP request: each operation is measured from execute to result.
  const observeWs = (operation: string, since: bigint, codes: string[]) => {
    graphqlDuration.observe({ service: SERVICE, operation }, seconds(since));
    graphqlRequests.inc({ service: SERVICE, operation, outcome: codes.length ? 'error' : 'ok' });
    for (const code of codes) graphqlErrors.inc({ service: SERVICE, code });
  };

  const plugin: GatewayPlugin = {
    async onRequest({ request, url, endResponse, fetchAPI, serverContext }) {
      if (url.pathname === '/metrics' && request.method === 'GET') {
        endResponse(new fetchAPI.Response(await registry.metrics(), { headers: { 'content-type': registry.contentType } }));
        return;
      }
      if ((serverContext as Partial<typeof WARM_UP_CONTEXT> | undefined)?.hubWarmUp) return;
      if (url.pathname === endpoint && (request.method === 'POST' || url.searchParams.has('query'))) started.set(request, process.hrtime.bigint());
    },
    onExecute({ args }) {
      const context = args.contextValue as HubContextShape;
      const { operation, operationName } = describeOperation(args.document, args.operationName);
      if (context.request && started.has(context.request)) {
        Object.assign(info(context.request), { operation, operationName, identity: context.hubIdentity });
        return;
      }
      const since = process.hrtime.bigint();
      return { onExecuteDone: ({ result }) => observeWs(operation, since, errorCodes(result)) };
    },
    onSubscribe({ args }) {
      const context = args.contextValue as HubContextShape;
      if (context.request && started.has(context.request)) {
        Object.assign(info(context.request), { ...describeOperation(args.document, args.operationName), identity: context.hubIdentity });
      } else {
        observeWs('subscription', process.hrtime.bigint(), []);
      }
      subscriptionsOpen.inc({ service: SERVICE });
      let open = true;
      const close = () => {
        if (open) subscriptionsOpen.dec({ service: SERVICE });
        open = false;
      };
      return {
        onSubscribeError: close,
        onSubscribeResult: ({ result }) => {
          // An error result (not a stream) ends the subscription at once.
          if (!(Symbol.asyncIterator in (result as object))) {
            close();
            return;
          }
          return { onEnd: close };
        },
      };
    },
    onResultProcess({ request, result }) {
      if (started.has(request)) info(request).codes.push(...errorCodes(result));
    },
    onResponse({ request, response }) {
      const since = started.get(request);
      if (since === undefined) return;
      started.delete(request);
      const op = operations.get(request) ?? { codes: [] };
      const operation = op.operation ?? 'invalid';
      const codes = op.codes.length === 0 && response.status >= 400 ? [`HTTP_${response.status}`] : op.codes;
      const duration = seconds(since);
      graphqlDuration.observe({ service: SERVICE, operation }, duration);
      graphqlRequests.inc({ service: SERVICE, operation, outcome: codes.length ? 'error' : 'ok' });
      for (const code of codes) graphqlErrors.inc({ service: SERVICE, code });
      opts.log.info(
        {
          requestId: response.headers.get('x-request-id') ?? undefined,
          partnerId: op.identity?.partnerId,
          role: op.identity?.role,
          operation,
          operationName: op.operationName ?? undefined,
          status: response.status,
          ms: Math.round(duration * 10_000) / 10,
          errors: codes.length ? codes : undefined,
        },
        'graphql operation',
      );
    },
  };

  // Spans only when this process installed a tracer provider (shared/observability/tracing.ts).
  // Loaded lazily: the plugin pulls in much of the OpenTelemetry SDK, which is off by default.
  if (!isTracingEnabled()) return [plugin];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when tracing is on (see above)
  const { useOpenTelemetry } = require('@graphql-hive/plugin-opentelemetry') as typeof import('@graphql-hive/plugin-opentelemetry');
  const traced = useOpenTelemetry({ traces: { spans: { http: ({ request }) => !isUntracedPath(new URL(request.url).pathname) } } });
  return [traced as unknown as GatewayPlugin, plugin];
}
