import { z } from 'zod';

/**
 * The one place that reads the environment. Every process (gateway, each subgraph,
 * the all-in-one `npm start`) calls {@link loadConfig} once and passes the result down.
 */

const DEV_IDENTITY_SECRET = 'dev-only-identity-secret-change-me-in-production';

/**
 * The key the demo data gives HQ Revenue Operations (subgraphs/accounts/src/seed.ts). It is
 * written here rather than imported so that the gateway needs no subgraph's code for it.
 */
const DEMO_API_KEY = 'hub_demo_internal_revops';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** The role services connect as (no table ownership, no BYPASSRLS); default: hub_app, made from DATABASE_URL. */
  DATABASE_APP_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where `npm start` keeps the embedded Postgres data when DATABASE_URL is unset. */
  HUB_DATA_DIR: z.string().default('.data/pg'),
  HUB_EMBEDDED_PG_PORT: port(5433),
  /** Comma-separated services this process runs; `all` = gateway and every subgraph. */
  HUB_SERVICES: z.string().default('all'),
  /**
   * Safety-net poll of each process's event reader, for a notification it missed (one
   * statement). LISTEN/NOTIFY wakes it for every commit that appends events it wants.
   */
  HUB_EVENT_POLL_MS: z.coerce.number().int().min(10).default(5000),
  /** Longest sleep of the SLA breach scheduler; it also wakes at the next due time it knows of. */
  HUB_SLA_POLL_MS: z.coerce.number().int().min(10).default(10_000),
  HUB_SEED_DEMO: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /**
   * The API key GraphiQL and the dashboard's sign-in are pre-filled with (never in
   * production). Default: the demo data's internal key while HUB_SEED_DEMO is on; empty = none.
   */
  HUB_DEMO_API_KEY: z.string().optional(),
  HUB_HOST: z.string().default('127.0.0.1'),
  GATEWAY_PORT: port(4000),
  ACCOUNTS_PORT: port(4001),
  HANDOFFS_PORT: port(4002),
  SLAS_PORT: port(4003),
  SCORECARDS_PORT: port(4004),
  /** Where the gateway reaches each subgraph; defaults to HUB_HOST and the port above. */
  ACCOUNTS_URL: z.url().optional(),
  HANDOFFS_URL: z.url().optional(),
  SLAS_URL: z.url().optional(),
  SCORECARDS_URL: z.url().optional(),
  /** HMAC secret shared by the gateway and the subgraphs to sign forwarded identities. */
  /**
   * Comma-separated: the first secret signs, every one verifies, so it can be rotated
   * without downtime (docs/security.md, "Rotating secrets"). Each at least 32 characters.
   */
  HUB_IDENTITY_SECRET: z
    .string()
    .refine((v) => v.split(',').every((s) => s.length >= 32), 'each comma-separated secret must have at least 32 characters')
    .optional(),
  /** How long the gateway caches a resolved API key, in milliseconds. */
  HUB_AUTH_CACHE_MS: z.coerce.number().int().min(0).default(5000),
  HUB_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HUB_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** Partner change feed: how far back `changes` replays, in days; 0 = forever. */
  HUB_CHANGE_FEED_RETENTION_DAYS: z.coerce.number().int().min(0).default(0),
  /** Webhooks may target loopback addresses (dev and tests only; SSRF otherwise). */
  HUB_WEBHOOK_ALLOW_LOOPBACK: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Webhooks may target private, link-local and other non-public ranges (dev only). */
  HUB_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** A delivery counts only when a 2xx arrives within this many milliseconds. */
  HUB_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** How long a worker holds a claimed delivery before another may retry it. */
  HUB_WEBHOOK_LEASE_MS: z.coerce.number().int().min(200).default(60_000),
  /** First retry delay; doubles per attempt (with jitter) up to HUB_WEBHOOK_RETRY_MAX_DELAY_MS. */
  HUB_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(10_000),
  HUB_WEBHOOK_RETRY_MAX_DELAY_MS: z.coerce.number().int().min(1).default(3_600_000),
  /** A delivery is retried for this long after its event, then marked FAILED (default 3 days). */
  HUB_WEBHOOK_RETRY_HORIZON_MS: z.coerce
    .number()
    .int()
    .min(1)
    .default(3 * 24 * 3_600_000),
  /** An endpoint is disabled after failing continuously this long... */
  HUB_WEBHOOK_DISABLE_AFTER_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(24 * 3_600_000),
  /** ...and at least this many attempts in a row. */
  HUB_WEBHOOK_DISABLE_AFTER_FAILURES: z.coerce.number().int().min(1).default(10),
  /** Deliveries in flight per process. */
  HUB_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  /**
   * Longest sleep of the delivery worker: the safety net for retries another instance
   * scheduled and for leases of a worker that died. New deliveries wake it at once, and it
   * wakes for the retries it scheduled itself.
   */
  HUB_WEBHOOK_POLL_MS: z.coerce.number().int().min(10).default(30_000),
  // ---- notifications (docs/notifications.md) -----------------------------------
  /** SMTP server notifications are sent through; unset in development: `npm start` runs a local one (/dev/mail). */
  HUB_SMTP_HOST: z.string().min(1).optional(),
  HUB_SMTP_PORT: port(587),
  /** The From of every notification e-mail. */
  HUB_SMTP_FROM: z.string().min(3).default('Partner Handoff Hub <notifications@hub.localhost>'),
  HUB_SMTP_USER: z.string().min(1).optional(),
  HUB_SMTP_PASSWORD: z.string().min(1).optional(),
  /** tls: TLS from the first byte (port 465); starttls: upgrade required; none: plain (local servers only). */
  HUB_SMTP_TLS: z.enum(['tls', 'starttls', 'none']).default('starttls'),
  /** Refuse an SMTP server whose certificate does not verify. */
  HUB_SMTP_REJECT_UNAUTHORIZED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** Connecting, greeting and each command must answer within this many milliseconds. */
  HUB_SMTP_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /**
   * Where people and customers reach the hub: the links in notifications and customer journey
   * links (`<HUB_PUBLIC_URL>/journey?token=…`). Default: the gateway on HUB_HOST.
   */
  HUB_PUBLIC_URL: z.url().optional(),
  /** The UTC hour the daily digests of the previous days go out. */
  HUB_NOTIFY_DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  /** How often the digest job looks for held notifications to send. */
  HUB_NOTIFY_DIGEST_POLL_MS: z.coerce.number().int().min(10).default(60_000),
  // ---- security -------------------------------------------------------------
  /** HS256 secret for partner JWTs (alternative to HUB_JWT_JWKS_URL). */
  HUB_JWT_SECRET: z.string().min(32).optional(),
  /** JWKS of the identity provider that signs partner JWTs (RS256/ES256/EdDSA). */
  HUB_JWT_JWKS_URL: z.url().optional(),
  /** Required `iss` and `aud` of every accepted JWT. */
  HUB_JWT_ISSUER: z.string().min(1).optional(),
  HUB_JWT_AUDIENCE: z.string().min(1).optional(),
  /** Claims that carry the partner id, the role (PARTNER or INTERNAL) and the scopes. */
  HUB_JWT_PARTNER_CLAIM: z.string().default('partner_id'),
  HUB_JWT_ROLE_CLAIM: z.string().default('role'),
  HUB_JWT_SCOPE_CLAIM: z.string().default('scope'),
  HUB_MAX_DEPTH: z.coerce.number().int().min(1).default(12),
  HUB_MAX_ALIASES: z.coerce.number().int().min(0).default(15),
  HUB_MAX_TOKENS: z.coerce.number().int().min(10).default(2000),
  HUB_MAX_DIRECTIVES: z.coerce.number().int().min(0).default(20),
  /** The most one operation may cost (see gateway/cost.ts); larger ones are refused unrun. */
  HUB_MAX_QUERY_COST: z.coerce.number().int().min(1).default(1000),
  /** Per-partner leaky bucket: capacity and points restored per second. */
  HUB_COST_BUCKET_SIZE: z.coerce.number().int().min(1).default(2000),
  HUB_COST_RESTORE_RATE: z.coerce.number().min(0.001).default(100),
  /** How often each gateway settles its charges against the shared buckets (ms); 0 = per-instance buckets. */
  HUB_COST_SYNC_MS: z.coerce.number().int().min(0).default(500),
  /** The gateway's query planner: native (Rust, default, about half the CPU per request) or javascript. */
  HUB_QUERY_PLANNER: z.enum(['native', 'javascript']).default('native'),
  /**
   * Identical upstream queries in flight at the same time (same subgraph, document,
   * variables and caller identity) are sent once and the answer shared. Off: every request
   * reaches the subgraphs (to measure them, or when a subgraph's answers must not be shared).
   */
  HUB_UPSTREAM_DEDUPLICATION: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  HUB_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(100 * 1024),
  /**
   * The body limit of a bulk mutation (gateway/limits.ts BULK_MUTATIONS): upsertCustomers
   * promises 1,000 rows, about 1 KB each with contacts, context and external ids, plus JSON
   * overhead. Every other operation keeps HUB_MAX_BODY_BYTES (and this is never below it).
   */
  HUB_MAX_BULK_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(2 * 1024 * 1024),
  /** Operations per batched HTTP request; 0 = batching off. */
  HUB_MAX_BATCH: z.coerce.number().int().min(0).max(100).default(0),
  /**
   * Deadline of a whole HTTP request at the gateway (503 after it). Each upstream call gets
   * 80 % of it, so a subgraph that hangs costs its own fields (GATEWAY_TIMEOUT) rather than
   * the whole response.
   */
  HUB_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  HUB_WS_INIT_TIMEOUT_MS: z.coerce.number().int().min(100).default(3000),
  HUB_WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).default(50),
  /** JSON file mapping sha256 hashes to registered operations (persisted/trusted documents). */
  HUB_TRUSTED_DOCUMENTS: z.string().optional(),
  /** Only registered operations may run (needs HUB_TRUSTED_DOCUMENTS). */
  HUB_TRUSTED_DOCUMENTS_ONLY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  // ---- sign-in (OpenID Connect, docs/sign-in.md) -----------------------------
  /** The company's OpenID provider (its discovery document lives under this URL). Unset: no sign-in, unless the dev provider runs. */
  HUB_OIDC_ISSUER: z.url().optional(),
  HUB_OIDC_CLIENT_ID: z.string().min(1).optional(),
  HUB_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Registered at the provider; required in production. Elsewhere a loopback request's own origin + /auth/callback. */
  HUB_OIDC_REDIRECT_URI: z.url().optional(),
  HUB_OIDC_SCOPES: z.string().default('openid email profile'),
  /** The ID token claim holding the person's e-mail address (Entra: `email`, or `preferred_username` / `upn`). */
  HUB_OIDC_EMAIL_CLAIM: z.string().min(1).default('email'),
  /** Refuse ID tokens without `email_verified: true` (a token that says false is always refused). */
  HUB_OIDC_REQUIRE_EMAIL_VERIFIED: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * Run the local OpenID provider with the demo people (development and tests only; refused
   * in production). Default: on in development when HUB_OIDC_ISSUER is unset.
   */
  HUB_OIDC_DEV_PROVIDER: z.enum(['true', 'false']).optional(),
  HUB_OIDC_DEV_PORT: port(4010),
  /** How long a sign-in lasts (the session cookie and the session in accounts), in minutes. */
  HUB_SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(8 * 60),
  HUB_SESSION_COOKIE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default('hub_session'),
  /** auto: Secure except when the page is on localhost / 127.0.0.1 (plain-HTTP development). */
  HUB_SESSION_COOKIE_SECURE: z.enum(['auto', 'true']).default('auto'),
  // ---- customer journey links (their origin: HUB_PUBLIC_URL) --------------------
  /** How long a customer journey link works when the caller does not say, in days. */
  HUB_JOURNEY_LINK_DEFAULT_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** The longest a customer journey link may be issued for, in days. */
  HUB_JOURNEY_LINK_MAX_DAYS: z.coerce.number().int().min(1).max(365).default(90),
  // ---- observability ---------------------------------------------------------
  /** OpenTelemetry traces: off (default), otlp (OTLP/HTTP to HUB_OTLP_ENDPOINT) or console. */
  HUB_TRACING: z.enum(['off', 'otlp', 'console']).default('off'),
  /** OTLP/HTTP traces endpoint (the collector's /v1/traces). */
  HUB_OTLP_ENDPOINT: z.url().default('http://localhost:4318/v1/traces'),
  /** OTLP body encoding: protobuf (collector default) or json. */
  HUB_OTLP_PROTOCOL: z.enum(['protobuf', 'json']).default('protobuf'),
  /** Fraction of new traces recorded (0..1); an incoming sampled traceparent is always honoured. */
  HUB_TRACING_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
  /** service.name on every span; defaults to `hub` (all services) or the services this process runs. */
  HUB_TRACING_SERVICE_NAME: z.string().min(1).optional(),
  /** Largest CSV file POST /import/customers.csv accepts (bytes; 413 above it). Default 100 MiB. */
  HUB_CSV_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(100 * 1024 * 1024),
  /** Rows per upsertCustomers call during a CSV import (at most 1,000, the bulk limit). */
  HUB_CSV_BATCH_ROWS: z.coerce.number().int().min(1).max(1000).default(500),
  /**
   * How long one CSV import or export may take end to end (ms). An import reads its upload at
   * the pace the rows are applied (back-pressure), far longer than HUB_REQUEST_TIMEOUT_MS.
   */
  HUB_CSV_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(30 * 60 * 1000),
});

