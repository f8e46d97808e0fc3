import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { GraphQLError, MaxIntrospectionDepthRule, specifiedRules, type ValidationContext, type ValidationRule } from 'graphql';
import type { SecurityConfig } from '../shared/config';

type Limits = Pick<SecurityConfig, 'maxDepth' | 'maxAliases' | 'maxTokens' | 'maxDirectives' | 'maxBodyBytes'>;

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
        reportError: (error: GraphQLError) => context.reportError(new GraphQLError(error.message, { nodes: error.nodes, extensions: { code: LIMIT_EXCEEDED } })),
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
        validateFn(schema, document, (rules ?? specifiedRules).map((rule: ValidationRule) => (rule === MaxIntrospectionDepthRule ? introspectionDepthRule : rule)), ...rest),
      );
    },
  };
}

const jsonError = (status: number, message: string, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });

/**
 * HTTP rules from the GraphQL-over-HTTP spec and CSRF hygiene, before the body is read:
 * a POST must be `application/json` (415 otherwise: forms and text/plain are what a
 * cross-site page can send without a preflight) and declare a length within the limit
 * (411/413). Mutations over GET are refused by the runtime itself (405).
 */
export function httpGuardPlugin(limits: Pick<Limits, 'maxBodyBytes'>, graphqlPath: string): GatewayPlugin {
  return {
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== graphqlPath || request.method !== 'POST') return;
      const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
      if (type !== 'application/json') {
        return endResponse(jsonError(415, 'POST bodies must be application/json (GraphQL over HTTP)', 'UNSUPPORTED_MEDIA_TYPE', { accept: 'application/json' }));
      }
      const length = request.headers.get('content-length');
      if (length === null) return endResponse(jsonError(411, 'Send a Content-Length header', 'LENGTH_REQUIRED'));
      if (!/^\d+$/.test(length) || Number(length) > limits.maxBodyBytes) {
        return endResponse(jsonError(413, `Request body is larger than ${limits.maxBodyBytes} bytes`, 'PAYLOAD_TOO_LARGE'));
      }
    },
  };
}
