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
import { elapsedAt, pausedAt, scheduleOf, stopClock, warningMsOf, type ClockSchedule } from './clock-math';
import type { PolicyRecord } from './policy-rows';
import { currentPolicies, pickPolicy } from './policy.service';
import { clockSnapshot, handoffParticipants, slaEvent } from './sla-events';
import { planOnceArray } from '../../../../shared/db/prepared-statements';

/** Handoff events that start a clock (and so need a policy). */
const STARTS = new Set<string>([HANDOFF_PROPOSED, HANDOFF_ACCEPTED]);

/** Larger bursts are appended in chunks: a statement takes at most 65,535 parameters (7 per event). */
const APPEND_CHUNK = 5000;

const NO_SCHEDULE: ClockSchedule = { warningAt: null, dueAt: null, nextAction: null, nextActionAt: null };

interface ClockLoadRow extends ClockRow {
  started_by_event: string;
  is_open: boolean;
}

/** A clock the batch works on: open when loaded, or started by the batch; written once at the end. */
interface HeldClock {
  clock: LoadedClock;
  isNew: boolean;
  startedByEvent: string;
  /** As last saved (the scheduler's next action). */
  schedule: ClockSchedule;
  dirty: boolean;
}

/** A pause row the batch inserts (and may close again). */
interface PauseWrite {
  clockId: string;
  pausedAt: Date;
  reason: string | null;
  resumedAt: Date | null;
  businessMs: number | null;
}

const pauseKey = (clockId: string, pausedAt: Date) => `${clockId}|${pausedAt.getTime()}`;

/**
 * What handoff events do to clocks, for a whole batch in a constant number of statements:
 * slas' handoff projection in one upsert, every open clock of the batch's handoffs in one
 * locking read (with the calendar of its policy version), the current policies of the
 * moments that start clocks in one read; then every event in log order in memory, by the
 * same rules one event at a time would follow; then one write per table (clocks updated,
 * clocks started, pauses closed, pauses opened) and one append of the SLA events, in the
 * order the events produced them. Runs inside the durable consumer's transaction, so every
 * effect commits exactly once with the position. A start already recorded for its event
 * (`started_by_event`) is not made twice, as before.
 */
export async function applyHandoffEvents(manager: EntityManager, events: HubEvent[]): Promise<NewEvent[]> {
  const items = events.flatMap((event) => {
    const payload = event.payload as unknown as HandoffEventPayload;
    return payload.handoff?.id ? [{ event, payload, h: payload.handoff }] : [];
  });
  if (items.length === 0) return [];
  await projectHandoffs(
    manager,
    items.map((i) => i.h),
  );
  const starts = items.filter((i) => STARTS.has(i.event.type));
  // Plain FOR UPDATE: waits for a scheduler sweep holding a row, so the two never interleave.
  const rows: ClockLoadRow[] = await manager.query(
    `SELECT ${CLOCK_COLUMNS}, c.started_by_event, c.stopped_at IS NULL AS is_open FROM ${CLOCK_FROM}
      WHERE (c.handoff_id = ANY(${planOnceArray(1, 'uuid[]')}) AND c.stopped_at IS NULL) OR c.started_by_event = ANY(${planOnceArray(2, 'uuid[]')})
      ORDER BY c.handoff_id, c.started_at FOR UPDATE OF c`,
    [[...new Set(items.map((i) => i.h.id))], starts.map((i) => i.event.id)],
  );
  const policies = starts.length > 0 ? await currentPolicies(manager, [...new Set(starts.map((i) => i.h.moment))]) : [];
  const batch = new ClockBatch(rows, policies);
  for (const { event, payload, h } of items) batch.apply(event, payload, h);
  await batch.write(manager);
  return batch.out;
}

/**
 * slas' own record of who may see a handoff: everyone ever named on it as sender or
 * receiver. One row per handoff however many of its events the batch holds (an upsert may
 * not touch a row twice): the first event's customer and moment (a new row), the last
 * event's parties, state and snapshot, and every party named on the way.
 */
