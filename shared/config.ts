import { z } from 'zod';

/**
 * The one place that reads the environment. Every process (gateway, each subgraph,
 * the all-in-one `npm start`) calls {@link loadConfig} once and passes the result down.
 */

const DEV_IDENTITY_SECRET = 'dev-only-identity-secret-change-me-in-production';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  /** Where `npm start` keeps the embedded Postgres data when DATABASE_URL is unset. */
  HUB_DATA_DIR: z.string().default('.data/pg'),
  HUB_EMBEDDED_PG_PORT: port(5433),
  /** Comma-separated services this process runs; `all` = gateway and every subgraph. */
  HUB_SERVICES: z.string().default('all'),
  HUB_SEED_DEMO: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
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
  HUB_IDENTITY_SECRET: z.string().min(32).optional(),
  /** How long the gateway caches a resolved API key, in milliseconds. */
  HUB_AUTH_CACHE_MS: z.coerce.number().int().min(0).default(5000),
  HUB_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HUB_DB_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export type SubgraphName = 'accounts' | 'handoffs' | 'slas' | 'scorecards';
export const SUBGRAPH_NAMES: readonly SubgraphName[] = ['accounts', 'handoffs', 'slas', 'scorecards'];
export type ServiceName = SubgraphName | 'gateway';

export interface HubConfig {
  env: 'development' | 'test' | 'production';
  /** Set when an external Postgres is used; unset means `npm start` embeds one. */
  databaseUrl?: string;
  dataDir: string;
  embeddedPgPort: number;
  services: ServiceName[];
  seedDemo: boolean;
  host: string;
  gatewayPort: number;
  subgraphs: Record<SubgraphName, { port: number; url: string }>;
  identitySecret: string;
  authCacheMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  dbPoolSize: number;
}

export class ConfigError extends Error {}

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
  const services = e.HUB_SERVICES.split(',').map((s) => s.trim()).filter(Boolean);
  const known: ServiceName[] = ['gateway', ...SUBGRAPH_NAMES];
  const bad = services.filter((s) => s !== 'all' && !known.includes(s as ServiceName));
  if (bad.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  HUB_SERVICES: unknown service(s) ${bad.join(', ')}; known: all, ${known.join(', ')}`);
  }
  const url = (explicit: string | undefined, p: number) => explicit ?? `http://${e.HUB_HOST}:${p}/graphql`;
  return {
    env: e.NODE_ENV,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.HUB_DATA_DIR,
    embeddedPgPort: e.HUB_EMBEDDED_PG_PORT,
    services: services.includes('all') ? known : (services as ServiceName[]),
    seedDemo: e.HUB_SEED_DEMO,
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
  };
}
