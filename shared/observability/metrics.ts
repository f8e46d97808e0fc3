import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../db/query-counter';

/**
 * One Prometheus registry per process. `npm start` runs every service in one process, so
 * every series carries a `service` label; each service's `/metrics` serves the registry.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const graphqlRequests = new Counter({
  name: 'hub_graphql_requests_total',
  help: 'GraphQL operations handled, by service, operation type and outcome',
  labelNames: ['service', 'operation', 'outcome'] as const,
  registers: [registry],
});

export const graphqlErrors = new Counter({
  name: 'hub_graphql_errors_total',
  help: 'GraphQL errors returned, by service and extensions.code',
  labelNames: ['service', 'code'] as const,
  registers: [registry],
});

export const graphqlDuration = new Histogram({
  name: 'hub_graphql_request_duration_seconds',
  help: 'GraphQL operation latency',
  labelNames: ['service', 'operation'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const subscriptionsOpen = new Gauge({
  name: 'hub_subscriptions_open',
  help: 'GraphQL subscriptions currently open',
  labelNames: ['service'] as const,
  registers: [registry],
});

const lagSources = new Set<DataSource>();

/** Event-log lag per durable consumer: events committed but not yet applied. */
export const eventLogLag = new Gauge({
  name: 'hub_eventlog_consumer_lag_events',
  help: 'Events in the log after each durable consumer’s position',
  labelNames: ['consumer'] as const,
  registers: [registry],
  async collect() {
    const db = [...lagSources].find((d) => d.isInitialized);
    if (!db) return;
    this.reset();
    const rows: { name: string; lag: string }[] = await db
      .query(
        `${BACKGROUND}SELECT c.name, (SELECT count(*) FROM eventlog.events e WHERE (e.tx, e.seq) > (c.tx, c.seq)) AS lag FROM eventlog.consumers c`,
      )
      .catch(() => []);
    for (const r of rows) this.set({ consumer: r.name }, Number(r.lag));
  },
});

/** Lets the lag gauge read the shared event log through any open DataSource. */
export function watchEventLog(db: DataSource): () => void {
  lagSources.add(db);
  return () => lagSources.delete(db);
}
