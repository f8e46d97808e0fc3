import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, Kind, OperationTypeNode, type DocumentNode, type ValidationContext } from 'graphql';
import type { SecurityConfig } from '../shared/config';

type Limits = Pick<SecurityConfig, 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxBodyBytes' | 'maxBulkBodyBytes'>;

/**
 * Document limits from graphql-armor, applied at parse and validation: a hostile document
 * is refused before authentication, before any subgraph call, before any SQL.
 * Field repetition (`{ a a a ... }`) is bounded by the token limit.
 */
export function armorPlugins(limits: Limits, production: boolean): GatewayPlugin[] {
  // Armor throws uncoded errors; report our own, coded, and let validation finish instead.
  const limitOptions = {
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, error: GraphQLError) =>
        ctx?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''), { extensions: { code: LIMIT_EXCEEDED } })),
    ],
  };
  const plugins: GatewayPlugin[] = [
    maxTokensPlugin({ n: limits.maxTokens }) as GatewayPlugin,
    // Introspection counts too: a circular `__schema { types { fields { type { ... } } } }` is deep.
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: false, flattenFragments: true, ...limitOptions }) as GatewayPlugin,
    maxAliasesPlugin({ n: limits.maxAliases, ...limitOptions }) as GatewayPlugin,
    maxDirectivesPlugin({ n: limits.maxDirectives, ...limitOptions }) as GatewayPlugin,
  ];
  // "Did you mean …?" would let anyone map a schema whose introspection is off.
  if (production) plugins.push(blockFieldSuggestionsPlugin() as GatewayPlugin);
  return plugins;
}

/** `extensions.code` of a document over the depth, alias or directive limit. */
export const LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED';

const jsonError = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/**
 * The mutations a body may be larger than HUB_MAX_BODY_BYTES for (up to
 * HUB_MAX_BULK_BODY_BYTES): those that promise a batch of rows in one call.
 */
export const BULK_MUTATIONS: ReadonlySet<string> = new Set(['upsertCustomers']);

/** True when the operation to run is a mutation whose every root field is a bulk mutation. */
export function isBulkOperation(document: DocumentNode, operationName?: string | null): boolean {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const op = operationName ? operations.find((o) => o.name?.value === operationName) : operations.length === 1 ? operations[0] : undefined;
  if (op?.operation !== OperationTypeNode.MUTATION) return false;
  return op.selectionSet.selections.every((s) => s.kind === Kind.FIELD && BULK_MUTATIONS.has(s.name.value));
}

/**
 * HTTP rules from the GraphQL-over-HTTP spec and CSRF hygiene, before the body is read:
 * a POST must be `application/json` (415 otherwise: forms and text/plain are what a
 * cross-site page can send without a preflight) and declare a length within the bulk limit
 * (411/413). A body over the normal limit is then refused once its document is parsed
 * (413, before authentication, cost or any subgraph call) unless it is a bulk mutation
 * ({@link BULK_MUTATIONS}): every other operation keeps the tight limit. Mutations over GET
 * are refused by the runtime itself (405).
 */
export function httpGuardPlugin(limits: Pick<Limits, 'maxBodyBytes' | 'maxBulkBodyBytes'>, graphqlPath: string): GatewayPlugin {
  // Requests admitted over the normal limit, to be checked once their document is parsed.
  const large = new WeakSet<Request>();
  const bulkNames = [...BULK_MUTATIONS].join(', ');
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlPath || request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'application/json') {
        return endResponse(jsonError(415, 'POST bodies must be application/json (GraphQL over HTTP)', 'UNSUPPORTED_MEDIA_TYPE', { accept: 'application/json' }));
      }
      const length = request.headers.get('content-length');
      if (length === null) return endResponse(jsonError(411, 'Send a Content-Length header', 'LENGTH_REQUIRED'));
      if (!/^\d+$/.test(length) || Number(length) > limits.maxBulkBodyBytes) {
        return endResponse(jsonError(413, `Request body is larger than ${limits.maxBulkBodyBytes} bytes, the most even a bulk mutation (${bulkNames}) may send; split the batch`, 'PAYLOAD_TOO_LARGE'));
      }
      if (Number(length) > limits.maxBodyBytes) large.add(request);
    },
    onParse({ context }) {
      const request = (context as { request?: Request }).request;
      if (!request || !large.has(request)) return;
      return ({ result }) => {
        if (result instanceof Error || !result) return;
        const operationName = (context as { params?: { operationName?: string | null } }).params?.operationName;
        if (isBulkOperation(result as DocumentNode, operationName)) return;
        // Thrown, as Yoga refuses a mutation over GET: a replaced parse result would be
        // reported as a syntax error, with the 200 GraphQL over HTTP gives those.
        throw new GraphQLError(`Request body is larger than ${limits.maxBodyBytes} bytes; only a mutation of bulk fields alone (${bulkNames}) may send up to ${limits.maxBulkBodyBytes}; send anything else in its own, smaller request`, {
          extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
        });
      };
    },
  };
}
