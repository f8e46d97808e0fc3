import { z } from 'zod';
import { BACKGROUND } from '../../../shared/db/query-counter';
import { registerWebhookBacklogCollector } from '../../../shared/observability/metrics';
import { createPubSub } from '@graphql-yoga/subscription';
import express from 'express';
import type { DataSource } from 'typeorm';
import { IDENTITY_HEADER, verifyIdentity } from '../../../shared/auth/identity';
import type { EventRelay } from '../../../shared/eventlog/event-relay';
import { startEventBackbone, type EventBackbone } from '../../../shared/eventlog/event-backbone';
import type { Logger } from '../../../shared/logger';
import { createSubgraphServer, type SubgraphServer } from '../../../shared/server/subgraph-server';
import type { AccountsContext, AccountsPubSub } from './context';
import { createAccountsLoaders } from './loaders/accounts.loaders';
import { buildAccountsSchema } from './schema';
import { authenticateApiKey, partnerStanding } from './services/api-key.service';
import { settleCostBudgets } from './services/cost-budget.service';
import { authenticateSession, revokeSession, startSession } from './services/session.service';
import { ACCOUNTS_EVENTS } from './consumers';
import { OWNERSHIP_CONSUMER } from './consumers/ownership.consumer';
import { loadConfig, type CsvConfig, type NotificationConfig, type WebhookConfig } from '../../../shared/config';
import { mountCustomerCsvRoutes } from './csv/customer-csv.routes';
import { NotificationWorker } from './notifications/notification-worker';
import { configureSync } from './sync/sync-settings';
import { WebhookWorker } from './webhooks/delivery-worker';

const COST_SETTLEMENT = z.object({
  capacity: z.number().positive(),
  restoreRate: z.number().positive(),
  spent: z.record(z.string().min(1).max(200), z.number().finite()).refine((r) => Object.keys(r).length <= 10_000, 'at most 10000 keys'),
});
/** Options for {@link createAccountsServer}. */
export interface AccountsServerOptions {
  /** An initialised, migrated DataSource; the server does not close it. */
  dataSource: DataSource;
  identitySecret: string;
  log: Logger;
  /**
   * Partner sync settings (change feed retention, webhook delivery); anything left out takes
   * the production-safe defaults of shared/config.ts.
   */
  sync?: { changeFeedRetentionDays?: number; webhooks?: Partial<WebhookConfig> };
  /** The gateway's bulk body limit (HUB_MAX_BULK_BODY_BYTES): an upsertCustomers batch arrives whole. */
  maxBulkBodyBytes?: number;
  /** The event reader's safety-net poll (HUB_EVENT_POLL_MS). */
  eventPollMs?: number;
  /** How long a sign-in session lasts (HUB_SESSION_TTL_MINUTES). */
  sessionTtlMs?: number;
  /** CSV import and export limits (HUB_CSV_*); the defaults when omitted. */
  csv?: CsvConfig;
  /** SMTP, links and digest settings; the defaults of shared/config.ts for anything left out. */
  notifications?: Partial<NotificationConfig>;
  /** The daily digest's clock (tests drive it); default: the system clock. */
  clock?: () => Date;
}

export interface AccountsServer extends SubgraphServer {
  relay: EventRelay;
  /** Its consumers (ownership, webhook fan-out) on the process's event reader. */
  events: EventBackbone;
  webhooks: WebhookWorker;
  notifications: NotificationWorker;
}

/**
 * What accounts accepts from the gateway for a bulk body the gateway admitted: the gateway
 * forwards the variables re-serialised with its own query text, which may be somewhat longer
 * (`1e9` becomes `1000000000`), so a quarter more plus room for the query.
 */
const upstreamBodyLimit = (bulkBytes: number) => Math.ceil(bulkBytes * 1.25) + 64 * 1024;

