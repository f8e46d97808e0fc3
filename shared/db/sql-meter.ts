import { Client } from 'pg';

/**
 * Counts every statement and every transaction this process sends to Postgres, by the
 * connection's `application_name` (hub-accounts, hub-event-reader, ...): background work
 * included, which the per-request counter (query-counter.ts) leaves out. A transaction is
 * an explicit BEGIN … COMMIT/ROLLBACK or one statement outside one (autocommit), as
 * Postgres counts them in pg_stat_database; a statement is one query sent, BEGIN and
 * COMMIT included, as pg_stat_statements counts them. The event-backbone benchmark and the
 * statement-budget test read it; /metrics exposes it (hub_db_statements_total,
 * hub_db_transactions_total).
 */
export interface SqlCounts {
  statements: number;
  transactions: number;
}

const byApplication = new Map<string, SqlCounts>();
const inTransaction = new WeakSet<object>();

const OPENS = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const CLOSES = /^\s*(COMMIT|END|ROLLBACK)\b(?!\s+TO\b)/i;

/** Open traces (see {@link traceSql}); shared across copies of this module like the counters. */
const TRACES = Symbol.for('hub.sqlMeter.traces');
const traces = ((globalThis as { [TRACES]?: Set<string[]> })[TRACES] ??= new Set<string[]>());

function record(client: object, application: string, text: string): void {
  for (const t of traces) t.push(`${application}: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
  let counts = byApplication.get(application);
  if (!counts) byApplication.set(application, (counts = { statements: 0, transactions: 0 }));
  counts.statements++;
  if (OPENS.test(text)) {
    inTransaction.add(client);
    counts.transactions++;
  } else if (CLOSES.test(text)) inTransaction.delete(client);
  else if (!inTransaction.has(client)) counts.transactions++;
}

type QueryFn = (this: Client, ...args: unknown[]) => unknown;
const PATCHED = Symbol.for('hub.sqlMeter');
const proto = Client.prototype as unknown as { query: QueryFn; [PATCHED]?: boolean };
// Once per process, whichever copy of this module loads first (jest loads modules per file).
if (!proto[PATCHED]) {
  const original = proto.query;
  proto.query = function (this: Client, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === 'string' ? config : ((config as { text?: string } | undefined)?.text ?? '');
    const application = (this as unknown as { connectionParameters?: { application_name?: string } }).connectionParameters?.application_name ?? '';
    record(this, application || 'unnamed', text);
    return original.apply(this, args);
  };
  proto[PATCHED] = true;
  (globalThis as { [PATCHED]?: Map<string, SqlCounts> })[PATCHED] = byApplication;
}

/** The counters every copy of this module shares. */
const shared = (): Map<string, SqlCounts> => (globalThis as { [PATCHED]?: Map<string, SqlCounts> })[PATCHED] ?? byApplication;

/** Totals by application_name since the process started. */
export function sqlCountsByApplication(): Map<string, SqlCounts> {
  return new Map([...shared()].map(([k, v]) => [k, { ...v }]));
}

/** Totals over the connections whose application_name `include` accepts (default: every hub connection). */
export function sqlCounts(include: (application: string) => boolean = (a) => a.startsWith('hub')): SqlCounts {
  const total = { statements: 0, transactions: 0 };
  for (const [application, c] of shared()) {
    if (!include(application)) continue;
    total.statements += c.statements;
    total.transactions += c.transactions;
  }
  return total;
}

/** Collects every statement sent from now on (`application: text`) until the returned function is called. */
export function traceSql(): () => string[] {
  const lines: string[] = [];
  traces.add(lines);
  return () => {
    traces.delete(lines);
    return lines;
  };
}
