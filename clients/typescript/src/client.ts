import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import { createClient, type Client as WsClient } from 'graphql-ws/client';
import { HubError } from './errors';

export interface HubClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`; subscriptions use the same path over WebSocket. */
  url: string;
  /** An API key, sent as `Authorization: Bearer <key>`. */
  apiKey?: string;
  /** Or a bearer token (a JWT) asked for before every request and every WebSocket connection. */
  getToken?: () => string | Promise<string>;
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** A WebSocket implementation for `subscribe` (Node 20 has none built in: pass `ws`'s default export). */
  webSocketImpl?: unknown;
  /** How often a RATE_LIMITED request is retried after waiting its `retryAfter` (default 3; 0 = never). */
  maxRetries?: number;
  /** A RATE_LIMITED answer asking for a longer wait than this (seconds, default 60) is thrown at once. */
  maxRetryAfterSeconds?: number;
}

/** Variables may be left out when the operation has none, or none that are required. */
// `{} extends V`: V has no required key (an object type with only optional ones, or an empty one).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{}` here is the empty object, tested for assignability, not used as a type
export type VariablesArgument<V> = V extends Record<string, never> ? [variables?: V] : {} extends V ? [variables?: V] : [variables: V];

/** The events of one subscription; `return()` (or leaving a `for await` loop) ends it. */
export interface HubSubscription<T> extends AsyncIterableIterator<T> {
  return(): Promise<IteratorResult<T>>;
}

export interface HubClient {
  /** Runs a query or mutation; throws a HubError when the answer carries any error. */
  request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...variables: VariablesArgument<TVariables>): Promise<TResult>;
  /** Subscribes over graphql-ws; each event's data, or a HubError when the hub ends it with errors. */
  subscribe<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...variables: VariablesArgument<TVariables>): HubSubscription<TResult>;
  /** Closes the WebSocket connection, if one was opened. */
  close(): Promise<void>;
}

interface Prepared {
  query: string;
  operationName?: string;
  /** The operation takes an idempotencyKey (createCustomer, proposeHandoff, ...). */
  idempotent: boolean;
}

const prepared = new WeakMap<DocumentNode, Prepared>();

