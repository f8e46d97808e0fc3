import type { DataSource } from 'typeorm';
import { createHubDataSource, openDataSource } from '../../shared/db/data-source';
import { MAX_PER_CONNECTION, SEEN_BEFORE_PREPARING } from '../../shared/db/prepared-statements';
import { createTestDatabase, type TestDatabase } from '../support/database';

/**
 * The statements a service repeats go out as named prepared statements of their connection
 * (shared/db/prepared-statements.ts): planned once per connection, not at every execution.
 * One-off statements, those without parameters and those shaped by a table's columns (`*`)
 * stay unnamed, and a connection holds a bounded number.
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

  it('leaves one-off, parameterless and table-shaped statements unnamed', async () => {
    const once = `SELECT $1::int AS once /* one-off */`;
    for (let i = 0; i < SEEN_BEFORE_PREPARING; i++) await db.query(once, [i]);
    const bare = `SELECT 2 AS bare /* no parameters */`;
    const shaped = `SELECT * FROM (SELECT $1::int AS a) t /* table-shaped */`;
    for (let i = 0; i < SEEN_BEFORE_PREPARING + 3; i++) {
      await db.query(bare);
      expect(await db.query(shaped, [i])).toEqual([{ a: i }]);
    }
    const texts = await preparedTexts();
    expect(texts.filter((s) => [once, bare, shaped].includes(s))).toEqual([]);
  });

  it(`holds at most ${MAX_PER_CONNECTION} per connection; past that, statements still run unnamed`, async () => {
    for (let n = 0; n < MAX_PER_CONNECTION + 10; n++) {
      const text = `SELECT $1::int - $1::int + ${n} AS n /* distinct */`;
      for (let i = 0; i <= SEEN_BEFORE_PREPARING; i++) expect(await db.query(text, [i])).toEqual([{ n }]);
    }
    expect((await preparedTexts()).length).toBe(MAX_PER_CONNECTION);
  });
});
