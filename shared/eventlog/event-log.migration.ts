import type { QueryRunner } from 'typeorm';

/**
 * The event log is shared infrastructure, not a subgraph's table: every subgraph appends
 * to it in its own transactions and consumes it. Idempotent DDL, run under the migration lock.
 */
export async function migrateEventLog(runner: QueryRunner): Promise<void> {
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
}
