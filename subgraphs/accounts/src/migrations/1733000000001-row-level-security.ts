import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';
import { idempotencyRlsSql } from '../../../../shared/db/idempotency';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';

/** The caller holds a grant on the row's customer (owner or collaborator): the resolvers' rule. */
const grantedOn = (customerColumn: string) =>
  `EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = ${customerColumn} AND a.partner_id = hubsec.partner())`;

/**
 * A customer is the caller's while it holds a grant on it, or owns it: the owner's grant row
 * is written after the customer, and INSERT ... RETURNING must already see the new row.
 */
const customerVisible = `${ALL} OR customers.owner_partner_id = hubsec.partner() OR ${grantedOn('customers.id')}`;

const ownWebhook = (webhookColumn: string) => `EXISTS (SELECT 1 FROM accounts.webhooks w WHERE w.id = ${webhookColumn} AND w.partner_id = hubsec.partner())`;

/**
 * What each table shows a partner and what it may write, as the resolvers enforce it
 * (partner isolation is enforced twice: in the resolvers and in Postgres). No two tables' policies reference each
 * other: customer_access and webhooks, the tables the others lean on, are self-contained
 * (customer_access's insert check reads customers only through an opaque function, below).
 */
const POLICIES: TablePolicies[] = [
  {
    // The partner directory: every authenticated caller may read it (needed to hand a
    // customer on); a session with no tenant, none. Only internal teams create partners; a
    // partner may lock its own row (createApiKey takes FOR UPDATE to serialise its key cap)
    // but never change it.
    table: 'partners',
    select: `hubsec.tenant() <> 'none'`,
    insert: ALL,
    update: { using: `${ALL} OR id = hubsec.partner()`, check: ALL },
    delete: SYSTEM,
  },
  {
    // Owner or grant holder reads and edits; a partner creates only customers it owns.
    // Ownership itself never moves here (see customers_owner_guard below).
    table: 'customers',
    select: customerVisible,
    insert: `${ALL} OR owner_partner_id = hubsec.partner()`,
    update: { using: customerVisible },
    delete: SYSTEM,
  },
  {
    // Self-contained (customers' policy reads it). A partner sees its own grants, and may add
    // only the OWNER grant of a customer it has just created; moving access is the ownership
    // consumer's work.
    table: 'customer_access',
    select: `${ALL} OR partner_id = hubsec.partner()`,
    insert: `${ALL} OR (partner_id = hubsec.partner() AND kind = 'OWNER' AND accounts.owns_customer(customer_id))`,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // Visible with the customer; a partner links its own system's ids to customers it holds.
    table: 'customer_external_ids',
    select: `${ALL} OR ${grantedOn('customer_external_ids.customer_id')}`,
    insert: `${ALL} OR (partner_id = hubsec.partner() AND ${grantedOn('customer_external_ids.customer_id')})`,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // A partner manages its own keys and can never mint one carrying the admin scope (only
    // internal teams, which run as tenant internal, hold it).
    table: 'api_keys',
    select: `${ALL} OR partner_id = hubsec.partner()`,
    insert: `${ALL} OR (partner_id = hubsec.partner() AND NOT 'admin' = ANY(scopes))`,
    update: { using: `${ALL} OR partner_id = hubsec.partner()`, check: `${ALL} OR (partner_id = hubsec.partner() AND NOT 'admin' = ANY(scopes))` },
    delete: SYSTEM,
  },
  {
    // Reviewed by internal teams only; a partner's sync records its claim as the hub (it
    // names the owner, whom the claimant must not learn).
    table: 'customer_ownership_claims',
    select: ALL,
    insert: ALL,
    update: { using: ALL },
    delete: SYSTEM,
  },
  {
    // Self-contained (deliveries and attempts read it). A partner's own endpoints, never one
    // flagged internal: that flag makes the fan-out deliver every event of the hub.
    table: 'webhooks',
    select: `${ALL} OR partner_id = hubsec.partner()`,
    insert: `${ALL} OR (partner_id = hubsec.partner() AND NOT owner_internal)`,
    update: { using: `${ALL} OR partner_id = hubsec.partner()`, check: `${ALL} OR (partner_id = hubsec.partner() AND NOT owner_internal)` },
    delete: `${ALL} OR partner_id = hubsec.partner()`,
  },
  {
    // Written by the fan-out consumer and the delivery worker; a partner reads its
    // endpoints' log and re-queues deliveries (redeliver, resume).
    table: 'webhook_deliveries',
    select: `${ALL} OR ${ownWebhook('webhook_deliveries.webhook_id')}`,
    insert: SYSTEM,
    update: { using: `${ALL} OR ${ownWebhook('webhook_deliveries.webhook_id')}` },
    delete: SYSTEM,
  },
  {
    // The delivery worker's attempt log: read-only to the endpoint's owner.
    table: 'webhook_attempts',
    select: `${ALL} OR EXISTS (SELECT 1 FROM accounts.webhook_deliveries d JOIN accounts.webhooks w ON w.id = d.webhook_id
                                WHERE d.id = webhook_attempts.delivery_id AND w.partner_id = hubsec.partner())`,
    insert: SYSTEM,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
];

/**
 * Postgres row-level security on every accounts table: the services connect as a
 * role that neither owns the tables nor bypasses RLS, with the caller's tenant on each
 * connection, so a resolver that forgot a check still cannot read or write another
 * partner's rows.
 */
export class AccountsRowLevelSecurity1733000000001 implements MigrationInterface {
  name = 'AccountsRowLevelSecurity1733000000001';

  async up(q: QueryRunner): Promise<void> {
    // An opaque function rather than a subquery in customer_access's own policy: customers'
    // policy reads customer_access, and two policies that read each other's tables make
    // Postgres refuse every query on them ("infinite recursion detected in policy"). Called
    // as the caller, so it sees only customers the caller may see; STABLE, so within the
    // inserting statement it sees the customer a previous statement of the transaction made.
    await q.query(`
      CREATE FUNCTION accounts.owns_customer(customer uuid) RETURNS boolean
        LANGUAGE sql STABLE SET search_path = pg_catalog AS
      $$ SELECT EXISTS (SELECT 1 FROM accounts.customers c WHERE c.id = customer AND c.owner_partner_id = hubsec.partner()) $$`);
    // WITH CHECK sees only the new row, so "ownership does not change" needs a trigger: it
    // moves through handoffs, applied by the ownership consumer (tenant system), never by a
    // customer update.
    await q.query(`
      CREATE FUNCTION accounts.customers_owner_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF NEW.owner_partner_id IS DISTINCT FROM OLD.owner_partner_id AND NOT hubsec.is_system() THEN
          RAISE EXCEPTION 'the owner of customer % changes only through a handoff', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER customers_owner_guard BEFORE UPDATE OF owner_partner_id ON accounts.customers
        FOR EACH ROW EXECUTE FUNCTION accounts.customers_owner_guard()`);
    // Revocation is final, whoever asks (rotation makes a new key): a policy cannot compare
    // the old row with the new one, a trigger can.
    await q.query(`
      CREATE FUNCTION accounts.api_keys_revocation_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
          RAISE EXCEPTION 'API key % is revoked for good', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER api_keys_revocation_guard BEFORE UPDATE OF revoked_at ON accounts.api_keys
        FOR EACH ROW EXECUTE FUNCTION accounts.api_keys_revocation_guard()`);
    // The api_keys policy filters on partner_id, which had no index (listApiKeys' order too).
    await q.query(`CREATE INDEX api_keys_partner_idx ON accounts.api_keys (partner_id, created_at, id)`);
    for (const statement of [...POLICIES.flatMap((p) => rlsPolicySql('accounts', p)), ...idempotencyRlsSql('accounts')]) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('accounts', table)) await q.query(statement);
    }
    await q.query(`DROP POLICY IF EXISTS idempotency_keys_tenant ON accounts.idempotency_keys`);
    await q.query(`ALTER TABLE accounts.idempotency_keys NO FORCE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE accounts.idempotency_keys DISABLE ROW LEVEL SECURITY`);
    await q.query(`DROP INDEX IF EXISTS accounts.api_keys_partner_idx`);
    await q.query(`DROP TRIGGER IF EXISTS api_keys_revocation_guard ON accounts.api_keys`);
    await q.query(`DROP FUNCTION IF EXISTS accounts.api_keys_revocation_guard()`);
    await q.query(`DROP TRIGGER IF EXISTS customers_owner_guard ON accounts.customers`);
    await q.query(`DROP FUNCTION IF EXISTS accounts.customers_owner_guard()`);
    await q.query(`DROP FUNCTION IF EXISTS accounts.owns_customer(uuid)`);
  }
}
