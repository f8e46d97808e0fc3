import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { SLA_AT_RISK, SLA_BREACHED, SLA_CLOCK_STARTED, SLA_CLOCK_STOPPED, type SlaEventPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';

export const SLA_CLOCKS_CONSUMER = 'handoffs.sla-clocks';
export const SLA_CLOCKS_TYPES = [SLA_CLOCK_STARTED, SLA_AT_RISK, SLA_BREACHED, SLA_CLOCK_STOPPED];

/**
 * Keeps, per SLA clock of a handoff, the last state slas reported: target, state, when it
 * started and when it is due (slas computes the due time in the policy's business calendar;
 * a paused clock has none). A handoff's priority reads its risk from the clock of the target
 * it waits for (shared/priority.ts). One upsert a batch: the batch's last event per clock,
 * and an event at or before the one a row holds (a replay) changes nothing.
 *
 * In the same transaction, each breach: its target (ACCEPT or COMPLETE), the due time it
 * passed and whom it holds to account. ownershipGaps lists an open handoff whose breached
 * target is the one it still waits for as STALLED_HANDOFF (services/ownership-gap.service.ts).
 * One insert a batch with breaches; a replayed breach is the same clock and inserts nothing.
 *
 * The demo history is figures, not work: its clocks put nothing at risk and stall nothing.
 */
export function createSlaClocksConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return new DurableConsumer({
    name: SLA_CLOCKS_CONSUMER,
    dataSource,
    log,
    types: SLA_CLOCKS_TYPES,
    batchSize: 500,
    async handle(events, manager) {
      const byClock = new Map<string, Record<string, unknown>>();
      for (const event of events) {
        const { clock, handoff } = event.payload as unknown as SlaEventPayload;
        byClock.set(clock.id, {
          clock_id: clock.id,
          handoff_id: clock.handoffId ?? handoff.id,
          target: clock.target,
          state: clock.state,
          started_at: clock.startedAt,
          due_at: clock.dueAt,
          at_risk_at: clock.atRiskAt ?? (event.type === SLA_AT_RISK ? event.occurredAt.toISOString() : null),
          tx: event.position.tx,
          seq: event.position.seq,
        });
      }
      await manager.query(
        `${BACKGROUND}INSERT INTO handoffs.handoff_sla_clocks AS k (clock_id, handoff_id, target, state, started_at, due_at, at_risk_at, last_event_tx, last_event_seq)
         SELECT clock_id, handoff_id, target, state, started_at, due_at, at_risk_at, tx, seq
           FROM jsonb_to_recordset($1::jsonb) AS r(clock_id uuid, handoff_id uuid, target text, state text, started_at timestamptz, due_at timestamptz,
                at_risk_at timestamptz, tx numeric, seq numeric)
         ON CONFLICT (clock_id) DO UPDATE SET state = EXCLUDED.state, started_at = EXCLUDED.started_at, due_at = EXCLUDED.due_at,
           at_risk_at = COALESCE(EXCLUDED.at_risk_at, k.at_risk_at), last_event_tx = EXCLUDED.last_event_tx, last_event_seq = EXCLUDED.last_event_seq
         WHERE (EXCLUDED.last_event_tx, EXCLUDED.last_event_seq) > (k.last_event_tx, k.last_event_seq)`,
        [JSON.stringify([...byClock.values()])],
      );
      const breaches = events.filter((e) => e.type === SLA_BREACHED);
      if (breaches.length > 0) await recordBreaches(breaches, manager);
    },
  });
}

async function recordBreaches(breaches: HubEvent[], manager: EntityManager): Promise<void> {
  const rows = breaches.map((event) => {
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
}