export type SubgraphName = 'accounts' | 'handoffs' | 'slas' | 'scorecards';
export const SUBGRAPH_NAMES: readonly SubgraphName[] = ['accounts', 'handoffs', 'slas', 'scorecards'];
export type ServiceName = SubgraphName | 'gateway';

export interface HubConfig {
  env: 'development' | 'test' | 'production';
  /** Set when an external Postgres is used; unset means `npm start` embeds one. */
  databaseUrl?: string;
  /**
   * The URL services connect with, as a role row-level security applies to. Unset: the
   * `hub_app` role, created by the first service to migrate (shared/db/app-role.ts).
   */
  databaseAppUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  services: ServiceName[];
  seedDemo: boolean;
  /** Pre-filled in GraphiQL and the dashboard's sign-in; unset in production. */
  demoApiKey?: string;
  host: string;
  gatewayPort: number;
  subgraphs: Record<SubgraphName, { port: number; url: string }>;
  identitySecret: string;
  authCacheMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dbPoolSize: number;
  /** The event reader's safety-net poll for a missed notification (ms); one statement each. */
  eventPollMs: number;
  /** Longest sleep of the SLA breach scheduler (ms); it also wakes at the next due time it knows. */
  slaPollMs: number;
  /** Partner change feed retention in days; 0 = forever. */
  changeFeedRetentionDays: number;
  webhooks: WebhookConfig;
  notifications: NotificationConfig;
  security: SecurityConfig;
  tracing: TracingConfig;
  signIn: SignInConfig;
  customerJourney: CustomerJourneyConfig;
  csv: CsvConfig;
}

