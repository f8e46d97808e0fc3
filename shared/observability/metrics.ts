import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { sqlCountsByApplication } from '../db/sql-meter';

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

/** Every statement this process sent to Postgres (background included), by connection. */
export const dbStatements = new Gauge({
  name: 'hub_db_statements_total',
  help: 'SQL statements sent to Postgres since the process started (BEGIN and COMMIT included), by application_name',
  labelNames: ['application'] as const,
  registers: [registry],
  collect() {
    for (const [application, c] of sqlCountsByApplication()) this.set({ application }, c.statements);
  },
});

/** Every transaction this process ran (explicit, or one autocommit statement), by connection. */
export const dbTransactions = new Gauge({
  name: 'hub_db_transactions_total',
  help: 'Postgres transactions since the process started (an autocommit statement is one), by application_name',
  labelNames: ['application'] as const,
  registers: [registry],
  collect() {
    for (const [application, c] of sqlCountsByApplication()) this.set({ application }, c.transactions);
  },
});

/** One durable consumer's lag, as the process that runs it sees it. */
export interface ConsumerLag {
  consumer: string;
  /** Events of its types committed and not applied yet (see {@link LAG_COUNT_CAP}). */
  events: number;
  /** Age of the oldest of those, 0 when there is none. */
  seconds: number;
}

/**
 * Where a lag count stops: past it a count is a lower bound (the gauge reads at least this
 * much), so that a consumer far behind costs a scrape no more than a bounded read.
 */
export const LAG_COUNT_CAP = 10_000;

/** What reports lag in this process: each event reader, for the consumers it runs here. */
const lagSources = new Set<() => Promise<ConsumerLag[]>>();

/**
 * Adds a source of consumer lag (the process's event reader): it reports the durable
 * consumers this process runs, from what it holds in memory plus at most one bounded
 * statement per scrape. Returns a function that removes it.
 */
export function registerLagSource(read: () => Promise<ConsumerLag[]>): () => void {
  lagSources.add(read);
  return () => void lagSources.delete(read);
}

/**
 * One lag computation per scrape feeds both lag gauges: a scrape calls every metric's
 * collect() in one synchronous pass, so the second gauge finds the first one's computation;
 * any later scrape starts its own.
 */
let lagScrape: Promise<ConsumerLag[]> | undefined;
function readLag(): Promise<ConsumerLag[]> {
  if (lagScrape) return lagScrape;
  const scrape = Promise.all(
    [...lagSources].map((read) =>
      read().catch((): ConsumerLag[] => {
        eventLogLagReadFailures.inc();
        return [];
      }),
    ),
  ).then((all) => all.flat());
  lagScrape = scrape;
  queueMicrotask(() => {
    if (lagScrape === scrape) lagScrape = undefined;
  });
  return scrape;
}

// A consumer appears on the process that runs it (holds its ownership lock), nowhere else:
// sum or max over the instances for the hub's view, and alert on a consumer's absence.
/** Event-log lag per durable consumer run by this process: events committed but not yet applied. */
export const eventLogLag = new Gauge({
  name: 'hub_eventlog_consumer_lag_events',
  help: `Events of its types committed and not yet applied, per durable consumer, reported only by the process that runs the consumer (a count stops at ${LAG_COUNT_CAP})`,
  labelNames: ['consumer'] as const,
  registers: [registry],
  async collect() {
    const rows = await readLag();
    this.reset();
    for (const r of rows) this.set({ consumer: r.consumer }, r.events);
  },
});

/** How far behind each consumer is in time: age of the oldest event it has not applied (0 = caught up). */
export const eventLogLagSeconds = new Gauge({
  name: 'hub_eventlog_consumer_lag_seconds',
  help: 'Age of the oldest event of its types each durable consumer has not applied yet (0 = caught up), reported only by the process that runs the consumer',
  labelNames: ['consumer'] as const,
  registers: [registry],
  async collect() {
    const rows = await readLag();
    this.reset();
    for (const r of rows) this.set({ consumer: r.consumer }, r.seconds);
  },
});

