import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, unknown>;
}

/** POSTs one operation; `apiKey` becomes the Bearer token (omit it to call unauthenticated). */
export async function gql<T = Record<string, any>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  apiKey?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as GraphQLResponse<T>;
  return { ...body, status: res.status };
}

export const codes = (r: GraphQLResponse) => (r.errors ?? []).map((e) => e.extensions?.code);

/** The first error of a response that must have failed; fails the test when it has none. */
export function firstError<E>(r: { errors?: readonly E[] | null; data?: unknown }): E {
  const [error] = r.errors ?? [];
  if (error === undefined) throw new Error(`expected a GraphQL error, got data ${JSON.stringify(r.data)}`);
  return error;
}

/** A graphql-ws client; close it (or `await using`) in afterAll. */
export function wsClient(url: string, connectionParams: Record<string, unknown>, onClose?: (code: number, reason: string) => void): Client {
  return createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
    on: { closed: (e) => onClose?.((e as { code: number }).code, String((e as { reason?: string }).reason ?? '')) },
  });
}

/** Collects the events of one subscription; `next()` waits for the following one. */
export class Subscription<T = Record<string, any>> {
  readonly received: GraphQLResponse<T>[] = [];
  error: unknown;
  completed = false;
  private waiters: (() => void)[] = [];
  private readonly dispose: () => void;

  constructor(client: Client, query: string, variables: Record<string, unknown> = {}) {
    this.dispose = client.subscribe<T>(
      { query, variables },
      {
        next: (value) => {
          this.received.push(value as GraphQLResponse<T>);
          this.flush();
        },
        error: (err) => {
          this.error = err;
          this.flush();
        },
        complete: () => {
          this.completed = true;
          this.flush();
        },
      },
    );
  }

  private flush() {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }

  /** Resolves with the n-th event (1-based), or rejects after `timeoutMs`. */
  async waitFor(n: number, timeoutMs = 5000): Promise<GraphQLResponse<T>> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < n) {
      if (this.error) throw this.error instanceof Error ? this.error : new Error(JSON.stringify(this.error));
      if (this.completed) throw new Error(`subscription completed after ${this.received.length} events`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for event ${n}; got ${this.received.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    const event = this.received[n - 1];
    if (!event) throw new Error(`no event ${n}: waitFor counts from 1`);
    return event;
  }

  /** Gives the subscription time to register upstream before the test acts. */
  static settle(ms = 300) {
    return new Promise((r) => setTimeout(r, ms));
  }

  close() {
    this.dispose();
  }
}