/**
 * Customer journey links (docs/customer-journey.md). The links are signed with a key derived
 * from `identitySecret` (HUB_IDENTITY_SECRET), so they rotate with it.
 */
export interface CustomerJourneyConfig {
  /** The hub's public origin, no trailing slash; links are `<publicUrl>/journey?token=…`. */
  publicUrl: string;
  defaultDays: number;
  maxDays: number;
}

/** CSV import and export (docs/csv.md; the HUB_CSV_* variables). */
export interface CsvConfig {
  /** Largest import file, in bytes. */
  maxBytes: number;
  /** Rows per upsertCustomers call. */
  batchRows: number;
  /** Longest an import or export may take, in ms. */
  timeoutMs: number;
}

/** The company's OpenID Connect provider, as the gateway's client of it (docs/sign-in.md). */
export interface OidcClientConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** Unset outside production: a loopback request's own origin + /auth/callback. */
  redirectUri?: string;
  scopes: string;
  emailClaim: string;
  requireEmailVerified: boolean;
}

/** People signing in to the dashboard and GraphiQL (gateway/oidc-routes.ts, gateway/session-auth.ts). */
export interface SignInConfig {
  /** Unset: sign-in is off, or waits for the dev provider the runner starts ({@link devProvider}). */
  oidc?: OidcClientConfig;
  /** Start the local provider with the demo people on this port (never in production). */
  devProvider?: { port: number };
  sessionTtlMs: number;
  cookieName: string;
  /** auto: Secure except on localhost / 127.0.0.1; true: always. */
  cookieSecure: 'auto' | 'true';
}

