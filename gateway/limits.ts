import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  Kind,
  MaxIntrospectionDepthRule,
  OperationTypeNode,
  specifiedRules,
  type DocumentNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { SecurityConfig } from '../shared/config';

type Limits = Pick<SecurityConfig, 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxBodyBytes' | 'maxBulkBodyBytes'>;

/**
 * Document limits from graphql-armor, applied at parse and validation: a hostile document
 * is refused before authentication, before any subgraph call, before any SQL.
 * Field repetition (`{ a a a ... }`) is bounded by the token limit.
 *
 * Introspection has limits of its own. The standard query every tool sends
 * (`getIntrospectionQuery()`: GraphiQL, graphql-codegen, Postman, Apollo) is 15 levels deep
 * with or without `inputValueDeprecation`/`oneOf`, because its `TypeRef` fragment unwraps
 * `ofType` nine times, so the depth limit skips `__schema` (armor's `ignoreIntrospection`).
 * What makes introspection expensive is nesting lists, `fields { type { fields ... } } }`:
 * graphql-js's own MaxIntrospectionDepthRule refuses a third nested `fields`, `interfaces`,
 * `possibleTypes` or `inputFields`, wherever fragments hide it. Aliases and tokens count
 * inside `__schema` like anywhere else. `__type(name:)` keeps the ordinary depth limit.
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
    maxDepthPlugin({ n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, ...limitOptions }) as GatewayPlugin,
    introspectionDepthPlugin(),
    maxAliasesPlugin({ n: limits.maxAliases, ...limitOptions }) as GatewayPlugin,
    maxDirectivesPlugin({ n: limits.maxDirectives, ...limitOptions }) as GatewayPlugin,
  ];
  // "Did you mean …?" would let anyone map a schema whose introspection is off.
  if (production) plugins.push(blockFieldSuggestionsPlugin() as GatewayPlugin);
  return plugins;
}

/** `extensions.code` of a document over the depth, alias, directive or introspection limit. */
export const LIMIT_EXCEEDED = 'QUERY_LIMIT_EXCEEDED';

/** `rule` with its errors reported under {@link LIMIT_EXCEEDED}. */
const asLimit =
  (rule: ValidationRule): ValidationRule =>
  (context) =>
    rule(
      Object.assign(Object.create(context) as ValidationContext, {
        reportError: (error: GraphQLError) =>
          context.reportError(new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: LIMIT_EXCEEDED } })),
      }),
    );
const introspectionDepthRule = asLimit(MaxIntrospectionDepthRule);

/**
 * graphql-js validates every document with MaxIntrospectionDepthRule (one of its specified
 * rules); this runs it as one of the hub's limits, coded like the others, in its place.
 */
function introspectionDepthPlugin(): GatewayPlugin {
  return {
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((schema, document, rules, ...rest) =>
        validateFn(
          schema,
          document,
          (rules ?? specifiedRules).map((rule: ValidationRule) => (rule === MaxIntrospectionDepthRule ? introspectionDepthRule : rule)),
          ...rest,
        ),
      );
    },
  };
}

const jsonError = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });

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
        return endResponse(
          jsonError(415, 'POST bodies must be application/json (GraphQL over HTTP)', 'UNSUPPORTED_MEDIA_TYPE', { accept: 'application/json' }),
        );
      }
      const length = request.headers.get('content-length');
      if (length === null) return endResponse(jsonError(411, 'Send a Content-Length header', 'LENGTH_REQUIRED'));
      if (!/^\d+$/.test(length) || Number(length) > limits.maxBulkBodyBytes) {
        return endResponse(
          jsonError(
            413,
            `Request body is larger than ${limits.maxBulkBodyBytes} bytes, the most even a bulk mutation (${bulkNames}) may send; split the batch`,
            'PAYLOAD_TOO_LARGE',
          ),
        );
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
        throw new GraphQLError(
          `Request body is larger than ${limits.maxBodyBytes} bytes; only a mutation of bulk fields alone (${bulkNames}) may send up to ${limits.maxBulkBodyBytes}; send anything else in its own, smaller request`,
          {
            extensions: { code: 'PAYLOAD_TOO_LARGE', http: { status: 413 } },
          },
        );
      };
    },
  };
}
