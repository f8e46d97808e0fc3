import { Query } from 'pg';

/**
 * patches/pg: every statement's config object was copied through its property descriptors
 * (pg 8.23 copies it so that normalizing does not mutate the caller's object), a few percent
 * of a busy service's CPU under P6. A plain object, which is what the hub passes (a named
 * statement: name, text, values), is now copied with a spread; anything else is still
 * copied with its prototype and descriptors. The caller's object is never changed.
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