/** The client the local dev provider registers for the gateway (scripts/dev-oidc-provider.ts). */
export const DEV_OIDC_CLIENT = { clientId: 'hub-dev-gateway', clientSecret: 'hub-dev-gateway-secret-not-for-production' } as const;

function signInConfig(e: z.infer<typeof envSchema>): SignInConfig {
  const problems: string[] = [];
  const production = e.NODE_ENV === 'production';
  const dev = e.HUB_OIDC_DEV_PROVIDER === undefined ? e.NODE_ENV === 'development' && !e.HUB_OIDC_ISSUER : e.HUB_OIDC_DEV_PROVIDER === 'true';
  let oidc: OidcClientConfig | undefined;
  if (e.HUB_OIDC_ISSUER) {
    if (dev) problems.push('HUB_OIDC_DEV_PROVIDER: the dev provider and HUB_OIDC_ISSUER exclude each other');
    if (!e.HUB_OIDC_CLIENT_ID) problems.push('HUB_OIDC_CLIENT_ID: required with HUB_OIDC_ISSUER');
    if (production && new URL(e.HUB_OIDC_ISSUER).protocol !== 'https:') problems.push('HUB_OIDC_ISSUER: must be https in production');
    if (production && !e.HUB_OIDC_REDIRECT_URI) problems.push('HUB_OIDC_REDIRECT_URI: required in production');
    if (production && e.HUB_OIDC_REDIRECT_URI && new URL(e.HUB_OIDC_REDIRECT_URI).protocol !== 'https:')
      problems.push('HUB_OIDC_REDIRECT_URI: must be https in production');
    oidc = {
      issuer: e.HUB_OIDC_ISSUER,
      clientId: e.HUB_OIDC_CLIENT_ID ?? '',
      clientSecret: e.HUB_OIDC_CLIENT_SECRET,
      redirectUri: e.HUB_OIDC_REDIRECT_URI,
      scopes: e.HUB_OIDC_SCOPES,
      emailClaim: e.HUB_OIDC_EMAIL_CLAIM,
      requireEmailVerified: e.HUB_OIDC_REQUIRE_EMAIL_VERIFIED,
    };
  }
  // The dev provider signs anyone in as any demo person with one click: never in production.
  if (dev && production)
    problems.push('HUB_OIDC_DEV_PROVIDER: the local dev provider is refused in production; set HUB_OIDC_ISSUER to your company’s provider');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    oidc,
    devProvider: dev ? { port: e.HUB_OIDC_DEV_PORT } : undefined,
    sessionTtlMs: e.HUB_SESSION_TTL_MINUTES * 60_000,
    cookieName: e.HUB_SESSION_COOKIE,
    cookieSecure: e.HUB_SESSION_COOKIE_SECURE,
  };
}

