import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { appendEvents, type NewEvent } from '../../../../shared/eventlog/event-log';
import {
  HANDOFF_DUE_EVENT_TYPES,
  HANDOFF_EVENT_TYPES,
  SLA_AT_RISK,
  SLA_BREACHED,
  SLA_DUE_AT_RISK,
  SLA_DUE_BREACHED,
  SLA_DUE_ESCALATION_REQUESTED,
  SLA_ESCALATION_REQUESTED,
  type HandoffSnapshot,
  type SlaDueEscalationPayload,
  type SlaEscalationPayload,
} from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';
import { SlaClockState, SlaEscalationAction } from '../entities/enums';
import { CLOCK_COLUMNS, CLOCK_FROM, toClock, type ClockRow } from './clock-rows';
import { DUE_CLOCK_COLUMNS, DUE_CLOCK_FROM, toDueClock, type DueClockRow } from './due-clock-rows';
import { DUE_CLOCK_CONSUMER, dueClockSnapshot, slaDueEvent } from './due-clock.service';
import { clockSnapshot, slaEvent } from './sla-events';

/** Options for {@link SlaScheduler}. */
export interface SlaSchedulerOptions {
  dataSource: DataSource;
  log: Logger;
  /** The clock consumer's name: a clock whose handoff has events it has not applied yet waits for them. */
  consumerName: string;
  /** The due consumer's name: a PROPOSE clock whose due has events it has not applied yet waits for them. Default slas.due-clocks. */
  dueConsumerName?: string;
  /** Longest sleep between sweeps (the safety net); the scheduler also wakes at the next due time it knows. Default 10000. */
  pollMs?: number;
  /** Clocks flipped per transaction. Default 500. */
  batchSize?: number;
  /** The clock (tests and benchmarks move it). */
  now?: () => Date;
}

interface DueClockDueRow extends DueClockRow {
  next_action: 'WARN' | 'BREACH';
  next_action_at: Date;
  escalation: SlaEscalationAction;
  reassign_to_partner_id: string | null;
}

interface DueRow extends ClockRow {
  next_action: 'WARN' | 'BREACH';
  next_action_at: Date;
  escalation: SlaEscalationAction;
  reassign_to_partner_id: string | null;
  snapshot: HandoffSnapshot;
}

/**
 * Flips clocks to AT_RISK and BREACHED when their time comes: handoffs' clocks (ACCEPT,
 * COMPLETE) and dues' PROPOSE clocks alike. The work queue is the clocks tables themselves
 * (`next_action_at`, partially indexed): each sweep claims due rows
 * with `FOR UPDATE SKIP LOCKED`, flips them and appends their events in one transaction,
 * so with any number of instances each flip happens exactly once, and whatever came due
 * while every instance was down is flipped by the first sweep after start.
 */
export class SlaScheduler {
  private timer: NodeJS.Timeout | undefined;
  private armedAt: number | undefined;
  private pendingWake: Date | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly now: () => Date;

  constructor(private readonly opts: SlaSchedulerOptions) {
    this.pollMs = opts.pollMs ?? 10_000;
    this.batchSize = opts.batchSize ?? 500;
    this.now = opts.now ?? (() => new Date());
  }

  start(): void {
    this.stopped = false;
    this.poke();
  }

  /** Sweeps now (coalescing with a sweep in progress), then sleeps until the next due time. */
  poke(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.running = (async () => {
      let next: Date | null = null;
      try {
        do {
          this.again = false;
          await this.sweep();
        } while (this.again && !this.stopped);
        next = await this.nextDue();
      } catch (err) {
        this.opts.log.warn({ err: (err as Error).message }, 'sla scheduler sweep failed; will retry');
      }
      const wait = next ? Math.max(10, Math.min(this.pollMs, next.getTime() - this.now().getTime())) : this.pollMs;
      this.arm(wait);
    })().finally(() => {
      this.running = undefined;
      const pending = this.pendingWake;
      this.pendingWake = undefined;
      if (pending) this.wakeAt(pending);
    });
  }

  private arm(waitMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = Date.now() + waitMs;
    this.timer = setTimeout(() => this.poke(), waitMs);
    this.timer.unref();
  }

  /**
   * A clock is now due at `at` (the clock consumer says so after it commits): sleep no
   * longer than that. No SQL: the sweep runs when the time comes.
   */
  wakeAt(at: Date | null): void {
    if (this.stopped || !at) return;
    if (this.running) {
      // The sweep in progress may have looked before that commit.
      if (!this.pendingWake || at < this.pendingWake) this.pendingWake = at;
      return;
    }
    const wait = Math.max(10, at.getTime() - this.now().getTime());
    if (this.armedAt !== undefined && this.armedAt <= Date.now() + wait) return;
    this.arm(wait);
  }

