import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendEvents, type HubEvent, type NewEvent } from '../../../../shared/eventlog/event-log';
import {
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_EXPIRED,
  HANDOFF_HELD,
  HANDOFF_PROPOSED,
  HANDOFF_REJECTED,
  HANDOFF_RESUMED,
  SLA_BREACHED,
  SLA_CLOCK_STARTED,
  SLA_CLOCK_STOPPED,
  type HandoffEventPayload,
  type HandoffSnapshot,
} from '../../../../shared/eventlog/events';
import { compileCalendar } from '../calendar/business-calendar';
import { businessMillisBetween } from '../calendar/business-time';
import { SlaClockState, SlaTarget } from '../entities/enums';
import { CLOCK_COLUMNS, CLOCK_FROM, toClock, type ClockRow, type LoadedClock } from './clock-rows';
import { elapsedAt, pausedAt, scheduleOf, warningMsOf, type ClockSchedule } from './clock-math';
import type { PolicyRecord } from './policy-rows';
import { selectPolicy } from './policy.service';
import { clockSnapshot, handoffParticipants, slaEvent } from './sla-events';

/**
 * What handoff events do to clocks. Runs inside the durable consumer's transaction, so
 * every effect (and every SLA event appended) commits exactly once with the position.
 * Each step is also a no-op when replayed: starts are keyed by the event id, stops,
 * pauses and resumes only touch clocks in the state they change.
 */
export async function applyHandoffEvent(manager: EntityManager, event: HubEvent): Promise<NewEvent[]> {
  const payload = event.payload as unknown as HandoffEventPayload;
  const h = payload.handoff;
  if (!h?.id) return [];
  await projectHandoff(manager, h);
  // Imported history sets `at`; otherwise the snapshot's own timestamps, then the event's.
  const when = (snapshotTime: string | null | undefined) => new Date(payload.at ?? snapshotTime ?? event.occurredAt);
  const out: NewEvent[] = [];
  switch (event.type) {
    case HANDOFF_PROPOSED:
      out.push(...(await startClock(manager, h, SlaTarget.ACCEPT, when(h.proposedAt), event.id)));
      break;
    case HANDOFF_ACCEPTED: {
      const at = when(h.acceptedAt);
      out.push(...(await stopClocks(manager, h, [SlaTarget.ACCEPT], at, 'DECIDE')));
      out.push(...(await startClock(manager, h, SlaTarget.COMPLETE, at, event.id)));
      break;
    }
    case HANDOFF_COMPLETED:
      out.push(...(await stopClocks(manager, h, [SlaTarget.COMPLETE], when(h.completedAt), 'DECIDE')));
      break;
    case HANDOFF_REJECTED:
    case HANDOFF_CANCELLED:
    case HANDOFF_EXPIRED:
      out.push(...(await stopClocks(manager, h, [SlaTarget.ACCEPT, SlaTarget.COMPLETE], when(h.closedAt), 'CANCEL')));
      break;
    case HANDOFF_HELD:
      await pauseClocks(manager, h.id, new Date(payload.at ?? event.occurredAt), payload.reason ?? h.holdReason ?? null);
      break;
    case HANDOFF_RESUMED:
      await resumeClocks(manager, h.id, new Date(payload.at ?? event.occurredAt));
      break;
    default:
      break;
  }
  await appendEvents(manager, out);
  return out;
}

/** slas' own record of who may see a handoff: everyone ever named on it as sender or receiver. */
async function projectHandoff(manager: EntityManager, h: HandoffSnapshot): Promise<void> {
  await manager.query(
    `INSERT INTO slas.handoffs AS t (id, customer_id, moment, from_partner_id, to_partner_id, participants, state, snapshot, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $8, now())
     ON CONFLICT (id) DO UPDATE SET
       from_partner_id = EXCLUDED.from_partner_id, to_partner_id = EXCLUDED.to_partner_id, state = EXCLUDED.state,
       snapshot = EXCLUDED.snapshot, updated_at = now(),
       participants = ARRAY(SELECT DISTINCT x FROM unnest(t.participants || EXCLUDED.participants) AS x)`,
    [h.id, h.customerId, h.moment, h.fromPartnerId, h.toPartnerId, handoffParticipants(h), h.state, JSON.stringify(h)],
  );
}

