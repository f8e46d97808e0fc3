import { Directive, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { badUserInput } from '../errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** What the paging arguments of every list field mean, as the schema describes them. */
export const FIRST_DESCRIPTION = `Page size, 1–${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}); anything else is BAD_USER_INPUT.`;
export const AFTER_DESCRIPTION = 'Cursor to continue after: the endCursor of the previous page.';

/** Validates `first`; lists never return more than {@link MAX_PAGE_SIZE} rows. */
export function pageSize(first: number | null | undefined): number {
  if (first === null || first === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badUserInput(`"first" must be between 1 and ${MAX_PAGE_SIZE} (got ${first})`, [
      { field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` },
    ]);
  }
  return first;
}

/** Keyset cursors: opaque to clients, a JSON tuple of the sort key inside. */
export const encodeCursor = (key: (string | number)[]) => Buffer.from(JSON.stringify(['c', ...key])).toString('base64url');

export function decodeCursor(cursor: string | null | undefined, arity: number, field = 'after'): (string | number)[] | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed[0] === 'c' &&
      parsed.length === arity + 1 &&
      parsed.slice(1).every((p) => typeof p === 'string' || typeof p === 'number')
    ) {
      return parsed.slice(1) as (string | number)[];
    }
  } catch {
    // fall through to the error below
  }
  throw badUserInput(`"${field}" is not a cursor this API issued`, [{ field, message: 'malformed cursor' }]);
}

/**
 * `totalCount` counts at most this many rows: past it the answer is COUNT_CAP with
 * `totalCountCapped` true. It bounds what one count costs, whatever a filter matches.
 */
export const COUNT_CAP = 10_000;

@Directive('@shareable')
@ObjectType({
  description:
    'Where a page starts and ends. Lists page forward only: pass endCursor as `after` while hasNextPage is true. ' +
    'Cursors are opaque; keep them as strings.',
})
export class PageInfo {
  @Field({ description: 'true when rows come after this page: request them with `after: endCursor`.' })
  hasNextPage!: boolean;

  // A lazy value (see PageInfoValue): graphql-js calls a function-valued field only when selected.
  @Field({
    simple: true,
    description:
      'true when `after` was given and rows you may see come at or before it (the earlier pages); false on the first page. ' +
      'Costs one extra lookup, only when selected on a page requested with `after`.',
  })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: 'The cursor of the first edge; null when the page is empty.' })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: 'The cursor of the last edge, to pass as `after` for the next page; null when the page is empty.' })
  endCursor!: string | null;
}

/** A PageInfo as resolvers return it: `hasPreviousPage` may be computed only when selected. */
export interface PageInfoValue {
  hasNextPage: boolean;
  hasPreviousPage: boolean | (() => Promise<boolean>);
  startCursor: string | null;
  endCursor: string | null;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfoValue;
  /** Called by graphql-js only when `totalCount` is selected. */
  totalCount: () => Promise<number>;
  /** Called by graphql-js only when `totalCountCapped` is selected; shares the count with totalCount. */
  totalCountCapped: () => Promise<boolean>;
}

/**
 * What a page learns only when a client asks, so that a plain list costs one statement:
 * the total and whether rows precede it. Both must see exactly the rows the list sees
 * (the same visibility and filter, the cursor aside).
 */
export interface PageProbes {
  /** Rows matching the list's visibility and filter, `after` ignored, counted up to COUNT_CAP + 1. */
  count: () => Promise<number>;
  /** Whether such rows sort at or before the `after` cursor; undefined when no `after` was given. */
  before?: () => Promise<boolean>;
}

/** What runs the probes' statements: a DataSource or an EntityManager. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<Record<string, unknown>[]>;
}

/** A statement and its parameters, as a TypeORM query builder's getQueryAndParameters() returns them. */
export type SqlWithParams = [sql: string, params: unknown[]];

/** Marks the statements a connection issues only when asked, in query logs and in tests. */
export const COUNT_PROBE = '/* totalCount */ ';
export const BEFORE_PROBE = '/* hasPreviousPage */ ';

/** Counts a row set (`SELECT … FROM … WHERE …`, no ORDER BY or LIMIT) up to COUNT_CAP + 1 rows. */
export const cappedCount =
  (db: SqlRunner, [select, params]: SqlWithParams) =>
  async (): Promise<number> =>
    Number((await db.query(`${COUNT_PROBE}SELECT count(*)::int AS n FROM (${select} LIMIT ${COUNT_CAP + 1}) capped`, params))[0]?.n ?? 0);

/** Whether a row set (`SELECT … FROM … WHERE …`) has any row. */
export const anyRow =
  (db: SqlRunner, [select, params]: SqlWithParams) =>
  async (): Promise<boolean> =>
    (await db.query(`${BEFORE_PROBE}SELECT EXISTS (${select}) AS found`, params))[0]?.found === true;

/** The probes of a list whose rows are `SELECT 1 FROM … WHERE <visibility and filter>`, the cursor's complement given apart. */
export function sqlProbes(db: SqlRunner, filtered: SqlWithParams, before: SqlWithParams | undefined): PageProbes {
  return { count: cappedCount(db, filtered), before: before && anyRow(db, before) };
}

/**
 * The probes of a list built with a TypeORM query builder: `filtered` holds its visibility
 * and filter (no cursor, order or limit); `before`, when `after` was given, the condition
 * selecting the rows at or before the cursor.
 */
export function queryBuilderProbes<T extends ObjectLiteral>(
  db: SqlRunner,
  filtered: SelectQueryBuilder<T>,
  before: { where: string; params: ObjectLiteral } | undefined,
): PageProbes {
  const rowsOf = (qb: SelectQueryBuilder<T>) => qb.select('1').getQueryAndParameters() as SqlWithParams;
  return sqlProbes(db, rowsOf(filtered.clone()), before && rowsOf(filtered.clone().andWhere(before.where, before.params)));
}

const once = <T>(f: () => Promise<T>): (() => Promise<T>) => {
  let result: Promise<T> | undefined;
  return () => (result ??= f());
};

/** A Relay-style connection type for `node` named `${name}Connection`. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { description: `One ${name} of a page, with the cursor that points at it.` })
  class Edge {
    @Field({ description: 'Opaque; pass it as `after` to get the rows that follow this one.' })
    cursor!: string;

    @Field(() => node, { description: 'The row this edge points at.' })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} rows, in the order the field states.` })
  class ConnectionClass {
    @Field(() => [Edge], { description: 'The rows of this page, each with its cursor.' })
    edges!: Edge[];

    @Field(() => [node], { description: 'The nodes of `edges`, for clients that need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo, { description: 'Where this page starts and ends, and whether more rows follow.' })
    pageInfo!: PageInfo;

    // Lazy, like PageInfo.hasPreviousPage: the resolvers' Connection holds functions.
    @Field(() => Int, {
      simple: true,
      description:
        `All rows the field would list for you with these arguments, across every page (\`first\` and \`after\` ignored), counted up to ${COUNT_CAP.toLocaleString('en-US')}: ` +
        `a larger total reads ${COUNT_CAP.toLocaleString('en-US')} with totalCountCapped true. Counted (one statement) only when selected.`,
    })
    totalCount!: number;

    @Field({ simple: true, description: `true when more than ${COUNT_CAP.toLocaleString('en-US')} rows match, so that totalCount is a floor, not the total.` })
    totalCountCapped!: boolean;
  }
  return ConnectionClass;
}

/** Builds a connection from `limit + 1` fetched rows, the extra row telling whether more exist. */
export function toConnection<T>(rows: T[], limit: number, keyOf: (row: T) => (string | number)[], probes: PageProbes): Connection<T> {
  const page = rows.slice(0, limit);
  const edges = page.map((node) => ({ cursor: encodeCursor(keyOf(node)), node }));
  const count = once(probes.count);
  return {
    edges,
    nodes: page,
    pageInfo: {
      hasNextPage: rows.length > limit,
      hasPreviousPage: probes.before ? once(probes.before) : false,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
    totalCount: async () => Math.min(await count(), COUNT_CAP),
    totalCountCapped: async () => (await count()) > COUNT_CAP,
  };
}
