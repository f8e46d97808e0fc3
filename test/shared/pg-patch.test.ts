import * as pg from 'pg';

/** pg's Result (exported, not declared in @types/pg): what a query's rows are parsed with. */
interface PgResult {
  addFields(fields: { name: string; dataTypeID: number; format: string }[]): void;
  parseRow(values: (string | null)[]): Record<string, unknown>;
}
const { Query } = pg;
const { Result } = pg as unknown as { Result: new () => PgResult };

/**
 * patches/pg, two copies pg made for every statement, each a few percent of a busy
 * service's CPU under P6:
 * - its config object was copied through its property descriptors (pg 8.23 copies it so
 *   that normalizing does not mutate the caller's object). A plain object, which is what the
 *   hub passes (a named statement: name, text, values), is now copied with a spread;
 *   anything else still with its prototype and descriptors. The caller's object never changes.
 * - the empty row every result row is copied from was a null-prototype object (a
 *   dictionary to V8); it is a plain one now, built in column order, unless a column is
 *   named `__proto__`. Rows come out as before.
 */
describe('pg query config as patched', () => {
  afterEach(() => jest.restoreAllMocks());

  it('copies a plain config without reading its property descriptors, and leaves it unchanged', () => {
    const descriptors = jest.spyOn(Object, 'getOwnPropertyDescriptors');
    const config = { name: 'hub_statement', text: 'SELECT $1::int AS n', values: [1] };
    const query = new Query(config, [2]);
    expect(descriptors).not.toHaveBeenCalled();
    expect(query).toMatchObject({ name: 'hub_statement', text: 'SELECT $1::int AS n', values: [2] });
    expect(config).toEqual({ name: 'hub_statement', text: 'SELECT $1::int AS n', values: [1] });
  });

  it('still copies any other config with its prototype (inherited getters keep working)', () => {
    class Statement {
      get text() {
        return 'SELECT 1';
      }
    }
    const config = new Statement();
    const query = new Query(config as never, [3]);
    expect(query).toMatchObject({ text: 'SELECT 1', values: [3] });
    expect(Object.keys(config)).toEqual([]);
  });
});

describe('pg result rows as patched', () => {
  afterEach(() => jest.restoreAllMocks());

  const field = (name: string, dataTypeID: number) => ({ name, dataTypeID, format: 'text' });

  it('builds the empty row as a plain object, and rows as before', () => {
    const create = jest.spyOn(Object, 'create');
    const result = new Result();
    result.addFields([field('id', 23), field('name', 25), field('at', 1184), field('data', 3802), field('toString', 25)]);
    expect(create).not.toHaveBeenCalledWith(null);
    const row = result.parseRow(['7', 'Acme', '2026-12-08 01:02:03.456+00', '{"a":1}', null]);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(row).toEqual({ id: 7, name: 'Acme', at: new Date('2026-12-08T01:02:03.456Z'), data: { a: 1 }, toString: null });
    expect(Object.keys(row)).toEqual(['id', 'name', 'at', 'data', 'toString']);
  });

  it('keeps a column named __proto__ an own property, as unpatched pg does', () => {
    const result = new Result();
    result.addFields([field('id', 23), field('__proto__', 25)]);
    const row = result.parseRow(['1', 'x']);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.getOwnPropertyNames(row)).toEqual(['id', '__proto__']);
    expect(Object.getOwnPropertyDescriptor(row, '__proto__')?.value).toBe('x');
  });
});
