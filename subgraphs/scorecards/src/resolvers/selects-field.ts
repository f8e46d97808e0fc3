import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/**
 * Whether the operation asks for `name` directly on the object(s) this field returns, through
 * fragments and inline fragments alike. Lets a resolver skip work nobody asked for (the
 * scorecard's value figures cost two statements more); a directive that skips the field only
 * makes it computed for nothing.
 */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const seen = new Set<string>();
  const inSet = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === name;
      if (s.kind === Kind.INLINE_FRAGMENT) return inSet(s.selectionSet);
      const fragment = info.fragments[s.name.value];
      if (!fragment || seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      return inSet(fragment.selectionSet);
    });
  return info.fieldNodes.some((node) => inSet(node.selectionSet));
}
