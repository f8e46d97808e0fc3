import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import { execute, subscribe, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { IDENTITY_HEADER, verifyIdentity, type Identity } from '../auth/identity';
import { iterateAsTenant, withTenant } from '../db/tenant-context';
import type { Logger } from '../logger';
import { graphqlDuration, graphqlErrors, graphqlRequests, registry, subscriptionsOpen } from '../observability/metrics';
import { formatHubError } from './format-error';

/** What every subgraph resolver receives; subgraphs extend it with their loaders. */
export interface BaseContext {
  identity: Identity;
  requestId: string;
  log: Logger;
}

/** Options for {@link createSubgraphServer}. */
export interface SubgraphServerOptions<TContext extends BaseContext> {
  name: string;
  schema: GraphQLSchema;
  /** Verifies the identity the gateway signed. */
  identitySecret: string;
  log: Logger;
  /** Builds one request's (or one subscription's) context: a fresh loader set each time. */
  createContext(base: BaseContext): TContext;
  /** Readiness beyond "the process is up" (e.g. the database answers). */
  ready?(): Promise<boolean>;
  /**
   * The largest /graphql body accepted from the gateway (default 2 MiB). Only the gateway
   * reaches a subgraph, and it has already applied the partner-facing limits; a subgraph
   * that serves a bulk mutation sizes this from HUB_MAX_BULK_BODY_BYTES.
   */
  maxBodyBytes?: number;
  /** Extra HTTP routes (internal endpoints); mounted before /graphql. */
  routes?(app: Express): void;
  /**
   * How many graphql-ws operations are open now, on each change (the event relay reads the
   * log for subscriptions only while there are some). A subscription starts once the
   * returned promise settles, so that it misses nothing committed after it started.
   */
  onSubscriptions?(open: number): Promise<void> | void;
  /** Runs on stop, after HTTP and WebSocket servers closed (relays, consumers, pools). */
  onStop?(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024;

const identityOf = (args: ExecutionArgs) => (args.contextValue as BaseContext).identity;

/** A subgraph's HTTP + WebSocket server, not yet listening. */
export interface SubgraphServer {
  httpServer: Server;
  /** Listens (port 0 = any free port) and returns the /graphql URL. */
  listen(port: number, host?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The one server shape every subgraph uses: Apollo Server over Express for queries and
 * mutations, graphql-ws on the same /graphql path for subscriptions, /healthz and /readyz.
 * Anything without a valid gateway-signed identity is refused, except the health checks.
 */
export function createSubgraphServer<TContext extends BaseContext>(opts: SubgraphServerOptions<TContext>): SubgraphServer {
  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });

  let openOperations = 0;
  const wsCleanup = useServer<{ identity?: string }, { identity?: Identity }>(
    {
      schema: opts.schema,
      onConnect: (ctx) => {
        const identity = verifyIdentity(ctx.connectionParams?.identity, opts.identitySecret);
        if (!identity) return false;
        ctx.extra.identity = identity;
        return true;
      },
      context: (ctx) => {
        const identity = ctx.extra.identity as Identity;
        const requestId = randomUUID();
        return opts.createContext({ identity, requestId, log: opts.log.child({ requestId, partnerId: identity.partnerId }) }) as unknown as Record<
          string,
          unknown
        >;
      },
      // Every statement a WebSocket operation issues runs as its caller (row-level security),
      // including the ones a subscription makes per event, long after subscribe returned.
      execute: (args) => withTenant(identityOf(args), () => execute(args)),
      subscribe: async (args) => {
        const identity = identityOf(args);
        const result = await withTenant(identity, () => subscribe(args));
        return Symbol.asyncIterator in result ? iterateAsTenant(identity, result) : result;
      },
      onSubscribe: async () => {
        subscriptionsOpen.inc({ service: opts.name });
        await opts.onSubscriptions?.(++openOperations);
      },
      onComplete: () => {
        subscriptionsOpen.dec({ service: opts.name });
        void opts.onSubscriptions?.(--openOperations);
      },
      onError: (_ctx, _id, _payload, errors) => {
        opts.log.warn({ errors: errors.map((e) => e.message) }, 'subscription error');
      },
    },
    wsServer,
  );

  const wsDrain: ApolloServerPlugin = {
    async serverWillStart() {
      return { drainServer: async () => void (await wsCleanup.dispose()) };
    },
  };

  const metricsPlugin: ApolloServerPlugin = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, response }) {
          const op = operation?.operation ?? 'invalid';
          graphqlDuration.observe({ service: opts.name, operation: op }, Number(process.hrtime.bigint() - started) / 1e9);
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          graphqlRequests.inc({ service: opts.name, operation: op, outcome: errors.length ? 'error' : 'ok' });
          for (const e of errors) graphqlErrors.inc({ service: opts.name, code: String(e.extensions?.code ?? 'UNKNOWN') });
        },
      };
    },
  };

  const apollo = new ApolloServer<TContext>({
    schema: opts.schema,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginInlineTraceDisabled(),
      // No cache hints are set and the gateway reads no Cache-Control from a subgraph; left
      // on, the plugin wraps every field resolver of every request to compute a policy.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginLandingPageDisabled(),
      wsDrain,
      metricsPlugin,
    ],
    // The process decides the order of shutdown (gateway first, then subgraphs, then pools):
    // Apollo stopping itself on SIGINT/SIGTERM would close a subgraph under a draining gateway.
    stopOnTerminationSignals: false,
    formatError: (formatted, error) => formatHubError(formatted, error, opts.log),
    includeStacktraceInErrorResponses: false,
  });

  let started = false;
  async function ensureStarted() {
    if (started) return;
    await apollo.start();
    started = true;
    app.get('/healthz', (_req, res) => void res.json({ status: 'ok', service: opts.name }));
    app.get('/readyz', async (_req, res) => {
      const ok = opts.ready ? await opts.ready().catch(() => false) : true;
      res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', service: opts.name });
    });
    app.get('/metrics', async (_req, res) => {
      res.type(registry.contentType).send(await registry.metrics());
    });
    opts.routes?.(app);
    app.use(
      '/graphql',
      express.json({ limit: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES }),
      (req, res, next) => {
        const identity = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (!identity) {
          res.status(401).json({ errors: [{ message: 'This subgraph only answers requests signed by the gateway', extensions: { code: 'UNAUTHENTICATED' } }] });
          return;
        }
        res.locals.identity = identity;
        // Everything the request does from here, SQL included, runs as this caller.
        withTenant(identity, next);
      },
      expressMiddleware(apollo, {
        context: async ({ req, res }) => {
          const identity = res.locals.identity as Identity;
          const requestId = req.header('x-request-id') ?? randomUUID();
          return opts.createContext({ identity, requestId, log: opts.log.child({ requestId, partnerId: identity.partnerId }) });
        },
      }),
    );
  }

  return {
    httpServer,
    async listen(port, host = '127.0.0.1') {
      await ensureStarted();
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      return `http://${host}:${address.port}/graphql`;
    },
    async stop() {
      // apollo.stop() drains HTTP (closing idle keep-alive sockets) and the WebSocket server.
      if (started) await apollo.stop();
      else httpServer.close();
      for (const client of wsServer.clients) client.terminate();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await opts.onStop?.();
    },
  };
}
