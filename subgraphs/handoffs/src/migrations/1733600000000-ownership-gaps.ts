import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = '(SELECT hubsec.sees_all())';
const SYSTEM = '(SELECT hubsec.is_system())';
const ME = '(SELECT hubsec.partner())';
/** Reference data: every caller reads it; a session that never got a tenant reads nothing. */
const ANY_CALLER = "(SELECT hubsec.tenant()) <> 'none'";

/**
 * - stage_limits: how long a customer may stay in a stage (internal configuration). Every
 *   caller reads it: a partner's ownershipGaps compares its customers with it under its own
 *   session, and a partner should know the limits it is held to. Internal teams write it.
 * - handoff_sla_breaches: the SLA breaches slas reported, per clock; seen by the parties of
 *   the handoff (as the handoff itself), written by the hub's consumer only.
 */
const POLICIES: TablePolicies[] = [
  { table: 'stage_limits', select: ANY_CALLER, insert: ALL, update: { using: ALL }, delete: ALL },
  {
    table: 'handoff_sla_breaches',
    select: `${ALL} OR EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.id = handoff_sla_breaches.handoff_id
      AND ${ME} IN (h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id))`,
    insert: SYSTEM,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
];

/** The due's terms a partner may not change (the guard of 1733400000000 / 1733500000000), with or without no_route_at. */
const terms = (row: string, withNoRoute: boolean) =>
  `${row}.id, ${row}.customer_id, ${row}.moment, ${row}.custom_moment, ${row}.moment_key, ${row}.playbook_id, ${row}.playbook_version, ${row}.from_stage,
   ${row}.to_stage, ${row}.cause_event_id, ${row}.moved_at, ${row}.accountable_partner_id, ${row}.suggested_partner_id, ${row}.suggestion_rule_id,
   ${row}.propose_within, ${row}.due_at, ${row}.auto_propose, ${row}.superseded_by_event_id, ${row}.opened_at, ${row}.missing_data${withNoRoute ? `, ${row}.no_route_at` : ''}`;

const dueGuard = (withNoRoute: boolean) => `
  CREATE OR REPLACE FUNCTION handoffs.handoff_dues_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
  BEGIN
    IF hubsec.sees_all() THEN RETURN NEW; END IF;
    IF OLD.state <> 'OPEN' THEN
      RAISE EXCEPTION 'handoff due % is % and does not change', OLD.id, OLD.state USING ERRCODE = '42501';
    END IF;
    IF (${terms('NEW', withNoRoute)}) IS DISTINCT FROM (${terms('OLD', withNoRoute)}) THEN
      RAISE EXCEPTION 'handoff due %: a partner changes only its state', OLD.id USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END $$`;

/**
 * Ownership gaps ("no owner zones", docs/journeys.md): what handoffs must know to list the
 * customers in a state the journey does not allow, set-based.
 *
 * - customers.stage_entered_at, customers.ownerless_since: since when. The projection sets the
 *   stage's from the event that moved it; a trigger keeps both right for every other writer
 *   (an ownership transfer, a reclaim to a customer we held directly, the demo seed).
 *   Existing rows are backfilled from what is known: the last due of the stage entry, else
 *   the row's last update.
 * - partners.status_changed_at: when a partner left ACTIVE (OWNER_INACTIVE's since).
 * - handoff_dues.no_route_at: the hub's own committing route found nobody (autoPropose, an
 *   escalation) and the due stayed OPEN: NoRouteFound, kept on the due.
 */
export class HandoffsOwnershipGaps1733600000000 implements MigrationInterface {
  name = 'HandoffsOwnershipGaps1733600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handoffs.customers ADD COLUMN stage_entered_at timestamptz(3), ADD COLUMN ownerless_since timestamptz(3)`);
    await q.query(`ALTER TABLE handoffs.partners ADD COLUMN status_changed_at timestamptz(3)`);
    await q.query(`ALTER TABLE handoffs.handoff_dues ADD COLUMN no_route_at timestamptz(3)`);
    // The backfill reads and writes every row, whatever role runs migrations (RLS is forced on
    // the owner too): as the hub, for this migration's transaction only.
    await q.query(`SELECT set_config('hub.tenant', 'system', true)`);
    await q.query(`
      UPDATE handoffs.customers c SET
        stage_entered_at = COALESCE((SELECT max(d.moved_at) FROM handoffs.handoff_dues d WHERE d.customer_id = c.id AND d.to_stage = c.lifecycle_stage), c.updated_at),
        ownerless_since = CASE WHEN c.owner_partner_id IS NULL
          THEN COALESCE((SELECT max(o.at) FROM handoffs.ownership_changes o WHERE o.customer_id = c.id AND o.to_partner_id IS NULL), c.updated_at) END`);
    await q.query(`UPDATE handoffs.partners SET status_changed_at = updated_at WHERE status <> 'ACTIVE'`);
    // Whoever writes the row: an owner set clears ownerless_since, an owner removed starts it;
    // a stage change without its own time (not the projection's) starts the stage now.
    await q.query(`
      CREATE FUNCTION handoffs.customers_since() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        -- A request (an accept) moves only the owner: the times are the hub's to set.
        IF TG_OP = 'UPDATE' AND NOT hubsec.is_system() THEN
          NEW.stage_entered_at := OLD.stage_entered_at;
          NEW.ownerless_since := OLD.ownerless_since;
        END IF;
        IF NEW.owner_partner_id IS NOT NULL THEN
          NEW.ownerless_since := NULL;
        ELSIF TG_OP = 'INSERT' OR OLD.owner_partner_id IS NULL THEN
          NEW.ownerless_since := COALESCE(NEW.ownerless_since, now());
        ELSE
          NEW.ownerless_since := now();
        END IF;
        IF TG_OP = 'INSERT' THEN
          NEW.stage_entered_at := COALESCE(NEW.stage_entered_at, now());
        ELSIF NEW.lifecycle_stage IS DISTINCT FROM OLD.lifecycle_stage AND NEW.stage_entered_at IS NOT DISTINCT FROM OLD.stage_entered_at THEN
          NEW.stage_entered_at := now();
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER customers_since BEFORE INSERT OR UPDATE ON handoffs.customers
        FOR EACH ROW EXECUTE FUNCTION handoffs.customers_since()`);
    await q.query(dueGuard(true));

    await q.query(`
      CREATE TABLE handoffs.stage_limits (
        stage text PRIMARY KEY,
        max_duration text NOT NULL,
        max_age interval NOT NULL CHECK (max_age > interval '0'),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_by_partner_id uuid
      )`);
    await q.query(`
      CREATE TABLE handoffs.handoff_sla_breaches (
        clock_id uuid PRIMARY KEY,
        handoff_id uuid NOT NULL,
        target text NOT NULL,
        due_at timestamptz(3) NOT NULL,
        breached_at timestamptz(3) NOT NULL,
        accountable_partner_id uuid,
        event_id uuid NOT NULL
      )`);
    // The gaps' branches: open dues routing left without a receiver, customers without an
    // owner or by owner, customers by stage and time in it, breaches of a handoff.
    await q.query(`CREATE INDEX handoff_sla_breaches_handoff_idx ON handoffs.handoff_sla_breaches (handoff_id, target, due_at DESC)`);
    await q.query(`CREATE INDEX customers_ownerless_idx ON handoffs.customers (ownerless_since) WHERE owner_partner_id IS NULL`);
    await q.query(`CREATE INDEX customers_owner_idx ON handoffs.customers (owner_partner_id) WHERE owner_partner_id IS NOT NULL`);
    await q.query(`CREATE INDEX customers_stage_idx ON handoffs.customers (lifecycle_stage, stage_entered_at)`);
    await q.query(`CREATE INDEX handoff_dues_no_route_idx ON handoffs.handoff_dues (opened_at)
      WHERE state = 'OPEN' AND (suggested_partner_id IS NULL OR no_route_at IS NOT NULL)`);
    await q.query(`CREATE INDEX partners_inactive_idx ON handoffs.partners (id) WHERE status <> 'ACTIVE'`);
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('handoffs', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('handoffs', table)) await q.query(statement);
    }
    await q.query(`DROP INDEX IF EXISTS handoffs.partners_inactive_idx`);
    await q.query(`DROP INDEX IF EXISTS handoffs.handoff_dues_no_route_idx`);
    await q.query(`DROP INDEX IF EXISTS handoffs.customers_stage_idx`);
    await q.query(`DROP INDEX IF EXISTS handoffs.customers_owner_idx`);
    await q.query(`DROP INDEX IF EXISTS handoffs.customers_ownerless_idx`);
    await q.query(`DROP TABLE IF EXISTS handoffs.handoff_sla_breaches`);
    await q.query(`DROP TABLE IF EXISTS handoffs.stage_limits`);
    await q.query(dueGuard(false));
    await q.query(`DROP TRIGGER IF EXISTS customers_since ON handoffs.customers`);
    await q.query(`DROP FUNCTION IF EXISTS handoffs.customers_since()`);
    await q.query(`ALTER TABLE handoffs.handoff_dues DROP COLUMN no_route_at`);
    await q.query(`ALTER TABLE handoffs.partners DROP COLUMN status_changed_at`);
    await q.query(`ALTER TABLE handoffs.customers DROP COLUMN ownerless_since, DROP COLUMN stage_entered_at`);
  }
}
