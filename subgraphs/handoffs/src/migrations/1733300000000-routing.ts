import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = '(SELECT hubsec.sees_all())';
const SYSTEM = '(SELECT hubsec.is_system())';

/**
 * Routing's tables hold internal configuration (rules, their rotation) and figures about
 * every partner (the daily stats SCORECARD ranks by): internal teams read them, partners
 * never. route() reads and advances them as the hub (asHub), also when a partner's request
 * routes, and tells a partner only what routing/redaction.ts lets through.
 */
const POLICIES: TablePolicies[] = [
  { table: 'routing_rules', select: ALL, insert: ALL, update: { using: ALL }, delete: SYSTEM },
  { table: 'routing_rule_versions', select: ALL, insert: ALL, update: { using: SYSTEM }, delete: SYSTEM },
  // The rotation moves only inside a proposing transaction, as the hub.
  { table: 'routing_rotations', select: ALL, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
  { table: 'routing_stats_daily', select: ALL, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
  { table: 'routing_feedback', select: ALL, insert: SYSTEM, update: { using: SYSTEM }, delete: SYSTEM },
];

/** The columns no partner may change once a handoff is proposed (the guard of 1733000000002, plus routing's). */
const TERMS = (row: string) =>
  `${row}.id, ${row}.customer_id, ${row}.customer_name, ${row}.moment, ${row}.custom_moment, ${row}.from_partner_id, ${row}.to_partner_id,
   ${row}.proposed_by_partner_id, ${row}.to_partner_tier, ${row}.customer_segment, ${row}.customer_region, ${row}.playbook_id,
   ${row}.playbook_version, ${row}.context_package, ${row}.customer_message, ${row}.data, ${row}.required_data_complete,
   ${row}.reassigned_from_id, ${row}.proposed_at, ${row}.routing, ${row}.rerouted_from_id`;

const guardFunction = (terms: (row: string) => string) => `
  CREATE OR REPLACE FUNCTION handoffs.handoffs_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
  BEGIN
    IF hubsec.sees_all() THEN RETURN NEW; END IF;
    IF (${terms('NEW')}) IS DISTINCT FROM (${terms('OLD')}) THEN
      RAISE EXCEPTION 'the terms of handoff % do not change once proposed', OLD.id USING ERRCODE = '42501';
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state AND NOT (
         (hubsec.partner() = OLD.to_partner_id
           AND (OLD.state, NEW.state) IN (('PROPOSED', 'ACCEPTED'), ('PROPOSED', 'REJECTED'), ('ACCEPTED', 'COMPLETED')))
      OR (hubsec.partner() IN (OLD.from_partner_id, OLD.proposed_by_partner_id) AND OLD.state = 'PROPOSED' AND NEW.state = 'CANCELLED')) THEN
      RAISE EXCEPTION 'handoff %: a partner may not move it from % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END $$`;

/**
 * Routing (docs/routing.md): versioned rules per moment and scope, the durable round-robin
 * position per rule version, the per partner × segment × moment × day figures SCORECARD
 * ranks by, and what a routed handoff records about its routing.
 */
export class HandoffsRouting1733300000000 implements MigrationInterface {
  name = 'HandoffsRouting1733300000000';

  async up(q: QueryRunner): Promise<void> {
    // One row per scope (moment, segment, region, current owner kind), like slas.policies;
    // its versions are never rewritten.
    await q.query(`
      CREATE TABLE handoffs.routing_rules (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        moment text NOT NULL,
        custom_moment text,
        moment_key text NOT NULL,
        customer_segment text,
        customer_region text,
        current_owner_kind text,
        current_version int NOT NULL DEFAULT 0,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CHECK ((moment = 'CUSTOM') = (custom_moment IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX routing_rules_scope_idx ON handoffs.routing_rules
      (moment_key, coalesce(customer_segment, ''), coalesce(customer_region, ''), coalesce(current_owner_kind, ''))`);
    await q.query(`
      CREATE TABLE handoffs.routing_rule_versions (
        rule_id uuid NOT NULL REFERENCES handoffs.routing_rules(id),
        version int NOT NULL CHECK (version >= 1),
        strategies jsonb NOT NULL,
        candidates jsonb NOT NULL,
        reroute_on_reject boolean NOT NULL DEFAULT false,
        min_sample int NOT NULL DEFAULT 10,
        change_note text,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        created_by_partner_id uuid,
        PRIMARY KEY (rule_id, version)
      )`);
    // ROUND_ROBIN's durable state: the index (in the version's candidate list) next in turn.
    // Proposals lock the row (FOR UPDATE), so instances take turns in one order.
    await q.query(`
      CREATE TABLE handoffs.routing_rotations (
        rule_id uuid NOT NULL,
        version int NOT NULL,
        next_index int NOT NULL DEFAULT 0,
        turns bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (rule_id, version),
        FOREIGN KEY (rule_id, version) REFERENCES handoffs.routing_rule_versions(rule_id, version)
      )`);
    // Counts by the day the handoff was proposed, so a 90-day window is one range of the key.
    await q.query(`
      CREATE TABLE handoffs.routing_stats_daily (
        moment_key text NOT NULL,
        segment text NOT NULL,
        partner_id uuid NOT NULL,
        day date NOT NULL,
        proposed int NOT NULL DEFAULT 0,
        accepted int NOT NULL DEFAULT 0,
        rejected int NOT NULL DEFAULT 0,
        expired int NOT NULL DEFAULT 0,
        sla_met int NOT NULL DEFAULT 0,
        sla_breached int NOT NULL DEFAULT 0,
        rating_sum int NOT NULL DEFAULT 0,
        rating_count int NOT NULL DEFAULT 0,
        -- SCORECARD reads a 90-day range per candidate from the key alone (no heap visit per day).
        PRIMARY KEY (moment_key, segment, partner_id, day) INCLUDE (accepted, rejected, expired, sla_met, sla_breached, rating_sum, rating_count)
      )`);
    // CAPACITY counts open handoffs per candidate from the index alone; the other columns are
    // those the handoffs policy reads, so row-level security needs no heap visit either.
    await q.query(`CREATE INDEX handoffs_open_by_receiver_idx ON handoffs.handoffs (to_partner_id) INCLUDE (from_partner_id, proposed_by_partner_id)
      WHERE state IN ('PROPOSED','ACCEPTED')`);
    // The last customer rating counted per feedback, so a revision replaces it instead of adding.
    await q.query(`
      CREATE TABLE handoffs.routing_feedback (
        feedback_id uuid PRIMARY KEY,
        handoff_id uuid NOT NULL,
        rating int NOT NULL
      )`);
    await q.query(`ALTER TABLE handoffs.handoffs ADD COLUMN routing jsonb, ADD COLUMN rerouted_from_id uuid REFERENCES handoffs.handoffs(id)`);
    await q.query(guardFunction(TERMS));
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('handoffs', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('handoffs', table)) await q.query(statement);
    }
    const before = (row: string) => TERMS(row).replace(/,\s*\w+\.routing, \w+\.rerouted_from_id$/, '');
    await q.query(guardFunction(before));
    await q.query(`DROP INDEX IF EXISTS handoffs.handoffs_open_by_receiver_idx`);
    await q.query(`ALTER TABLE handoffs.handoffs DROP COLUMN rerouted_from_id, DROP COLUMN routing`);
    for (const t of ['routing_feedback', 'routing_stats_daily', 'routing_rotations', 'routing_rule_versions', 'routing_rules']) {
      await q.query(`DROP TABLE IF EXISTS handoffs.${t}`);
    }
  }
}
