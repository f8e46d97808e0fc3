import { CriticalityLevel, diff, type Change } from '@graphql-inspector/core';
import { buildSchema, getNamedType, isEnumType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';

/** A change to the public schema that breaks a partner's existing operations. */
export interface BreakingChange {
  /** The schema coordinate, e.g. `Customer.name` or `Query.customers.first`. */
  path: string;
  message: string;
}

const isDeprecated = (element: { deprecationReason?: string | null } | undefined) => typeof element?.deprecationReason === 'string';

/**
 * Whether the baseline had deprecated the element at `path` (a field, argument, input
 * field or enum value) or the field an argument belongs to: partners were told to move off
 * it, so removing or retyping it is allowed.
 */
function deprecatedInBaseline(baseline: GraphQLSchema, path: string): boolean {
  const [typeName, member, argName] = path.split('.');
  const type = typeName ? baseline.getType(typeName) : undefined;
  if (!type || member === undefined) return false;
  if (isObjectType(type) || isInterfaceType(type)) {
    const field = type.getFields()[member];
    if (isDeprecated(field)) return true;
    return argName !== undefined && isDeprecated(field?.args.find((a) => a.name === argName));
  }
  if (isInputObjectType(type)) return isDeprecated(type.getFields()[member]);
  if (isEnumType(type)) return isDeprecated(type.getValue(member) ?? undefined);
  return false;
}

/** A type may go once everything that referred to it in the baseline was deprecated (or nothing did). */
function onlyDeprecatedReferences(baseline: GraphQLSchema, typeName: string): boolean {
  for (const type of Object.values(baseline.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name === typeName && !isDeprecated(field)) return false;
        if (!isDeprecated(field) && field.args.some((a) => getNamedType(a.type).name === typeName && !isDeprecated(a))) return false;
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (getNamedType(field.type).name === typeName && !isDeprecated(field)) return false;
    }
  }
  return true;
}

function forgiven(baseline: GraphQLSchema, change: Change): boolean {
  if (!change.path) return false;
  if (change.type === 'TYPE_REMOVED') return onlyDeprecatedReferences(baseline, change.path);
  return deprecatedInBaseline(baseline, change.path);
}

/**
 * The changes from the released baseline to the current public schema that break partners:
 * graphql-inspector's breaking changes (a field, argument, input field or enum value removed
 * or retyped; a required argument or input field added; ...), except those on elements the
 * baseline had already marked `@deprecated`. Dangerous and safe changes are not returned.
 */
export async function breakingChanges(baselineSdl: string, currentSdl: string): Promise<BreakingChange[]> {
  const baseline = buildSchema(baselineSdl);
  const changes = await diff(baseline, buildSchema(currentSdl));
  return changes
    .filter((c) => c.criticality.level === CriticalityLevel.Breaking && !forgiven(baseline, c))
    .map((c) => ({ path: c.path ?? '(schema)', message: c.message }));
}
