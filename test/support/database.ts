import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { SUBGRAPH_NAMES } from '../../shared/config';
import { openDataSource } from '../../shared/db/data-source';
import type { SubgraphModule } from '../../shared/server/subgraph-module';
import { drainTemplateConsumers } from './template-consumers';

/**
 * The admin URL of this jest worker's own cluster (test/global-setup.ts starts one per worker):
 * files running at the same time never share a cluster's transaction ids.
 */
export const adminUrl = () => {
  const urls = process.env.HUB_TEST_ADMIN_URLS;
  if (!urls) throw new Error('HUB_TEST_ADMIN_URLS is not set: run tests through jest (test/global-setup.ts)');
  const list = JSON.parse(urls) as string[];
  const worker = Math.max(1, Number(process.env.JEST_WORKER_ID ?? '1'));
  const url = list[(worker - 1) % list.length];
  if (!url) throw new Error('HUB_TEST_ADMIN_URLS is empty');
  return url;
};

export interface TestDatabase {
  /** The admin (owner) URL: openDataSource migrates with it and connects as the app role. */
  url: string;
  /**
   * Runs one statement as the cluster's superuser, past row-level security: for fixtures
   * the services themselves may never do (backdating the append-only event log, test tables).
   */
  asAdmin<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/**
 * What a test database starts as: empty, or with the named subgraphs migrated (their schemas,
 * the event log, the app role's grants) and, when `seeded`, their demo data loaded, as
 * openDataSource and each subgraph's seed leave it (see {@link createTestDatabase}).
 */
export interface TestDatabaseState {
  /** The subgraph modules (scripts/registry.ts), or just what migrating and seeding one takes. */
  migrated: readonly TemplateSubgraph[];
  /** Runs each one's `seed`. */
  seeded: boolean;
}

export type TemplateSubgraph = Pick<SubgraphModule, 'name' | 'createDataSource' | 'seed'>;

/**
 * A fresh database on the run's Postgres; drop it in afterAll. Empty, or (given `from`) a copy of
 * a template database in that state: the first file on a cluster that asks for a state builds
 * its template once (migrations, then seeds, in the hub's order), the others copy it with
 * `CREATE DATABASE … TEMPLATE`, a file copy, instead of migrating and seeding again. The caller
 * still opens its DataSources and seeds as before: no migration is pending and the seeds find
 * their data, so they change nothing.
 */
export async function createTestDatabase(from?: TestDatabaseState): Promise<TestDatabase> {
  const name = `hub_test_${randomBytes(6).toString('hex')}`;
  const template = from && from.migrated.length > 0 ? await templateFor(from) : undefined;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template} STRATEGY FILE_COPY` : `CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return testDatabase(name);
}

function databaseUrl(name: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

function testDatabase(name: string): TestDatabase {
  const url = databaseUrl(name);
  return {
    url,
    async asAdmin<T>(sql: string, params: unknown[] = []) {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(sql, params)).rows as T[];
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new Client({ connectionString: adminUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * With HUB_TEST_TIMING set, how long a template build or a hub start took, on stderr (for
 * measuring the suite; never asserted on).
 */
export function reportTiming(what: string, since: number): void {
  if (process.env.HUB_TEST_TIMING) process.stderr.write(`[hub-test-timing] ${what}: ${Date.now() - since} ms\n`);
}

/** Templates are named per run (test/global-setup.ts), so a given DATABASE_URL never serves another run's schema. */
export const TEMPLATE_PREFIX = 'hub_template_';
const RUN_ID = process.env.HUB_TEST_RUN_ID ?? randomBytes(4).toString('hex');

const building = new Map<string, Promise<string>>();

/** The name of the template database in state `from` on this worker's cluster, built when missing. */
function templateFor(from: TestDatabaseState): Promise<string> {
  const migrated = [...from.migrated].sort((a, b) => SUBGRAPH_NAMES.indexOf(a.name) - SUBGRAPH_NAMES.indexOf(b.name));
  const key = createHash('sha256')
    .update(`${migrated.map((m) => m.name).join(',')}|${from.seeded}`)
    .digest('hex')
    .slice(0, 12);
  const name = `${TEMPLATE_PREFIX}${RUN_ID}_${key}`;
  const cacheKey = `${adminUrl()} ${name}`;
  let pending = building.get(cacheKey);
  if (!pending) {
    const started = Date.now();
    pending = buildTemplate(name, migrated, from.seeded);
    void pending.then(
      () => reportTiming(`template ${migrated.map((m) => m.name).join(',')}${from.seeded ? ' seeded' : ''}`, started),
      () => undefined,
    );
    // A failed build is not remembered: the next caller tries again (and reports its own error).
    pending.catch(() => building.delete(cacheKey));
    building.set(cacheKey, pending);
  }
  return pending;
}

async function buildTemplate(name: string, migrated: TemplateSubgraph[], seeded: boolean): Promise<string> {
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    // Files on one cluster run one at a time, but a given DATABASE_URL may be shared: one builder.
    await admin.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount) return name;
    // Built under another name and renamed when complete, so no half-built template is ever copied.
    const scratch = `${name}_build`;
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${scratch}`);
    await prepare(databaseUrl(scratch), migrated, seeded);
    await admin.query(`ALTER DATABASE ${scratch} RENAME TO ${name}`);
    return name;
  } finally {
    await admin.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    await admin.end();
  }
}

/**
 * What startSubgraph does before it creates the server, subgraph by subgraph in the hub's order,
 * and, seeded, what the servers' durable consumers would catch up when they start: the demo
 * history is in the event log, and replaying it in every copy cost each hub start seconds.
 */
async function prepare(url: string, migrated: TemplateSubgraph[], seeded: boolean): Promise<void> {
  const opened: { name: TemplateSubgraph['name']; dataSource: DataSource }[] = [];
  try {
    for (const module of migrated) {
      const dataSource = await openDataSource(module.createDataSource(url, 2));
      opened.push({ name: module.name, dataSource });
      if (seeded) await module.seed?.(dataSource);
    }
    if (seeded) await drainTemplateConsumers(opened);
  } finally {
    for (const { dataSource } of opened) await dataSource.destroy();
  }
}
