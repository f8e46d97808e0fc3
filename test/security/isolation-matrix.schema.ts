import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSubgraphSchema } from '@apollo/subgraph';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  parse,
  print,
  astFromValue,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * The isolation matrix's case generator: every root field and every `@key` entity of the
 * composed contracts (contracts/*.graphql, what `npm run compose` writes) becomes one or
 * more operations aimed at partner B's objects. Nothing here names a field of the hub:
 * a field added to a subgraph is in the contracts, hence in the matrix.
 */

const CONTRACTS = join(__dirname, '..', '..', 'contracts');

export interface SubgraphContract {
  name: string;
  schema: GraphQLSchema;
  /** Object types carrying `@key` in this subgraph: `_entities` accepts them. */
  entities: string[];
}

export interface Contracts {
  supergraph: GraphQLSchema;
  subgraphs: SubgraphContract[];
  /** Fields of an entity that another subgraph than its owner contributes, per entity type. */
  contributedFields: Record<string, string[]>;
}

/** The composed supergraph and each subgraph contract it names (join__Graph). */
export function loadContracts(dir = CONTRACTS): Contracts {
  const sdl = readFileSync(join(dir, 'supergraph.graphql'), 'utf8');
  const supergraph = buildSchema(sdl, { assumeValidSDL: true });
  const graphs = supergraph.getType('join__Graph');
  if (!isEnumType(graphs)) throw new Error('supergraph without join__Graph');
  const subgraphs = graphs.getValues().map((v) => {
    const nameArg = v.astNode?.directives?.find((d) => d.name.value === 'join__graph')?.arguments?.find((a) => a.name.value === 'name');
    const name = nameArg && nameArg.value.kind === 'StringValue' ? nameArg.value.value : v.name.toLowerCase();
    const doc = parse(readFileSync(join(dir, `${name}.graphql`), 'utf8'));
    const entities = doc.definitions.flatMap((d) =>
      (d.kind === 'ObjectTypeDefinition' || d.kind === 'ObjectTypeExtension') && d.directives?.some((x) => x.name.value === 'key') ? [d.name.value] : [],
    );
    return { name, schema: buildSubgraphSchema(doc), entities: [...new Set(entities)] };
  });
  return { supergraph, subgraphs, contributedFields: contributedFields(supergraph) };
}

/**
 * For each entity, the fields resolved by a subgraph other than the one that owns the
 * entity's own data (the graph of its first non-key field): e.g. Partner.inbox, which is
 * private to the partner even though the directory fields are public.
 */
function contributedFields(supergraph: GraphQLSchema): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const type of Object.values(supergraph.getTypeMap())) {
    if (!isObjectType(type) || !type.astNode?.directives?.some((d) => d.name.value === 'join__type' && d.arguments?.some((a) => a.name.value === 'key')))
      continue;
    const graphOf = (f: GraphQLField<unknown, unknown>) => {
      const arg = f.astNode?.directives?.find((d) => d.name.value === 'join__field')?.arguments?.find((a) => a.name.value === 'graph');
      return arg && arg.value.kind === 'EnumValue' ? arg.value.value : null;
    };
    const fields = Object.values(type.getFields());
    const owner = fields.map(graphOf).find((g) => g !== null);
    out[type.name] = fields.filter((f) => graphOf(f) !== null && graphOf(f) !== owner).map((f) => f.name);
  }
  return out;
}

/** What the cases aim at: partner B's objects, as B's own view of the hub listed them. */
export interface Targets {
  /** B's objects (not shared with A) by GraphQL type name. */
  ids: Record<string, string[]>;
  /** B's partner id: for every `partnerId`-like argument. */
  partnerId: string;
  /**
   * B's values of lookup keys, by argument / input field name (domain, system, externalId,
   * search). Same index = same record, so `system[i]` and `externalId[i]` belong together.
   */
  lookups: Record<string, string[]>;
  /** Where the caller's own webhooks may point (its test receiver). */
  ownUrl: string;
}

export type CaseKind = 'query' | 'mutation' | 'subscription' | 'entities';

