import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isScalarType,
  isSpecifiedScalarType,
  isUnionType,
  type GraphQLNamedType,
} from 'graphql';

/** What a schema element is, as the coverage counts it. */
export type DescribedKind = 'type' | 'field' | 'argument' | 'inputField' | 'enumValue';

/** How many elements of each kind a schema has, how many carry a description, and which do not. */
export interface DescriptionCoverage {
  byKind: Record<DescribedKind, { total: number; described: number }>;
  total: number;
  described: number;
  /** Coordinates of the undescribed elements, e.g. `Customer.name`, `Query.customers(first:)`, `Region.EMEA`. */
  missing: string[];
}

const described = (text: string | null | undefined) => typeof text === 'string' && text.trim().length > 0;

/**
 * Counts every type (object, input, enum, interface, union, scalar), field, argument,
 * input field and enum value of a schema's SDL, built-in scalars and introspection types
 * excepted, and says which have no description.
 */
export function descriptionCoverage(sdl: string): DescriptionCoverage {
  const schema = buildSchema(sdl);
  const byKind: DescriptionCoverage['byKind'] = {
    type: { total: 0, described: 0 },
    field: { total: 0, described: 0 },
    argument: { total: 0, described: 0 },
    inputField: { total: 0, described: 0 },
    enumValue: { total: 0, described: 0 },
  };
  const missing: string[] = [];
  const count = (kind: DescribedKind, coordinate: string, description: string | null | undefined) => {
    byKind[kind].total++;
    if (described(description)) byKind[kind].described++;
    else missing.push(coordinate);
  };
  const types = Object.values(schema.getTypeMap()).filter((t: GraphQLNamedType) => !isIntrospectionType(t) && !isSpecifiedScalarType(t));
  for (const type of types) {
    // The root operation types are containers; their fields carry the meaning.
    const isRoot = type === schema.getQueryType() || type === schema.getMutationType() || type === schema.getSubscriptionType();
    if (!isRoot) count('type', type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        count('field', `${type.name}.${field.name}`, field.description);
        for (const arg of field.args) count('argument', `${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) count('inputField', `${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) count('enumValue', `${type.name}.${value.name}`, value.description);
    } else if (!isUnionType(type) && !isScalarType(type)) {
      throw new Error(`descriptionCoverage does not know the kind of ${String(type)}`);
    }
  }
  const kinds = Object.values(byKind);
  return { byKind, total: kinds.reduce((n, k) => n + k.total, 0), described: kinds.reduce((n, k) => n + k.described, 0), missing };
}