async function projectHandoffs(manager: EntityManager, snapshots: HandoffSnapshot[]): Promise<void> {
  const byId = new Map<string, { first: HandoffSnapshot; last: HandoffSnapshot; participants: string[]; events: number }>();
  for (const h of snapshots) {
    const row = byId.get(h.id);
    if (!row) byId.set(h.id, { first: h, last: h, participants: handoffParticipants(h), events: 1 });
    else {
      row.last = h;
      row.participants = [...new Set([...row.participants, ...handoffParticipants(h)])];
      row.events++;
    }
  }
  const rows = [...byId.values()].map(({ first, last, participants, events }) => ({
    id: first.id,
    customer_id: first.customerId,
    moment: first.moment,
    from_partner_id: last.fromPartnerId,
    to_partner_id: last.toPartnerId,
    participants,
    state: last.state,
    snapshot: last,
    events,
  }));
  await manager.query(
    `INSERT INTO slas.handoffs AS t (id, customer_id, moment, from_partner_id, to_partner_id, participants, state, snapshot, updated_at)
     SELECT r.id, r.customer_id, r.moment, r.from_partner_id, r.to_partner_id,
            CASE WHEN r.events > 1 THEN ARRAY(SELECT DISTINCT x FROM unnest(r.participants) AS x) ELSE r.participants END,
            r.state, r.snapshot, now()
       FROM jsonb_to_recordset($1::jsonb)
            AS r(id uuid, customer_id uuid, moment text, from_partner_id uuid, to_partner_id uuid, participants uuid[], state text, snapshot jsonb, events int)
     ON CONFLICT (id) DO UPDATE SET
       from_partner_id = EXCLUDED.from_partner_id, to_partner_id = EXCLUDED.to_partner_id, state = EXCLUDED.state,
       snapshot = EXCLUDED.snapshot, updated_at = now(),
       participants = ARRAY(SELECT DISTINCT x FROM unnest(t.participants || EXCLUDED.participants) AS x)`,
    [JSON.stringify(rows)],
  );
}

/** A batch's clocks in memory: the transitions of one event at a time, written once. */
class ClockBatch {
  /** The SLA events the batch appends, in the order its events produced them. */
  readonly out: NewEvent[] = [];
  private readonly held: HeldClock[] = [];
  /** Open clocks by handoff, oldest first (the order one event at a time read them in). */
  private readonly open = new Map<string, HeldClock[]>();
  /** Events that already started a clock: a start is made once per event. */
  private readonly started = new Set<string>();
  private readonly newPauses = new Map<string, PauseWrite>();
  /** Pauses stored before the batch that it closes (the last close of each wins). */
  private readonly closedPauses = new Map<string, { clockId: string; pausedAt: Date; resumedAt: Date; businessMs: number }>();

  constructor(
    rows: ClockLoadRow[],
    private readonly policies: PolicyRecord[],
  ) {
    for (const r of rows) {
      this.started.add(r.started_by_event);
      if (!r.is_open) continue;
      this.hold({ clock: toClock(r), isNew: false, startedByEvent: r.started_by_event, schedule: NO_SCHEDULE, dirty: false });
    }
  }

  private hold(held: HeldClock): void {
    this.held.push(held);
    const list = this.open.get(held.clock.handoffId) ?? [];
    list.push(held);
    // Stable: equal start times keep the order they were loaded or started in.
    list.sort((a, b) => a.clock.startedAt.getTime() - b.clock.startedAt.getTime());
    this.open.set(held.clock.handoffId, list);
  }

  private openClocks(handoffId: string, targets?: SlaTarget[]): HeldClock[] {
    return (this.open.get(handoffId) ?? []).filter((c) => !targets || targets.includes(c.clock.target));
  }

  /** Keeps a clock's mutable columns for the write; the schedule defaults to what its state implies. */
  private save(held: HeldClock, schedule: ClockSchedule = scheduleOf(held.clock.calendar, { ...held.clock })): void {
    held.clock.warningAt = schedule.warningAt;
    held.clock.dueAt = schedule.dueAt;
    held.schedule = schedule;
    held.dirty = true;
  }

