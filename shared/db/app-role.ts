import { createHmac } from 'node:crypto';
import type { QueryRunner } from 'typeorm';

/** The role the hub's services connect as when no DATABASE_APP_URL names one. */
export const DEFAULT_APP_ROLE = 'hub_app';

/**
 * The URL services connect with: `override` when given (a role the DBA made), otherwise
 * the admin URL with {@link DEFAULT_APP_ROLE} and a password derived from the admin's, so
 * every instance agrees on it without another secret to distribute.
 */
export function appDatabaseUrl(adminUrl: string, override?: string): string {
  if (override) return override;
  const url = new URL(adminUrl);
  const secret = decodeURIComponent(url.password || url.username);
  url.username = DEFAULT_APP_ROLE;
  url.password = createHmac('sha256', secret).update('hub-app-role').digest('hex').slice(0, 32);
  return url.toString();
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Functions every RLS policy is written with. They read the session settings that each
 * pooled connection gets on checkout (shared/db/tenant-context.ts); a connection that never
 * got them (a raw client) counts as tenant `none` and sees no tenant row.
 *
 * PL/pgSQL, not SQL: Postgres inlines a SQL function into every query that calls it, parsing
 * its body again and planning each `(SELECT hubsec.partner())` of every policy as a query of
 * its own, at every statement (the hub's statements are planned each time they run). On the
 * tables whose policies nest (customers, customer_access, handoffs) that made planning a
 * one-row write take 4–9 ms, most of Postgres's CPU per handoff; a PL/pgSQL function is an
 * opaque call, compiled once per connection, and the same write plans in 1–2 ms. CREATE OR
 * REPLACE keeps each function's OID, so the existing policies use the new bodies at once.
 */
export async function migrateRlsFunctions(runner: QueryRunner): Promise<void> {
  await runner.query(`CREATE SCHEMA IF NOT EXISTS hubsec`);
  await runner.query(`
    CREATE OR REPLACE FUNCTION hubsec.tenant() RETURNS text LANGUAGE plpgsql STABLE PARALLEL SAFE AS
    $$ BEGIN RETURN coalesce(nullif(current_setting('hub.tenant', true), ''), 'none'); END $$`);
  await runner.query(`
    CREATE OR REPLACE FUNCTION hubsec.sees_all() RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS
    $$ BEGIN RETURN coalesce(current_setting('hub.tenant', true), '') IN ('system', 'internal'); END $$`);
  await runner.query(`
    CREATE OR REPLACE FUNCTION hubsec.is_system() RETURNS boolean LANGUAGE plpgsql STABLE PARALLEL SAFE AS
    $$ BEGIN RETURN coalesce(current_setting('hub.tenant', true), '') = 'system'; END $$`);
  await runner.query(`
    CREATE OR REPLACE FUNCTION hubsec.partner() RETURNS uuid LANGUAGE plpgsql STABLE PARALLEL SAFE AS
    $$ BEGIN
      IF current_setting('hub.tenant', true) IS DISTINCT FROM 'partner' THEN RETURN NULL; END IF;
      RETURN nullif(current_setting('hub.partner_id', true), '')::uuid;
    END $$`);
}

/**
 * Makes sure the application role exists and may use `schemas` — data only: no DDL, no
 * ownership, never BYPASSRLS. Runs as the admin under the migration lock, after migrations,
 * on every start (so tables a migration added are granted too).
 */
export async function grantAppRole(runner: QueryRunner, appUrl: string, schemas: string[]): Promise<void> {
  const role = decodeURIComponent(new URL(appUrl).username);
  const password = decodeURIComponent(new URL(appUrl).password);
  const existing: { rolsuper: boolean; rolbypassrls: boolean }[] = await runner.query(`SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = $1`, [role]);
  const [current] = existing;
  if (!current) {
    if (role !== DEFAULT_APP_ROLE) throw new Error(`Database role "${role}" (DATABASE_APP_URL) does not exist; create it first`);
    try {
      await runner.query(`CREATE ROLE ${ident(role)} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE INHERIT PASSWORD ${literal(password)}`);
    } catch (err) {
      // Another database on the same cluster (another hub, a parallel test) created it first.
      if (!['42710', '23505'].includes((err as { code?: string }).code ?? '')) throw err;
    }
  } else if (current.rolsuper || current.rolbypassrls) {
    throw new Error(`Database role "${role}" is a superuser or bypasses row-level security; the hub refuses to run as it`);
  }
  const list = schemas.map(ident).join(', ');
  await runner.query(`GRANT USAGE ON SCHEMA ${list}, hubsec TO ${ident(role)}`);
  await runner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${list} TO ${ident(role)}`);
  await runner.query(`GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${list} TO ${ident(role)}`);
  await runner.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA hubsec TO ${ident(role)}`);
  // The log is append-only: no service may rewrite an event (RLS also forbids it).
  if (schemas.includes('eventlog')) await runner.query(`REVOKE UPDATE, TRUNCATE ON eventlog.events FROM ${ident(role)}`);
  for (const schema of schemas) {
    const hasMigrations: unknown[] = await runner.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'migrations'`, [schema]);
    // Which migrations ran is the admin's business.
    if (hasMigrations.length) await runner.query(`REVOKE ALL ON ${ident(schema)}.migrations FROM ${ident(role)}`);
  }
}

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;

/** Refuses to serve when the pool's role could see past row-level security. */
export async function assertAppRoleIsRestricted(runner: QueryRunner): Promise<void> {
  const [row]: { role: string; privileged: boolean }[] = await runner.query(
    `SELECT current_user AS role, (rolsuper OR rolbypassrls) AS privileged FROM pg_roles WHERE rolname = current_user`,
  );
  if (row?.privileged) throw new Error(`The hub connects as "${row.role}", which bypasses row-level security; give it a plain role`);
}
