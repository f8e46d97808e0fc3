import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';

export const EXAMPLE_OPERATION = `# Welcome to the Partner Handoff Hub.
# The header below authenticates you as the demo internal team; swap in another demo key
# (see README) to see the hub as that partner sees it.

query MyCustomers {
  me { role partner { name kind } }
  customers(first: 5) {
    edges { node { id name segment region lifecycleStage version } }
    pageInfo { hasNextPage endCursor }
  }
}
`;

/**
 * GraphiQL bundled in the package: no CDN, so it works offline. A signed-in developer's
 * page sends the session's CSRF token (`csrfToken`; the cookie goes by itself) instead of the
 * demo key.
 */
export function graphiqlOptions(defaultApiKey: string | undefined, csrfToken?: string): GraphiQLOptions {
  const headers = csrfToken ? { 'x-hub-csrf': csrfToken } : defaultApiKey ? { Authorization: `Bearer ${defaultApiKey}` } : {};
  return {
    title: 'Partner Handoff Hub',
    defaultQuery: EXAMPLE_OPERATION,
    headers: JSON.stringify(headers, null, 2),
    subscriptionsProtocol: 'WS',
  };
}

export const renderOfflineGraphiQL = (opts?: GraphiQLOptions) => renderGraphiQL(opts);