export interface MatrixCase {
  kind: CaseKind;
  /** `Query.customer`, `accounts:_entities(Customer)`, ... */
  field: string;
  /** What this variant aims at, e.g. `id=<B's Customer>`. */
  label: string;
  query: string;
  variables: Record<string, unknown>;
  /** The variant names one of B's objects by id (so CONFLICT would reveal it). */
  targetsObject: boolean;
  /** The variant names something of B's (object, partner or lookup key): B itself would get B's data back. */
  aimsAtB: boolean;
}

/** How many of B's objects of one type a field is tried with. */
const PER_TYPE = 3;
/** Object levels selected below a root field. */
export const SELECTION_DEPTH = 3;

// Formats some String arguments must follow to get past input validation to the access check.
const STRING_BY_NAME: Record<string, string> = {
  period: 'LAST_90_DAYS',
  timeZone: 'UTC',
  acceptWithin: 'PT1H',
  completeWithin: 'PT8H',
  from: '09:00',
  to: '17:00',
  // Money inputs (recordRenewalOutcome, setExchangeRates): valid, so the probe meets the access check.
  currency: 'EUR',
  reportingCurrency: 'USD',
  day: '2026-11-02',
  effectiveDate: '2027-01-01',
};
const LOOKUP_KEYS = ['domain', 'system', 'externalId', 'search'];

/** Types with an `id: ID!` field: what an ID argument can name. */
function identifiableTypes(schema: GraphQLSchema): string[] {
  return Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__') && isNonNullType(t.getFields().id?.type) && getNamedType(t.getFields().id!.type).name === 'ID')
    .map((t) => t.name);
}

/**
 * The type an ID argument names, from its name and the field it belongs to: `partnerId` →
 * Partner, `deliveryId` → WebhookDelivery, `id` of `rotateApiKey` → ApiKey; `*` when unknown.
 */
export function idTypeFor(argName: string, field: { name: string; returnType: string }, types: string[]): string {
  if (/partnerids?$/i.test(argName)) return 'Partner';
  const byName = (stem: string) => {
    const exact = types.find((t) => t.toLowerCase() === stem.toLowerCase());
    if (exact) return exact;
    const suffix = types.filter((t) => t.toLowerCase().endsWith(stem.toLowerCase())).sort((a, b) => a.length - b.length);
    return suffix[0];
  };
  const m = /^(.+?)Ids?$/.exec(argName);
  if (m) return byName(m[1]!) ?? '*';
  if (argName === 'id' || argName === 'ids') {
    if (types.includes(field.returnType)) return field.returnType;
    const named = types.filter((t) => field.name.toLowerCase().includes(t.toLowerCase())).sort((a, b) => b.length - a.length);
    return named[0] ?? '*';
  }
  return '*';
}

interface Slot {
  path: (string | number)[];
  kind: 'id' | 'lookup' | 'enum';
  candidates: unknown[];
  required: boolean;
  /** Base values of the optional input objects on the path, to materialise them. */
  parents: { path: (string | number)[]; base: unknown }[];
  typeName?: string;
  /** The candidates are B's (not a stand-in id for a type B owns nothing of). */
  fromB: boolean;
}

interface Walk {
  targets: Targets;
  types: string[];
  field: { name: string; returnType: string };
  slots: Slot[];
  varyEnums: boolean;
}