  /** Flips everything due now, batch after batch; returns how many clocks it flipped. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      // A short batch proves nothing with other instances sweeping (their commits drop rows
      // from ours), so keep going until a batch flips nothing: empty, or all waiting on the consumer.
      const { flipped } = await this.sweepOnce();
      total += flipped;
      if (flipped === 0 || this.stopped) return total;
    }
  }

  private async nextDue(): Promise<Date | null> {
    // least() skips nulls: whichever table has the earlier next action.
    const rows: { at: Date | null }[] = await this.opts.dataSource.query(
      `${BACKGROUND}SELECT least((SELECT min(next_action_at) FROM slas.clocks WHERE next_action_at IS NOT NULL),
                                 (SELECT min(next_action_at) FROM slas.due_clocks WHERE next_action_at IS NOT NULL)) AS at`,
    );
    return rows[0]?.at ?? null;
  }

  /** One transaction: claim up to batchSize due clocks of each table, flip them, append their events. */
  async sweepOnce(): Promise<{ claimed: number; flipped: number }> {
    const now = this.now();
    return this.opts.dataSource.transaction(async (manager) => {
      const handoffClocks = await this.sweepHandoffClocks(manager, now);
      const dueClocks = await this.sweepDueClocks(manager, now);
      return { claimed: handoffClocks.claimed + dueClocks.claimed, flipped: handoffClocks.flipped + dueClocks.flipped };
    });
  }

  /** Handoffs' ACCEPT and COMPLETE clocks. */
  private async sweepHandoffClocks(manager: EntityManager, now: Date): Promise<{ claimed: number; flipped: number }> {
    const rows: DueRow[] = await manager.query(
      `${BACKGROUND}SELECT ${CLOCK_COLUMNS}, c.next_action, c.next_action_at, v.escalation, v.reassign_to_partner_id, h.snapshot
           FROM ${CLOCK_FROM} JOIN slas.handoffs h ON h.id = c.handoff_id
          WHERE c.next_action_at <= $1
          ORDER BY c.next_action_at
          LIMIT $2
          FOR UPDATE OF c SKIP LOCKED`,
      [now, this.batchSize],
    );
    if (rows.length === 0) return { claimed: 0, flipped: 0 };
    const waiting = await this.handoffsWithUnappliedEvents(
      manager,
      rows.map((r) => r.handoff_id),
    );
    const updates: ClockUpdate[] = [];
    const events: NewEvent[] = [];
    for (const row of rows) {
      // An acceptance (or hold) not yet applied may mean this clock is not due at all.
      if (waiting.has(row.handoff_id)) continue;
      const c = toClock(row);
      const breach = row.next_action === 'BREACH' || (c.dueAt !== null && c.dueAt <= now);
      if (breach) {
        c.state = SlaClockState.BREACHED;
        c.breachedAt = c.dueAt ?? now;
        updates.push({ id: c.id, state: c.state, atRiskAt: c.atRiskAt, breachedAt: c.breachedAt, nextAction: null, nextActionAt: null });
        const snap = clockSnapshot(c, c.targetMs, c.pausedMs);
        events.push(slaEvent(SLA_BREACHED, snap, row.snapshot, { escalation: row.escalation }));
        if (row.escalation !== SlaEscalationAction.NOTIFY) {
          const escalation: SlaEscalationPayload = {
            clock: snap,
            handoff: row.snapshot,
            action: row.escalation as 'RECLAIM' | 'REASSIGN',
            reassignToPartnerId: row.reassign_to_partner_id,
          };
          events.push({ ...slaEvent(SLA_ESCALATION_REQUESTED, snap, row.snapshot), payload: escalation as unknown as Record<string, unknown> });
        }
      } else {
        c.state = SlaClockState.AT_RISK;
        c.atRiskAt = c.warningAt ?? now;
        updates.push({ id: c.id, state: c.state, atRiskAt: c.atRiskAt, breachedAt: null, nextAction: c.dueAt ? 'BREACH' : null, nextActionAt: c.dueAt });
        events.push(slaEvent(SLA_AT_RISK, clockSnapshot(c, c.warningMs, c.pausedMs), row.snapshot));
      }
    }
    if (updates.length > 0) {
      await updateClocks(manager, 'clocks', updates);
      await appendEvents(manager, events);
    }
    return { claimed: rows.length, flipped: updates.length };
  }

