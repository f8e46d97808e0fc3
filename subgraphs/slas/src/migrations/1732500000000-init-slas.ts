import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitSlas1732500000000 implements MigrationInterface {
  name = 'InitSlas1732500000000';

  async up(q: QueryRunner): Promise<void> {
    // A policy is its scope; what it demands lives in immutable versions.
    await q.query(`
      CREATE TABLE slas.policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        moment text NOT NULL,
        partner_tier text,
        customer_segment text,
        current_version int NOT NULL DEFAULT 1,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX policies_scope_idx ON slas.policies (moment, coalesce(partner_tier, ''), coalesce(customer_segment, ''))`);
    await q.query(`
      CREATE TABLE slas.policy_versions (
        policy_id uuid NOT NULL REFERENCES slas.policies(id),
        version int NOT NULL,
        accept_within text NOT NULL,
        accept_ms bigint NOT NULL CHECK (accept_ms > 0),
        complete_within text NOT NULL,
        complete_ms bigint NOT NULL CHECK (complete_ms > 0),
        calendar jsonb NOT NULL,
        warning_percent int NOT NULL CHECK (warning_percent BETWEEN 1 AND 100),
        escalation text NOT NULL CHECK (escalation IN ('NOTIFY','RECLAIM','REASSIGN')),
        reassign_to_partner_id uuid,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        created_by jsonb,
        PRIMARY KEY (policy_id, version),
        CHECK ((escalation = 'REASSIGN') = (reassign_to_partner_id IS NOT NULL))
      )`);

    // What slas knows of handoffs and playbooks, projected from their events.
    await q.query(`
      CREATE TABLE slas.handoffs (
        id uuid PRIMARY KEY,
        customer_id uuid NOT NULL,
        moment text NOT NULL,
        from_partner_id uuid,
        to_partner_id uuid NOT NULL,
        participants uuid[] NOT NULL,
        state text NOT NULL,
        snapshot jsonb NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX handoffs_participants_idx ON slas.handoffs USING gin (participants)`);
    await q.query(`
      CREATE TABLE slas.playbooks (
        id uuid PRIMARY KEY,
        moment text NOT NULL,
        updated_at timestamptz(3) NOT NULL DEFAULT now()
      )`);

    // Elapsed business time = elapsed_ms (closed running stretches) + business time since
    // running_since. next_action_at drives the scheduler; only live clocks carry one.
    await q.query(`
      CREATE TABLE slas.clocks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        handoff_id uuid NOT NULL REFERENCES slas.handoffs(id),
        target text NOT NULL CHECK (target IN ('ACCEPT','COMPLETE')),
        state text NOT NULL CHECK (state IN ('RUNNING','PAUSED','AT_RISK','MET','BREACHED','CANCELLED')),
        policy_id uuid NOT NULL,
        policy_version int NOT NULL,
        accountable_partner_id uuid NOT NULL,
        target_ms bigint NOT NULL,
        warning_ms bigint NOT NULL,
        started_at timestamptz(3) NOT NULL,
        running_since timestamptz(3),
        elapsed_ms bigint NOT NULL DEFAULT 0,
        paused_at timestamptz(3),
        pause_reason text,
        paused_ms bigint NOT NULL DEFAULT 0,
        warning_at timestamptz(3),
        due_at timestamptz(3),
        at_risk_at timestamptz(3),
        breached_at timestamptz(3),
        stopped_at timestamptz(3),
        decided_at timestamptz(3),
        next_action text CHECK (next_action IN ('WARN','BREACH')),
        next_action_at timestamptz(3),
        started_by_event uuid NOT NULL UNIQUE,
        FOREIGN KEY (policy_id, policy_version) REFERENCES slas.policy_versions(policy_id, version)
      )`);
    await q.query(`CREATE UNIQUE INDEX clocks_open_idx ON slas.clocks (handoff_id, target) WHERE stopped_at IS NULL`);
    await q.query(`CREATE INDEX clocks_handoff_idx ON slas.clocks (handoff_id, started_at)`);
    await q.query(`CREATE INDEX clocks_next_action_idx ON slas.clocks (next_action_at) WHERE next_action_at IS NOT NULL`);
    await q.query(`CREATE INDEX clocks_state_idx ON slas.clocks (state, due_at, id)`);
    await q.query(`CREATE INDEX clocks_attainment_idx ON slas.clocks (accountable_partner_id, decided_at) WHERE decided_at IS NOT NULL`);
    await q.query(`CREATE INDEX clocks_policy_open_idx ON slas.clocks (policy_id) WHERE stopped_at IS NULL`);
    await q.query(`
      CREATE TABLE slas.clock_pauses (
        clock_id uuid NOT NULL REFERENCES slas.clocks(id),
        paused_at timestamptz(3) NOT NULL,
        resumed_at timestamptz(3),
        reason text,
        business_ms bigint,
        PRIMARY KEY (clock_id, paused_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['clock_pauses', 'clocks', 'playbooks', 'handoffs', 'policy_versions', 'policies']) {
      await q.query(`DROP TABLE IF EXISTS slas.${t}`);
    }
  }
}
