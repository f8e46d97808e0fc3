import type { PageProbes, SqlRunner, SqlWithParams } from '../../../../shared/graphql/pagination';
import { sqlProbes } from '../../../../shared/graphql/pagination';
import type { PriorityPage } from '../../../../shared/graphql/priority';

/** A list of work (handoffs, handoffs due) as its resolver has filtered it: what {@link listWork} pages. */
export interface WorkListing {
  /** The table's alias in `where`, `columns` and the score. */
  alias: string;
  table: string;
  columns: string;
  /** The instant the list runs newest first by (and breaks score ties with). */
  timeColumn: string;
  /** The priority score at an instant (a SQL expression), and the joins it needs. */
  scoreSql(asOf: string): string;
  joins: string;
  /** Visibility and filter conditions over `params` ($1 …). */
  where: string[];
  params: unknown[];
}

/**
 * One page of a work list, newest first or (with `priority`) by priority score at the
 * listing's instant, keyset either way: (time, id) descending, or (score, time, id)
 * descending with the instant carried in the cursor so later pages rank as the first did.
 * Returns the rows (the caller maps them) and the probes for totalCount and hasPreviousPage.
 */
export async function listWork(
  db: SqlRunner,
  list: WorkListing,
  order: { priority?: PriorityPage; cursor?: (string | number)[] },
  limit: number,
): Promise<{ rows: object[]; probes: PageProbes }> {
  const { alias: a, timeColumn: t } = list;
  const params = [...list.params];
  const condition = list.where.length ? list.where.join(' AND ') : 'true';
  const filtered = `FROM ${list.table} ${a} WHERE ${condition}`;
  const filterParams = [...params];
  const { priority, cursor } = order;
  if (priority) {
    params.push(priority.asOf);
    const scored = `FROM (SELECT ${a}.*, ${list.scoreSql(`$${params.length}::timestamptz`)} AS priority_score
                            FROM ${list.table} ${a} ${list.joins} WHERE ${condition}) ${a}`;
    let keyset = '';
    if (priority.after) {
      params.push(...priority.after);
      keyset = `($${params.length - 2}::numeric, $${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    const keysetParams = [...params];
    params.push(limit + 1);
    const rows: object[] = await db.query(
      `SELECT ${list.columns}, ${a}.priority_score::text AS "priorityScore" ${scored}
        ${keyset ? `WHERE (${a}.priority_score, ${a}.${t}, ${a}.id) < ${keyset}` : ''}
        ORDER BY ${a}.priority_score DESC, ${a}.${t} DESC, ${a}.id DESC LIMIT $${params.length}`,
      params,
    );
    const before: SqlWithParams | undefined = keyset
      ? [`SELECT 1 ${scored} WHERE (${a}.priority_score, ${a}.${t}, ${a}.id) >= ${keyset}`, keysetParams]
      : undefined;
    return { rows, probes: sqlProbes(db, [`SELECT 1 ${filtered}`, filterParams], before) };
  }
  let cursorAt: string | null = null;
  if (cursor) {
    params.push(cursor[0], cursor[1]);
    cursorAt = `$${params.length - 1}::timestamptz, $${params.length}::uuid`;
  }
  const cursorParams = [...params];
  params.push(limit + 1);
  const rows: object[] = await db.query(
    `SELECT ${list.columns} ${filtered} ${cursorAt ? `AND (${a}.${t}, ${a}.id) < (${cursorAt})` : ''}
      ORDER BY ${a}.${t} DESC, ${a}.id DESC LIMIT $${params.length}`,
    params,
  );
  return {
    rows,
    probes: sqlProbes(
      db,
      [`SELECT 1 ${filtered}`, filterParams],
      cursorAt ? [`SELECT 1 ${filtered} AND (${a}.${t}, ${a}.id) >= (${cursorAt})`, cursorParams] : undefined,
    ),
  };
}