  /**
   * Dues' PROPOSE clocks. On breach the policy's escalation runs: REASSIGN asks handoffs to
   * propose the due itself (SlaDueEscalationRequested: to the policy's reassignToPartnerId,
   * or to the receiver routing picks when null); NOTIFY is the alert only, and so is RECLAIM,
   * since a due has no handoff to expire and no owner to take it back from.
   */
  private async sweepDueClocks(manager: EntityManager, now: Date): Promise<{ claimed: number; flipped: number }> {
    const rows: DueClockDueRow[] = await manager.query(
      `${BACKGROUND}SELECT ${DUE_CLOCK_COLUMNS}, c.next_action, c.next_action_at, v.escalation, v.reassign_to_partner_id
         FROM ${DUE_CLOCK_FROM}
        WHERE c.next_action_at <= $1
        ORDER BY c.next_action_at
        LIMIT $2
        FOR UPDATE OF c SKIP LOCKED`,
      [now, this.batchSize],
    );
    if (rows.length === 0) return { claimed: 0, flipped: 0 };
    const waiting = await this.withUnappliedEvents(
      manager,
      'HandoffDue',
      rows.map((r) => r.due_id),
      this.opts.dueConsumerName ?? DUE_CLOCK_CONSUMER,
      HANDOFF_DUE_EVENT_TYPES,
    );
    const updates: ClockUpdate[] = [];
    const events: NewEvent[] = [];
    for (const row of rows) {
      // A proposal not yet applied may mean this clock is not due at all.
      if (waiting.has(row.due_id)) continue;
      const c = toDueClock(row);
      const breach = row.next_action === 'BREACH' || (c.dueAt !== null && c.dueAt <= now);
      if (breach) {
        c.state = SlaClockState.BREACHED;
        c.breachedAt = c.dueAt ?? now;
        updates.push({ id: c.id, state: c.state, atRiskAt: c.atRiskAt, breachedAt: c.breachedAt, nextAction: null, nextActionAt: null });
        const snap = dueClockSnapshot(c, c.targetMs);
        const reassign = row.escalation === SlaEscalationAction.REASSIGN;
        events.push(slaDueEvent(SLA_DUE_BREACHED, snap, c.due, { escalation: reassign ? SlaEscalationAction.REASSIGN : SlaEscalationAction.NOTIFY }));
        if (reassign) {
          const escalation: SlaDueEscalationPayload = { clock: snap, due: c.due, action: 'REASSIGN', reassignToPartnerId: row.reassign_to_partner_id };
          events.push({ ...slaDueEvent(SLA_DUE_ESCALATION_REQUESTED, snap, c.due), payload: escalation as unknown as Record<string, unknown> });
        }
      } else {
        c.state = SlaClockState.AT_RISK;
        c.atRiskAt = c.warningAt ?? now;
        updates.push({ id: c.id, state: c.state, atRiskAt: c.atRiskAt, breachedAt: null, nextAction: c.dueAt ? 'BREACH' : null, nextActionAt: c.dueAt });
        events.push(slaDueEvent(SLA_DUE_AT_RISK, dueClockSnapshot(c, c.warningMs), c.due));
      }
    }
    if (updates.length > 0) {
      await updateClocks(manager, 'due_clocks', updates);
      await appendEvents(manager, events);
    }
    return { claimed: rows.length, flipped: updates.length };
  }

  /** Handoffs among `ids` with committed handoff events the clock consumer has not applied yet. */
  private handoffsWithUnappliedEvents(manager: EntityManager, ids: string[]): Promise<Set<string>> {
    return this.withUnappliedEvents(manager, 'Handoff', ids, this.opts.consumerName, HANDOFF_EVENT_TYPES);
  }

  /** Aggregates among `ids` with committed events of `types` that `consumer` has not applied yet. */
  private async withUnappliedEvents(manager: EntityManager, aggregateType: string, ids: string[], consumer: string, types: string[]): Promise<Set<string>> {
    const rows: { aggregate_id: string }[] = await manager.query(
      `${BACKGROUND}SELECT DISTINCT e.aggregate_id FROM eventlog.events e
         JOIN eventlog.consumers k ON k.name = $1
        WHERE e.aggregate_type = $4 AND e.aggregate_id = ANY($2::text[]) AND e.type = ANY($3::text[]) AND (e.tx, e.seq) > (k.tx, k.seq)`,
      [consumer, [...new Set(ids)], types, aggregateType],
    );
    return new Set(rows.map((r) => r.aggregate_id));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    while (this.running) await this.running;
  }
}

/** A timer's decision about one clock: what the batched UPDATE below writes. */
interface ClockUpdate {
  id: string;
  state: string;
  atRiskAt: Date | null;
  breachedAt: Date | null;
  nextAction: string | null;
  nextActionAt: Date | null;
}

/** One statement for a batch of decisions, on handoff clocks or on PROPOSE (due) clocks: the two tables share these columns. */
async function updateClocks(manager: EntityManager, table: 'clocks' | 'due_clocks', updates: ClockUpdate[]): Promise<void> {
  await manager.query(
    `${BACKGROUND}UPDATE slas.${table} c
        SET state = u.state, at_risk_at = u.at_risk_at, breached_at = u.breached_at,
            decided_at = CASE WHEN u.state = 'BREACHED' THEN u.breached_at ELSE c.decided_at END,
            next_action = u.next_action, next_action_at = u.next_action_at
       FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::timestamptz[])
            AS u(id, state, at_risk_at, breached_at, next_action, next_action_at)
      WHERE c.id = u.id`,
    [
      updates.map((u) => u.id),
      updates.map((u) => u.state),
      updates.map((u) => u.atRiskAt),
      updates.map((u) => u.breachedAt),
      updates.map((u) => u.nextAction),
      updates.map((u) => u.nextActionAt),
    ],
  );
}