/** A value of `type` that passes input validation; records the slots that can aim at B. */
function baseValue(
  type: GraphQLInputType,
  name: string,
  path: (string | number)[],
  required: boolean,
  parents: Slot['parents'],
  w: Walk,
  depth: number,
): unknown {
  const nullable = getNullableType(type) as GraphQLInputType;
  if (isListType(nullable)) {
    const inner = baseValue(nullable.ofType as GraphQLInputType, name, [...path, 0], required, parents, w, depth);
    return inner === undefined ? undefined : [inner];
  }
  const named = getNamedType(nullable) as GraphQLNamedType;
  if (isInputObjectType(named)) {
    if (depth > 3) return required ? {} : undefined;
    const obj: Record<string, unknown> = {};
    const nextParents = required ? parents : [...parents, { path, base: obj }];
    for (const f of Object.values(named.getFields()) as GraphQLInputField[]) {
      const fRequired = isNonNullType(f.type) && f.defaultValue === undefined;
      const v = baseValue(f.type, f.name, [...path, f.name], fRequired, nextParents, w, depth + 1);
      if (fRequired && v !== undefined) obj[f.name] = v;
    }
    return obj;
  }
  const slot = (kind: Slot['kind'], candidates: unknown[], typeName?: string, fromB = kind !== 'enum') => {
    if (candidates.length) w.slots.push({ path, kind, candidates, required, parents, typeName, fromB });
    return candidates[0];
  };
  if (isScalarType(named) && named.name === 'ID') {
    const t = idTypeFor(name, w.field, w.types);
    const ids =
      t === 'Partner' ? [w.targets.partnerId] : t === '*' ? Object.values(w.targets.ids).map((l) => l[0]) : (w.targets.ids[t] ?? []).slice(0, PER_TYPE);
    // A type B owns nothing of (playbooks, policies: public) still gets a probe: an unknown id.
    return ids.length ? slot('id', ids, t) : slot('id', [randomUUID()], t, false);
  }
  if (isEnumType(named)) {
    const values = named.getValues().map((v) => v.value);
    // One enum per mutation is varied (e.g. feedback's source): each value may take another path to the access check.
    if (w.varyEnums && required && !w.slots.some((s) => s.kind === 'enum')) slot('enum', values);
    return values[0];
  }
  if (named.name === 'String' && LOOKUP_KEYS.includes(name) && w.targets.lookups[name]?.length) {
    const v = slot('lookup', w.targets.lookups[name]);
    return required ? v : undefined;
  }
  if (!required) return undefined;
  switch (named.name) {
    case 'String':
      if (name === 'url') return w.targets.ownUrl;
      if (name === 'events') return '*';
      return STRING_BY_NAME[name] ?? 'isolation probe';
    case 'Int':
      return 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTimeISO':
      // A window (from, to) must run forward, and cover today so that it holds what B just did.
      if (name === 'from') return new Date(Date.now() - 180 * 86_400_000).toISOString();
      if (name === 'to') return new Date(Date.now() + 86_400_000).toISOString();
      return '2025-01-01T00:00:00.000Z';
    case 'JSON':
      return {};
    case 'Decimal':
      return '1';
    default:
      return 'isolation probe';
  }
}

function getPath(root: Record<string, unknown>, path: (string | number)[]): unknown {
  let cur: any = root;
  for (const key of path) {
    if (cur === undefined || cur === null) return undefined;
    cur = cur[key];
  }
  return cur;
}