async function openClocks(manager: EntityManager, handoffId: string, targets?: SlaTarget[]): Promise<LoadedClock[]> {
  // Plain FOR UPDATE: waits for a scheduler sweep holding the row, so the two never interleave.
  const rows: ClockRow[] = await manager.query(
    `SELECT ${CLOCK_COLUMNS} FROM ${CLOCK_FROM}
      WHERE c.handoff_id = $1 AND c.stopped_at IS NULL AND ($2::text[] IS NULL OR c.target = ANY($2::text[]))
      ORDER BY c.started_at FOR UPDATE OF c`,
    [handoffId, targets ?? null],
  );
  return rows.map(toClock);
}

/** Writes a clock's mutable columns; the schedule defaults to what its state implies. */
async function saveClock(manager: EntityManager, c: LoadedClock, schedule: ClockSchedule = scheduleOf(c.calendar, { ...c })): Promise<void> {
  c.warningAt = schedule.warningAt;
  c.dueAt = schedule.dueAt;
  await manager.query(
    `UPDATE slas.clocks SET state = $2, running_since = $3, elapsed_ms = $4, paused_at = $5, pause_reason = $6, paused_ms = $7,
            warning_at = $8, due_at = $9, at_risk_at = $10, breached_at = $11, stopped_at = $12, decided_at = $13,
            next_action = $14, next_action_at = $15, policy_id = $16, policy_version = $17, target_ms = $18, warning_ms = $19
      WHERE id = $1`,
    [
      c.id,
      c.state,
      c.runningSince,
      c.elapsedMs,
      c.pausedAt,
      c.pauseReason,
      c.pausedMs,
      c.warningAt,
      c.dueAt,
      c.atRiskAt,
      c.breachedAt,
      c.stoppedAt,
      c.decidedAt,
      schedule.nextAction,
      schedule.nextActionAt,
      c.policyId,
      c.policyVersion,
      c.targetMs,
      c.warningMs,
    ],
  );
}

async function startClock(manager: EntityManager, h: HandoffSnapshot, target: SlaTarget, at: Date, eventId: string): Promise<NewEvent[]> {
  const events = await stopClocks(manager, h, [target], at, 'CANCEL');
  const policy = await selectPolicy(manager, h.moment, h.toPartnerTier, h.customerSegment);
  if (!policy) return events;
  const targetMs = target === SlaTarget.ACCEPT ? policy.acceptMs : policy.completeMs;
  const clock = Object.assign(toClock({} as ClockRow), {
    id: randomUUID(),
    handoffId: h.id,
    target,
    state: h.onHold ? SlaClockState.PAUSED : SlaClockState.RUNNING,
    policyId: policy.id,
    policyVersion: policy.version,
    accountablePartnerId: h.toPartnerId,
    targetMs,
    warningMs: warningMsOf(targetMs, policy.warningPercent),
    targetBusinessSeconds: Math.round(targetMs / 1000),
    startedAt: at,
    runningSince: h.onHold ? null : at,
    elapsedMs: 0,
    pausedAt: h.onHold ? at : null,
    pausedSince: h.onHold ? at : null,
    pauseReason: h.onHold ? (h.holdReason ?? 'on hold when the clock started') : null,
    pausedMs: 0,
    atRiskAt: null,
    breachedAt: null,
    stoppedAt: null,
    decidedAt: null,
    calendar: policy.calendar,
  }) as LoadedClock;
  const s = scheduleOf(clock.calendar, clock);
  clock.warningAt = s.warningAt;
  clock.dueAt = s.dueAt;
  const inserted: unknown[] = await manager.query(
    `INSERT INTO slas.clocks (id, handoff_id, target, state, policy_id, policy_version, accountable_partner_id, target_ms, warning_ms, started_at,
                              running_since, paused_at, pause_reason, warning_at, due_at, next_action, next_action_at, started_by_event)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
     ON CONFLICT (started_by_event) DO NOTHING RETURNING id`,
    [
      clock.id,
      h.id,
      target,
      clock.state,
      policy.id,
      policy.version,
      h.toPartnerId,
      targetMs,
      clock.warningMs,
      at,
      clock.runningSince,
      clock.pausedAt,
      clock.pauseReason,
      s.warningAt,
      s.dueAt,
      s.nextAction,
      s.nextActionAt,
      eventId,
    ],
  );
  if (inserted.length === 0) return events;
  if (clock.pausedAt) await manager.query(`INSERT INTO slas.clock_pauses (clock_id, paused_at, reason) VALUES ($1, $2, $3)`, [clock.id, at, clock.pauseReason]);
  events.push(slaEvent(SLA_CLOCK_STARTED, clockSnapshot(clock, 0, 0), h));
  return events;
}