export async function createAccountsServer(opts: AccountsServerOptions): Promise<AccountsServer> {
  const { dataSource: db, log } = opts;
  const pubSub: AccountsPubSub = createPubSub();
  const defaults = loadConfig({});
  const webhookConfig: WebhookConfig = { ...defaults.webhooks, ...opts.sync?.webhooks };
  configureSync(db, { changeFeedRetentionDays: opts.sync?.changeFeedRetentionDays ?? defaults.changeFeedRetentionDays, webhooks: webhookConfig });
  const webhooks = new WebhookWorker({ dataSource: db, log: log.child({ component: 'webhooks' }), config: webhookConfig });
  const notificationConfig: NotificationConfig = { ...defaults.notifications, ...opts.notifications };
  const notifications = new NotificationWorker({
    dataSource: db,
    log: log.child({ component: 'notifications' }),
    delivery: webhookConfig,
    notifications: notificationConfig,
    clock: opts.clock,
  });
  // Ownership moves in handoffs; accounts applies it to its access tables from the event log.
  const events = await startEventBackbone(
    ACCOUNTS_EVENTS,
    { db, log, onWebhookDeliveries: () => webhooks.kick(), publicUrl: notificationConfig.publicUrl, onNotifications: (kinds) => notifications.wake(kinds) },
    { url: (db.options as { url: string }).url, log, publish: (event) => pubSub.publish(event.type, event), pollMs: opts.eventPollMs },
  );
  const ownership = events.consumer(OWNERSHIP_CONSUMER);
  webhooks.start();
  notifications.start();
  const unregisterBacklog = registerWebhookBacklogCollector(async () => {
    const rows: { status: string; n: string }[] = await db.query(
      `${BACKGROUND}SELECT status, count(*) AS n FROM accounts.webhook_deliveries WHERE status <> 'SUCCEEDED' GROUP BY status`,
    );
    return rows.map((r) => ({ labels: { state: r.status }, value: Number(r.n) }));
  });

  const schema = await buildAccountsSchema(pubSub);
  const server = createSubgraphServer<AccountsContext>({
    name: 'accounts',
    schema,
    maxBodyBytes: upstreamBodyLimit(opts.maxBulkBodyBytes ?? defaults.security.maxBulkBodyBytes),
    identitySecret: opts.identitySecret,
    log,
    createContext: (base) => ({ ...base, db, loaders: createAccountsLoaders(db, base.identity, { catchUp: () => ownership.catchUp() }) }),
    ready: async () => (await db.query('SELECT 1')).length === 1,
    onSubscriptions: events.subscriptionsOpen,
    routes: (app) => {
      mountCustomerCsvRoutes(app, { db, identitySecret: opts.identitySecret, log, csv: opts.csv ?? defaults.csv });
      // The gateway resolves API keys here; only a caller holding the identity secret may ask.
      app.post('/internal/authenticate', express.json({ limit: '4kb' }), async (req, res) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (caller?.role !== 'SERVICE') return void res.status(401).json({ error: 'service identity required' });
        try {
          const identity = await authenticateApiKey(db, String(req.body?.apiKey ?? ''));
          res.status(identity ? 200 : 404).json({ identity });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'authenticate failed');
          res.status(503).json({ error: 'unavailable' });
        }
      });
      // Sign-in (docs/sign-in.md): the gateway verified the provider's ID token and asks for a
      // session for its e-mail address; accounts decides who that is and keeps the session.
      app.post('/internal/sessions', express.json({ limit: '4kb' }), async (req, res) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (caller?.role !== 'SERVICE') return void res.status(401).json({ error: 'service identity required' });
        const body = (req.body ?? {}) as { email?: unknown; partnerId?: unknown };
        if (typeof body.email !== 'string') return void res.status(400).json({ error: 'email is required' });
        try {
          const partnerId = typeof body.partnerId === 'string' ? body.partnerId : undefined;
          const started = await startSession(db, body.email, opts.sessionTtlMs ?? defaults.signIn.sessionTtlMs, partnerId);
          res.status(started.status === 'STARTED' ? 200 : started.status === 'AMBIGUOUS' ? 409 : 404).json({ session: started });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'session start failed');
          res.status(503).json({ error: 'unavailable' });
        }
      });
      // The same shape as /internal/authenticate, for the session cookie's secret.
      app.post('/internal/authenticate-session', express.json({ limit: '4kb' }), async (req, res) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (caller?.role !== 'SERVICE') return void res.status(401).json({ error: 'service identity required' });
        try {
          const found = await authenticateSession(db, String(req.body?.sessionToken ?? ''));
          res.status(found ? 200 : 404).json({ identity: found?.identity ?? null, expiresAt: found?.expiresAt ?? null });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'session authenticate failed');
          res.status(503).json({ error: 'unavailable' });
        }
      });
      app.post('/internal/sessions/revoke', express.json({ limit: '4kb' }), async (req, res) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (caller?.role !== 'SERVICE') return void res.status(401).json({ error: 'service identity required' });
        try {
          res.json({ revoked: await revokeSession(db, String(req.body?.sessionToken ?? '')) });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'session revoke failed');
          res.status(503).json({ error: 'unavailable' });
        }
      });
      // JWTs are verified at the gateway, but the partner they name must exist and be active.
      app.post('/internal/partner-standing', express.json({ limit: '4kb' }), async (req, res) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (caller?.role !== 'SERVICE') return void res.status(401).json({ error: 'service identity required' });
        try {
          const partner = await partnerStanding(db, String(req.body?.partnerId ?? ''));
          res.status(partner ? 200 : 404).json({ partner });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'partner standing failed');
          res.status(503).json({ error: 'unavailable' });
        }
      });
      // Gateways settle what they charged partners' cost budgets here (shared across instances).
      app.post('/internal/cost-budgets', express.json({ limit: '512kb' }), async (req, res) => {
        const caller = verifyIdentity(req.header(IDENTITY_HEADER), opts.identitySecret);
        if (caller?.role !== 'SERVICE') return void res.status(401).json({ error: 'service identity required' });
        const parsed = COST_SETTLEMENT.safeParse(req.body);
        if (!parsed.success) return void res.status(400).json({ error: parsed.error.message });
        try {
          res.json({ available: await settleCostBudgets(db, parsed.data) });
        } catch (err) {
          log.error({ err: (err as Error).message }, 'cost settlement failed');
          res.status(503).json({ error: 'unavailable' });
        }
      });
    },
    onStop: async () => {
      unregisterBacklog();
      await events.stop();
      await webhooks.stop();
      await notifications.stop();
    },
  });
  // A CSV import's upload arrives at the pace its rows are applied: allow it the CSV deadline.
  server.httpServer.requestTimeout = Math.max(server.httpServer.requestTimeout, (opts.csv ?? defaults.csv).timeoutMs);
  return Object.assign(server, { relay: events.relay, events, webhooks, notifications });
}
