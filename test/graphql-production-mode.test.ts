import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isObjectType } from 'graphql';

/** Every package.json named `graphql` under node_modules, at any depth. */
function graphqlCopies(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    if (entry === '.bin' || entry === '.cache') continue;
    const path = join(dir, entry);
    if (entry.startsWith('@')) {
      graphqlCopies(path, found);
      continue;
    }
    if (!statSync(path).isDirectory()) continue;
    if (entry === 'graphql') {
      const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (manifest.name === 'graphql') found.push(`${path}@${manifest.version}`);
    }
    const nested = join(path, 'node_modules');
    if (existsSync(nested)) graphqlCopies(nested, found);
  }
  return found;
}

describe('graphql-js in tests (test/support/graphql-production-mode.ts)', () => {
  it('runs its production instanceOf, as the hub in production does, while jest keeps NODE_ENV=test', () => {
    // The development instanceOf throws on an object that only looks like one of graphql's classes.
    const lookalike = { [Symbol.toStringTag]: 'GraphQLObjectType' };
    expect(isObjectType(lookalike)).toBe(false);
    expect(process.env.NODE_ENV).toBe('test');
  });

  it('has one copy of graphql to load, so the development check would have nothing to report', () => {
    expect(graphqlCopies(join(__dirname, '..', 'node_modules')).map((c) => c.replace(/^.*node_modules\//, ''))).toEqual([
      `graphql@${(JSON.parse(readFileSync(require.resolve('graphql/package.json'), 'utf8')) as { version: string }).version}`,
    ]);
  });
});