/**
 * Stops open clocks at `at`. DECIDE (accepted / completed): MET when the business time
 * used is within the target, else BREACHED. CANCEL (rejected, cancelled, expired,
 * replaced): CANCELLED, unless the clock had already breached — a breach stays a breach.
 */
async function stopClocks(manager: EntityManager, h: HandoffSnapshot, targets: SlaTarget[], at: Date, mode: 'DECIDE' | 'CANCEL'): Promise<NewEvent[]> {
  const events: NewEvent[] = [];
  for (const c of await openClocks(manager, h.id, targets)) {
    const stopAt = new Date(Math.max(at.getTime(), c.startedAt.getTime()));
    if (c.pausedAt) await closePause(manager, c, stopAt);
    const elapsed = elapsedAt(c.calendar, c, stopAt);
    const over = elapsed > c.targetMs || c.state === SlaClockState.BREACHED;
    const newlyBreached = over && !c.breachedAt;
    c.state = over ? SlaClockState.BREACHED : mode === 'DECIDE' ? SlaClockState.MET : SlaClockState.CANCELLED;
    if (over) c.breachedAt = c.breachedAt ?? c.dueAt ?? stopAt;
    c.decidedAt = c.state === SlaClockState.MET ? stopAt : c.state === SlaClockState.BREACHED ? c.breachedAt : null;
    c.elapsedMs = elapsed;
    c.runningSince = null;
    c.pausedAt = null;
    c.pauseReason = null;
    c.stoppedAt = stopAt;
    await saveClock(manager, c, { warningAt: c.warningAt, dueAt: c.dueAt, nextAction: null, nextActionAt: null });
    const snap = clockSnapshot(c, elapsed, c.pausedMs);
    // A breach the scheduler had not announced yet (the stop arrived first) is still announced.
    if (newlyBreached) events.push(slaEvent(SLA_BREACHED, snap, h));
    events.push(slaEvent(SLA_CLOCK_STOPPED, snap, h));
  }
  return events;
}

async function closePause(manager: EntityManager, c: LoadedClock, at: Date): Promise<void> {
  const pausedMs = businessMillisBetween(compileCalendar(c.calendar), c.pausedAt!.getTime(), at.getTime());
  await manager.query(`UPDATE slas.clock_pauses SET resumed_at = $3, business_ms = $4 WHERE clock_id = $1 AND paused_at = $2`, [
    c.id,
    c.pausedAt,
    at,
    pausedMs,
  ]);
  c.pausedMs += pausedMs;
}

