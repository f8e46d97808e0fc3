import { AsyncLocalStorage } from 'node:async_hooks';
import { AbstractLogger, type LogLevel, type LogMessage, type QueryRunner } from 'typeorm';

/**
 * Counts the SQL statements issued inside {@link countQueries}. The N+1 guard tests and
 * the P4 benchmark read it; it costs one AsyncLocalStorage lookup per statement.
 */
const scope = new AsyncLocalStorage<{ count: number; statements: string[] }>();

export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; count: number; statements: string[] }> {
  const store = { count: 0, statements: [] as string[] };
  const result = await scope.run(store, fn);
  return { result, count: store.count, statements: store.statements };
}

/** The current request's counter, when one is active (used to report per-request SQL counts). */
export const currentQueryCount = () => scope.getStore()?.count;

/** Runs `fn` with a fresh counter, returning how many statements it issued. */
export const withQueryCounter = <T>(fn: () => T) => scope.run({ count: 0, statements: [] }, fn);

let total = 0;

/** Prefix for statements of background work (relays, consumers): not a request's queries. */
export const BACKGROUND = '/* background */ ';

/**
 * Statements issued by every DataSource in this process since it started. Across HTTP hops
 * (gateway → subgraph) no async context survives, so tests that run the whole hub in one
 * process compare this before and after one request on an otherwise idle hub.
 */
export const totalQueryCount = () => total;

const TRANSACTION_CONTROL = /^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN|SAVEPOINT|RELEASE)/i;

function countStatement(query: string): void {
  if (query.startsWith(BACKGROUND) || TRANSACTION_CONTROL.test(query.trim())) return;
  total++;
  const store = scope.getStore();
  if (store) {
    store.count++;
    store.statements.push(query);
  }
}

export class CountingLogger extends AbstractLogger {
  override logQuery(query: string): void {
    countStatement(query);
  }
  protected writeLog(_level: LogLevel, _message: LogMessage | LogMessage[], _queryRunner?: QueryRunner): void {}
}