/**
 * The gateway's client settings for the dev provider listening at `issuer` (the runner
 * starts it, then hands the gateway this). The provider's client takes any loopback port.
 */
export const devOidcClient = (issuer: string): OidcClientConfig => ({
  issuer,
  ...DEV_OIDC_CLIENT,
  scopes: 'openid email profile',
  emailClaim: 'email',
  requireEmailVerified: false,
});

/** OpenTelemetry tracing (see shared/observability/tracing.ts); off unless HUB_TRACING is set. */
export interface TracingConfig {
  exporter: 'off' | 'otlp' | 'console';
  /** OTLP/HTTP traces URL (used when exporter is otlp). */
  otlpEndpoint: string;
  otlpProtocol: 'protobuf' | 'json';
  sampleRatio: number;
  /** Explicit service.name; otherwise derived from the services the process runs. */
  serviceName?: string;
}

/** Partner JWTs: how they are verified and which claims carry what (see gateway/jwt.ts). */
export interface JwtConfig {
  /** HS256 shared secret; exactly one of secret and jwksUrl is set. */
  secret?: string;
  jwksUrl?: string;
  issuer: string;
  audience: string;
  partnerClaim: string;
  roleClaim: string;
  scopeClaim: string;
}

/** Gateway limits and production switches (see the HUB_MAX_* and HUB_JWT_* variables). */
export interface SecurityConfig {
  /** Unset: only API keys are accepted. */
  jwt?: JwtConfig;
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  maxQueryCost: number;
  costBucketSize: number;
  costRestoreRate: number;
  /** Settlement interval of the shared cost buckets (ms); 0 = each gateway keeps its own. */
  costSyncMs: number;
  maxBodyBytes: number;
  /** What a bulk mutation's body may reach over HTTP (at least {@link maxBodyBytes}). */
  maxBulkBodyBytes: number;
  /** 0 = batching off. */
  maxBatch: number;
  requestTimeoutMs: number;
  wsInitTimeoutMs: number;
  wsMaxSubscriptions: number;
  trustedDocumentsPath?: string;
  trustedDocumentsOnly: boolean;
  /** native: the Rust planner (@graphql-hive/router-runtime); javascript: the runtime's own. */
  queryPlanner: QueryPlannerKind;
  /** Identical upstream queries in flight share one call (HUB_UPSTREAM_DEDUPLICATION). */
  upstreamDeduplication: boolean;
}

