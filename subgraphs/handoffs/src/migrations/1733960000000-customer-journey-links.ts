import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = '(SELECT hubsec.sees_all())';
const SYSTEM = '(SELECT hubsec.is_system())';
const ME = '(SELECT hubsec.partner())';

/** The caller is the link's handoff's sender, proposer or receiver (access.ts rule 2), as for the handoff itself. */
const onHandoff = `EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.id = customer_journey_links.handoff_id
  AND ${ME} IN (h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id))`;
const linkVisible = `${ALL} OR ${onHandoff}`;

/**
 * customer_journey_links: a party of the handoff sees its links (as it sees the handoff),
 * issues one in its own name, and revokes one in its own name. UPDATE USING equals SELECT
 * (a lock must not hide a row the caller sees); what may change is held by the guard below.
 * Rows are never deleted by a request.
 */
const POLICIES: TablePolicies[] = [
  {
    table: 'customer_journey_links',
    select: linkVisible,
    insert: `${ALL} OR (customer_journey_links.issued_by_partner_id = ${ME} AND customer_journey_links.revoked_at IS NULL AND ${onHandoff})`,
    update: { using: linkVisible, check: `${ALL} OR (customer_journey_links.revoked_by_partner_id = ${ME} AND ${onHandoff})` },
    delete: SYSTEM,
  },
];

/**
 * The customer journey links issued for handoffs (docs/customer-journey.md), so that one can
 * be withdrawn: the token is still not stored (its id is the row's id), the page refuses a
 * token whose row is missing or revoked.
 *
 * Links issued before this table existed are backfilled from the CustomerJourneyLinkIssued
 * events handoffs appended (the log keeps them), so those links keep working and can be
 * revoked. The backfill reads the whole log and writes every row, whatever role runs
 * migrations (RLS is forced on the owner too): as the hub, for this transaction only.
 */
export class HandoffsCustomerJourneyLinks1733960000000 implements MigrationInterface {
  name = 'HandoffsCustomerJourneyLinks1733960000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE handoffs.customer_journey_links (
        id uuid PRIMARY KEY,
        handoff_id uuid NOT NULL REFERENCES handoffs.handoffs(id),
        issued_by_partner_id uuid,
        issued_at timestamptz(3) NOT NULL,
        expires_at timestamptz(3) NOT NULL,
        revoked_at timestamptz(3),
        revoked_by_partner_id uuid,
        CHECK (revoked_by_partner_id IS NULL OR revoked_at IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX customer_journey_links_handoff_idx ON handoffs.customer_journey_links (handoff_id, issued_at)`);
    // A partner changes a link only by revoking it, once: the terms never change and a
    // revocation is not undone. The hub (system, internal teams) is trusted with it in code.
    await q.query(`
      CREATE FUNCTION handoffs.customer_journey_links_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF hubsec.sees_all() THEN RETURN NEW; END IF;
        IF (NEW.id, NEW.handoff_id, NEW.issued_by_partner_id, NEW.issued_at, NEW.expires_at)
           IS DISTINCT FROM (OLD.id, OLD.handoff_id, OLD.issued_by_partner_id, OLD.issued_at, OLD.expires_at) THEN
          RAISE EXCEPTION 'journey link %: only its revocation changes', OLD.id USING ERRCODE = '42501';
        END IF;
        IF OLD.revoked_at IS NOT NULL AND (NEW.revoked_at, NEW.revoked_by_partner_id) IS DISTINCT FROM (OLD.revoked_at, OLD.revoked_by_partner_id) THEN
          RAISE EXCEPTION 'journey link % is revoked and stays so', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER customer_journey_links_change_guard BEFORE UPDATE ON handoffs.customer_journey_links
        FOR EACH ROW EXECUTE FUNCTION handoffs.customer_journey_links_change_guard()`);
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('handoffs', p))) await q.query(statement);
    await q.query(`SELECT set_config('hub.tenant', 'system', true)`);
    await q.query(`
      INSERT INTO handoffs.customer_journey_links (id, handoff_id, issued_by_partner_id, issued_at, expires_at)
      SELECT (e.payload #>> '{link,id}')::uuid, h.id, (e.payload #>> '{link,issuedByPartnerId}')::uuid,
             (e.payload #>> '{link,issuedAt}')::timestamptz, (e.payload #>> '{link,expiresAt}')::timestamptz
        FROM eventlog.events e
        JOIN handoffs.handoffs h ON h.id = (e.payload #>> '{link,handoffId}')::uuid
       WHERE e.type = 'CustomerJourneyLinkIssued' AND e.source = 'handoffs'
      ON CONFLICT (id) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('handoffs', table)) await q.query(statement);
    }
    await q.query(`DROP TABLE IF EXISTS handoffs.customer_journey_links`);
    await q.query(`DROP FUNCTION IF EXISTS handoffs.customer_journey_links_change_guard()`);
  }
}
