import type { ApiError } from './api';

/** A record opened by id that the API did not give. */
export type LookupFailure = { status: 'missing' } | { status: 'failed'; message: string };

/** What a failed lookup tells the person: never whether a record they may not see exists. */
export function lookupFailure(err: ApiError, what: string): LookupFailure {
  if (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN') return { status: 'missing' };
  if (err.code === 'BAD_USER_INPUT') return { status: 'failed', message: `This link’s ${what} id is not valid.` };
  return { status: 'failed', message: err.message };
}
