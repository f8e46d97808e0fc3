import type { GraphQLFormattedError } from 'graphql';

/**
 * The hub's stable `extensions.code` values (see the README's "Rules of the API"), plus the
 * two this client adds for failures that never produced a GraphQL answer. New codes may
 * appear; `code` is typed so that an unknown one still compiles.
 */
export type HubErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'MAX_COST_EXCEEDED'
  | 'QUERY_LIMIT_EXCEEDED'
  | 'SERVICE_UNAVAILABLE'
  | 'GATEWAY_TIMEOUT'
  | 'INTERNAL_SERVER_ERROR'
  | 'GRAPHQL_VALIDATION_FAILED'
  | 'GRAPHQL_PARSE_FAILED'
  /** The gateway answered with a status and no GraphQL body (a proxy in between, for instance). */
  | 'HTTP_ERROR'
  /** No answer at all: the request never reached the gateway, or the connection broke. */
  | 'NETWORK_ERROR';

/** What the hub puts beside some codes. */
export interface HubErrorExtensionsByCode {
  /** Each bad input field, e.g. `{ field: 'input.data.leadScore', message: 'is required' }`. */
  BAD_USER_INPUT: { fields?: { field: string; message: string }[] };
  /** `currentVersion` when an expectedVersion was stale; `openHandoffId` when a customer already has one. */
  CONFLICT: { currentVersion?: number; openHandoffId?: string };
  /** Seconds until the partner's cost budget covers the operation again. */
  RATE_LIMITED: { retryAfter?: number };
  NOT_FOUND: { id?: string };
}

export type HubErrorExtensions<C extends string> = { code: C; [key: string]: unknown } & (C extends keyof HubErrorExtensionsByCode
  ? HubErrorExtensionsByCode[C]
  : unknown);

/**
 * A request the hub refused, or that got no answer. `code` is the first error's
 * `extensions.code`; every error of the answer is in `errors`, and any partial data the
 * answer carried in `data`. Narrow with `is()`:
 *
 *   if (err instanceof HubError && err.is('CONFLICT')) retryFrom(err.extensions.currentVersion);
 */
export class HubError<C extends string = HubErrorCode | (string & {})> extends Error {
  override readonly name = 'HubError';

  constructor(
    message: string,
    readonly code: C,
    readonly extensions: HubErrorExtensions<C>,
    readonly errors: readonly GraphQLFormattedError[] = [],
    /** The HTTP status of the answer, when there was one. */
    readonly status?: number,
    readonly data?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** From a GraphQL answer that carries errors. */
  static fromResponse(errors: readonly GraphQLFormattedError[], status: number, data: unknown, retryAfterHeader: string | null): HubError {
    const first = errors[0];
    const extensions = { ...(first?.extensions ?? {}) } as Record<string, unknown>;
    // An error without a code is one nobody meant to send (GraphQL servers call it INTERNAL_SERVER_ERROR).
    const code = typeof extensions.code === 'string' ? extensions.code : 'INTERNAL_SERVER_ERROR';
    if (code === 'RATE_LIMITED' && typeof extensions.retryAfter !== 'number' && retryAfterHeader && /^\d+$/.test(retryAfterHeader)) {
      extensions.retryAfter = Number(retryAfterHeader);
    }
    const message = errors.length > 1 ? `${first?.message} (and ${errors.length - 1} more errors)` : (first?.message ?? `HTTP ${status}`);
    return new HubError(message, code, { ...extensions, code }, errors, status, data);
  }

  /** Narrows `extensions` to what the hub sends with that code. */
  is<K extends HubErrorCode>(code: K): this is HubError<K> {
    return (this.code as string) === code;
  }

  /** RATE_LIMITED: seconds to wait before trying again. */
  get retryAfter(): number | undefined {
    const value = this.extensions.retryAfter;
    return typeof value === 'number' ? value : undefined;
  }
}
