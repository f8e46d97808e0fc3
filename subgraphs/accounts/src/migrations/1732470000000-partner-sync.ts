import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Partner data sync: ownership claims recorded by bulk upsert dedupe, webhook
 * endpoints, their delivery queue (the durable worker's table) and the attempt log.
 */
export class PartnerSync1732470000000 implements MigrationInterface {
  name = 'PartnerSync1732470000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts.customer_ownership_claims (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES accounts.customers(id) ON DELETE CASCADE,
        claimant_partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        owner_partner_id uuid REFERENCES accounts.partners(id),
        system text NOT NULL,
        external_id text NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','RESOLVED')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (customer_id, claimant_partner_id)
      )`);
    await q.query(`CREATE INDEX customer_ownership_claims_order_idx ON accounts.customer_ownership_claims (created_at, id)`);
    await q.query(`
      CREATE TABLE accounts.webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        owner_internal boolean NOT NULL,
        url text NOT NULL,
        events text[] NOT NULL,
        secret text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','PAUSED','DISABLED')),
        disabled_reason text,
        consecutive_failures int NOT NULL DEFAULT 0,
        failing_since timestamptz(3),
        start_tx xid8 NOT NULL,
        start_seq bigint NOT NULL,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhooks_partner_idx ON accounts.webhooks (partner_id, created_at, id)`);
    await q.query(`
      CREATE TABLE accounts.webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        seq bigserial UNIQUE,
        webhook_id uuid NOT NULL REFERENCES accounts.webhooks(id) ON DELETE CASCADE,
        event_id uuid NOT NULL,
        event_tx xid8 NOT NULL,
        event_seq bigint NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SUCCEEDED','FAILED')),
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
        lease_owner text,
        lease_until timestamptz(3),
        last_status_code int,
        last_error text,
        last_latency_ms int,
        delivered_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (webhook_id, event_id)
      )`);
    // The worker's head-of-line lookup: the oldest pending delivery of each endpoint.
    await q.query(`CREATE INDEX webhook_deliveries_pending_idx ON accounts.webhook_deliveries (webhook_id, event_tx, event_seq) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON accounts.webhook_deliveries (next_attempt_at) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX webhook_deliveries_log_idx ON accounts.webhook_deliveries (webhook_id, seq)`);
    await q.query(`
      CREATE TABLE accounts.webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id uuid NOT NULL REFERENCES accounts.webhook_deliveries(id) ON DELETE CASCADE,
        attempted_at timestamptz(3) NOT NULL DEFAULT now(),
        status_code int,
        latency_ms int,
        error text
      )`);
    await q.query(`CREATE INDEX webhook_attempts_delivery_idx ON accounts.webhook_attempts (delivery_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['webhook_attempts', 'webhook_deliveries', 'webhooks', 'customer_ownership_claims']) {
      await q.query(`DROP TABLE IF EXISTS accounts.${t}`);
    }
  }
}
