import type { IncomingMessage } from 'node:http';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { SUBGRAPH_NAMES, type ServiceName, type TracingConfig } from '../config';

let sdk: NodeSDK | undefined;

/** True once {@link startTracing} installed a tracer provider in this process. */
export const isTracingEnabled = () => sdk !== undefined;

/** Paths that are polled, not requested: tracing them would bury the real traces. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/** True for probe and scrape paths, which no instrumentation traces. */
export const isUntracedPath = (path: string) => UNTRACED_PATHS.has(path.split('?', 1)[0] ?? path);

/** The service.name spans carry: explicit, `hub` for the all-in-one process, else the services run. */
export function tracingServiceName(config: TracingConfig, services: readonly ServiceName[]): string {
  const all = services.includes('gateway') && SUBGRAPH_NAMES.every((n) => services.includes(n));
  return config.serviceName ?? (all ? 'hub' : services.join('+'));
}

// The SDK is loaded only when tracing is on: it is large, and off by default. Hence require(),
// typed by the module it loads, in this file only.
/* eslint-disable @typescript-eslint/no-require-imports */
const load = () => ({
  ...(require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node')),
  ...(require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base')),
  ...(require('@opentelemetry/resources') as typeof import('@opentelemetry/resources')),
  HttpInstrumentation: (require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http')).HttpInstrumentation,
  ExpressInstrumentation: (require('@opentelemetry/instrumentation-express') as typeof import('@opentelemetry/instrumentation-express')).ExpressInstrumentation,
  UndiciInstrumentation: (require('@opentelemetry/instrumentation-undici') as typeof import('@opentelemetry/instrumentation-undici')).UndiciInstrumentation,
  PgInstrumentation: (require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg')).PgInstrumentation,
});

function spanProcessor(otel: ReturnType<typeof load>, config: TracingConfig): SpanProcessor {
  if (config.exporter === 'console') return new otel.SimpleSpanProcessor(new otel.ConsoleSpanExporter());
  const exporter =
    config.otlpProtocol === 'json'
      ? new (require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({
          url: config.otlpEndpoint,
        })
      : new (require('@opentelemetry/exporter-trace-otlp-proto') as typeof import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter({
          url: config.otlpEndpoint,
        });
  return new otel.BatchSpanProcessor(exporter, { scheduledDelayMillis: 500 });
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Installs OpenTelemetry tracing for this process (HTTP server and client, Express, undici
 * fetch, pg) when `config.exporter` is not `off`. Auto-instrumentation patches modules as
 * they are first required, so call this before anything imports pg, express or the hub:
 * scripts/start.ts and shared/server/run-service.ts do, and only then load the services.
 * W3C trace context (traceparent) is extracted from incoming and injected into outgoing
 * HTTP requests, so gateway → subgraph → SQL is one trace across processes.
 * Returns false when tracing is off.
 */
export function startTracing(config: TracingConfig, serviceName: string): boolean {
  if (config.exporter === 'off' || sdk) return sdk !== undefined;
  const otel = load();
  sdk = new otel.NodeSDK({
    resource: otel.resourceFromAttributes({ 'service.name': serviceName }),
    sampler: new otel.ParentBasedSampler({ root: new otel.TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [spanProcessor(otel, config)],
    // Explicitly empty: the SDK would otherwise start OTLP metric and log exporters from
    // OTEL_* defaults. Metrics are Prometheus (/metrics); logs are pino on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new otel.HttpInstrumentation({
        ignoreIncomingRequestHook: (req: IncomingMessage) => isUntracedPath(req.url ?? ''),
        // Exporting spans is itself HTTP: never trace the exporter's own requests.
        ignoreOutgoingRequestHook: (req) => config.exporter === 'otlp' && isExporterRequest(req, config.otlpEndpoint),
        // Keep request headers (Authorization, signed identities) out of span attributes.
        headersToSpanAttributes: { server: { requestHeaders: ['x-request-id'] } },
      }),
      new otel.ExpressInstrumentation(),
      new otel.UndiciInstrumentation(),
      // Statement text only, never bound values (they may hold customer data and keys).
      new otel.PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  sdk.start();
  return true;
}

function isExporterRequest(
  req: { hostname?: string | null; host?: string | null; port?: string | number | null; path?: string | null },
  endpoint: string,
): boolean {
  const url = new URL(endpoint);
  const host = (req.hostname ?? req.host ?? '').split(':')[0];
  return (
    host === url.hostname && String(req.port ?? '') === (url.port || (url.protocol === 'https:' ? '443' : '80')) && (req.path ?? '').startsWith(url.pathname)
  );
}

/** Flushes spans still buffered and uninstalls tracing; call last on shutdown. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown().catch(() => undefined);
}