  apply(event: HubEvent, payload: HandoffEventPayload, h: HandoffSnapshot): void {
    // Imported history sets `at`; otherwise the snapshot's own timestamps, then the event's.
    const when = (snapshotTime: string | null | undefined) => new Date(payload.at ?? snapshotTime ?? event.occurredAt);
    switch (event.type) {
      case HANDOFF_PROPOSED:
        this.startClock(h, SlaTarget.ACCEPT, when(h.proposedAt), event.id);
        break;
      case HANDOFF_ACCEPTED: {
        const at = when(h.acceptedAt);
        this.stopClocks(h, [SlaTarget.ACCEPT], at, 'DECIDE');
        this.startClock(h, SlaTarget.COMPLETE, at, event.id);
        break;
      }
      case HANDOFF_COMPLETED:
        this.stopClocks(h, [SlaTarget.COMPLETE], when(h.completedAt), 'DECIDE');
        break;
      case HANDOFF_REJECTED:
      case HANDOFF_CANCELLED:
      case HANDOFF_EXPIRED:
        this.stopClocks(h, [SlaTarget.ACCEPT, SlaTarget.COMPLETE], when(h.closedAt), 'CANCEL');
        break;
      case HANDOFF_HELD:
        this.pauseClocks(h.id, new Date(payload.at ?? event.occurredAt), payload.reason ?? h.holdReason ?? null);
        break;
      case HANDOFF_RESUMED:
        this.resumeClocks(h.id, new Date(payload.at ?? event.occurredAt));
        break;
      default:
        break;
    }
  }

  private startClock(h: HandoffSnapshot, target: SlaTarget, at: Date, eventId: string): void {
    this.stopClocks(h, [target], at, 'CANCEL');
    const policy = pickPolicy(this.policies, h.moment, h.toPartnerTier, h.customerSegment);
    if (!policy || this.started.has(eventId)) return;
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
    const held: HeldClock = { clock, isNew: true, startedByEvent: eventId, schedule: NO_SCHEDULE, dirty: true };
    this.save(held);
    this.started.add(eventId);
    this.hold(held);
    if (clock.pausedAt) this.openPause(clock.id, at, clock.pauseReason);
    this.out.push(slaEvent(SLA_CLOCK_STARTED, clockSnapshot(clock, 0, 0), h));
  }

  /**
   * Stops open clocks at `at`. DECIDE (accepted / completed): MET when the business time
   * used is within the target, else BREACHED. CANCEL (rejected, cancelled, expired,
   * replaced): CANCELLED, unless the clock had already breached — a breach stays a breach.
   */
  private stopClocks(h: HandoffSnapshot, targets: SlaTarget[], at: Date, mode: 'DECIDE' | 'CANCEL'): void {
    for (const held of this.openClocks(h.id, targets)) {
      const c = held.clock;
      const stopAt = new Date(Math.max(at.getTime(), c.startedAt.getTime()));
      if (c.pausedAt) this.closePause(c, stopAt);
      const elapsed = elapsedAt(c.calendar, c, stopAt);
      const newlyBreached = stopClock(c, elapsed, stopAt, mode);
      c.runningSince = null;
      c.pausedAt = null;
      c.pauseReason = null;
      this.save(held, { warningAt: c.warningAt, dueAt: c.dueAt, nextAction: null, nextActionAt: null });
      const list = this.open.get(h.id) ?? [];
      list.splice(list.indexOf(held), 1);
      const snap = clockSnapshot(c, elapsed, c.pausedMs);
      // A breach the scheduler had not announced yet (the stop arrived first) is still announced.
      if (newlyBreached) this.out.push(slaEvent(SLA_BREACHED, snap, h));
      this.out.push(slaEvent(SLA_CLOCK_STOPPED, snap, h));
    }
  }

