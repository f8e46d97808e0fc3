import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';
import { idempotencyRlsSql } from '../../../../shared/db/idempotency';

// Wrapped in a sub-select: evaluated once per statement (an InitPlan), the value is a
// parameter that can drive an index scan. Compared bare, the planner did not use it as an
// index condition inside a policy's subquery (measured: ownership_changes' policy scanned all
// of customer_access per statement).
const ALL = '(SELECT hubsec.sees_all())';
const SYSTEM = '(SELECT hubsec.is_system())';
const ME = '(SELECT hubsec.partner())';
/** Reference data: every caller reads it; a session that never got a tenant (a raw connection) reads nothing at all. */
const ANY_CALLER = "(SELECT hubsec.tenant()) <> 'none'";

/** access.ts rule 2: the caller is the handoff's sender, proposer or receiver. */
const party = (h: string) => `${ME} IN (${h}.from_partner_id, ${h}.to_partner_id, ${h}.proposed_by_partner_id)`;

/** The caller holds a grant (OWNER or COLLABORATOR) on the customer: access.ts rule 3. */
const granted = (customerColumn: string) =>
  `EXISTS (SELECT 1 FROM handoffs.customer_access a WHERE a.customer_id = ${customerColumn} AND a.partner_id = ${ME})`;

/** An ACCEPTED handoff of the customer names the caller as receiver: the accept is under way (or done and not yet completed). */
const acceptedByMe = (customerColumn: string, extra = '') =>
  `EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.customer_id = ${customerColumn} AND h.to_partner_id = ${ME} AND h.state = 'ACCEPTED'${extra})`;

/**
 * A customer is visible while the caller owns it, holds a grant on it, or is named on one of
 * its handoffs (DESIGN.md; the loaders' canSeeCustomer). Record-level fields (owner,
 * history) narrow that further in the resolvers (canSeeRecord), and in ownership_changes.
 */
const customerVisible = `${ALL} OR customers.owner_partner_id = ${ME} OR ${granted('customers.id')}
  OR EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.customer_id = customers.id AND ${party('h')})`;

const handoffVisible = `${ALL} OR ${party('handoffs')}`;

const taskVisible = `${ALL} OR EXISTS (SELECT 1 FROM handoffs.handoffs h WHERE h.id = tasks.handoff_id AND ${party('h')})`;

/**
 * What each handoffs table shows a partner and what it may write, as the services enforce it
 * (services/access.ts; partner isolation is enforced twice, there and here).
 *
 * No two tables' policies read each other ("infinite recursion detected in policy"):
 * handoffs' policies are self-contained (its insert check reaches customers through an opaque
 * function), customer_access reads only handoffs, customers reads both, ownership_changes
 * and tasks read only tables below them.
 *
 * Locks: SELECT … FOR UPDATE needs a row to pass the UPDATE policy's USING as well as
 * SELECT's, so on the tables requests lock (customers, handoffs, tasks) UPDATE USING equals
 * the SELECT rule — otherwise a lock would hide rows the caller may see and turn FORBIDDEN
 * into NOT_FOUND. What a partner may change is held by WITH CHECK (and, where that needs the
 * old row, by the guard triggers below).
 */
