import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { GraphQLError } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../shared/auth/identity';
import type { Logger } from '../shared/logger';
import { AuthUnavailableError, Authenticator } from './authenticator';
import { graphiqlOptions, renderOfflineGraphiQL } from './graphiql';

/** Options for {@link createHubGateway}. */
export interface HubGatewayOptions {
  /** The composed supergraph SDL (contracts/supergraph.graphql). */
  supergraphSdl: string;
  /** Where each subgraph answers /graphql, by subgraph name. */
  subgraphUrls: Record<string, string>;
  identitySecret: string;
  /** How long a resolved API key is cached, in ms. */
  authCacheMs: number;
  log: Logger;
  /** Pre-filled in GraphiQL's headers (dev only). */
  graphiqlApiKey?: string;
  production?: boolean;
}

export interface HubGateway {
  httpServer: Server;
  authenticator: Authenticator;
  listen(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

interface HubContext {
  hubIdentity?: Identity;
  /** Signed when the operation starts; used for the subscription's upstream connection. */
  hubIdentityHeader?: string;
}

const unauthenticated = () =>
  new GraphQLError('Authentication required: send "Authorization: Bearer <api key>" (HTTP) or {"authorization": "Bearer <api key>"} in connection_init (WebSocket)', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/** The authorization value a WebSocket client put in its connection_init payload. */
export function authorizationFromConnectionParams(params: Record<string, unknown> | undefined | null): string | undefined {
  if (!params) return undefined;
  for (const [k, v] of Object.entries(params)) {
    if (k.toLowerCase() === 'authorization' && typeof v === 'string') return v;
    if (k.toLowerCase() === 'headers' && v && typeof v === 'object') return authorizationFromConnectionParams(v as Record<string, unknown>);
  }
  return undefined;
}

/**
 * The gateway: composes nothing at run time (it serves the checked-in supergraph),
 * authenticates every operation, forwards a signed identity to the subgraphs, and serves
 * HTTP and graphql-ws on /graphql. It holds no business logic.
 */
export function createHubGateway(opts: HubGatewayOptions): HubGateway {
  const accountsBaseUrl = opts.subgraphUrls.accounts.replace(/\/graphql$/, '');
  const authenticator = new Authenticator({ accountsBaseUrl, identitySecret: opts.identitySecret, cacheMs: opts.authCacheMs, log: opts.log });

  const authPlugin: GatewayPlugin<HubContext> = {
    async onContextBuilding({ context, extendContext }) {
      // WebSocket operations arrive already authenticated at connection_init.
      let identity = (context as HubContext).hubIdentity;
      if (!identity) {
        const request = (context as { request?: Request }).request;
        try {
          identity = (await authenticator.authenticate(request?.headers.get('authorization'))) ?? undefined;
        } catch (err) {
          if (err instanceof AuthUnavailableError) {
            throw new GraphQLError('Authentication is temporarily unavailable; retry shortly', { extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } } });
          }
          throw err;
        }
        if (!identity) throw unauthenticated();
      }
      extendContext({ hubIdentity: identity, hubIdentityHeader: signIdentity(identity, opts.identitySecret) });
    },
  };

  const transportEntries = Object.fromEntries(
    Object.entries(opts.subgraphUrls).map(([name, location]) => [
      name,
      {
        location,
        options: {
          subscriptions: {
            kind: 'ws',
            location: '/graphql',
            options: { connectionParams: { identity: '{context.hubIdentityHeader}' } },
          },
        },
      },
    ]),
  );

  const gateway = createGatewayRuntime<HubContext>({
    supergraph: () => opts.supergraphSdl,
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries,
    logging: false,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz',
    landingPage: false,
    graphiql: opts.production ? false : graphiqlOptions(opts.graphiqlApiKey),
    renderGraphiQL: renderOfflineGraphiQL,
    maskedErrors: { isDev: false },
    propagateHeaders: {
      // Signed afresh for every upstream request, so long-lived subscriptions keep resolving fields.
      fromClientToSubgraphs: ({ context }) =>
        context.hubIdentity ? { [IDENTITY_HEADER]: signIdentity(context.hubIdentity, opts.identitySecret) } : undefined,
    },
    plugins: () => [authPlugin],
  });

  const httpServer = createServer(gateway);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const wsServerHandle = useServer<Record<string, unknown>, { identity?: Identity }>(
    {
      ...getGraphQLWSOptions<HubContext, { identity?: Identity }>(gateway, (ctx) => ({ hubIdentity: ctx.extra.identity })),
      onConnect: async (ctx) => {
        let identity: Identity | null;
        try {
          identity = await authenticator.authenticate(authorizationFromConnectionParams(ctx.connectionParams));
        } catch {
          ctx.extra.socket.close(1013, 'Authentication unavailable; try again later');
          return false;
        }
        if (!identity) {
          ctx.extra.socket.close(4401, 'Unauthorized');
          return false;
        }
        ctx.extra.identity = identity;
        return true;
      },
    },
    wsServer,
  );

  return {
    httpServer,
    authenticator,
    async listen(port, host = '127.0.0.1') {
      // The runtime loads the supergraph lazily; a first operation over WebSocket would find
      // no schema yet, so load it through HTTP before accepting connections.
      await gateway.fetch('http://localhost/readyz');
      await gateway.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      });
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      return `http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`;
    },
    async stop() {
      await wsServerHandle.dispose();
      for (const client of wsServer.clients) client.terminate();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await gateway.dispose();
    },
  };
}