  /** A pause row opened; a second opening of the same one changes nothing (as ON CONFLICT DO NOTHING did). */
  private openPause(clockId: string, pausedAt: Date, reason: string | null): void {
    const key = pauseKey(clockId, pausedAt);
    if (!this.newPauses.has(key)) this.newPauses.set(key, { clockId, pausedAt, reason, resumedAt: null, businessMs: null });
  }

  private closePause(c: LoadedClock, at: Date): void {
    const pausedAt = c.pausedAt!;
    const businessMs = businessMillisBetween(compileCalendar(c.calendar), pausedAt.getTime(), at.getTime());
    const key = pauseKey(c.id, pausedAt);
    const mine = this.newPauses.get(key);
    if (mine) {
      mine.resumedAt = at;
      mine.businessMs = businessMs;
    } else this.closedPauses.set(key, { clockId: c.id, pausedAt, resumedAt: at, businessMs });
    c.pausedMs += businessMs;
  }

  private pauseClocks(handoffId: string, at: Date, reason: string | null): void {
    for (const held of this.openClocks(handoffId)) {
      const c = held.clock;
      if (c.pausedAt || !c.runningSince) continue;
      const pauseAt = new Date(Math.max(at.getTime(), c.runningSince.getTime()));
      c.elapsedMs = elapsedAt(c.calendar, c, pauseAt);
      c.runningSince = null;
      c.pausedAt = pauseAt;
      c.pauseReason = reason;
      if (c.state !== SlaClockState.BREACHED) c.state = SlaClockState.PAUSED;
      this.openPause(c.id, pauseAt, reason);
      this.save(held);
    }
  }

  private resumeClocks(handoffId: string, at: Date): void {
    for (const held of this.openClocks(handoffId)) {
      const c = held.clock;
      if (!c.pausedAt) continue;
      const resumeAt = new Date(Math.max(at.getTime(), c.pausedAt.getTime()));
      this.closePause(c, resumeAt);
      c.pausedAt = null;
      c.pauseReason = null;
      c.runningSince = resumeAt;
      if (c.state !== SlaClockState.BREACHED) c.state = c.atRiskAt ? SlaClockState.AT_RISK : SlaClockState.RUNNING;
      this.save(held);
    }
  }

