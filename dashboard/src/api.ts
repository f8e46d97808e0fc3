/**
 * How the dashboard calls the hub: signed in (the HttpOnly session cookie, sent by the browser
 * itself, plus the CSRF token the hub left readable in the `hub_csrf` cookie), or, in
 * development, with an API key typed in and kept in memory only (never in storage).
 */
export type Credential = { kind: 'session' } | { kind: 'apiKey'; key: string };

/** The CSRF token of the current sign-in, or null when the browser is not signed in. */
export function csrfToken(): string | null {
  const match = /(?:^|;\s*)hub_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : null;
}

/** The headers that carry a credential: the API key, or the session's CSRF proof (the browser sends the cookie). */
export function authHeaders(credential: Credential): Record<string, string> {
  if (credential.kind === 'apiKey') return { authorization: `Bearer ${credential.key}` };
  const token = csrfToken();
  return token ? { 'x-hub-csrf': token } : {};
}

/** Calls the hub's public GraphQL API (the same endpoint partners integrate with). */
export async function gql<T>(credential: Credential, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authHeaders(credential) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  const [error] = body.errors ?? [];
  if (error && !body.data) throw new ApiError(error.message, error.extensions?.code);
  if (!body.data) throw new ApiError(`The hub answered ${res.status}`);
  return body.data;
}

/** Ends the sign-in: the hub revokes the session and clears its cookies. */
export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin', headers: authHeaders({ kind: 'session' }) });
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}