const POLICIES: TablePolicies[] = [
  {
    // The projection of accounts' partner directory: public to every caller (a sender picks
    // any active receiver; Partner references resolve for everyone). Only the projection
    // consumer writes it.
    table: 'partners',
    select: ANY_CALLER,
    insert: SYSTEM,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // The projection of accounts' customers. The consumer creates and refreshes rows; a
    // partner's request changes one only by accepting a handoff of it, which makes the
    // receiver the owner (acceptInTransaction → transferOwnership).
    table: 'customers',
    select: customerVisible,
    insert: SYSTEM,
    update: { using: customerVisible, check: `${ALL} OR (customers.owner_partner_id = ${ME} AND ${acceptedByMe('customers.id')})` },
    delete: SYSTEM,
  },
  {
    // Grants: a partner sees its own. The one cross-partner case is the accept: the receiver
    // turns the previous owner's OWNER grant into COLLABORATOR (an upsert, so it must see that
    // grant too) and takes OWNER itself; both only while the handoff that moves the customer
    // is ACCEPTED and names it as receiver. Revoking (a reclaim) is the hub's, never a request's.
    table: 'customer_access',
    select: `${ALL} OR customer_access.partner_id = ${ME} OR ${acceptedByMe('customer_access.customer_id', ' AND h.from_partner_id = customer_access.partner_id')}`,
    insert: `${ALL} OR (customer_access.partner_id = ${ME} AND customer_access.kind = 'OWNER' AND ${acceptedByMe('customer_access.customer_id')})
      OR (customer_access.kind = 'COLLABORATOR' AND ${acceptedByMe('customer_access.customer_id', ' AND h.from_partner_id = customer_access.partner_id')})`,
    update: {
      using: `${ALL} OR customer_access.partner_id = ${ME} OR ${acceptedByMe('customer_access.customer_id', ' AND h.from_partner_id = customer_access.partner_id')}`,
      check: `${ALL} OR (customer_access.partner_id = ${ME} AND customer_access.kind = 'OWNER' AND ${acceptedByMe('customer_access.customer_id')})
        OR (customer_access.kind = 'COLLABORATOR' AND ${acceptedByMe('customer_access.customer_id', ' AND h.from_partner_id = customer_access.partner_id')})`,
    },
    delete: SYSTEM,
  },
  {
    // Reference data: how the hub works, read by every caller (PlaybookResolver). Only
    // internal teams publish (publishPlaybook); versions are never rewritten.
    table: 'playbooks',
    select: ANY_CALLER,
    insert: ALL,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // Rule 2: sender, proposer and receiver see a handoff in every state. A partner proposes
    // only a customer it owns, as its sender and proposer; afterwards the receiver moves it to
    // ACCEPTED, REJECTED or COMPLETED and the sender to CANCELLED (either may hold and resume).
    // EXPIRED is the hub's (SLA escalations).
    table: 'handoffs',
    select: handoffVisible,
    insert: `${ALL} OR (handoffs.state = 'PROPOSED' AND handoffs.from_partner_id = ${ME} AND handoffs.proposed_by_partner_id = ${ME}
      AND handoffs.owns_customer(handoffs.customer_id))`,
    update: {
      using: handoffVisible,
      check: `${ALL} OR (handoffs.to_partner_id = ${ME} AND handoffs.state IN ('PROPOSED', 'ACCEPTED', 'REJECTED', 'COMPLETED'))
        OR (${ME} IN (handoffs.from_partner_id, handoffs.proposed_by_partner_id) AND handoffs.state IN ('PROPOSED', 'ACCEPTED', 'CANCELLED'))`,
    },
    delete: SYSTEM,
  },
  {
    // The history of a customer is part of its record: grant holders read all of it (the
    // resolvers' canSeeRecord). A receiver appends the change its accept makes; the table is
    // append-only (a trigger refuses UPDATE and DELETE to everyone, the hub included).
    table: 'ownership_changes',
    select: `${ALL} OR ${granted('ownership_changes.customer_id')}`,
    insert: `${ALL} OR (ownership_changes.to_partner_id = ${ME} AND ownership_changes.actor_partner_id = ${ME}
      AND ${acceptedByMe('ownership_changes.customer_id', ' AND h.id = ownership_changes.handoff_id AND h.from_partner_id IS NOT DISTINCT FROM ownership_changes.from_partner_id')})`,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // Tasks are part of their handoff: its parties see them. The receiver's accept creates
    // its own; only the assignee marks one done.
    table: 'tasks',
    select: taskVisible,
    insert: `${ALL} OR (tasks.assignee_partner_id = ${ME} AND ${acceptedByMe('tasks.customer_id', ' AND h.id = tasks.handoff_id')})`,
    update: { using: taskVisible, check: `${ALL} OR tasks.assignee_partner_id = ${ME}` },
    delete: SYSTEM,
  },
];

/**
 * Postgres row-level security on every handoffs table: the services connect as a
 * role that neither owns the tables nor bypasses RLS, with the caller's tenant on each
 * connection, so a resolver that forgot a check still cannot read or write what the
 * caller may not.
 */
export class HandoffsRowLevelSecurity1733000000002 implements MigrationInterface {
  name = 'HandoffsRowLevelSecurity1733000000002';