  /** Clocks updated, clocks started, pauses closed, pauses opened, SLA events: one statement each (none when empty). */
  async write(manager: EntityManager): Promise<void> {
    const row = ({ clock: c, schedule: s }: HeldClock) => ({
      id: c.id,
      state: c.state,
      running_since: c.runningSince,
      elapsed_ms: c.elapsedMs,
      paused_at: c.pausedAt,
      pause_reason: c.pauseReason,
      paused_ms: c.pausedMs,
      warning_at: c.warningAt,
      due_at: c.dueAt,
      at_risk_at: c.atRiskAt,
      breached_at: c.breachedAt,
      stopped_at: c.stoppedAt,
      decided_at: c.decidedAt,
      next_action: s.nextAction,
      next_action_at: s.nextActionAt,
      policy_id: c.policyId,
      policy_version: c.policyVersion,
      target_ms: c.targetMs,
      warning_ms: c.warningMs,
    });
    const MUTABLE = `id uuid, state text, running_since timestamptz, elapsed_ms bigint, paused_at timestamptz, pause_reason text, paused_ms bigint,
      warning_at timestamptz, due_at timestamptz, at_risk_at timestamptz, breached_at timestamptz, stopped_at timestamptz, decided_at timestamptz,
      next_action text, next_action_at timestamptz, policy_id uuid, policy_version int, target_ms bigint, warning_ms bigint`;
    const updated = this.held.filter((c) => c.dirty && !c.isNew);
    if (updated.length > 0) {
      await manager.query(
        `UPDATE slas.clocks c SET state = u.state, running_since = u.running_since, elapsed_ms = u.elapsed_ms, paused_at = u.paused_at,
                pause_reason = u.pause_reason, paused_ms = u.paused_ms, warning_at = u.warning_at, due_at = u.due_at, at_risk_at = u.at_risk_at,
                breached_at = u.breached_at, stopped_at = u.stopped_at, decided_at = u.decided_at, next_action = u.next_action,
                next_action_at = u.next_action_at, policy_id = u.policy_id, policy_version = u.policy_version, target_ms = u.target_ms, warning_ms = u.warning_ms
           FROM jsonb_to_recordset($1::jsonb) AS u(${MUTABLE})
          WHERE c.id = u.id`,
        [JSON.stringify(updated.map(row))],
      );
    }
    const created = this.held.filter((c) => c.isNew);
    if (created.length > 0) {
      // As they stand at the end of the batch (a clock started and stopped by it is written stopped).
      await manager.query(
        `INSERT INTO slas.clocks (id, handoff_id, target, accountable_partner_id, started_at, started_by_event, state, running_since, elapsed_ms,
                                  paused_at, pause_reason, paused_ms, warning_at, due_at, at_risk_at, breached_at, stopped_at, decided_at,
                                  next_action, next_action_at, policy_id, policy_version, target_ms, warning_ms)
         SELECT n.id, n.handoff_id, n.target, n.accountable_partner_id, n.started_at, n.started_by_event, n.state, n.running_since, n.elapsed_ms,
                n.paused_at, n.pause_reason, n.paused_ms, n.warning_at, n.due_at, n.at_risk_at, n.breached_at, n.stopped_at, n.decided_at,
                n.next_action, n.next_action_at, n.policy_id, n.policy_version, n.target_ms, n.warning_ms
           FROM jsonb_to_recordset($1::jsonb)
                AS n(${MUTABLE}, handoff_id uuid, target text, accountable_partner_id uuid, started_at timestamptz, started_by_event uuid)`,
        [
          JSON.stringify(
            created.map((held) => ({
              ...row(held),
              handoff_id: held.clock.handoffId,
              target: held.clock.target,
              accountable_partner_id: held.clock.accountablePartnerId,
              started_at: held.clock.startedAt,
              started_by_event: held.startedByEvent,
            })),
          ),
        ],
      );
    }
    if (this.closedPauses.size > 0) {
      await manager.query(
        `UPDATE slas.clock_pauses p SET resumed_at = u.resumed_at, business_ms = u.business_ms
           FROM jsonb_to_recordset($1::jsonb) AS u(clock_id uuid, paused_at timestamptz, resumed_at timestamptz, business_ms bigint)
          WHERE p.clock_id = u.clock_id AND p.paused_at = u.paused_at`,
        [
          JSON.stringify(
            [...this.closedPauses.values()].map((p) => ({ clock_id: p.clockId, paused_at: p.pausedAt, resumed_at: p.resumedAt, business_ms: p.businessMs })),
          ),
        ],
      );
    }
    if (this.newPauses.size > 0) {
      // A pause already stored at that instant keeps its row (and reason), as one event at a
      // time left it; the batch's close of it, if any, still lands.
      await manager.query(
        `INSERT INTO slas.clock_pauses AS p (clock_id, paused_at, reason, resumed_at, business_ms)
         SELECT n.clock_id, n.paused_at, n.reason, n.resumed_at, n.business_ms
           FROM jsonb_to_recordset($1::jsonb) AS n(clock_id uuid, paused_at timestamptz, reason text, resumed_at timestamptz, business_ms bigint)
         ON CONFLICT (clock_id, paused_at) DO UPDATE SET resumed_at = EXCLUDED.resumed_at, business_ms = EXCLUDED.business_ms
          WHERE EXCLUDED.resumed_at IS NOT NULL`,
        [
          JSON.stringify(
            [...this.newPauses.values()].map((p) => ({
              clock_id: p.clockId,
              paused_at: p.pausedAt,
              reason: p.reason,
              resumed_at: p.resumedAt,
              business_ms: p.businessMs,
            })),
          ),
        ],
      );
    }
    for (let i = 0; i < this.out.length; i += APPEND_CHUNK) await appendEvents(manager, this.out.slice(i, i + APPEND_CHUNK));
  }
}

/** Writes a clock's mutable columns (policy re-evaluation); the schedule defaults to what its state implies. */
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
