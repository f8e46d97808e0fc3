import type { MigrationInterface, QueryRunner } from 'typeorm';
import { idempotencyTableSql } from '../../../../shared/db/idempotency';

export class InitHandoffs1732500000000 implements MigrationInterface {
  name = 'InitHandoffs1732500000000';

  async up(q: QueryRunner): Promise<void> {
    // Projections of accounts' records, fed by accounts' events (never by reading its tables).
    await q.query(`
      CREATE TABLE handoffs.partners (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        tier text NOT NULL,
        region text NOT NULL,
        status text NOT NULL DEFAULT 'ACTIVE',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE handoffs.customers (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        segment text,
        region text,
        lifecycle_stage text,
        owner_partner_id uuid,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE handoffs.customer_access (
        customer_id uuid NOT NULL REFERENCES handoffs.customers(id) ON DELETE CASCADE,
        partner_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('OWNER','COLLABORATOR')),
        granted_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (customer_id, partner_id)
      )`);
    await q.query(`CREATE INDEX customer_access_partner_idx ON handoffs.customer_access (partner_id, customer_id)`);

    await q.query(`
      CREATE TABLE handoffs.playbooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        moment text NOT NULL,
        custom_moment text,
        moment_key text NOT NULL,
        version int NOT NULL CHECK (version >= 1),
        name text NOT NULL,
        description text,
        trigger jsonb NOT NULL DEFAULT '{}',
        required_fields jsonb NOT NULL DEFAULT '[]',
        responsible_role text NOT NULL,
        customer_facing_actions jsonb NOT NULL DEFAULT '[]',
        tasks jsonb NOT NULL DEFAULT '[]',
        deliverables jsonb NOT NULL DEFAULT '[]',
        change_note text,
        published_at timestamptz(3) NOT NULL DEFAULT now(),
        published_by_partner_id uuid,
        UNIQUE (moment_key, version),
        CHECK ((moment = 'CUSTOM') = (custom_moment IS NOT NULL))
      )`);

    await q.query(`
      CREATE TABLE handoffs.handoffs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES handoffs.customers(id),
        customer_name text NOT NULL,
        moment text NOT NULL,
        custom_moment text,
        state text NOT NULL CHECK (state IN ('PROPOSED','ACCEPTED','COMPLETED','REJECTED','CANCELLED','EXPIRED')),
        from_partner_id uuid,
        to_partner_id uuid NOT NULL,
        proposed_by_partner_id uuid,
        to_partner_tier text,
        customer_segment text,
        customer_region text,
        playbook_id uuid REFERENCES handoffs.playbooks(id),
        playbook_version int,
        context_package jsonb NOT NULL,
        customer_message text NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        required_data_complete boolean NOT NULL,
        on_hold boolean NOT NULL DEFAULT false,
        hold_reason text,
        reason_code text,
        reason text,
        deliverables jsonb,
        reassigned_from_id uuid REFERENCES handoffs.handoffs(id),
        proposed_at timestamptz(3) NOT NULL DEFAULT now(),
        accepted_at timestamptz(3),
        completed_at timestamptz(3),
        closed_at timestamptz(3),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK (from_partner_id IS DISTINCT FROM to_partner_id),
        CHECK ((moment = 'CUSTOM') = (custom_moment IS NOT NULL))
      )`);
    // At most one open handoff per customer, whatever the application code does.
    await q.query(`CREATE UNIQUE INDEX handoffs_one_open_per_customer ON handoffs.handoffs (customer_id) WHERE state IN ('PROPOSED','ACCEPTED')`);
    await q.query(`CREATE INDEX handoffs_order_idx ON handoffs.handoffs (proposed_at DESC, id DESC)`);
    await q.query(`CREATE INDEX handoffs_customer_idx ON handoffs.handoffs (customer_id, proposed_at DESC)`);
    await q.query(`CREATE INDEX handoffs_to_idx ON handoffs.handoffs (to_partner_id, state, proposed_at)`);
    await q.query(`CREATE INDEX handoffs_from_idx ON handoffs.handoffs (from_partner_id, proposed_at DESC)`);

    await q.query(`
      CREATE TABLE handoffs.ownership_changes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES handoffs.customers(id),
        from_partner_id uuid,
        to_partner_id uuid,
        handoff_id uuid REFERENCES handoffs.handoffs(id),
        actor_partner_id uuid,
        reason text NOT NULL,
        at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX ownership_changes_customer_idx ON handoffs.ownership_changes (customer_id, at, id)`);
    // History is append-only: the database refuses to rewrite it.
    await q.query(`
      CREATE FUNCTION handoffs.refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'handoffs.ownership_changes is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER ownership_changes_append_only BEFORE UPDATE OR DELETE ON handoffs.ownership_changes
      FOR EACH ROW EXECUTE FUNCTION handoffs.refuse_history_change()`);

    await q.query(`
      CREATE TABLE handoffs.tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        handoff_id uuid NOT NULL REFERENCES handoffs.handoffs(id),
        customer_id uuid NOT NULL,
        assignee_partner_id uuid NOT NULL,
        title text NOT NULL,
        description text,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','DONE')),
        due_at timestamptz(3),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        completed_at timestamptz(3)
      )`);
    await q.query(`CREATE INDEX tasks_handoff_idx ON handoffs.tasks (handoff_id, created_at)`);
    await q.query(`CREATE INDEX tasks_assignee_idx ON handoffs.tasks (assignee_partner_id, status)`);
    await q.query(idempotencyTableSql('handoffs'));
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_keys', 'tasks', 'ownership_changes', 'handoffs', 'playbooks', 'customer_access', 'customers', 'partners']) {
      await q.query(`DROP TABLE IF EXISTS handoffs.${t}`);
    }
    await q.query(`DROP FUNCTION IF EXISTS handoffs.refuse_history_change()`);
  }
}
