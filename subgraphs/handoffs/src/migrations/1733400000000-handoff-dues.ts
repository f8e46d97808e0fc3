import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = '(SELECT hubsec.sees_all())';
const SYSTEM = '(SELECT hubsec.is_system())';
const ME = '(SELECT hubsec.partner())';

/**
 * A partner sees a due while it is accountable for it or the suggested receiver, and only on
 * a customer it may see (the customers policy applies inside the subquery).
 */
const dueVisible = `${ALL} OR (${ME} IN (handoff_dues.accountable_partner_id, handoff_dues.suggested_partner_id)
  AND EXISTS (SELECT 1 FROM handoffs.customers c WHERE c.id = handoff_dues.customer_id))`;

/**
 * What a partner may write: dismiss a due it is accountable for, or close one by the handoff
 * it has just proposed for that customer and moment (the proposing transaction). Which
 * columns may change, from which state, is the guard trigger's.
 */
const partnerWrite = `${ALL}
  OR (handoff_dues.state = 'DISMISSED' AND handoff_dues.accountable_partner_id = ${ME} AND handoff_dues.dismissed_by_partner_id = ${ME})
  OR (handoff_dues.state = 'PROPOSED' AND EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.id = handoff_dues.handoff_id
        AND h.customer_id = handoff_dues.customer_id AND h.state = 'PROPOSED' AND ${ME} IN (h.from_partner_id, h.proposed_by_partner_id)))`;

/** Locks (FOR UPDATE) need UPDATE USING to equal SELECT's, as in 1733000000002. */
const POLICIES: TablePolicies[] = [
  { table: 'handoff_dues', select: dueVisible, insert: SYSTEM, update: { using: dueVisible, check: partnerWrite }, delete: SYSTEM },
];

/**
 * Handoffs that come due (docs/journeys.md): a customer's stage move matched a playbook's
 * trigger. Exactly once per causing event and moment (unique key), at most one OPEN per
 * customer and moment (partial unique index), whatever races or replays.
 */
export class HandoffsDues1733400000000 implements MigrationInterface {
  name = 'HandoffsDues1733400000000';

  async up(q: QueryRunner): Promise<void> {
    // The position of the last accounts event the projection applied to a customer: a stage
    // move is one only when its event comes after it, so a replayed event moves nothing.
    await q.query(`ALTER TABLE handoffs.customers ADD COLUMN last_event_tx numeric, ADD COLUMN last_event_seq numeric`);
    await q.query(`
      CREATE TABLE handoffs.handoff_dues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        customer_id uuid NOT NULL REFERENCES handoffs.customers(id),
        moment text NOT NULL,
        custom_moment text,
        moment_key text NOT NULL,
        playbook_id uuid NOT NULL REFERENCES handoffs.playbooks(id),
        playbook_version int NOT NULL,
        from_stage text NOT NULL,
        to_stage text NOT NULL,
        cause_event_id uuid NOT NULL,
        moved_at timestamptz(3) NOT NULL,
        accountable_partner_id uuid,
        suggested_partner_id uuid,
        suggestion_rule_id uuid,
        propose_within text,
        due_at timestamptz(3),
        auto_propose boolean NOT NULL DEFAULT false,
        state text NOT NULL CHECK (state IN ('OPEN', 'PROPOSED', 'DISMISSED', 'SUPERSEDED')),
        handoff_id uuid REFERENCES handoffs.handoffs(id),
        dismissed_reason text,
        dismissed_by_partner_id uuid,
        superseded_by_event_id uuid,
        opened_at timestamptz(3) NOT NULL DEFAULT now(),
        closed_at timestamptz(3),
        CHECK ((state = 'PROPOSED') = (handoff_id IS NOT NULL)),
        CHECK ((state = 'DISMISSED') = (dismissed_reason IS NOT NULL)),
        CHECK ((state = 'OPEN') = (closed_at IS NULL)),
        CONSTRAINT handoff_dues_once_per_cause UNIQUE (cause_event_id, moment_key)
      )`);
    await q.query(`CREATE UNIQUE INDEX handoff_dues_one_open ON handoffs.handoff_dues (customer_id, moment_key) WHERE state = 'OPEN'`);
    // The list: newest first, by the partners a due names.
    await q.query(`CREATE INDEX handoff_dues_opened_idx ON handoffs.handoff_dues (opened_at DESC, id DESC)`);
    await q.query(`CREATE INDEX handoff_dues_accountable_idx ON handoffs.handoff_dues (accountable_partner_id) WHERE accountable_partner_id IS NOT NULL`);
    await q.query(`CREATE INDEX handoff_dues_suggested_idx ON handoffs.handoff_dues (suggested_partner_id) WHERE suggested_partner_id IS NOT NULL`);
    // WITH CHECK sees only the new row: a partner leaves OPEN and touches only what its
    // dismissal or its proposal sets. The hub is trusted with the rest in code.
    await q.query(`
      CREATE FUNCTION handoffs.handoff_dues_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF hubsec.sees_all() THEN RETURN NEW; END IF;
        IF OLD.state <> 'OPEN' THEN
          RAISE EXCEPTION 'handoff due % is % and does not change', OLD.id, OLD.state USING ERRCODE = '42501';
        END IF;
        IF (NEW.id, NEW.customer_id, NEW.moment, NEW.custom_moment, NEW.moment_key, NEW.playbook_id, NEW.playbook_version, NEW.from_stage,
            NEW.to_stage, NEW.cause_event_id, NEW.moved_at, NEW.accountable_partner_id, NEW.suggested_partner_id, NEW.suggestion_rule_id,
            NEW.propose_within, NEW.due_at, NEW.auto_propose, NEW.superseded_by_event_id, NEW.opened_at)
           IS DISTINCT FROM
           (OLD.id, OLD.customer_id, OLD.moment, OLD.custom_moment, OLD.moment_key, OLD.playbook_id, OLD.playbook_version, OLD.from_stage,
            OLD.to_stage, OLD.cause_event_id, OLD.moved_at, OLD.accountable_partner_id, OLD.suggested_partner_id, OLD.suggestion_rule_id,
            OLD.propose_within, OLD.due_at, OLD.auto_propose, OLD.superseded_by_event_id, OLD.opened_at) THEN
          RAISE EXCEPTION 'handoff due %: a partner changes only its state', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER handoff_dues_change_guard BEFORE UPDATE ON handoffs.handoff_dues
        FOR EACH ROW EXECUTE FUNCTION handoffs.handoff_dues_change_guard()`);
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('handoffs', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('handoffs', table)) await q.query(statement);
    }
    await q.query(`DROP TABLE IF EXISTS handoffs.handoff_dues`);
    await q.query(`DROP FUNCTION IF EXISTS handoffs.handoff_dues_change_guard()`);
    await q.query(`ALTER TABLE handoffs.customers DROP COLUMN last_event_seq, DROP COLUMN last_event_tx`);
  }
}
