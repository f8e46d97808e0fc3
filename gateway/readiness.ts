import type { GatewayPlugin } from '@graphql-hive/gateway-runtime';

/**
 * `GET /readyz`: ready once the supergraph is loaded (the runtime's own check, moved to
 * `/readyz/supergraph`) and every subgraph answers its own `/readyz`. A load balancer
 * then stops sending traffic to a gateway that cannot reach its subgraphs.
 */
export function readinessPlugin(subgraphUrls: Record<string, string>, timeoutMs = 2000): GatewayPlugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/readyz') return;
      const probe = async (target: string) => {
        try {
          return (await fetch(target, { signal: AbortSignal.timeout(timeoutMs) })).ok;
        } catch {
          return false;
        }
      };
      const origin = `${url.protocol}//${url.host}`;
      return Promise.all([probe(`${origin}/readyz/supergraph`), ...Object.values(subgraphUrls).map((u) => probe(u.replace(/\/graphql$/, '/readyz')))]).then(
        ([supergraph, ...subgraphs]) => {
          const status = Object.fromEntries(Object.keys(subgraphUrls).map((name, i) => [name, subgraphs[i] ? 'ready' : 'unavailable']));
          const ok = supergraph && subgraphs.every(Boolean);
          endResponse(
            new fetchAPI.Response(
              JSON.stringify({ status: ok ? 'ready' : 'unavailable', supergraph: supergraph ? 'loaded' : 'not loaded', subgraphs: status }),
              {
                status: ok ? 200 : 503,
                headers: { 'content-type': 'application/json' },
              },
            ),
          );
        },
      );
    },
  };
}