async function pauseClocks(manager: EntityManager, handoffId: string, at: Date, reason: string | null): Promise<void> {
  for (const c of await openClocks(manager, handoffId)) {
    if (c.pausedAt || !c.runningSince) continue;
    const pauseAt = new Date(Math.max(at.getTime(), c.runningSince.getTime()));
    c.elapsedMs = elapsedAt(c.calendar, c, pauseAt);
    c.runningSince = null;
    c.pausedAt = pauseAt;
    c.pauseReason = reason;
    if (c.state !== SlaClockState.BREACHED) c.state = SlaClockState.PAUSED;
    await manager.query(`INSERT INTO slas.clock_pauses (clock_id, paused_at, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, [c.id, pauseAt, reason]);
    await saveClock(manager, c);
  }
}

async function resumeClocks(manager: EntityManager, handoffId: string, at: Date): Promise<void> {
  for (const c of await openClocks(manager, handoffId)) {
    if (!c.pausedAt) continue;
    const resumeAt = new Date(Math.max(at.getTime(), c.pausedAt.getTime()));
    await closePause(manager, c, resumeAt);
    c.pausedAt = null;
    c.pauseReason = null;
    c.runningSince = resumeAt;
    if (c.state !== SlaClockState.BREACHED) c.state = c.atRiskAt ? SlaClockState.AT_RISK : SlaClockState.RUNNING;
    await saveClock(manager, c);
  }
}

/**
 * Moves the open clocks of `policy` (older versions) to its current version. Elapsed
 * business time is recomputed from the clock's start and its recorded pauses under the new
 * calendar — time already paused stays excluded — and the target and warning come from
 * the new version. A breach already announced stands; otherwise the state follows the
 * recomputed time and the scheduler flips it if the new terms make it due.
 */
export async function reevaluateClocks(manager: EntityManager, policy: PolicyRecord, now: Date): Promise<number> {
  const rows: ClockRow[] = await manager.query(
    `SELECT ${CLOCK_COLUMNS} FROM ${CLOCK_FROM} WHERE c.policy_id = $1 AND c.stopped_at IS NULL AND c.policy_version < $2 FOR UPDATE OF c`,
    [policy.id, policy.version],
  );
  const cal = compileCalendar(policy.calendar);
  for (const c of rows.map(toClock)) {
    const pauses: { paused_at: Date; resumed_at: Date | null }[] = await manager.query(
      `SELECT paused_at, resumed_at FROM slas.clock_pauses WHERE clock_id = $1 ORDER BY paused_at`,
      [c.id],
    );
    const end = c.pausedAt ?? now;
    let pausedMs = 0;
    for (const p of pauses) {
      if (!p.resumed_at) continue;
      const ms = businessMillisBetween(cal, p.paused_at.getTime(), p.resumed_at.getTime());
      pausedMs += ms;
      await manager.query(`UPDATE slas.clock_pauses SET business_ms = $3 WHERE clock_id = $1 AND paused_at = $2`, [c.id, p.paused_at, ms]);
    }
    const elapsed = businessMillisBetween(cal, c.startedAt.getTime(), end.getTime()) - pausedMs;
    c.calendar = policy.calendar;
    c.policyVersion = policy.version;
    c.targetMs = c.target === SlaTarget.ACCEPT ? policy.acceptMs : policy.completeMs;
    c.warningMs = warningMsOf(c.targetMs, policy.warningPercent);
    c.pausedMs = pausedMs;
    c.elapsedMs = elapsed;
    if (!c.pausedAt) c.runningSince = now;
    if (c.state === SlaClockState.AT_RISK && elapsed < c.warningMs) {
      c.state = SlaClockState.RUNNING;
      c.atRiskAt = null;
    }
    await saveClock(manager, c);
  }
  return rows.length;
}

/** Business time of a clock as of `now` (for readers). */
export const clockElapsedMs = (c: LoadedClock, now: Date) => elapsedAt(c.calendar, c, now);
export const clockPausedMs = (c: LoadedClock, now: Date) => pausedAt(c.calendar, c, now);
