import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { SLA_BREACHED, type SlaEventPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';

export const SLA_BREACHES_CONSUMER = 'handoffs.sla-breaches';
export const SLA_BREACHES_TYPES = [SLA_BREACHED];

/**
 * Keeps, per SLA clock, the breach slas reported for a handoff: its target (ACCEPT or
 * COMPLETE), the due time it passed (slas computed it in the policy's business calendar) and
 * whom it holds to account. ownershipGaps lists an open handoff whose breached target is the
 * one it still waits for as STALLED_HANDOFF (services/ownership-gap.service.ts). One insert
 * a batch; a replayed breach is the same clock and inserts nothing. The demo history is
 * figures, not work: its breaches stall nothing.
 */
export function createSlaBreachesConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return new DurableConsumer({
    name: SLA_BREACHES_CONSUMER,
    dataSource,
    log,
    types: SLA_BREACHES_TYPES,
    batchSize: 500,
    async handle(events, manager) {
      const rows = events.map((event) => {
        const { clock, handoff } = event.payload as unknown as SlaEventPayload;
        const breachedAt = clock.breachedAt ?? event.occurredAt.toISOString();
        return {
          clock_id: clock.id,
          handoff_id: clock.handoffId ?? handoff.id,
          target: clock.target,
          due_at: clock.dueAt ?? breachedAt,
          breached_at: breachedAt,
          accountable_partner_id: clock.accountablePartnerId ?? handoff.toPartnerId,
          event_id: event.id,
        };
      });
      await manager.query(
        `${BACKGROUND}INSERT INTO handoffs.handoff_sla_breaches (clock_id, handoff_id, target, due_at, breached_at, accountable_partner_id, event_id)
         SELECT clock_id, handoff_id, target, due_at, breached_at, accountable_partner_id, event_id
           FROM jsonb_to_recordset($1::jsonb) AS r(clock_id uuid, handoff_id uuid, target text, due_at timestamptz, breached_at timestamptz,
                accountable_partner_id uuid, event_id uuid)
         ON CONFLICT (clock_id) DO NOTHING`,
        [JSON.stringify(rows)],
      );
    },
  });
}
