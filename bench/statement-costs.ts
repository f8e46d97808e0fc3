import { Client } from 'pg';
import { onCleanup, round } from './support';

/**
 * Which SQL statements cost Postgres the most per unit of work, from pg_stat_statements
 * (planning and execution time, calls), where the cluster preloads it
 * (`shared_preload_libraries=pg_stat_statements`; the benches' embedded cluster does not, so
 * point `--admin-url` at one that does). Reset before a measured run, read after it.
 */
export interface StatementCosts {
  reset(): Promise<void>;
  /** The `top` statements by planning + execution time, per unit, of the bench's database. */
  read(units: number, top?: number): Promise<unknown[]>;
}

/** A reader on the server of `databaseUrl`, or undefined where pg_stat_statements is not loaded. */
export async function statementCosts(databaseUrl: string): Promise<StatementCosts | undefined> {
  const db = new URL(databaseUrl).pathname.slice(1);
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const c = new Client({ connectionString: admin.toString() });
  await c.connect();
  try {
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await c.query('SELECT 1 FROM pg_stat_statements LIMIT 1');
  } catch {
    await c.end();
    return undefined;
  }
  onCleanup(() => c.end());
  const planning = (await c.query(`SELECT current_setting('pg_stat_statements.track_planning') = 'on' AS on`)).rows[0]?.on === true;
  return {
    async reset() {
      await c.query('SELECT pg_stat_statements_reset()');
    },
    async read(units, top = 20) {
      const { rows } = await c.query<{ query: string; calls: string; exec_ms: number; plan_ms: number; rows: string }>(
        `SELECT query, calls, total_exec_time AS exec_ms, ${planning ? 'total_plan_time' : '0'} AS plan_ms, rows
           FROM pg_stat_statements
          WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)
          ORDER BY total_exec_time + ${planning ? 'total_plan_time' : '0'} DESC
          LIMIT $2`,
        [db, top],
      );
      return rows.map((r) => ({
        msPerUnit: round((r.exec_ms + r.plan_ms) / units, 3),
        planMsPerUnit: round(r.plan_ms / units, 3),
        callsPerUnit: round(Number(r.calls) / units, 2),
        rowsPerCall: round(Number(r.rows) / Math.max(1, Number(r.calls)), 1),
        query: r.query.replace(/\s+/g, ' ').slice(0, 240),
      }));
    },
  };
}
