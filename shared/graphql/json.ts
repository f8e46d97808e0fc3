import { GraphQLScalarType } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';

/**
 * A value as JSON.parse gives it: plain objects (own, enumerable properties, `__proto__`
 * included as data) and arrays, all the way down.
 */
function asParsedJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asParsedJson);
  if (value === null || typeof value !== 'object') return value;
  const plain: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    Object.defineProperty(plain, key, { value: asParsedJson(item), enumerable: true, writable: true, configurable: true });
  }
  return plain;
}

/**
 * The hub's `JSON` scalar: graphql-scalars' GraphQLJSON, except that an object written
 * inline in the document becomes the same plain object as the same value sent in
 * variables. graphql-scalars builds literals with `Object.create(null)`, and class-
 * validator (which type-graphql runs on every object argument) throws on an object without
 * a prototype, so `deliverables: { ... }` inline failed where `$deliverables` worked.
 * Every subgraph uses this one (buildHubSubgraphSchema refuses any other `JSON`).
 */
export const JSONScalar = new GraphQLScalarType({
  ...GraphQLJSON.toConfig(),
  parseLiteral: (ast, variables) => asParsedJson(GraphQLJSON.parseLiteral(ast, variables)),
});