/** Which query planner the gateway runs (HUB_QUERY_PLANNER). */
export type QueryPlannerKind = 'native' | 'javascript';

/** Outbound webhook delivery settings (see the HUB_WEBHOOK_* variables). */
export interface WebhookConfig {
  /** Allow loopback targets (127.0.0.0/8, ::1): dev and tests only. */
  allowLoopback: boolean;
  /** Allow private, link-local, CGNAT and other non-public targets: dev only. */
  allowPrivate: boolean;
  timeoutMs: number;
  leaseMs: number;
  retryBaseMs: number;
  retryMaxDelayMs: number;
  /** How long a delivery is retried before it is given up (FAILED). */
  retryHorizonMs: number;
  /** Continuous failure for this long and {@link disableAfterFailures} attempts disables an endpoint. */
  disableAfterMs: number;
  disableAfterFailures: number;
  concurrency: number;
  pollMs: number;
}

/** SMTP settings of notification e-mail (see the HUB_SMTP_* variables). */
export interface SmtpConfig {
  /** Unset: no SMTP server configured (e-mail notifications wait, failing, until one is). */
  host?: string;
  port: number;
  from: string;
  user?: string;
  password?: string;
  tls: 'tls' | 'starttls' | 'none';
  rejectUnauthorized: boolean;
  timeoutMs: number;
}

/** Notifications (docs/notifications.md); Slack/Teams delivery reuses {@link WebhookConfig}'s retry and SSRF settings. */
export interface NotificationConfig {
  smtp: SmtpConfig;
  /** The hub's address as people open it; notification links point under it. */
  publicUrl: string;
  digestHourUtc: number;
  digestPollMs: number;
}

export class ConfigError extends Error {}

