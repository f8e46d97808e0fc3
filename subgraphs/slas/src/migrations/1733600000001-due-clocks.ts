import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';
const ME = 'hubsec.partner()';

/**
 * The loaders' rule (slas.loaders.ts: dueClock; HandoffDue.slaClock): internal teams see
 * every PROPOSE clock, a partner those it is accountable for (the due's accountable party,
 * which it stays for the clock's life). Only the due consumer and the scheduler write them;
 * an internal setSlaPolicy(applyToRunningClocks) moves running ones to the new version.
 */
const POLICIES: TablePolicies[] = [
  {
    table: 'due_clocks',
    select: `${ALL} OR due_clocks.accountable_partner_id = ${ME}`,
    insert: SYSTEM,
    update: { using: ALL },
    delete: SYSTEM,
  },
];

/**
 * PROPOSE clocks, one per HandoffDue that came due under a policy with proposeWithin. A due
 * has no pauses (nobody holds a handoff not yet proposed), so a clock runs from its start
 * until it stops; `elapsed_ms` is its final business time once stopped. `due` is the due as
 * its last HandoffDue* event carried it (the SlaDue* events repeat it). `next_action_at`
 * drives the breach scheduler as on slas.clocks.
 */
export class DueClocks1733600000001 implements MigrationInterface {
  name = 'DueClocks1733600000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE slas.due_clocks (
        id uuid PRIMARY KEY,
        due_id uuid NOT NULL UNIQUE,
        customer_id uuid NOT NULL,
        moment text NOT NULL,
        accountable_partner_id uuid,
        state text NOT NULL CHECK (state IN ('RUNNING','AT_RISK','MET','BREACHED','CANCELLED')),
        policy_id uuid NOT NULL,
        policy_version int NOT NULL,
        target_ms bigint NOT NULL CHECK (target_ms > 0),
        warning_ms bigint NOT NULL,
        started_at timestamptz(3) NOT NULL,
        elapsed_ms bigint NOT NULL DEFAULT 0,
        warning_at timestamptz(3),
        due_at timestamptz(3),
        at_risk_at timestamptz(3),
        breached_at timestamptz(3),
        stopped_at timestamptz(3),
        decided_at timestamptz(3),
        next_action text CHECK (next_action IN ('WARN','BREACH')),
        next_action_at timestamptz(3),
        due jsonb NOT NULL,
        started_by_event uuid NOT NULL UNIQUE,
        FOREIGN KEY (policy_id, policy_version) REFERENCES slas.policy_versions(policy_id, version)
      )`);
    await q.query(`CREATE INDEX due_clocks_next_action_idx ON slas.due_clocks (next_action_at) WHERE next_action_at IS NOT NULL`);
    await q.query(`CREATE INDEX due_clocks_accountable_idx ON slas.due_clocks (accountable_partner_id) WHERE accountable_partner_id IS NOT NULL`);
    await q.query(`CREATE INDEX due_clocks_policy_open_idx ON slas.due_clocks (policy_id) WHERE stopped_at IS NULL`);
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('slas', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('slas', table)) await q.query(statement);
    }
    await q.query(`DROP TABLE IF EXISTS slas.due_clocks`);
  }
}