function prepare(document: DocumentNode): Prepared {
  let p = prepared.get(document);
  if (!p) {
    const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
    p = {
      query: print(document),
      operationName: operation?.name?.value,
      idempotent: !!operation?.variableDefinitions?.some((v) => v.variable.name.value === 'idempotencyKey'),
    };
    prepared.set(document, p);
  }
  return p;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface GraphQLAnswer {
  data?: unknown;
  errors?: GraphQLFormattedError[];
}

/**
 * A small client for the hub's typed documents (`./generated/graphql`): API key or token
 * auth, errors as HubError with the hub's `extensions.code`, RATE_LIMITED retried after its
 * `retryAfter` (a bounded number of times), an idempotency key on every operation that takes
 * one (the same key on each retry, so a retried write happens once), and subscriptions over
 * graphql-ws on the same endpoint.
 */
export function createHubClient(options: HubClientOptions): HubClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryAfter = options.maxRetryAfterSeconds ?? 60;
  if (!options.apiKey && !options.getToken) throw new Error('createHubClient needs an apiKey or a getToken function');

  const token = async () => (options.getToken ? await options.getToken() : options.apiKey!);

  async function send(p: Prepared, variables: Record<string, unknown>): Promise<unknown> {
    const body = JSON.stringify({ query: p.query, variables, operationName: p.operationName });
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      let answer: GraphQLAnswer | undefined;
      try {
        res = await fetchImpl(options.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            authorization: `Bearer ${await token()}`,
          },
          body,
        });
        const text = await res.text();
        try {
          answer = JSON.parse(text) as GraphQLAnswer;
        } catch {
          answer = undefined;
        }
      } catch (err) {
        throw new HubError(`No answer from ${options.url}: ${(err as Error).message}`, 'NETWORK_ERROR', { code: 'NETWORK_ERROR' }, [], undefined, undefined, {
          cause: err,
        });
      }
      if (!answer || typeof answer !== 'object' || (!answer.errors?.length && !('data' in answer))) {
        throw new HubError(`HTTP ${res.status} from ${options.url} without a GraphQL answer`, 'HTTP_ERROR', { code: 'HTTP_ERROR' }, [], res.status);
      }
      if (!answer.errors?.length) return answer.data;
      const error = HubError.fromResponse(answer.errors, res.status, answer.data ?? null, res.headers.get('retry-after'));
      const wait = error.retryAfter;
      if (error.is('RATE_LIMITED') && wait !== undefined && wait <= maxRetryAfter && attempt < maxRetries) {
        await sleep(wait * 1000);
        continue;
      }
      throw error;
    }
  }

  let ws: WsClient | undefined;
  const socket = () =>
    (ws ??= createClient({
      url: options.url.replace(/^http/, 'ws'),
      webSocketImpl: options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket,
      connectionParams: async () => ({ authorization: `Bearer ${await token()}` }),
      lazy: true,
      // Reconnect when the connection drops (1001 when an instance shuts down), never after
      // 4403: the hub closes with it when the key was revoked, and a reconnect with that key
      // would only end in a 4401 that no longer says why.
      shouldRetry: (event) => typeof (event as { code?: unknown })?.code === 'number' && (event as { code: number }).code !== 4403,
    }));

  const withKey = (p: Prepared, variables: Record<string, unknown> | undefined) =>
    p.idempotent && variables?.idempotencyKey == null ? { ...variables, idempotencyKey: globalThis.crypto.randomUUID() } : (variables ?? {});

  return {
    async request<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...[variables]: VariablesArgument<TVariables>): Promise<TResult> {
      const p = prepare(document);
      return (await send(p, withKey(p, variables as Record<string, unknown> | undefined))) as TResult;
    },

    subscribe<TResult, TVariables>(document: TypedDocumentNode<TResult, TVariables>, ...[variables]: VariablesArgument<TVariables>): HubSubscription<TResult> {
      const p = prepare(document);
      const events = socket().iterate<TResult>({ query: p.query, operationName: p.operationName, variables: (variables ?? {}) as Record<string, unknown> });
      const next = async (): Promise<IteratorResult<TResult>> => {
        let result: IteratorResult<{ data?: TResult | null; errors?: readonly GraphQLFormattedError[] }>;
        try {
          result = await events.next();
        } catch (err) {
          throw asHubError(err);
        }
        if (result.done) return { done: true, value: undefined };
        if (result.value.errors?.length) throw HubError.fromResponse(result.value.errors, 200, result.value.data ?? null, null);
        return { done: false, value: result.value.data as TResult };
      };
      const iterator: HubSubscription<TResult> = {
        next,
        return: async () => {
          await events.return?.();
          return { done: true, value: undefined };
        },
        [Symbol.asyncIterator]: () => iterator,
      };
      return iterator;
    },

    async close() {
      await ws?.dispose();
      ws = undefined;
    },
  };
}

/** graphql-ws rejects with the GraphQL errors of a refused subscription, or with a CloseEvent. */
function asHubError(err: unknown): HubError {
  if (err instanceof HubError) return err;
  if (Array.isArray(err) && err.length) return HubError.fromResponse(err as GraphQLFormattedError[], 200, null, null);
  const close = err as { code?: unknown; reason?: unknown };
  if (typeof close?.code === 'number') {
    // The gateway's close codes: 4401 missing, unknown or expired credentials; 4403 a revoked key.
    const code = close.code === 4401 ? 'UNAUTHENTICATED' : close.code === 4403 ? 'FORBIDDEN' : 'NETWORK_ERROR';
    return new HubError(`WebSocket closed (${close.code}${close.reason ? `: ${String(close.reason)}` : ''})`, code, { code, closeCode: close.code }, []);
  }
  return new HubError(err instanceof Error ? err.message : String(err), 'NETWORK_ERROR', { code: 'NETWORK_ERROR' }, [], undefined, undefined, { cause: err });
}
