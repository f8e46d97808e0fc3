import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dropRlsPolicySql, rlsPolicySql, type TablePolicies } from '../../../../shared/db/rls-policies';

const ALL = 'hubsec.sees_all()';
const SYSTEM = 'hubsec.is_system()';
const ME = 'hubsec.partner()';

/**
 * The caller was named on the handoff as sender or receiver, ever: slas' projection keeps
 * everyone a handoff named in `participants` (GIN-indexed; `@>` is the operator it serves).
 */
const participant = (h: string) => `${h}.participants @> ARRAY[${ME}]`;

const onMyHandoff = (handoffColumn: string) => `EXISTS (SELECT 1 FROM slas.handoffs h WHERE h.id = ${handoffColumn} AND ${participant('h')})`;

/**
 * The loaders' rule (slas.loaders.ts: clock, handoffClocks; SlaClockResolver.slaClocks): a
 * partner sees the clocks of handoffs it sends or receives. Clocks held against it (the
 * receiver it was when the clock started; `slaAttainment` counts them for the partner
 * itself) are among those, since participants only grow; testing the column first spares
 * the attainment count a lookup per row.
 */
const clockVisible = `${ALL} OR clocks.accountable_partner_id = ${ME} OR ${onMyHandoff('clocks.handoff_id')}`;

/** A pause is part of its clock. Written out rather than left to clocks' own policy, so it reads plainly. */
const pauseVisible = `${ALL} OR EXISTS (SELECT 1 FROM slas.clocks c JOIN slas.handoffs h ON h.id = c.handoff_id
  WHERE c.id = clock_pauses.clock_id AND (c.accountable_partner_id = ${ME} OR ${participant('h')}))`;

/**
 * What each slas table shows a partner and what it may write, as the resolvers enforce it
 * (partner isolation is enforced twice: in the resolvers and in Postgres). No partner request writes anything in
 * slas: clocks and projections are the clock consumer's and the breach scheduler's (system),
 * policies are internal teams' (setSlaPolicy, which with applyToRunningClocks also moves
 * running clocks and their pauses to the new version, as the internal caller).
 *
 * Policies read only tables below them (clock_pauses → clocks → handoffs), never each other.
 */
const POLICIES: TablePolicies[] = [
  {
    // Policies are no secret (SlaPolicyResolver): every caller reads them, and the clock
    // consumer picks one for any handoff. Internal teams set them; the seed runs as system.
    table: 'policies',
    select: 'true',
    insert: ALL,
    update: { using: ALL },
    delete: SYSTEM,
  },
  {
    // Immutable versions of a public policy: written once by setSlaPolicy, never changed.
    table: 'policy_versions',
    select: 'true',
    insert: ALL,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // The projection of handoffs' events, which decides who sees a clock; only the consumer writes it.
    table: 'handoffs',
    select: `${ALL} OR ${participant('handoffs')}`,
    insert: SYSTEM,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // Which moment a published playbook serves: playbooks are visible to every caller
    // (Playbook.slaPolicy resolves for anyone). Only the consumer writes it.
    table: 'playbooks',
    select: 'true',
    insert: SYSTEM,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
  {
    // The consumer starts and stops clocks and the scheduler flips them; an internal
    // setSlaPolicy(applyToRunningClocks) moves them to a new policy version.
    table: 'clocks',
    select: clockVisible,
    insert: SYSTEM,
    update: { using: ALL },
    delete: SYSTEM,
  },
  {
    // As their clock; the consumer opens and closes them, a policy move re-measures them.
    table: 'clock_pauses',
    select: pauseVisible,
    insert: SYSTEM,
    update: { using: ALL },
    delete: SYSTEM,
  },
  {
    // The consumer's ledger of applied event ids: the hub's bookkeeping, no partner's data.
    table: 'applied_events',
    select: ALL,
    insert: SYSTEM,
    update: { using: SYSTEM },
    delete: SYSTEM,
  },
];

/**
 * Postgres row-level security on every slas table: the service connects as a role
 * that neither owns the tables nor bypasses RLS, with the caller's tenant on each
 * connection, so a resolver that forgot a check still cannot read or write what the caller
 * may not.
 */
export class SlasRowLevelSecurity1733000000003 implements MigrationInterface {
  name = 'SlasRowLevelSecurity1733000000003';

  async up(q: QueryRunner): Promise<void> {
    for (const statement of POLICIES.flatMap((p) => rlsPolicySql('slas', p))) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const { table } of POLICIES) {
      for (const statement of dropRlsPolicySql('slas', table)) await q.query(statement);
    }
  }
}
