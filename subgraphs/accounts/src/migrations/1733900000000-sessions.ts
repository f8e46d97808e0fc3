import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';

/**
 * Only the hub starts a session (the gateway's sign-in asks accounts as its SERVICE identity,
 * which runs as the hub); a partner may see and end its own people's sessions (deactivating a
 * person revokes them in the caller's transaction), never another partner's.
 */
const SESSIONS: TablePolicies = {
  table: 'sessions',
  select: `${ALL} OR partner_id = hubsec.partner()`,
  insert: SYSTEM,
  update: { using: `${ALL} OR partner_id = hubsec.partner()` },
  delete: SYSTEM,
};

/**
 * Browser sessions of people who signed in with the company's OpenID provider
 * (docs/sign-in.md). Only a SHA-256 of the session secret is stored, as for API keys: the
 * table leaking signs nobody in. The composite key keeps a session's person inside its
 * partner; a revoked session stays revoked.
 */
export class Sessions1733900000000 implements MigrationInterface {
  name = 'Sessions1733900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts.sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL,
        person_id uuid NOT NULL,
        secret_hash text NOT NULL UNIQUE,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        expires_at timestamptz(3) NOT NULL,
        last_seen_at timestamptz(3) NOT NULL DEFAULT now(),
        revoked_at timestamptz(3),
        CHECK (expires_at > created_at),
        FOREIGN KEY (person_id, partner_id) REFERENCES accounts.people (id, partner_id)
      )`);
    await q.query(`CREATE INDEX sessions_person_live_idx ON accounts.sessions (person_id) WHERE revoked_at IS NULL`);
    await q.query(`CREATE INDEX sessions_partner_idx ON accounts.sessions (partner_id)`);
    // A sign-in looks a person up by e-mail across partners; the unique index leads with the partner.
    await q.query(`CREATE INDEX people_email_idx ON accounts.people (lower(email))`);
    await q.query(`
      CREATE FUNCTION accounts.sessions_revocation_guard() RETURNS trigger LANGUAGE plpgsql SET search_path = pg_catalog AS $$
      BEGIN
        IF OLD.revoked_at IS NOT NULL AND NEW.revoked_at IS DISTINCT FROM OLD.revoked_at THEN
          RAISE EXCEPTION 'session % is revoked for good', OLD.id USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE TRIGGER sessions_revocation_guard BEFORE UPDATE OF revoked_at ON accounts.sessions
        FOR EACH ROW EXECUTE FUNCTION accounts.sessions_revocation_guard()`);
    for (const sql of rlsPolicySql('accounts', SESSIONS)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropRlsPolicySql('accounts', 'sessions')) await q.query(sql);
    await q.query(`DROP INDEX accounts.people_email_idx`);
    await q.query(`DROP TABLE accounts.sessions`);
    await q.query(`DROP FUNCTION accounts.sessions_revocation_guard()`);
  }
}
