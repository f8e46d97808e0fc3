import { round, sleep } from './support';

/**
 * What the event backbone costs, read from the services' own /metrics: the SQL statements
 * and transactions every process sent (hub_db_statements_total, hub_db_transactions_total,
 * background work included) and the consumers' commit → applied lag histogram.
 */

/** The /metrics text of each process (one URL per process: in one process every service shares the registry). */
async function scrapeAll(graphqlUrls: string[]): Promise<string[]> {
  return Promise.all(graphqlUrls.map(async (u) => (await fetch(u.replace(/\/graphql$/, '/metrics'))).text()));
}

const sum = (texts: string[], metric: string) =>
  texts.reduce((total, text) => {
    for (const line of text.split('\n')) if (line.startsWith(`${metric}{`) || line.startsWith(`${metric} `)) total += Number(line.split(' ').pop());
    return total;
  }, 0);

export interface SqlReading {
  statements: number;
  transactions: number;
  at: number;
  /** Cumulative commit → applied histogram over every consumer: upper bound (s) → count. */
  lag: Map<number, number>;
  /** The same, per consumer. */
  lagByConsumer: Map<string, Map<number, number>>;
}

const LAG_BUCKET = 'hub_eventlog_consumer_apply_lag_seconds_bucket{';

function lagBuckets(texts: string[]): { all: Map<number, number>; byConsumer: Map<string, Map<number, number>> } {
  const all = new Map<number, number>();
  const byConsumer = new Map<string, Map<number, number>>();
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line.startsWith(LAG_BUCKET)) continue;
      const le = /le="([^"]+)"/.exec(line)?.[1];
      if (!le) continue;
      const consumer = /consumer="([^"]+)"/.exec(line)?.[1] ?? '';
      const bound = le === '+Inf' ? Infinity : Number(le);
      const n = Number(line.split(' ').pop());
      all.set(bound, (all.get(bound) ?? 0) + n);
      let own = byConsumer.get(consumer);
      if (!own) byConsumer.set(consumer, (own = new Map()));
      own.set(bound, (own.get(bound) ?? 0) + n);
    }
  }
  return { all, byConsumer };
}

export async function readSql(graphqlUrls: string[]): Promise<SqlReading> {
  const texts = await scrapeAll(graphqlUrls);
  const lag = lagBuckets(texts);
  return {
    statements: sum(texts, 'hub_db_statements_total'),
    transactions: sum(texts, 'hub_db_transactions_total'),
    at: performance.now(),
    lag: lag.all,
    lagByConsumer: lag.byConsumer,
  };
}

/**
 * Consumer lag (commit → applied) between two readings, from the consumers' histogram: the
 * p50 and p99 as the bucket bounds (ms) they fall under, and how many events were applied.
 */
function lagDelta(a: Map<number, number>, b: Map<number, number>) {
  const bounds = [...b.keys()].sort((x, y) => x - y);
  const delta = bounds.map((le) => [le, (b.get(le) ?? 0) - (a.get(le) ?? 0)] as const);
  const total = delta[delta.length - 1]?.[1] ?? 0;
  const at = (q: number) => {
    const hit = delta.find(([, n]) => n >= q * total);
    return hit ? (hit[0] === Infinity ? '> 10 s' : `≤ ${round(hit[0] * 1000, 0)} ms`) : '—';
  };
  return { applied: total, p50: at(0.5), p99: at(0.99) };
}

export function lagBetween(a: SqlReading, b: SqlReading) {
  const byConsumer: Record<string, ReturnType<typeof lagDelta>> = {};
  for (const [name, buckets] of b.lagByConsumer) {
    const own = lagDelta(a.lagByConsumer.get(name) ?? new Map(), buckets);
    if (own.applied > 0) byConsumer[name] = own;
  }
  return { ...lagDelta(a.lag, b.lag), byConsumer };
}

export interface IdleRate {
  seconds: number;
  transactionsPerSecond: number;
  statementsPerSecond: number;
}

/** The hub's background with nothing happening, over `seconds`. */
export async function idleRate(graphqlUrls: string[], seconds = 10): Promise<IdleRate> {
  const a = await readSql(graphqlUrls);
  await sleep(seconds * 1000);
  const b = await readSql(graphqlUrls);
  const s = (b.at - a.at) / 1000;
  return {
    seconds: round(s, 1),
    transactionsPerSecond: round((b.transactions - a.transactions) / s, 2),
    statementsPerSecond: round((b.statements - a.statements) / s, 2),
  };
}

/** Per unit of work between two readings, the idle background over the same time subtracted. */
export function perUnit(a: SqlReading, b: SqlReading, units: number, idle: IdleRate) {
  const s = (b.at - a.at) / 1000;
  return {
    transactions: round((b.transactions - a.transactions - idle.transactionsPerSecond * s) / units, 1),
    statements: round((b.statements - a.statements - idle.statementsPerSecond * s) / units, 1),
  };
}

/** Waits until no durable consumer has an event it handles left to apply (the lag gauge, each process reporting the consumers it runs, sums to 0). */
export async function waitApplied(graphqlUrls: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await scrapeAll(graphqlUrls);
    if (sum(texts, 'hub_eventlog_consumer_lag_events') === 0) return;
    if (Date.now() > deadline) throw new Error('consumers did not catch up');
    await sleep(200);
  }
}
