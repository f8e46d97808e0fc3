import { GraphQLError } from 'graphql';

/**
 * Stable `extensions.code` values partners code against. Add codes; never rename one.
 */
export type HubErrorCode = 'BAD_USER_INPUT' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'CONFLICT' | 'RATE_LIMITED' | 'INTERNAL_SERVER_ERROR';

export function hubError(code: HubErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/** One or more invalid input fields; `fields` lets a client point at each one. */
export function badUserInput(message: string, fields: { field: string; message: string }[] = []): GraphQLError {
  return hubError('BAD_USER_INPUT', message, fields.length ? { fields } : {});
}

export const unauthenticated = (message = 'Authentication required: send "Authorization: Bearer <api key>"') => hubError('UNAUTHENTICATED', message);

export const forbidden = (message: string) => hubError('FORBIDDEN', message);

export const notFound = (what: string, id: string) => hubError('NOT_FOUND', `${what} ${id} was not found`, { id });

export const conflict = (message: string, extensions: Record<string, unknown> = {}) => hubError('CONFLICT', message, extensions);

/** True for errors we raised on purpose and may show as they are. */
export function isHubError(err: unknown): err is GraphQLError {
  return err instanceof GraphQLError && typeof err.extensions?.code === 'string' && err.extensions.code !== 'INTERNAL_SERVER_ERROR';
}