  async up(q: QueryRunner): Promise<void> {
    // Opaque to the rewriter, unlike a subquery in the policy: customers' policy reads
    // handoffs, so a subquery on customers in handoffs' own policy would make the two read
    // each other. Runs as the caller (RLS applies inside), STABLE: it sees the customer as
    // the proposing statement's transaction does. Not inlined (SET clause).
    await q.query(`
      CREATE FUNCTION handoffs.owns_customer(customer uuid) RETURNS boolean
        LANGUAGE sql STABLE SET search_path = pg_catalog AS
      $$ SELECT EXISTS (SELECT 1 FROM handoffs.customers c WHERE c.id = customer AND c.owner_partner_id = hubsec.partner()) $$`);
    // WITH CHECK sees only the new row: which transition a party may make, and that the
    // terms of a handoff (who, what, for whom) never change once proposed, need the old one.
    // The hub (system, internal teams) is trusted with the state machine in code.
    await q.query(`
      CREATE FUNCTION handoffs.handoffs_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF hubsec.sees_all() THEN RETURN NEW; END IF;
        IF (NEW.id, NEW.customer_id, NEW.customer_name, NEW.moment, NEW.custom_moment, NEW.from_partner_id, NEW.to_partner_id,
            NEW.proposed_by_partner_id, NEW.to_partner_tier, NEW.customer_segment, NEW.customer_region, NEW.playbook_id,
            NEW.playbook_version, NEW.context_package, NEW.customer_message, NEW.data, NEW.required_data_complete,
            NEW.reassigned_from_id, NEW.proposed_at)
           IS DISTINCT FROM
           (OLD.id, OLD.customer_id, OLD.customer_name, OLD.moment, OLD.custom_moment, OLD.from_partner_id, OLD.to_partner_id,
            OLD.proposed_by_partner_id, OLD.to_partner_tier, OLD.customer_segment, OLD.customer_region, OLD.playbook_id,
            OLD.playbook_version, OLD.context_package, OLD.customer_message, OLD.data, OLD.required_data_complete,
            OLD.reassigned_from_id, OLD.proposed_at) THEN
          RAISE EXCEPTION 'the terms of handoff % do not change once proposed', OLD.id USING ERRCODE = '42501';
        END IF;
        IF NEW.state IS DISTINCT FROM OLD.state AND NOT (
             (hubsec.partner() = OLD.to_partner_id
               AND (OLD.state, NEW.state) IN (('PROPOSED', 'ACCEPTED'), ('PROPOSED', 'REJECTED'), ('ACCEPTED', 'COMPLETED')))
          OR (hubsec.partner() IN (OLD.from_partner_id, OLD.proposed_by_partner_id) AND OLD.state = 'PROPOSED' AND NEW.state = 'CANCELLED')) THEN
          RAISE EXCEPTION 'handoff %: a partner may not move it from % to %', OLD.id, OLD.state, NEW.state USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER handoffs_change_guard BEFORE UPDATE ON handoffs.handoffs
        FOR EACH ROW EXECUTE FUNCTION handoffs.handoffs_change_guard()`);
    // The customer projection is accounts' data: a request moves only its owner (an accept).
    await q.query(`
      CREATE FUNCTION handoffs.customers_change_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF NOT hubsec.is_system() AND (NEW.id, NEW.name, NEW.segment, NEW.region, NEW.lifecycle_stage)
                                      IS DISTINCT FROM (OLD.id, OLD.name, OLD.segment, OLD.region, OLD.lifecycle_stage) THEN
          RAISE EXCEPTION 'customer % is projected from accounts; only its events change it here', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER customers_change_guard BEFORE UPDATE ON handoffs.customers
        FOR EACH ROW EXECUTE FUNCTION handoffs.customers_change_guard()`);
    // The handoffs policy tests proposed_by_partner_id next to from/to, which are indexed.
    await q.query(`CREATE INDEX handoffs_proposed_by_idx ON handoffs.handoffs (proposed_by_partner_id) WHERE proposed_by_partner_id IS NOT NULL`);
    for (const statement of [...POLICIES.flatMap((p) => rlsPolicySql('handoffs', p)), ...idempotencyRlsSql('handoffs')]) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('handoffs', table)) await q.query(statement);
    }
    await q.query(`DROP POLICY IF EXISTS idempotency_keys_tenant ON handoffs.idempotency_keys`);
    await q.query(`ALTER TABLE handoffs.idempotency_keys NO FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE handoffs.idempotency_keys DISABLE ROW LEVEL SECURITY`);
    await q.query(`DROP INDEX IF EXISTS handoffs.handoffs_proposed_by_idx`);
    await q.query(`DROP TRIGGER IF EXISTS customers_change_guard ON handoffs.customers`);
    await q.query(`DROP FUNCTION IF EXISTS handoffs.customers_change_guard()`);
    await q.query(`DROP TRIGGER IF EXISTS handoffs_change_guard ON handoffs.handoffs`);
    await q.query(`DROP FUNCTION IF EXISTS handoffs.handoffs_change_guard()`);
    await q.query(`DROP FUNCTION IF EXISTS handoffs.owns_customer(uuid)`);
  }
}