/**
 * Lag reads that failed (the database unreachable, a statement timing out): that scrape's
 * lag gauges have no series for the consumers of the source that failed, the very moment
 * something is wrong, so this counts it where an alert can see it. Registered after the
 * gauges, so that a scrape counts its own failure.
 */
export const eventLogLagReadFailures = new Counter({
  name: 'hub_eventlog_consumer_lag_read_failures_total',
  help: 'Scrapes whose read of consumer lag failed; the lag gauges then lack the series of the consumers that read covers',
  registers: [registry],
});

/** Commit → applied, per event and consumer (the time from the event's transaction to the consumer's commit). */
export const consumerApplyLag = new Histogram({
  name: 'hub_eventlog_consumer_apply_lag_seconds',
  help: 'Time from an event’s transaction to the commit of the consumer batch that applied it',
  labelNames: ['consumer'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

/** One sample of a scrape-time gauge. */
export interface GaugeSample<L extends string> {
  labels: Partial<Record<L, string>>;
  value: number;
}

/** Options for {@link registerGaugeCollector}. */
export interface GaugeCollectorOptions<L extends string> {
  /** Prometheus metric name, e.g. `hub_sla_clocks`. */
  name: string;
  help: string;
  labelNames: readonly L[];
  /**
   * Reads the current values at scrape time (typically one grouped SQL query, prefixed with
   * BACKGROUND so it stays out of request query counts). A failure leaves the gauge empty
   * for that scrape rather than failing /metrics.
   */
  collect(): Promise<GaugeSample<L>[]>;
}

const collectorGauges = new Map<string, { gauge: Gauge<string>; collectors: Set<() => Promise<GaugeSample<string>[]>> }>();

/**
 * A gauge whose values are read when Prometheus scrapes, for state that lives in the
 * database rather than in process memory (SLA clocks by state, webhook backlog): every
 * instance reports the same truth, and nothing drifts across restarts. Several
 * registrations of one name (several instances in one process, as in `npm start` or the
 * tests) share the gauge; their samples are merged. Returns a function that unregisters.
 */
export function registerGaugeCollector<L extends string>(opts: GaugeCollectorOptions<L>): () => void {
  let entry = collectorGauges.get(opts.name);
  if (!entry) {
    const collectors = new Set<() => Promise<GaugeSample<string>[]>>();
    const gauge = new Gauge<string>({
      name: opts.name,
      help: opts.help,
      labelNames: opts.labelNames as readonly string[],
      registers: [registry],
      async collect() {
        const samples = await Promise.all([...collectors].map((c) => c().catch(() => [] as GaugeSample<string>[])));
        this.reset();
        for (const s of samples.flat()) this.set(s.labels as Record<string, string>, s.value);
      },
    });
    entry = { gauge, collectors };
    collectorGauges.set(opts.name, entry);
  }
  const collect = opts.collect as () => Promise<GaugeSample<string>[]>;
  entry.collectors.add(collect);
  return () => void entry.collectors.delete(collect);
}

/**
 * SLA clocks by state (RUNNING, PAUSED, AT_RISK, MET, BREACHED), optionally by moment: the
 * slas subgraph registers this once per server with a grouped count over its clocks.
 */
export const registerSlaClockCollector = (collect: () => Promise<GaugeSample<'state' | 'moment'>[]>) =>
  registerGaugeCollector({ name: 'hub_sla_clocks', help: 'SLA clocks by state (and handoff moment)', labelNames: ['state', 'moment'] as const, collect });

/**
 * Webhook deliveries not yet delivered, by state (PENDING, RETRYING, ...): the accounts
 * webhook runtime registers this once per server.
 */
export const registerWebhookBacklogCollector = (collect: () => Promise<GaugeSample<'state'>[]>) =>
  registerGaugeCollector({ name: 'hub_webhook_backlog', help: 'Webhook deliveries not yet delivered, by state', labelNames: ['state'] as const, collect });
