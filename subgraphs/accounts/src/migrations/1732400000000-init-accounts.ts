import type { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql } from '../../../../shared/db/idempotency';

export class InitAccounts1732400000000 implements MigrationInterface {
  name = 'InitAccounts1732400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts.partners (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('RESELLER','AGENCY','SERVICE_PROVIDER','INTERNAL_TEAM')),
        tier text NOT NULL,
        region text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE',
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX partners_order_idx ON accounts.partners (created_at, id)`);
    await q.query(`
      CREATE TABLE accounts.customers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        domain text UNIQUE,
        segment text NOT NULL,
        region text NOT NULL,
        lifecycle_stage text NOT NULL,
        contacts jsonb NOT NULL DEFAULT '[]',
        context jsonb NOT NULL DEFAULT '{"goals":[],"painPoints":[]}',
        owner_partner_id uuid REFERENCES accounts.partners(id),
        version int NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX customers_order_idx ON accounts.customers (created_at, id)`);
    await q.query(`CREATE INDEX customers_owner_idx ON accounts.customers (owner_partner_id)`);
    await q.query(`CREATE INDEX customers_name_idx ON accounts.customers (lower(name) text_pattern_ops)`);
    await q.query(`
      CREATE TABLE accounts.customer_access (
        customer_id uuid NOT NULL REFERENCES accounts.customers(id) ON DELETE CASCADE,
        partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        kind text NOT NULL CHECK (kind IN ('OWNER','COLLABORATOR')),
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, partner_id)
      )`);
    await q.query(`CREATE INDEX customer_access_partner_idx ON accounts.customer_access (partner_id, customer_id)`);
    await q.query(`
      CREATE TABLE accounts.customer_external_ids (
        system text NOT NULL,
        external_id text NOT NULL,
        customer_id uuid NOT NULL REFERENCES accounts.customers(id) ON DELETE CASCADE,
        partner_id uuid REFERENCES accounts.partners(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (system, external_id)
      )`);
    await q.query(`CREATE INDEX customer_external_ids_customer_idx ON accounts.customer_external_ids (customer_id)`);
    await q.query(`
      CREATE TABLE accounts.api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        label text NOT NULL,
        prefix text NOT NULL,
        hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    await q.query(idempotencyTableSql('accounts'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'api_keys', 'customer_external_ids', 'customer_access', 'customers', 'partners']) {
      await q.query(`DROP TABLE IF EXISTS accounts.${t}`);
    }
  }
}
