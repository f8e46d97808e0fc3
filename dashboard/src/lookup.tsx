import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { gql, type ApiError, type Credential } from './api';

/** A record opened by id that the API did not give. */
export type LookupFailure = { status: 'missing' } | { status: 'failed'; message: string };

/** What a failed lookup tells the person: never whether a record they may not see exists. */
export function lookupFailure(err: ApiError, what: string): LookupFailure {
  if (err.code === 'NOT_FOUND' || err.code === 'FORBIDDEN') return { status: 'missing' };
  if (err.code === 'BAD_USER_INPUT') return { status: 'failed', message: `This link’s ${what} id is not valid.` };
  return { status: 'failed', message: err.message };
}

/** A record being opened by id: loading, found, or not given. */
export type Lookup<T> = { status: 'loading' } | { status: 'found'; record: T } | LookupFailure;

/**
 * Reads one record (`field` of `query`, by `id`) with the person's own credential, so the API
 * decides what they may see: a record they may not see comes back null or NOT_FOUND, and
 * shows as missing with nothing of it on the page.
 */
export function useRecord<T>(credential: Credential, query: string, field: string, id: string, what: string): Lookup<T> {
  const [loaded, setLoaded] = useState<Lookup<T>>({ status: 'loading' });
  useEffect(() => {
    let cancelled = false;
    setLoaded({ status: 'loading' });
    gql<Record<string, T | null>>(credential, query, { id })
      .then((d) => {
        if (cancelled) return;
        const record = d[field];
        setLoaded(record ? { status: 'found', record } : { status: 'missing' });
      })
      .catch((err: ApiError) => !cancelled && setLoaded(lookupFailure(err, what)));
    return () => {
      cancelled = true;
    };
  }, [credential, query, field, id, what]);
  return loaded;
}

/** The page for a lookup that found nothing (yet): loading, not yours to see, or why it failed. */
export function LookupPending({ lookup, label }: { lookup: Exclude<Lookup<unknown>, { status: 'found' }>; label: string }): ComponentChildren {
  if (lookup.status === 'loading') return <p class="loading">Loading the {label.toLowerCase()}…</p>;
  if (lookup.status === 'missing')
    return (
      <p class="error" role="alert" data-testid="not-found">
        {label} not found, or not yours to see.
      </p>
    );
  return (
    <p class="error" role="alert">
      {lookup.message}
    </p>
  );
}
