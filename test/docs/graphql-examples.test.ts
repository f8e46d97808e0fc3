import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { contractsDir } from '../../shared/paths';
import { documentationFiles, graphqlBlocks } from '../support/markdown-graphql';

/**
 * Every GraphQL operation the documentation shows is valid against the public schema, so a
 * partner who copies one into GraphiQL gets an answer, not a validation error, and a rename
 * in the schema cannot leave the docs behind. (Quote the schema itself in a ```graphql-sdl
 * block, not ```graphql.)
 */
describe('GraphQL in README.md and docs/', () => {
  const schema = buildSchema(readFileSync(join(contractsDir(), 'schema.graphql'), 'utf8'));
  const blocks = documentationFiles().flatMap(graphqlBlocks);

  it('finds the examples (the walkthrough has six steps)', () => {
    expect(blocks.filter((b) => b.file === 'README.md' && b.apiKey).map((b) => b.step)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it.each(blocks.map((b) => [`${b.file}:${b.line}`, b] as const))('%s is valid against contracts/schema.graphql', (_where, block) => {
    const document = parse(block.source);
    expect(document.definitions.map((d) => d.kind).filter((k) => k !== Kind.OPERATION_DEFINITION && k !== Kind.FRAGMENT_DEFINITION)).toEqual([]);
    expect(validate(schema, document).map((e) => e.message)).toEqual([]);
  });
});