function securityConfig(e: z.infer<typeof envSchema>): SecurityConfig {
  const problems: string[] = [];
  let jwt: JwtConfig | undefined;
  if (e.HUB_JWT_SECRET || e.HUB_JWT_JWKS_URL) {
    if (e.HUB_JWT_SECRET && e.HUB_JWT_JWKS_URL) problems.push('HUB_JWT_SECRET / HUB_JWT_JWKS_URL: set one, not both');
    if (!e.HUB_JWT_ISSUER) problems.push('HUB_JWT_ISSUER: required when JWTs are enabled');
    if (!e.HUB_JWT_AUDIENCE) problems.push('HUB_JWT_AUDIENCE: required when JWTs are enabled');
    jwt = {
      secret: e.HUB_JWT_SECRET,
      jwksUrl: e.HUB_JWT_JWKS_URL,
      issuer: e.HUB_JWT_ISSUER ?? '',
      audience: e.HUB_JWT_AUDIENCE ?? '',
      partnerClaim: e.HUB_JWT_PARTNER_CLAIM,
      roleClaim: e.HUB_JWT_ROLE_CLAIM,
      scopeClaim: e.HUB_JWT_SCOPE_CLAIM,
    };
  }
  if (e.HUB_TRUSTED_DOCUMENTS_ONLY && !e.HUB_TRUSTED_DOCUMENTS) problems.push('HUB_TRUSTED_DOCUMENTS: required when HUB_TRUSTED_DOCUMENTS_ONLY=true');
  if (problems.length > 0) throw new ConfigError(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    jwt,
    maxDepth: e.HUB_MAX_DEPTH,
    maxAliases: e.HUB_MAX_ALIASES,
    maxTokens: e.HUB_MAX_TOKENS,
    maxDirectives: e.HUB_MAX_DIRECTIVES,
    maxQueryCost: e.HUB_MAX_QUERY_COST,
    costBucketSize: e.HUB_COST_BUCKET_SIZE,
    costRestoreRate: e.HUB_COST_RESTORE_RATE,
    costSyncMs: e.HUB_COST_SYNC_MS,
    maxBodyBytes: e.HUB_MAX_BODY_BYTES,
    maxBulkBodyBytes: Math.max(e.HUB_MAX_BULK_BODY_BYTES, e.HUB_MAX_BODY_BYTES),
    maxBatch: e.HUB_MAX_BATCH,
    requestTimeoutMs: e.HUB_REQUEST_TIMEOUT_MS,
    wsInitTimeoutMs: e.HUB_WS_INIT_TIMEOUT_MS,
    wsMaxSubscriptions: e.HUB_WS_MAX_SUBSCRIPTIONS,
    trustedDocumentsPath: e.HUB_TRUSTED_DOCUMENTS,
    trustedDocumentsOnly: e.HUB_TRUSTED_DOCUMENTS_ONLY,
    queryPlanner: e.HUB_QUERY_PLANNER,
    upstreamDeduplication: e.HUB_UPSTREAM_DEDUPLICATION,
  };
}

