import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';

/**
 * A partner reads and manages its own people; internal teams anyone's. A person is never
 * deleted (its name stays on the handoffs and tasks it touched): it is deactivated.
 */
const PEOPLE: TablePolicies = {
  table: 'people',
  select: `${ALL} OR partner_id = hubsec.partner()`,
  insert: `${ALL} OR partner_id = hubsec.partner()`,
  update: { using: `${ALL} OR partner_id = hubsec.partner()` },
  delete: SYSTEM,
};

/**
 * People (docs/people.md): who works at a partner or internal team, and the API keys bound
 * to one of them. The composite foreign key keeps a key's person inside the key's partner,
 * whatever a resolver might forget.
 */
export class People1733800000000 implements MigrationInterface {
  name = 'People1733800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE accounts.people (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        partner_id uuid NOT NULL REFERENCES accounts.partners(id),
        name text NOT NULL CHECK (length(btrim(name)) > 0),
        email text NOT NULL CHECK (email ~ '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'),
        role text NOT NULL CHECK (role IN ('PARTNER_MANAGER','ONBOARDING_LEAD','SUCCESS_MANAGER','SALES_REP','ADMIN')),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE','DEACTIVATED')),
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        UNIQUE (id, partner_id)
      )`);
    // Unique per partner whatever the case: Ann@x.com and ann@x.com are one mailbox.
    await q.query(`CREATE UNIQUE INDEX people_partner_email_uq ON accounts.people (partner_id, lower(email))`);
    await q.query(`CREATE INDEX people_partner_idx ON accounts.people (partner_id, created_at, id)`);
    await q.query(`ALTER TABLE accounts.api_keys ADD COLUMN person_id uuid`);
    await q.query(
      `ALTER TABLE accounts.api_keys ADD CONSTRAINT api_keys_person_fk FOREIGN KEY (person_id, partner_id) REFERENCES accounts.people (id, partner_id)`,
    );
    await q.query(`CREATE INDEX api_keys_person_idx ON accounts.api_keys (person_id) WHERE person_id IS NOT NULL`);
    for (const sql of rlsPolicySql('accounts', PEOPLE)) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of dropRlsPolicySql('accounts', 'people')) await q.query(sql);
    await q.query(`ALTER TABLE accounts.api_keys DROP COLUMN person_id`);
    await q.query(`DROP TABLE accounts.people`);
  }
}
