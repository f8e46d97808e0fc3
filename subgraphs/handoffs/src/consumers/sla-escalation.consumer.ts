import type { DataSource, EntityManager } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { isHubError } from '../../../../shared/errors';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { SLA_ESCALATION_REQUESTED, type SlaEscalationPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { HandoffState } from '../entities/enums';
import { recordEvents } from '../services/handoff-events';
import { selectHandoff } from '../services/handoff-store';
import { createProposal } from '../services/propose.service';
import { proposeAgain } from '../services/routing/reroute.service';
import { background } from '../services/sql';
import { expireInTransaction } from '../services/transition.service';

export const SLA_ESCALATION_CONSUMER = 'handoffs.sla-escalations';

/** The hub acting on an SLA breach: internal rights, no partner. */
const SLA_ACTOR: Identity = { role: 'SERVICE', scopes: ['sla:escalate'] };

/**
 * Carries out one escalation. RECLAIM: the handoff EXPIRES and the customer stays with (or,
 * if it had been accepted, returns to) the sender. REASSIGN: the same, then the sender's
 * proposal is made afresh to `reassignToPartnerId` with the same context and playbook, or,
 * when the policy names nobody, to the partner routing picks (never the breached receiver).
 * A handoff already closed is left alone, so a replayed escalation changes nothing.
 */
async function escalate(sql: EntityManager, event: HubEvent, log: Logger): Promise<void> {
  const payload = event.payload as unknown as SlaEscalationPayload;
  const h = await selectHandoff(sql, payload.handoff.id, true);
  if (!h || (h.state !== HandoffState.PROPOSED && h.state !== HandoffState.ACCEPTED)) return;
  const target = payload.clock?.target === 'COMPLETE' ? 'completion' : 'acceptance';
  const reason = `SLA for ${target} breached; ${payload.action === 'REASSIGN' ? 'reassigned' : 'reclaimed'} by escalation`;
  const { events } = await expireInTransaction(sql, SLA_ACTOR, h, reason);
  await recordEvents(sql, events);
  if (payload.action !== 'REASSIGN') return;
  // A policy that names no partner leaves the choice to routing (without the breached receiver).
  if (!payload.reassignToPartnerId) {
    const next = await proposeAgain(sql, h, 'SLA_REASSIGN');
    if (!next) log.warn({ handoffId: h.id }, 'SLA reassignment found no routing candidate; handoff reclaimed instead');
    return;
  }

  // The reassignment may be impossible (unknown partner, the sender itself): then the
  // reclaim stands alone. A savepoint keeps the expiry when the new proposal is refused.
  await sql.query(`SAVEPOINT reassign`);
  try {
    await createProposal(sql, SLA_ACTOR, {
      customerId: h.customerId,
      toPartnerId: payload.reassignToPartnerId,
      moment: h.moment,
      customMoment: h.customMoment,
      playbookId: h.playbookId,
      contextPackage: h.contextPackage,
      customerMessage: h.customerMessage,
      data: h.data,
      reassignedFromId: h.id,
    });
    await sql.query(`RELEASE SAVEPOINT reassign`);
  } catch (err) {
    if (!isHubError(err)) throw err;
    await sql.query(`ROLLBACK TO SAVEPOINT reassign`);
    log.warn({ handoffId: h.id, reassignTo: payload.reassignToPartnerId, err: err.message }, 'SLA reassignment refused; handoff reclaimed instead');
  }
}

/** Applies SlaEscalationRequested (written by slas) to handoffs, which owns EXPIRED and ownership. */
export function createSlaEscalationConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return new DurableConsumer({
    name: SLA_ESCALATION_CONSUMER,
    dataSource,
    log,
    types: [SLA_ESCALATION_REQUESTED],
    async handle(events, manager) {
      const sql = background(manager);
      for (const event of events) await escalate(sql, event, log);
    },
  });
}
