import { getDirective } from '@graphql-tools/utils';
import {
  getNamedType,
  isCompositeType,
  isListType,
  isNonNullType,
  type DocumentNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { getComplexity, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import { LRUCache } from 'lru-cache';
import { DEFAULT_PAGE_SIZE } from '../shared/graphql/pagination';

/**
 * Query cost, the way Shopify counts it, so partners can reason about it before sending:
 * - a scalar or enum field costs 0, an object field 1;
 * - a paginated field (it has a `first` argument) costs 2 + `first` × its selection
 *   (`first` omitted counts as the default page size);
 * - a plain list of objects costs 1 + {@link ASSUMED_LIST_SIZE} × its selection, except the
 *   `edges`/`nodes` of a connection, already multiplied by the connection's `first`;
 * - each mutation field costs 10 more;
 * - introspection (`__schema`, `__type`) costs 0: the gateway answers it from the schema it
 *   holds, and the introspection limits (limits.ts) bound its size.
 * - a field whose definition (or, failing that, its type) carries the federation
 *   `@cost(weight: n)` directive costs n in place of its 0, 1 or 2 above; what it selects
 *   still counts, multiplied as above. Subgraphs price what costs them less (or more) than
 *   these rules say: the change feed's page, for one.
 * The requested cost is computed before anything runs; the actual cost, from the response.
 */
export const ASSUMED_LIST_SIZE = 10;
export const MUTATION_COST = 10;

const unwrap = (t: GraphQLOutputType): GraphQLOutputType => (isNonNullType(t) ? t.ofType : t);

type AnyField = GraphQLField<unknown, unknown>;

// Per field object, so per schema: the runtime keeps one schema per supergraph.
const declaredWeights = new WeakMap<AnyField, number | null>();

/** `@cost(weight:)` on the field's definition, else on its named type, else null. */
function declaredWeight(schema: GraphQLSchema, field: AnyField): number | null {
  let weight = declaredWeights.get(field);
  if (weight === undefined) {
    const of = (node: AnyField | GraphQLNamedType) => {
      const w: unknown = getDirective(schema, node, 'cost')?.[0]?.weight;
      return typeof w === 'number' ? w : null;
    };
    weight = of(field) ?? of(getNamedType(field.type));
    declaredWeights.set(field, weight);
  }
  return weight;
}

function hubEstimator(schema: GraphQLSchema) {
  const mutationType = schema.getMutationType();
  return ({ type, field, args, childComplexity }: ComplexityEstimatorArgs): number => {
    if (field.name.startsWith('__')) return 0;
    const extra = mutationType && type === mutationType ? MUTATION_COST : 0;
    const own = declaredWeight(schema, field as AnyField);
    if (!isCompositeType(getNamedType(field.type))) return extra + (own ?? 0);
    if (field.args.some((a) => a.name === 'first')) {
      const first = typeof args.first === 'number' && args.first > 0 ? args.first : DEFAULT_PAGE_SIZE;
      return extra + (own ?? 2) + first * childComplexity;
    }
    if (isListType(unwrap(field.type)) && !type.name.endsWith('Connection')) return extra + (own ?? 1) + ASSUMED_LIST_SIZE * childComplexity;
    return extra + (own ?? 1) + childComplexity;
  };
}

/** The requested cost of the operation to run; throws on unknown operation names or bad variables. */
export function requestedCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined | null,
): number {
  return getComplexity({ schema, query: document, variables: variables ?? {}, operationName: operationName ?? undefined, estimators: [hubEstimator(schema)] });
}

/** What the response actually cost: 1 per object returned, 2 per connection, 10 per mutation field. */
export function actualCost(data: unknown, mutationFields = 0): number {
  if (!data || typeof data !== 'object') return 0;
  // The root object is the operation, not a returned object.
  let cost = mutationFields * MUTATION_COST;
  for (const key in data) cost += returnedCost((data as Record<string, unknown>)[key]);
  return cost;
}

// Runs over every response: loops rather than Object.values/reduce, which allocated an
// array and a closure per returned object (it showed in the gateway's CPU profile).
function returnedCost(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let cost = 0;
  if (Array.isArray(value)) {
    for (const item of value) cost += returnedCost(item);
    return cost;
  }
  const obj = value as Record<string, unknown>;
  cost = 'edges' in obj || 'pageInfo' in obj ? 2 : 1;
  for (const key in obj) cost += returnedCost(obj[key]);
  return cost;
}

/** What a bucket looks like to its partner: `extensions.cost.throttleStatus`. */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** Options for {@link CostBuckets}. */
export interface CostBucketsOptions {
  /** Points a partner can spend in a burst. */
  capacity: number;
  /** Points restored per second. */
  restoreRate: number;
  now?: () => number;
}

/**
 * One leaky bucket per partner: an operation takes its requested cost up front and is
 * refunded the difference once its actual cost is known. Each gateway decides from its own
 * copy (no round trip per request) and records what it charged; {@link CostBudgetSync}
 * settles that against the shared bucket every few hundred milliseconds and replaces the
 * copy with the shared level, so with N instances a partner still gets the configured rate
 * (a burst may overdraw by what N instances spend within one settlement interval; the
 * debt is then waited off).
 */
export class CostBuckets {
  private readonly buckets = new LRUCache<string, { available: number; at: number }>({ max: 100_000 });
  /** Net points charged per key since the last {@link takeCharges}. */
  private charges = new Map<string, number>();
  /** When this instance last served each key (a settlement's adopt() is not serving it). */
  private readonly served = new Map<string, number>();
  /** When each key was last settled with a zero (see {@link takeCharges}). */
  private readonly zeroed = new Map<string, number>();
  private readonly now: () => number;

  constructor(private readonly opts: CostBucketsOptions) {
    this.now = opts.now ?? Date.now;
  }

  private current(key: string) {
    const t = this.now();
    const b = this.buckets.get(key) ?? { available: this.opts.capacity, at: t };
    b.available = Math.min(this.opts.capacity, b.available + ((t - b.at) / 1000) * this.opts.restoreRate);
    b.at = t;
    this.buckets.set(key, b);
    return b;
  }

  /** Takes `cost` points, or says how many seconds until they are there. */
  take(key: string, cost: number): { ok: true; status: ThrottleStatus } | { ok: false; retryAfterSeconds: number; status: ThrottleStatus } {
    const b = this.current(key);
    if (b.available >= cost) {
      b.available -= cost;
      this.charge(key, cost);
      return { ok: true, status: this.status(b.available) };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - b.available) / this.opts.restoreRate)), status: this.status(b.available) };
  }

  /** Gives back points an operation did not use. */
  refund(key: string, points: number): ThrottleStatus {
    const b = this.current(key);
    const refunded = Math.max(0, points);
    b.available = Math.min(this.opts.capacity, b.available + refunded);
    this.charge(key, -refunded);
    return this.status(b.available);
  }

  get capacity(): number {
    return this.opts.capacity;
  }

  get restoreRate(): number {
    return this.opts.restoreRate;
  }

  private charge(key: string, points: number) {
    this.charges.set(key, (this.charges.get(key) ?? 0) + points);
    this.served.set(key, this.now());
  }

  /**
   * Hands over (and forgets) what was charged since the last call, for settlement, plus a
   * zero for every other partner this instance served lately (at most every `zeroEveryMs`
   * each): its next request then finds what other gateways spent meanwhile, not a stale
   * full bucket. A gateway with no traffic for `recentMs` hands over nothing.
   */
  takeCharges(recentMs = 60_000, zeroEveryMs = 5000): Map<string, number> {
    const taken = this.charges;
    this.charges = new Map();
    const since = this.now() - recentMs;
    // Keyed by serving, not by the bucket's last update: adopt() updates every settled bucket,
    // and an idle gateway would otherwise settle its zeros for ever.
    const now = this.now();
    for (const [key, at] of this.served) {
      if (at < since) {
        this.served.delete(key);
        this.zeroed.delete(key);
      } else if (!taken.has(key) && now - (this.zeroed.get(key) ?? -Infinity) >= zeroEveryMs) {
        taken.set(key, 0);
        this.zeroed.set(key, now);
      }
    }
    return taken;
  }

  /** Gives charges back for the next settlement (this one failed). */
  restoreCharges(charges: Map<string, number>): void {
    for (const [key, points] of charges) this.charge(key, points);
  }

  /**
   * Adopts the shared level a settlement returned, minus what this instance charged while
   * the settlement was under way (those points are in the next one).
   */
  adopt(key: string, sharedAvailable: number): void {
    const t = this.now();
    this.buckets.set(key, { available: Math.min(this.opts.capacity, sharedAvailable - (this.charges.get(key) ?? 0)), at: t });
  }

  private status(available: number): ThrottleStatus {
    return { maximumAvailable: this.opts.capacity, currentlyAvailable: Math.max(0, Math.floor(available)), restoreRate: this.opts.restoreRate };
  }
}
