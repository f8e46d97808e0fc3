import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type BuildSchemaOptions } from 'type-graphql';
import { JSONScalar } from './json';
import { DecimalScalar } from './money';

/** Options for {@link buildHubSubgraphSchema}. */
export interface HubSubgraphSchemaOptions {
  /** type-graphql resolver classes of this subgraph. */
  resolvers: BuildSchemaOptions['resolvers'];
  /** Types no resolver reaches but the subgraph still declares (entity stubs, enums). */
  orphanedTypes?: BuildSchemaOptions['orphanedTypes'];
  /** `__resolveReference` and other resolvers merged over type-graphql's. */
  referenceResolvers?: Record<string, Record<string, unknown>>;
  /** Needed when the subgraph serves subscriptions. */
  pubSub?: BuildSchemaOptions['pubSub'];
}

const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag", "@cost"])`;

/**
 * The one way every subgraph builds its schema: type-graphql → printed SDL →
 * `buildSubgraphSchema`, with type-graphql's resolvers and the reference resolvers merged.
 */
export async function buildHubSubgraphSchema(options: HubSubgraphSchemaOptions): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    pubSub: options.pubSub,
    // class-validator rules on input classes; failures become BAD_USER_INPUT naming each field.
    validate: { forbidUnknownValues: false },
    skipCheck: true,
    emitSchemaFile: false,
  });
  const json = typeGraphqlSchema.getType(JSONScalar.name);
  if (json && json !== JSONScalar)
    throw new Error(`The ${JSONScalar.name} scalar must be JSONScalar from shared/graphql/json.ts, so that inline values parse like variables`);
  const decimal = typeGraphqlSchema.getType(DecimalScalar.name);
  if (decimal && decimal !== DecimalScalar)
    throw new Error(`The ${DecimalScalar.name} scalar must be DecimalScalar from shared/graphql/money.ts: one parse and one error for every amount`);
  const resolvers = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, fields] of Object.entries(options.referenceResolvers ?? {})) {
    resolvers[typeName] = { ...resolvers[typeName], ...fields };
  }
  const typeDefs = parse(`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphqlSchema)}`);
  return buildSubgraphSchema({ typeDefs, resolvers: resolvers as never });
}
