import type { QueryRunner } from 'typeorm';
import { migrateRlsFunctions } from '../db/app-role';

/**
 * The event log is shared infrastructure, not a subgraph's table: every subgraph appends
 * to it in its own transactions and consumes it. Idempotent DDL, run under the migration lock.
 */
export async function migrateEventLog(runner: QueryRunner): Promise<void> {
  await migrateRlsFunctions(runner);
  await runner.query(`CREATE SCHEMA IF NOT EXISTS eventlog`);
  await runner.query(`
    CREATE TABLE IF NOT EXISTS eventlog.events (
      seq bigserial PRIMARY KEY,
      tx xid8 NOT NULL DEFAULT pg_current_xact_id(),
      id uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
      type text NOT NULL,
      source text NOT NULL,
      aggregate_type text NOT NULL,
      aggregate_id text NOT NULL,
      payload jsonb NOT NULL,
      visible_to uuid[] NOT NULL DEFAULT '{}',
      actor jsonb,
      occurred_at timestamptz NOT NULL DEFAULT now()
    )`);
  await runner.query(`CREATE INDEX IF NOT EXISTS events_order_idx ON eventlog.events (tx, seq)`);
  await runner.query(`CREATE INDEX IF NOT EXISTS events_visible_idx ON eventlog.events USING gin (visible_to)`);
  await runner.query(`CREATE INDEX IF NOT EXISTS events_aggregate_idx ON eventlog.events (aggregate_type, aggregate_id)`);
  await runner.query(`
    CREATE TABLE IF NOT EXISTS eventlog.consumers (
      name text PRIMARY KEY,
      tx xid8 NOT NULL DEFAULT '0',
      seq bigint NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  // The types a consumer handles (NULL: all), written when it starts: the lag gauges count only those.
  await runner.query(`ALTER TABLE eventlog.consumers ADD COLUMN IF NOT EXISTS types text[]`);
  await enableRowLevelSecurity(runner);
}

/** Policies on the log, created once (re-creating them would lock the log at every start). */
const POLICIES: Record<string, string> = {
  events_read: `ON eventlog.events FOR SELECT USING (hubsec.sees_all() OR visible_to @> ARRAY[hubsec.partner()])`,
  // The outbox: any request appends its own events in its own transaction.
  events_append: `ON eventlog.events FOR INSERT WITH CHECK (hubsec.tenant() IN ('system', 'internal', 'partner'))`,
  events_purge: `ON eventlog.events FOR DELETE USING (hubsec.is_system())`,
  consumers_system: `ON eventlog.consumers USING (hubsec.is_system()) WITH CHECK (hubsec.is_system())`,
};

/**
 * The log holds every partner's events: a partner's session reads only those addressed to
 * it (`visible_to`), positions are the hub's own. Needs the hubsec functions (app-role.ts).
 */
async function enableRowLevelSecurity(runner: QueryRunner): Promise<void> {
  for (const table of ['events', 'consumers']) {
    const [row]: { forced: boolean }[] = await runner.query(`SELECT relrowsecurity AND relforcerowsecurity AS forced FROM pg_class WHERE oid = $1::regclass`, [
      `eventlog.${table}`,
    ]);
    if (!row) throw new Error(`eventlog.${table} does not exist`);
    if (!row.forced) await runner.query(`ALTER TABLE eventlog.${table} ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY`);
  }
  const existing: { policyname: string }[] = await runner.query(`SELECT policyname FROM pg_policies WHERE schemaname = 'eventlog'`);
  const have = new Set(existing.map((p) => p.policyname));
  for (const [name, body] of Object.entries(POLICIES)) {
    if (!have.has(name)) await runner.query(`CREATE POLICY ${name} ${body}`);
  }
}
