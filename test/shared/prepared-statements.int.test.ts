import type { DataSource } from 'typeorm';
import { createHubDataSource, openDataSource } from '../../shared/db/data-source';
import { MAX_PER_CONNECTION, planOnceArray, SEEN_BEFORE_PREPARING } from '../../shared/db/prepared-statements';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The statements a service repeats go out as named prepared statements of their connection
 * (shared/db/prepared-statements.ts): planned once per connection, not at every execution.
 * One-off statements, utility statements and those shaped by a table's columns (a select-list
 * `*`) stay unnamed, and a connection holds a bounded number.
 */
describe('prepared statements', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    // One connection: every statement below runs on the session whose statements are listed.
    db = await openDataSource(createHubDataSource({ url: database.url, schema: 'prepared_test', entities: [], migrations: [], poolSize: 1 }));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const preparedTexts = async (): Promise<string[]> =>
    ((await db.query(`SELECT statement FROM pg_prepared_statements WHERE NOT from_sql ORDER BY statement`)) as { statement: string }[]).map((r) => r.statement);

  it('prepares a parameterised statement once it repeats, and runs it with the same results', async () => {
    const text = `SELECT $1::int + 1 AS next /* repeated */`;
    const results: unknown[] = [];
    for (let i = 0; i < SEEN_BEFORE_PREPARING + 3; i++) results.push(await db.query(text, [i]));
    expect(results).toEqual(Array.from({ length: SEEN_BEFORE_PREPARING + 3 }, (_, i) => [{ next: i + 1 }]));
    expect((await preparedTexts()).filter((s) => s === text)).toHaveLength(1);
  });

  it('leaves one-off, utility and table-shaped statements unnamed', async () => {
    const once = `SELECT $1::int AS once /* one-off */`;
    for (let i = 0; i < SEEN_BEFORE_PREPARING; i++) await db.query(once, [i]);
    const utility = `SET application_name = 'prepared_test' /* utility */`;
    const shaped = [
      `SELECT * FROM (SELECT $1::int AS a) t /* table-shaped */`,
      `SELECT t.* FROM (SELECT $1::int AS a) t /* qualified star */`,
      `SELECT 1 AS one, * FROM (SELECT $1::int AS a) t /* star after a comma */`,
      `WITH t AS (SELECT $1::int AS a) SELECT (t).* FROM t /* row star */`,
    ];
    for (let i = 0; i < SEEN_BEFORE_PREPARING + 3; i++) {
      await db.query(utility);
      for (const text of shaped) expect(await db.query(text, [i])).toEqual([expect.objectContaining({ a: i })]);
    }
    const texts = await preparedTexts();
    expect(texts.filter((s) => [once, utility, ...shaped].includes(s))).toEqual([]);
  });

  it('prepares parameterless queries and statements whose `*` multiplies, counts or reads a set the text defines', async () => {
    const repeated = [
      `SELECT 2 AS bare /* no parameters */`,
      `/* background */ WITH x AS (SELECT 3 AS n) SELECT n FROM x /* no parameters, after a comment */`,
      `SELECT $1::int * 1000 AS ms, count(*) AS n FROM (SELECT 1) t /* multiplies and counts */`,
      `SELECT * FROM unnest($1::int[]) AS u(v) /* a set the text defines */`,
      `SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(v int) /* likewise */`,
    ];
    const params = [[], [], [7], [[7]], [JSON.stringify([{ v: 7 }])]];
    for (let i = 0; i < SEEN_BEFORE_PREPARING + 3; i++) {
      expect(await db.query(repeated[0]!)).toEqual([{ bare: 2 }]);
      expect(await db.query(repeated[1]!)).toEqual([{ n: 3 }]);
      expect(await db.query(repeated[2]!, params[2])).toEqual([{ ms: 7000, n: '1' }]);
      expect(await db.query(repeated[3]!, params[3])).toEqual([{ v: 7 }]);
      expect(await db.query(repeated[4]!, params[4])).toEqual([{ v: 7 }]);
    }
    expect((await preparedTexts()).filter((s) => repeated.includes(s)).sort()).toEqual([...repeated].sort());
  });

  it('plans a statement keyed by an array parameter once when the array is written with planOnceArray', async () => {
    const bare = `SELECT relname FROM pg_catalog.pg_class WHERE oid = ANY($1::oid[]) ORDER BY relname /* bare array */`;
    const once = `SELECT relname FROM pg_catalog.pg_class WHERE oid = ANY(${planOnceArray(1, 'oid[]')}) ORDER BY relname /* plan once */`;
    const batches: { oids: string[]; expected: { relname: string }[] }[] = [];
    for (const names of [['pg_class'], ['pg_proc', 'pg_type']]) {
      const [row] = (await db.query(`SELECT array_agg(to_regclass('pg_catalog.' || n)::oid) AS oids FROM unnest($1::text[]) AS n`, [names])) as {
        oids: string[];
      }[];
      batches.push({ oids: row!.oids, expected: names.map((relname) => ({ relname })) });
    }
    const runs = SEEN_BEFORE_PREPARING + 8;
    for (let i = 0; i < runs; i++) {
      const { oids, expected } = batches[i % 2]!;
      expect(await db.query(bare, [oids])).toEqual(expected);
      expect(await db.query(once, [oids])).toEqual(expected);
    }
    const plans = (await db.query(
      `SELECT statement, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE NOT from_sql`,
    )) as {
      statement: string;
      generic: number;
      custom: number;
    }[];
    const executed = runs - SEEN_BEFORE_PREPARING;
    // A bare array: a custom plan at every execution. Behind the sub-select: five custom plans, then the generic one.
    expect(plans.find((p) => p.statement === bare)).toEqual({ statement: bare, generic: 0, custom: executed });
    expect(plans.find((p) => p.statement === once)).toEqual({ statement: once, generic: executed - 5, custom: 5 });
    // The generic plan answers an empty or a NULL array as the bare one does (no row), and still looks the ids up in the index.
    for (const empty of [[], null]) expect(await db.query(once, [empty])).toEqual(await db.query(bare, [empty]));
    expect(await db.query(once, [[]])).toEqual([]);
    const plan = ((await db.query(`EXPLAIN (GENERIC_PLAN, COSTS OFF) ${once}`)) as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toMatch(/Index Cond: \(oid = ANY \(\(InitPlan 1\)\.col1\)\)/);
  });

  it(`holds at most ${MAX_PER_CONNECTION} per connection; past that, statements still run unnamed`, async () => {
    for (let n = 0; n < MAX_PER_CONNECTION + 10; n++) {
      const text = `SELECT $1::int - $1::int + ${n} AS n /* distinct */`;
      for (let i = 0; i <= SEEN_BEFORE_PREPARING; i++) expect(await db.query(text, [i])).toEqual([{ n }]);
    }
    expect((await preparedTexts()).length).toBe(MAX_PER_CONNECTION);
  });
});
