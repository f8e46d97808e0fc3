import type { DataSource } from 'typeorm';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import {
  HANDOFF_DUE_OPENED,
  SLA_DUE_ESCALATION_REQUESTED,
  type HandoffDueEventPayload,
  type SlaDueEscalationPayload,
} from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { proposeDues, type DueProposalRequest } from '../services/due-proposal.service';
import { background } from '../services/sql';

export const DUE_PROPOSALS_CONSUMER = 'handoffs.due-proposals';
export const DUE_PROPOSALS_TYPES = [HANDOFF_DUE_OPENED, SLA_DUE_ESCALATION_REQUESTED];

/**
 * What a batch asks the hub to propose: every OPEN due opened with its trigger's autoPropose,
 * and every due whose SLA PROPOSE target was breached under a REASSIGN policy. Nothing else
 * (a due opened without autoPropose, one superseded at once) costs anything.
 */
export function dueProposalRequests(events: HubEvent[]): DueProposalRequest[] {
  const requests: DueProposalRequest[] = [];
  for (const event of events) {
    if (event.type === HANDOFF_DUE_OPENED) {
      const { due } = event.payload as unknown as HandoffDueEventPayload;
      if (due.autoPropose && due.state === 'OPEN') requests.push({ dueId: due.id, customerId: due.customerId, trigger: 'AUTO_PROPOSE', toPartnerId: null });
    } else if (event.type === SLA_DUE_ESCALATION_REQUESTED) {
      const payload = event.payload as unknown as SlaDueEscalationPayload;
      if (payload.action !== 'REASSIGN') continue;
      requests.push({ dueId: payload.due.id, customerId: payload.due.customerId, trigger: 'DUE_ESCALATION', toPartnerId: payload.reassignToPartnerId ?? null });
    }
  }
  return requests;
}

/**
 * The hub proposing dues itself (docs/journeys.md): HandoffDueOpened of an autoPropose
 * trigger, and slas' SlaDueEscalationRequested. Set-based (services/due-proposal.service.ts:
 * a fixed number of statements a batch), exactly once: the durable position and the row
 * lock keep two instances from applying one event twice, and a replayed event finds its due
 * no longer OPEN. A batch with nothing to propose costs no SQL beyond the position.
 */
export function createDueProposalsConsumer(dataSource: DataSource, log: Logger, opts: { batchSize?: number } = {}): DurableConsumer {
  return new DurableConsumer({
    name: DUE_PROPOSALS_CONSUMER,
    dataSource,
    log,
    types: DUE_PROPOSALS_TYPES,
    batchSize: opts.batchSize ?? 500,
    async handle(events, manager) {
      const requests = dueProposalRequests(events);
      if (!requests.length) return;
      const outcomes = await proposeDues(background(manager), requests);
      const escalations = new Set(requests.filter((r) => r.trigger === 'DUE_ESCALATION').map((r) => r.dueId));
      for (const o of outcomes) {
        // An escalation that could not propose is worth a line: the breach stands without a handoff.
        if (escalations.has(o.dueId) && o.outcome !== 'PROPOSED' && o.outcome !== 'NOT_OPEN') {
          log.warn({ dueId: o.dueId, outcome: o.outcome }, 'SLA PROPOSE escalation could not propose the due; it stays OPEN');
        }
      }
    },
  });
}