/** Sets a value deep in `root`, creating the lists and objects on the way. */
function setPath(root: Record<string, unknown>, path: (string | number)[], value: unknown) {
  let cur: any = root;
  for (let i = 0; i < path.length - 1; i++) {
    if (cur[path[i]!] === undefined) cur[path[i]!] = typeof path[i + 1] === 'number' ? [] : {};
    cur = cur[path[i]!];
  }
  cur[path[path.length - 1]!] = value;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

interface Variant {
  label: string;
  values: Record<string, unknown>;
  targetsObject: boolean;
  aimsAtB: boolean;
}

/**
 * Argument sets for one field: the base (required arguments, each slot at its first
 * candidate), then one variant per further candidate of each slot, one slot at a time;
 * optional filters appear only in the variants that set one of their slots. Lookup slots
 * move together (same record).
 */
export function argumentVariants(
  field: GraphQLField<unknown, unknown>,
  targets: Targets,
  types: string[],
  opts: { varyEnums: boolean; withPage: boolean },
): Variant[] {
  const w: Walk = { targets, types, field: { name: field.name, returnType: getNamedType(field.type).name }, slots: [], varyEnums: opts.varyEnums };
  const base: Record<string, unknown> = {};
  for (const arg of field.args as GraphQLArgument[]) {
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    const v = baseValue(arg.type, arg.name, [arg.name], required, [], w, 0);
    if (required) {
      if (v === undefined) return [];
      base[arg.name] = v;
    }
  }
  if (opts.withPage && field.args.some((a) => a.name === 'first') && base.first === undefined) base.first = 50;
  const describe = (s: Slot, i: number) =>
    `${s.path.join('.')}=${s.kind === 'id' ? `B:${s.typeName}#${i}` : s.kind === 'lookup' ? `B:lookup#${i}` : String(s.candidates[i])}`;
  const requiredIdSlots = w.slots.filter((s) => s.required && s.kind === 'id');
  const baseTargets = requiredIdSlots.some((s) => s.typeName !== 'Partner');
  const baseAims = w.slots.some((s) => s.required && s.fromB);
  const variants: Variant[] = [
    {
      label:
        w.slots
          .filter((s) => s.required)
          .map((s) => describe(s, 0))
          .join(' ') || 'no arguments',
      values: base,
      targetsObject: baseTargets,
      aimsAtB: baseAims,
    },
  ];
  const apply = (values: Record<string, unknown>, s: Slot, i: number) => {
    // Optional input objects on the way are created with their required fields filled.
    for (const p of s.parents) if (getPath(values, p.path) === undefined) setPath(values, p.path, clone(p.base));
    setPath(values, s.path, s.candidates[i]);
  };
  for (const s of w.slots.filter((x) => x.kind !== 'lookup')) {
    for (let i = s.required ? 1 : 0; i < s.candidates.length; i++) {
      const values = clone(base);
      apply(values, s, i);
      variants.push({
        label: describe(s, i),
        values,
        targetsObject: s.kind === 'id' ? s.typeName !== 'Partner' || baseTargets : baseTargets,
        aimsAtB: s.fromB || baseAims,
      });
    }
  }
  const lookups = w.slots.filter((x) => x.kind === 'lookup');
  const rows = Math.max(0, ...lookups.map((s) => s.candidates.length));
  for (let i = lookups.every((s) => s.required) ? 1 : 0; i < Math.min(rows, PER_TYPE + 1); i++) {
    const values = clone(base);
    for (const s of lookups) apply(values, s, i % s.candidates.length);
    variants.push({ label: lookups.map((s) => describe(s, i % s.candidates.length)).join(' '), values, targetsObject: baseTargets, aimsAtB: true });
  }
  return variants;
}

/**
 * Every scalar and enum field (and `__typename`), recursing into object fields `depth`
 * levels. A connection's `edges` is skipped when it has `nodes` (same objects, twice the
 * size). Fields with required arguments get them inline.
 */
export function selectionOf(
  schema: GraphQLSchema,
  typeName: string,
  depth: number,
  targets: Targets,
  types: string[],
  cache: Map<string, string> = new Map(),
): string {
  // One generation run (one schema, one set of targets) builds each type's selection once:
  // root fields and entities return the same few types, and the walk is most of its time.
  const key = `${typeName}@${depth}`;
  const built = cache.get(key);
  if (built !== undefined) return built;
  const selection = buildSelection(schema, typeName, depth, targets, types, cache);
  cache.set(key, selection);
  return selection;
}

function buildSelection(schema: GraphQLSchema, typeName: string, depth: number, targets: Targets, types: string[], cache: Map<string, string>): string {
  const type = schema.getType(typeName);
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = isUnionType(type) ? type.getTypes() : schema.getPossibleTypes(type);
    return `{ __typename ${members.map((m) => `... on ${m.name} ${selectionOf(schema, m.name, depth, targets, types, cache)}`).join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields());
  const hasNodes = fields.some((f) => f.name === 'nodes');
  const parts = ['__typename'];
  for (const f of fields) {
    if (f.name === 'edges' && hasNodes) continue;
    const named = getNamedType(f.type);
    let args = '';
    const required = f.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
    if (required.length) {
      const w: Walk = { targets, types, field: { name: f.name, returnType: named.name }, slots: [], varyEnums: false };
      const printed = required.map((a) => {
        const v = baseValue(a.type, a.name, [a.name], true, [], w, 0);
        const ast = astFromValue(v, a.type);
        return ast ? `${a.name}: ${print(ast)}` : null;
      });
      if (printed.some((p) => p === null)) continue;
      args = `(${printed.join(', ')})`;
    }
    if (isLeafType(named)) parts.push(`${f.name}${args}`);
    else if (depth > 0) parts.push(`${f.name}${args} ${selectionOf(schema, named.name, depth - 1, targets, types, cache)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function operation(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  values: Record<string, unknown>,
  selection: string,
): string {
  const used = field.args.filter((a) => values[a.name] !== undefined);
  const defs = used.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const args = used.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind} Isolation${defs ? `(${defs})` : ''} { ${field.name}${args ? `(${args})` : ''} ${selection} }`;
}

/** One case per argument variant of every root field of `kind` in the supergraph. */
export function rootCases(contracts: Contracts, kind: 'query' | 'mutation' | 'subscription', targets: Targets): MatrixCase[] {
  const schema = contracts.supergraph;
  const root = kind === 'query' ? schema.getQueryType() : kind === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return [];
  const types = identifiableTypes(schema);
  const selections = new Map<string, string>();
  const cases: MatrixCase[] = [];
  for (const field of Object.values(root.getFields())) {
    const named = getNamedType(field.type);
    const selection = isLeafType(named) ? '' : selectionOf(schema, named.name, SELECTION_DEPTH, targets, types, selections);
    for (const v of argumentVariants(field, targets, types, { varyEnums: kind === 'mutation', withPage: true })) {
      cases.push({
        kind,
        field: `${root.name}.${field.name}`,
        label: v.label,
        query: operation(kind, field, v.values, selection),
        variables: v.values,
        targetsObject: v.targetsObject,
        aimsAtB: v.aimsAtB,
      });
    }
  }
  return cases;
}

/** The root fields of `kind`, named as cases name them: what the matrix must cover. */
export function rootFieldNames(contracts: Contracts, kind: 'query' | 'mutation' | 'subscription'): string[] {
  const s = contracts.supergraph;
  const root = kind === 'query' ? s.getQueryType() : kind === 'mutation' ? s.getMutationType() : s.getSubscriptionType();
  return root ? Object.keys(root.getFields()).map((f) => `${root.name}.${f}`) : [];
}

/**
 * `_entities` on each subgraph, per `@key` type, with B's objects of that type as
 * representations (B's partner for Partner; an unknown id for types B owns nothing of).
 */
export function entityCases(contracts: Contracts, targets: Targets): (MatrixCase & { subgraph: string })[] {
  const cases: (MatrixCase & { subgraph: string })[] = [];
  for (const sg of contracts.subgraphs) {
    const types = identifiableTypes(sg.schema);
    const selections = new Map<string, string>();
    for (const entity of sg.entities) {
      const ids = entity === 'Partner' ? [targets.partnerId] : (targets.ids[entity] ?? []).slice(0, PER_TYPE * 2);
      const representations = (ids.length ? ids : [randomUUID()]).map((id) => ({ __typename: entity, id }));
      const selection = selectionOf(sg.schema, entity, SELECTION_DEPTH, targets, types, selections);
      cases.push({
        kind: 'entities',
        subgraph: sg.name,
        field: `${sg.name}:_entities(${entity})`,
        label: ids.length ? `${ids.length} of B's ${entity}` : `unknown ${entity} (B owns none)`,
        query: `query Isolation($r: [_Any!]!) { _entities(representations: $r) { __typename ... on ${entity} ${selection} } }`,
        variables: { r: representations },
        targetsObject: entity !== 'Partner',
        // A partner's directory entry is public: only fields contributed by other subgraphs are B's.
        aimsAtB:
          ids.length > 0 &&
          (entity !== 'Partner' ||
            (contracts.contributedFields.Partner ?? []).some(
              (f) => sg.schema.getType('Partner') && f in (sg.schema.getType('Partner') as GraphQLObjectType).getFields(),
            )),
      });
    }
  }
  return cases;
}

export const entityFieldNames = (contracts: Contracts) => contracts.subgraphs.flatMap((sg) => sg.entities.map((e) => `${sg.name}:_entities(${e})`));