/** Parses and validates configuration; throws {@link ConfigError} naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): HubConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.NODE_ENV === 'production' && !e.HUB_IDENTITY_SECRET) {
    throw new ConfigError('Invalid configuration:\n  HUB_IDENTITY_SECRET: required when NODE_ENV=production');
  }
  // One origin for every link the hub sends out (notifications, customer journey pages).
  const publicUrl = (e.HUB_PUBLIC_URL ?? `http://${e.HUB_HOST === '0.0.0.0' ? 'localhost' : e.HUB_HOST}:${e.GATEWAY_PORT}`).replace(/\/+$/, '');
  const services = e.HUB_SERVICES.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known: ServiceName[] = ['gateway', ...SUBGRAPH_NAMES];
  const bad = services.filter((s) => s !== 'all' && !known.includes(s as ServiceName));
  if (bad.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  HUB_SERVICES: unknown service(s) ${bad.join(', ')}; known: all, ${known.join(', ')}`);
  }
  const url = (explicit: string | undefined, p: number) => explicit ?? `http://${e.HUB_HOST}:${p}/graphql`;
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    databaseAppUrl: e.DATABASE_APP_URL,
    dataDir: e.HUB_DATA_DIR,
    embeddedPgPort: e.HUB_EMBEDDED_PG_PORT,
    services: services.includes('all') ? known : (services as ServiceName[]),
    seedDemo: e.HUB_SEED_DEMO,
    demoApiKey: e.NODE_ENV === 'production' ? undefined : (e.HUB_DEMO_API_KEY ?? (e.HUB_SEED_DEMO ? DEMO_API_KEY : undefined)) || undefined,
    host: e.HUB_HOST,
    gatewayPort: e.GATEWAY_PORT,
    subgraphs: {
      accounts: { port: e.ACCOUNTS_PORT, url: url(e.ACCOUNTS_URL, e.ACCOUNTS_PORT) },
      handoffs: { port: e.HANDOFFS_PORT, url: url(e.HANDOFFS_URL, e.HANDOFFS_PORT) },
      slas: { port: e.SLAS_PORT, url: url(e.SLAS_URL, e.SLAS_PORT) },
      scorecards: { port: e.SCORECARDS_PORT, url: url(e.SCORECARDS_URL, e.SCORECARDS_PORT) },
    },
    identitySecret: e.HUB_IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
    authCacheMs: e.HUB_AUTH_CACHE_MS,
    logLevel: e.HUB_LOG_LEVEL,
    dbPoolSize: e.HUB_DB_POOL_SIZE,
    eventPollMs: e.HUB_EVENT_POLL_MS,
    slaPollMs: e.HUB_SLA_POLL_MS,
    changeFeedRetentionDays: e.HUB_CHANGE_FEED_RETENTION_DAYS,
    webhooks: {
      allowLoopback: e.HUB_WEBHOOK_ALLOW_LOOPBACK,
      allowPrivate: e.HUB_WEBHOOK_ALLOW_PRIVATE,
      timeoutMs: e.HUB_WEBHOOK_TIMEOUT_MS,
      leaseMs: e.HUB_WEBHOOK_LEASE_MS,
      retryBaseMs: e.HUB_WEBHOOK_RETRY_BASE_MS,
      retryMaxDelayMs: e.HUB_WEBHOOK_RETRY_MAX_DELAY_MS,
      retryHorizonMs: e.HUB_WEBHOOK_RETRY_HORIZON_MS,
      disableAfterMs: e.HUB_WEBHOOK_DISABLE_AFTER_MS,
      disableAfterFailures: e.HUB_WEBHOOK_DISABLE_AFTER_FAILURES,
      concurrency: e.HUB_WEBHOOK_CONCURRENCY,
      pollMs: e.HUB_WEBHOOK_POLL_MS,
    },
    notifications: {
      smtp: {
        host: e.HUB_SMTP_HOST,
        port: e.HUB_SMTP_PORT,
        from: e.HUB_SMTP_FROM,
        user: e.HUB_SMTP_USER,
        password: e.HUB_SMTP_PASSWORD,
        tls: e.HUB_SMTP_TLS,
        rejectUnauthorized: e.HUB_SMTP_REJECT_UNAUTHORIZED,
        timeoutMs: e.HUB_SMTP_TIMEOUT_MS,
      },
      publicUrl,
      digestHourUtc: e.HUB_NOTIFY_DIGEST_HOUR,
      digestPollMs: e.HUB_NOTIFY_DIGEST_POLL_MS,
    },
    security: securityConfig(e),
    signIn: signInConfig(e),
    customerJourney: {
      publicUrl,
      defaultDays: Math.min(e.HUB_JOURNEY_LINK_DEFAULT_DAYS, e.HUB_JOURNEY_LINK_MAX_DAYS),
      maxDays: e.HUB_JOURNEY_LINK_MAX_DAYS,
    },
    csv: { maxBytes: e.HUB_CSV_MAX_BYTES, batchRows: e.HUB_CSV_BATCH_ROWS, timeoutMs: e.HUB_CSV_TIMEOUT_MS },
    tracing: {
      exporter: e.HUB_TRACING,
      otlpEndpoint: e.HUB_OTLP_ENDPOINT,
      otlpProtocol: e.HUB_OTLP_PROTOCOL,
      sampleRatio: e.HUB_TRACING_SAMPLE_RATIO,
      serviceName: e.HUB_TRACING_SERVICE_NAME,
    },
  };
}
