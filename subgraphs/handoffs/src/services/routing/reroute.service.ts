import type { Identity } from '../../../../../shared/auth/identity';
import { asHub } from '../../../../../shared/db/tenant-context';
import { isHubError } from '../../../../../shared/errors';
import { RejectionReasonCode } from '../../entities/enums';
import type { Handoff } from '../../entities/handoff.entity';
import { recordEvents } from '../handoff-events';
import { createProposal, noRouteEventOf } from '../propose.service';
import type { Sql } from '../sql';
import type { RoutingTrigger } from './types';

/** Rejections that say "not me, try the next one": routing re-routes them when the rule says rerouteOnReject. */
export const REROUTE_CODES: readonly RejectionReasonCode[] = [
  RejectionReasonCode.NO_CAPACITY,
  RejectionReasonCode.WRONG_REGION,
  RejectionReasonCode.WRONG_SEGMENT,
];

/** The hub proposing on the sender's behalf: internal rights, no partner. */
export const ROUTING_ACTOR: Identity = { role: 'SERVICE', scopes: ['handoffs:write'] };

/** Every receiver of the chain of re-routes and reassignments ending at `handoffId`: none gets the customer again. */
async function chainReceivers(sql: Sql, handoffId: string): Promise<string[]> {
  const rows: { to: string }[] = await sql.query(
    `WITH RECURSIVE chain(id, to_partner_id, previous) AS (
       SELECT id, to_partner_id, coalesce(rerouted_from_id, reassigned_from_id) FROM handoffs.handoffs WHERE id = $1
       UNION ALL
       SELECT h.id, h.to_partner_id, coalesce(h.rerouted_from_id, h.reassigned_from_id) FROM handoffs.handoffs h JOIN chain c ON h.id = c.previous
     ) SELECT DISTINCT to_partner_id AS to FROM chain`,
    [handoffId],
  );
  return rows.map((r) => r.to);
}

/**
 * Proposes the closed handoff `h` afresh through routing, with the same context, data and
 * playbook, skipping every receiver of its chain; as the hub, in the caller's transaction
 * (the rejecting receiver's, or the escalation consumer's). When routing finds nobody the
 * closing stands alone: a savepoint drops the attempt and NoRouteFound is recorded instead.
 * Returns the new handoff, or null.
 */
export async function proposeAgain(sql: Sql, h: Handoff, trigger: RoutingTrigger): Promise<Handoff | null> {
  return asHub(sql, async () => {
    const exclude = await chainReceivers(sql, h.id);
    await sql.query(`SAVEPOINT reroute`);
    try {
      const next = await createProposal(sql, ROUTING_ACTOR, {
        customerId: h.customerId,
        toPartnerId: null,
        moment: h.moment,
        customMoment: h.customMoment,
        playbookId: h.playbookId,
        contextPackage: h.contextPackage,
        customerMessage: h.customerMessage,
        data: h.data,
        reassignedFromId: trigger === 'SLA_REASSIGN' ? h.id : null,
        routing: { trigger, excludePartnerIds: exclude, reroutedFromId: trigger === 'REROUTE' ? h.id : null },
      });
      await sql.query(`RELEASE SAVEPOINT reroute`);
      return next;
    } catch (err) {
      if (!isHubError(err)) throw err;
      await sql.query(`ROLLBACK TO SAVEPOINT reroute`);
      const gap = noRouteEventOf(err);
      if (!gap) throw err;
      await recordEvents(sql, [gap]);
      return null;
    }
  });
}

/** After a rejection: re-route when the code asks for it and the handoff's rule says rerouteOnReject. */
export async function rerouteRejected(sql: Sql, rejected: Handoff): Promise<Handoff | null> {
  if (!rejected.routing?.rerouteOnReject || !rejected.reasonCode || !REROUTE_CODES.includes(rejected.reasonCode)) return null;
  return proposeAgain(sql, rejected, 'REROUTE');
}
