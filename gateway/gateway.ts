import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGatewayRuntime, getGraphQLWSOptions, type GatewayPlugin } from '@graphql-hive/gateway-runtime';
import httpTransport from '@graphql-mesh/transport-http';
import wsTransport from '@graphql-mesh/transport-ws';
import { GraphQLError } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import { IDENTITY_HEADER, type Identity } from '../shared/auth/identity';
import { loadConfig, type CsvConfig, type SecurityConfig, type SignInConfig } from '../shared/config';
import type { Logger } from '../shared/logger';
import { createDashboardRoutes } from '../dashboard/server';
import { AuthUnavailableError, Authenticator } from './authenticator';
import { clientGonePlugin } from './client-gone';
import { createCsvRoutes, enforceArrivalDeadline } from './csv-routes';
import { CostBuckets } from './cost';
import { CostBudgetSync } from './cost-sync';
import { costPlugin } from './cost-plugin';
import { errorCodesPlugin } from './error-codes';
import { CredentialRevocations } from './credential-revocations';
import { graphiqlOptions, renderOfflineGraphiQL } from './graphiql';
import { IdentitySigner } from './identity-signer';
import { readinessPlugin } from './readiness';
import { armorPlugins, httpGuardPlugin } from './limits';
import { loadTrustedDocuments } from './trusted-documents';
import { observabilityPlugins, WARM_UP_CONTEXT } from './observability';
import { sharedSubscriptionsPlugin } from './shared-subscriptions';
import { assertPlannerLoads, plannerConformancePlugin, unifiedGraphHandlerFor } from './query-planner';
import { drainHttpServer } from './shutdown';
import { createSignInRoutes } from './oidc-routes';
import { SessionAuth, type RequestAuthentication } from './session-auth';

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
  /** JWTs, limits, trusted documents; the HUB_* defaults when omitted. */
  security?: SecurityConfig;
  /**
   * Postgres to LISTEN on for credential revocations (no table is read). Without it a
   * revoked key keeps working from this gateway's cache for up to `authCacheMs`.
   */
  databaseUrl?: string;
  /** CSV import and export limits (HUB_CSV_*); the defaults when omitted. */
  csv?: CsvConfig;
  /**
   * People signing in (docs/sign-in.md): with `oidc`, /auth/login, /auth/callback and
   * /auth/logout serve the OpenID flow and the session cookie authenticates browser calls.
   */
  signIn?: SignInConfig;
  /**
   * Development-only pages the top-level runner hands in (the dev mailbox at /dev/mail):
   * answers a request and returns true, or returns false to pass it on. Ignored in
   * production, where those URLs are 404 like any other unknown page.
   */
  devRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export interface HubGateway {
  httpServer: Server;
  authenticator: Authenticator;
  /** How every gateway route authenticates a request: Authorization header, or session cookie + CSRF proof. */
  sessionAuth: SessionAuth;
  listen(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
  /** Settles partners' cost charges with the other gateways (unset when HUB_COST_SYNC_MS=0). */
  costSync?: CostBudgetSync;
}

interface HubContext {
  hubIdentity?: Identity;
  /** Signed when the operation starts; used for the subscription's upstream connection. */
  hubIdentityHeader?: string;
}

/** How long one upstream call may take: 80 % of the request deadline. */
export const upstreamTimeoutMs = (requestTimeoutMs: number) => Math.floor(requestTimeoutMs * 0.8);

/** graphql-ws close codes the hub uses beyond the protocol's own (4400, 4408, 4409, ...). */
export const WS_CLOSE = { UNAUTHORIZED: CloseCode.Unauthorized, FORBIDDEN: CloseCode.Forbidden, TRY_AGAIN_LATER: 1013 } as const;

const unauthenticated = () =>
  new GraphQLError(
    'Authentication required: send "Authorization: Bearer <api key or JWT>" (HTTP) or {"authorization": "Bearer <api key or JWT>"} in connection_init (WebSocket)',
    {
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
    },
  );

/** The authorization value a WebSocket client put in its connection_init payload. */
export function authorizationFromConnectionParams(params: Record<string, unknown> | undefined | null): string | undefined {
  if (!params) return undefined;
  for (const [k, v] of Object.entries(params)) {
    if (k.toLowerCase() === 'authorization' && typeof v === 'string') return v;
    if (k.toLowerCase() === 'headers' && v && typeof v === 'object') return authorizationFromConnectionParams(v as Record<string, unknown>);
  }
  return undefined;
}

/** What the gateway remembers of an open WebSocket, to close it when its credential ends. */
interface OpenSocket {
  identity: Identity;
  /** Asks again whether the credential still holds (after missed revocation notices). */
  recheck(): Promise<Identity | null>;
  expiry?: NodeJS.Timeout;
}

const csrfRefused = () =>
  new GraphQLError(
    'A signed-in browser request must carry the x-hub-csrf header (the hub_csrf cookie’s value) and come from the hub’s own pages; integrations send "Authorization: Bearer <api key or JWT>" instead',
    { extensions: { code: 'FORBIDDEN', http: { status: 403 } } },
  );

/**
 * The gateway: composes nothing at run time (it serves the checked-in supergraph),
 * authenticates every operation, enforces document limits and query cost, forwards a
 * signed identity to the subgraphs, and serves HTTP and graphql-ws on /graphql. It holds
 * no business logic: who may see which record is decided by the subgraphs.
 */
export function createHubGateway(opts: HubGatewayOptions): HubGateway {
  const security = opts.security ?? loadConfig({}).security;
  const production = opts.production ?? false;
  const accountsUrl = opts.subgraphUrls.accounts;
  if (!accountsUrl) throw new Error('subgraphUrls.accounts is required: the gateway authenticates API keys against the accounts subgraph');
  const accountsBaseUrl = accountsUrl.replace(/\/graphql$/, '');
  const authenticator = new Authenticator({
    accountsBaseUrl,
    identitySecret: opts.identitySecret,
    cacheMs: opts.authCacheMs,
    log: opts.log,
    jwt: security.jwt,
  });
  const buckets = new CostBuckets({ capacity: security.costBucketSize, restoreRate: security.costRestoreRate });
  const costSync =
    security.costSyncMs > 0
      ? new CostBudgetSync({ buckets, accountsBaseUrl, identitySecret: opts.identitySecret, intervalMs: security.costSyncMs, log: opts.log })
      : undefined;
  const trusted = security.trustedDocumentsPath ? loadTrustedDocuments(security.trustedDocumentsPath) : undefined;
  const signer = new IdentitySigner({ secret: opts.identitySecret });
  const signIn = opts.signIn ?? loadConfig({}).signIn;
  const sessionAuth = new SessionAuth({
    authenticator,
    identitySecret: opts.identitySecret,
    signIn,
    publicOrigin: signIn.oidc?.redirectUri ? new URL(signIn.oidc.redirectUri).origin : undefined,
  });

  const authPlugin: GatewayPlugin<HubContext> = {
    async onContextBuilding({ context, extendContext }) {
      // WebSocket operations arrive already authenticated at connection_init.
      let identity = (context as HubContext).hubIdentity;
      if (!identity) {
        const request = (context as { request?: Request }).request;
        let result: RequestAuthentication;
        try {
          result = request ? await sessionAuth.authenticateRequest(request) : { ok: false, reason: 'MISSING' };
        } catch (err) {
          if (err instanceof AuthUnavailableError) {
            throw new GraphQLError('Authentication is temporarily unavailable; retry shortly', {
              extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503 } },
            });
          }
          throw err;
        }
        if (!result.ok) throw result.reason === 'CSRF' ? csrfRefused() : unauthenticated();
        identity = result.identity;
      }
      extendContext({ hubIdentity: identity, hubIdentityHeader: signer.sign(identity) });
    },
    // Every upstream request (HTTP or a subscription's per-event call, which has no HTTP
    // request to propagate headers from) carries the identity, with a signature that is
    // still fresh, so that long-lived subscriptions keep resolving fields for hours.
    onSubgraphExecute({ executionRequest }) {
      const identity = (executionRequest.context as HubContext | undefined)?.hubIdentity;
      if (!identity) return;
      const extensions = (executionRequest.extensions ||= {});
      const headers = (extensions.headers ||= {}) as Record<string, string>;
      headers[IDENTITY_HEADER] = signer.sign(identity);
    },
  };

  const transportEntries = Object.fromEntries(
    Object.entries(opts.subgraphUrls).map(([name, location]) => [
      name,
      {
        location,
        options: {
          // The key of a shared call includes the headers, so the signed caller identity:
          // only one caller's identical requests are ever merged.
          deduplicateInflightRequests: security.upstreamDeduplication,
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
    unifiedGraphHandler: unifiedGraphHandlerFor(security.queryPlanner),
    transports: { http: httpTransport, ws: wsTransport },
    transportEntries,
    logging: false,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/healthz',
    readinessCheckEndpoint: '/readyz/supergraph',
    landingPage: false,
    // Per request: a signed-in developer's GraphiQL sends the session's CSRF token (the cookie goes by itself).
    graphiql: production
      ? false
      : (request: Request) => {
          const session = sessionAuth.sessionTokenOf(request.headers);
          return graphiqlOptions(opts.graphiqlApiKey, session ? sessionAuth.csrfTokenFor(session) : undefined);
        },
    renderGraphiQL: renderOfflineGraphiQL,
    maskedErrors: { isDev: false },
    disableIntrospection: production ? { disableIf: () => true } : undefined,
    batching: security.maxBatch > 0 ? { limit: security.maxBatch } : false,
    // httpGuardPlugin already requires a Content-Length within the body limits, and Node's
    // HTTP parser never hands on more body than that length declares, so Yoga's second limit,
    // which streams every body through a TransformStream, would only cost time.
    maxRequestBodySize: false,
    requestDeadline: security.requestTimeoutMs,
    // Not for subscriptions: the runtime would end a long-lived stream at the deadline (and
    // reject a promise nobody awaits when it fires after the stream is gone).
    // Shorter than the request's deadline, so that a hung subgraph's fields come back as
    // GATEWAY_TIMEOUT errors beside everyone else's data instead of a bare 503.
    upstreamTimeout: ({ executionRequest }) => (executionRequest?.operationType === 'subscription' ? undefined : upstreamTimeoutMs(security.requestTimeoutMs)),
    persistedDocuments: trusted
      ? {
          getPersistedOperation: (hash: string) => trusted.get(hash.replace(/^sha256:/, '')) ?? null,
          allowArbitraryDocuments: !security.trustedDocumentsOnly,
        }
      : undefined,
    // Order matters: cheap HTTP checks, then document limits and cost (no identity needed,
    // so a hostile document costs no authentication lookup), then authentication.
    plugins: () => [
      readinessPlugin(opts.subgraphUrls),
      ...observabilityPlugins({ log: opts.log }),
      httpGuardPlugin(security, '/graphql'),
      ...armorPlugins(security, production),
      costPlugin({ maxQueryCost: security.maxQueryCost, buckets }),
      authPlugin,
      errorCodesPlugin({ production }),
      clientGonePlugin(),
      plannerConformancePlugin(),
      // Last: every subscriber has passed the checks above before it shares a stream.
      sharedSubscriptionsPlugin(),
    ],
  });

  // /dashboard, the customer /feedback and /journey pages: static assets plus one forwarded route (dashboard/server.ts).
  const pages = createDashboardRoutes({
    scorecardsUrl: opts.subgraphUrls.scorecards,
    handoffsUrl: opts.subgraphUrls.handoffs,
    identitySecret: opts.identitySecret,
    log: opts.log,
    demoApiKey: opts.graphiqlApiKey,
    signIn: !!signIn.oidc,
    apiKeyEntry: !production,
  });
  const signInRoutes = signIn.oidc
    ? createSignInRoutes({ oidc: signIn.oidc, auth: sessionAuth, authenticator, identitySecret: opts.identitySecret, log: opts.log })
    : () => false;
  // /import/customers.csv and /export/*.csv: authenticated here, streamed to the owning subgraph (csv-routes.ts).
  const csv = opts.csv ?? loadConfig({}).csv;
  const csvRoutes = createCsvRoutes({ subgraphUrls: opts.subgraphUrls, auth: sessionAuth, signer, csv, log: opts.log });
  const dev = production ? undefined : opts.devRoutes;
  const httpServer = createServer((req, res) => {
    if (signInRoutes(req, res) || csvRoutes(req, res) || pages(req, res) || dev?.(req, res)) return;
    // Slow-loris guard: the whole request must arrive within the timeout (a CSV upload has its own, longer one).
    enforceArrivalDeadline(req, res, security.requestTimeoutMs);
    void gateway(req, res);
  });
  httpServer.headersTimeout = Math.min(10_000, security.requestTimeoutMs);
  httpServer.requestTimeout = Math.max(security.requestTimeoutMs, csv.timeoutMs);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: security.maxBodyBytes });
  const open = new Map<WebSocket, OpenSocket>();
  const forget = (socket: WebSocket) => {
    const entry = open.get(socket);
    if (entry?.expiry) clearTimeout(entry.expiry);
    open.delete(socket);
  };
  const closeWhere = (match: (s: OpenSocket) => boolean, code: number, reason: string) => {
    for (const [socket, entry] of open) {
      if (!match(entry)) continue;
      forget(socket);
      socket.close(code, reason);
    }
  };

  const wsOptions = getGraphQLWSOptions<HubContext, { identity?: Identity }>(gateway, (ctx) => ({ hubIdentity: ctx.extra.identity }));
  const wsServerHandle = useServer<Record<string, unknown>, { identity?: Identity }>(
    {
      ...wsOptions,
      connectionInitWaitTimeout: security.wsInitTimeoutMs,
      onConnect: async (ctx) => {
        const authorization = authorizationFromConnectionParams(ctx.connectionParams);
        let result: RequestAuthentication;
        try {
          // Browsers of our own origin may rely on the session cookie of the upgrade request.
          result = await sessionAuth.authenticateSocket(ctx.extra.request, authorization);
        } catch {
          ctx.extra.socket.close(WS_CLOSE.TRY_AGAIN_LATER, 'Authentication unavailable; try again later');
          return false;
        }
        if (!result.ok) {
          ctx.extra.socket.close(WS_CLOSE.UNAUTHORIZED, 'Unauthorized');
          return false;
        }
        ctx.extra.identity = result.identity;
        const entry: OpenSocket = { identity: result.identity, recheck: result.recheck };
        if (result.expiresAt !== undefined) {
          // A JWT's (or session's) connection lasts as long as it does: the client reconnects with a fresh one.
          entry.expiry = setTimeout(() => closeWhere((s) => s === entry, WS_CLOSE.UNAUTHORIZED, 'Token expired'), Math.max(0, result.expiresAt - Date.now()));
          entry.expiry.unref();
        }
        open.set(ctx.extra.socket, entry);
        return true;
      },
      onSubscribe: (ctx, id, payload) => {
        // graphql-ws registers the id before asking us, so the count includes this one.
        if (Object.keys(ctx.subscriptions).length > security.wsMaxSubscriptions) {
          return [
            new GraphQLError(`At most ${security.wsMaxSubscriptions} subscriptions per connection; complete one or open another connection`, {
              extensions: { code: 'RATE_LIMITED' },
            }),
          ];
        }
        return wsOptions.onSubscribe!(ctx, id, payload);
      },
      onClose: (ctx) => forget(ctx.extra.socket),
    },
    wsServer,
  );

  const revocations = opts.databaseUrl
    ? new CredentialRevocations({
        databaseUrl: opts.databaseUrl,
        log: opts.log,
        onRevoked: (notice) => {
          authenticator.forgetCredential(notice.credentialId);
          closeWhere((s) => s.identity.credentialId === notice.credentialId, WS_CLOSE.FORBIDDEN, 'Credential revoked');
        },
        onResync: () => {
          // Notices may have been missed: forget everything and re-check every open socket.
          authenticator.clear();
          for (const [socket, entry] of open) {
            entry.recheck().then(
              (identity) => {
                if (!identity && open.get(socket) === entry) closeWhere((s) => s === entry, WS_CLOSE.FORBIDDEN, 'Credential revoked');
              },
              () => undefined,
            );
          }
        },
      })
    : undefined;

  return {
    httpServer,
    authenticator,
    sessionAuth,
    costSync,
    async listen(port, host = '127.0.0.1') {
      await assertPlannerLoads(security.queryPlanner);
      await revocations?.start();
      costSync?.start();
      // The runtime loads the supergraph lazily; a first operation over WebSocket would find
      // no schema yet, so load it through HTTP before accepting connections. The request also
      // runs the HTTP pipeline once, which a cold gateway's first callers would otherwise pay
      // for (connection_init acks came late enough to time out). It is refused at
      // authentication and is no client's: the access log and metrics leave it out.
      await gateway.fetch('http://localhost/readyz');
      const warmup = JSON.stringify({ query: '{ __typename }' });
      await gateway.fetch(
        'http://localhost/graphql',
        { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(warmup)) }, body: warmup },
        WARM_UP_CONTEXT,
      );
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      return `http://${host}:${(httpServer.address() as AddressInfo).port}/graphql`;
    },
    async stop() {
      // Stop accepting at once; requests in flight finish (bounded) while WebSockets close.
      const drained = drainHttpServer(httpServer, security.requestTimeoutMs);
      await revocations?.stop();
      for (const socket of open.keys()) forget(socket);
      // Closes every client with 1001 (going away) so it reconnects to another instance.
      await wsServerHandle.dispose();
      for (const client of wsServer.clients) client.terminate();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await drained;
      await costSync?.stop();
      await gateway.dispose();
    },
  };
}
