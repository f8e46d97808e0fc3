import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The due's terms a partner may not change (1733400000000's guard), with or without missing_data. */
const terms = (row: string, withMissing: boolean) =>
  `${row}.id, ${row}.customer_id, ${row}.moment, ${row}.custom_moment, ${row}.moment_key, ${row}.playbook_id, ${row}.playbook_version, ${row}.from_stage,
   ${row}.to_stage, ${row}.cause_event_id, ${row}.moved_at, ${row}.accountable_partner_id, ${row}.suggested_partner_id, ${row}.suggestion_rule_id,
   ${row}.propose_within, ${row}.due_at, ${row}.auto_propose, ${row}.superseded_by_event_id, ${row}.opened_at${withMissing ? `, ${row}.missing_data` : ''}`;

const guard = (withMissing: boolean) => `
  CREATE OR REPLACE FUNCTION handoffs.handoff_dues_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
  BEGIN
    IF hubsec.sees_all() THEN RETURN NEW; END IF;
    IF OLD.state <> 'OPEN' THEN
      RAISE EXCEPTION 'handoff due % is % and does not change', OLD.id, OLD.state USING ERRCODE = '42501';
    END IF;
    IF (${terms('NEW', withMissing)}) IS DISTINCT FROM (${terms('OLD', withMissing)}) THEN
      RAISE EXCEPTION 'handoff due %: a partner changes only its state', OLD.id USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
  END $$`;

/**
 * The hub proposes dues itself (autoPropose, SLA PROPOSE escalations; docs/journeys.md):
 * the projection keeps the customer's record as accounts' last event carried it (contacts,
 * context, whatever else the snapshot holds), which is where the context package and the
 * playbook's required data come from; a due lists the required data the record lacks.
 */
export class HandoffsDueProposals1733500000000 implements MigrationInterface {
  name = 'HandoffsDueProposals1733500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE handoffs.customers ADD COLUMN record jsonb`);
    await q.query(`ALTER TABLE handoffs.handoff_dues ADD COLUMN missing_data text[] NOT NULL DEFAULT '{}'`);
    await q.query(guard(true));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(guard(false));
    await q.query(`ALTER TABLE handoffs.handoff_dues DROP COLUMN missing_data`);
    await q.query(`ALTER TABLE handoffs.customers DROP COLUMN record`);
  }
}
