import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { GraphQLError, Kind, OperationTypeNode, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { Identity } from '../shared/auth/identity';
import { actualCost, requestedCost, type CostBuckets, type ThrottleStatus } from './cost';

/** Options for {@link costPlugin}. */
export interface CostPluginOptions {
  /** Operations whose requested cost exceeds this are refused before they run. */
  maxQueryCost: number;
  buckets: CostBuckets;
}

/** `extensions.cost` on every response, as Shopify reports it. */
export interface CostExtension {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus?: ThrottleStatus;
}

const REQUESTED = Symbol('hubRequestedCost');
type CostContext = { hubIdentity?: Identity; [REQUESTED]?: number };

function operationOf(document: DocumentNode, operationName?: string | null) {
  const ops = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  return operationName ? ops.find((o) => o.name?.value === operationName) : ops.length === 1 ? ops[0] : undefined;
}

function computeCost(schema: GraphQLSchema, document: DocumentNode, variables: unknown, operationName: string | null | undefined): number | undefined {
  try {
    return requestedCost(schema, document, (variables as Record<string, unknown>) ?? {}, operationName);
  } catch {
    // Bad variables or operation name: execution reports them properly.
    return undefined;
  }
}

/**
 * Requested costs already computed, per schema and parsed document (the runtime's parser
 * cache hands out the same DocumentNode for the same query text) and per operation name and
 * variables: walking the document costs more than the rest of the plugin, and a partner's
 * traffic is the same few operations over and over.
 */
const MAX_CACHED_KEY = 2048;
const costs = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, LRUCache<string, { cost: number | undefined }>>>();

function safeCost(schema: GraphQLSchema, document: DocumentNode, variables: unknown, operationName: string | null | undefined): number | undefined {
  let bySchema = costs.get(schema);
  if (!bySchema) costs.set(schema, (bySchema = new WeakMap()));
  let byDocument = bySchema.get(document);
  if (!byDocument) bySchema.set(document, (byDocument = new LRUCache({ max: 256 })));
  const key = `${operationName ?? ''}\n${JSON.stringify(variables ?? {})}`;
  const hit = byDocument.get(key);
  if (hit) return hit.cost;
  const cost = computeCost(schema, document, variables, operationName);
  // Large inputs (bulk mutations) are not worth remembering.
  if (key.length <= MAX_CACHED_KEY) byDocument.set(key, { cost });
  return cost;
}

const tooCostly = (cost: number, max: number) =>
  new GraphQLError(`This operation would cost ${cost} points; the most one operation may cost is ${max}. Ask for fewer items (first) or fewer fields.`, {
    extensions: { code: 'MAX_COST_EXCEEDED', cost: { requestedQueryCost: cost, maximumQueryCost: max } },
  });

/**
 * Query cost at the gateway: refused at validation when one operation asks for too much
 * (before authentication, no subgraph call); otherwise charged to the partner's leaky
 * bucket before execution and refunded to the actual cost after, reported in
 * `extensions.cost`. An empty bucket answers RATE_LIMITED with `retryAfter` (seconds) and
 * HTTP 429 + Retry-After.
 */
export function costPlugin(opts: CostPluginOptions): GatewayPlugin {
  const charge = (args: ExecutionArgs): { error?: GraphQLError; requested: number; key?: string; status?: ThrottleStatus } => {
    const context = args.contextValue as CostContext;
    const requested = context[REQUESTED] ?? safeCost(args.schema, args.document, args.variableValues, args.operationName) ?? 0;
    if (requested > opts.maxQueryCost) return { error: tooCostly(requested, opts.maxQueryCost), requested };
    const identity = context.hubIdentity;
    const key = identity ? (identity.partnerId ?? identity.credentialId ?? identity.role) : undefined;
    if (!key) return { requested };
    const taken = opts.buckets.take(key, requested);
    if (taken.ok) return { requested, key, status: taken.status };
    const error = new GraphQLError(
      `Cost budget exhausted: this operation needs ${requested} points and ${taken.status.currentlyAvailable} are left; retry in ${taken.retryAfterSeconds} s`,
      {
        extensions: {
          code: 'RATE_LIMITED',
          retryAfter: taken.retryAfterSeconds,
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: taken.status },
          http: { status: 429, headers: { 'Retry-After': String(taken.retryAfterSeconds) } },
        },
      },
    );
    return { error, requested };
  };

  return {
    onValidate({ context, params, extendContext }) {
      const variables = (context as { params?: { variables?: unknown } }).params?.variables;
      return ({ valid, setResult }) => {
        if (!valid) return;
        const cost = safeCost(params.schema, params.documentAST, variables, (context as { params?: { operationName?: string } }).params?.operationName);
        if (cost === undefined) return;
        if (cost > opts.maxQueryCost) return setResult([tooCostly(cost, opts.maxQueryCost)]);
        extendContext({ [REQUESTED]: cost } as never);
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const { error, requested, key } = charge(args);
      if (error) return void setResultAndStopExecution({ errors: [error] });
      const op = operationOf(args.document, args.operationName);
      const mutationFields = op?.operation === OperationTypeNode.MUTATION ? op.selectionSet.selections.length : 0;
      return {
        onExecuteDone({ result, setResult }) {
          if (!('data' in result) && !('errors' in result)) return;
          const single = result as { data?: unknown; errors?: readonly GraphQLError[]; extensions?: Record<string, unknown> };
          const actual = Math.min(requested, actualCost(single.data, mutationFields));
          const cost: CostExtension = { requestedQueryCost: requested, actualQueryCost: actual };
          if (key) cost.throttleStatus = opts.buckets.refund(key, requested - actual);
          setResult({ ...single, extensions: { ...single.extensions, cost } } as never);
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      // A subscription is charged once, when it starts; its events are free.
      const { error } = charge(args);
      if (error) setResultAndStopExecution({ errors: [error] });
    },
  };
}
