import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendEvents, type HubEvent, type NewEvent } from '../../../../shared/eventlog/event-log';
import {
  HANDOFF_DUE_DISMISSED,
  HANDOFF_DUE_OPENED,
  HANDOFF_DUE_PROPOSED,
  HANDOFF_DUE_SUPERSEDED,
  SLA_DUE_BREACHED,
  SLA_DUE_CLOCK_STARTED,
  SLA_DUE_CLOCK_STOPPED,
  type HandoffDueEventPayload,
  type HandoffDueSnapshot,
  type SlaDueClockSnapshot,
} from '../../../../shared/eventlog/events';
import { compileCalendar } from '../calendar/business-calendar';
import { businessMillisBetween } from '../calendar/business-time';
import { SlaClockState } from '../entities/enums';
import type { SlaDueClock } from '../entities/sla-due-clock.entity';
import { elapsedAt, scheduleOf, stopClock, warningMsOf, type ClockSchedule } from './clock-math';
import { DUE_CLOCK_COLUMNS, DUE_CLOCK_FROM, dueClockTimes, toDueClock, type DueClockRow } from './due-clock-rows';
import type { PolicyRecord } from './policy-rows';
import { currentPolicies, pickPolicy } from './policy.service';
import { planOnceArray } from '../../../../shared/db/prepared-statements';

/** The durable position name of the due consumer (the scheduler checks it too). */
export const DUE_CLOCK_CONSUMER = 'slas.due-clocks';

/** Larger bursts are appended in chunks: a statement takes at most 65,535 parameters (7 per event). */
const APPEND_CHUNK = 5000;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** The clock as SlaDue* events carry it; `elapsedMs` as of the event. */
export function dueClockSnapshot(c: SlaDueClock, elapsedMs: number): SlaDueClockSnapshot {
  return {
    id: c.id,
    dueId: c.dueId,
    customerId: c.customerId,
    moment: c.moment as SlaDueClockSnapshot['moment'],
    policyId: c.policyId,
    policyVersion: c.policyVersion,
    target: 'PROPOSE',
    state: c.state as SlaDueClockSnapshot['state'],
    startedAt: c.startedAt.toISOString(),
    dueAt: iso(c.dueAt),
    stoppedAt: iso(c.stoppedAt),
    businessSecondsElapsed: Math.round(elapsedMs / 1000),
    targetBusinessSeconds: Math.round(c.targetMs / 1000),
    accountablePartnerId: c.accountablePartnerId,
    warningAt: iso(c.warningAt),
    atRiskAt: iso(c.atRiskAt),
    breachedAt: iso(c.breachedAt),
  };
}

/**
 * An SlaDue* event: `{ clock, due }`. Its audience is the due's: the accountable partner
 * (internal teams see every event), as handoffs addresses HandoffDue* events.
 */
export function slaDueEvent(type: string, clock: SlaDueClockSnapshot, due: HandoffDueSnapshot, extra: Record<string, unknown> = {}): NewEvent {
  return {
    type,
    source: 'slas',
    aggregateType: 'SlaDueClock',
    aggregateId: clock.id,
    payload: { clock, due, ...extra },
    visibleTo: due.accountablePartnerId ? [due.accountablePartnerId] : [],
    actor: { role: 'SERVICE', scopes: ['slas'] },
  };
}

/**
 * The policy that times a due's PROPOSE target: the same precedence as a handoff's clocks
 * (policy.service selectPolicy). A due has no receiver yet and its events carry no customer
 * segment, so only the moment's default policy applies; without proposeWithin, no clock.
 */
export const duePolicy = (policies: PolicyRecord[], due: HandoffDueSnapshot): PolicyRecord | null => {
  const policy = pickPolicy(policies, due.moment, null, null);
  return policy?.proposeMs ? policy : null;
};

interface HeldDueClock {
  clock: SlaDueClock;
  isNew: boolean;
  startedByEvent: string;
  schedule: ClockSchedule;
  dirty: boolean;
}

/**
 * What HandoffDue* events do to PROPOSE clocks, a whole batch in a constant number of
 * statements: the batch's dues' clocks in one locking read, the current policies of the
 * moments that opened in one read, every event in log order in memory, then one insert of
 * the clocks started, one update of the clocks changed and one append of the SlaDue* events.
 * A due has one PROPOSE clock (unique due_id), and a stopped clock never changes again, so
 * an event handed twice — a replayed position, a second instance — does nothing the second
 * time. Runs in the durable consumer's transaction: effects commit once, with the position.
 *
 * - HandoffDueOpened starts the clock at the stage move, when the moment's policy has
 *   proposeWithin;
 * - HandoffDueProposed stops it MET (BREACHED if past its target: a breach stays a breach);
 * - HandoffDueDismissed and HandoffDueSuperseded stop it CANCELLED (or BREACHED, likewise).
 */
export async function applyDueEvents(manager: EntityManager, events: HubEvent[]): Promise<NewEvent[]> {
  const items = events.flatMap((event) => {
    const due = (event.payload as unknown as HandoffDueEventPayload).due;
    return due?.id ? [{ event, due }] : [];
  });
  if (items.length === 0) return [];
  // Plain FOR UPDATE: waits for a scheduler sweep holding a row, so the two never interleave.
  const rows: (DueClockRow & { started_by_event: string })[] = await manager.query(
    `SELECT ${DUE_CLOCK_COLUMNS}, c.started_by_event FROM ${DUE_CLOCK_FROM} WHERE c.due_id = ANY(${planOnceArray(1, 'uuid[]')}) FOR UPDATE OF c`,
    [[...new Set(items.map((i) => i.due.id))]],
  );
  const opens = items.filter((i) => i.event.type === HANDOFF_DUE_OPENED);
  const policies = opens.length > 0 ? await currentPolicies(manager, [...new Set(opens.map((i) => i.due.moment))]) : [];
  const batch = new DueClockBatch(rows, policies);
  for (const { event, due } of items) batch.apply(event, due);
  await batch.write(manager);
  return batch.out;
}

class DueClockBatch {
  readonly out: NewEvent[] = [];
  /** Every due's clock, stopped ones included: one per due. */
  private readonly byDue = new Map<string, HeldDueClock>();

  constructor(
    rows: (DueClockRow & { started_by_event: string })[],
    private readonly policies: PolicyRecord[],
  ) {
    for (const r of rows) {
      const clock = toDueClock(r);
      this.byDue.set(clock.dueId, {
        clock,
        isNew: false,
        startedByEvent: r.started_by_event,
        schedule: scheduleOf(clock.calendar, dueClockTimes(clock)),
        dirty: false,
      });
    }
  }

  apply(event: HubEvent, due: HandoffDueSnapshot): void {
    const closedAt = new Date(due.closedAt ?? event.occurredAt);
    switch (event.type) {
      case HANDOFF_DUE_OPENED:
        this.start(due, event.id);
        break;
      case HANDOFF_DUE_PROPOSED:
        this.stop(due, closedAt, 'DECIDE');
        break;
      case HANDOFF_DUE_DISMISSED:
      case HANDOFF_DUE_SUPERSEDED:
        this.stop(due, closedAt, 'CANCEL');
        break;
      default:
        break;
    }
  }

  private save(held: HeldDueClock, schedule: ClockSchedule = scheduleOf(held.clock.calendar, dueClockTimes(held.clock))): void {
    held.clock.warningAt = schedule.warningAt;
    held.clock.dueAt = schedule.dueAt;
    held.schedule = schedule;
    held.dirty = true;
  }

  private start(due: HandoffDueSnapshot, eventId: string): void {
    if (this.byDue.has(due.id)) return;
    const policy = duePolicy(this.policies, due);
    if (!policy) return;
    const targetMs = policy.proposeMs!;
    const clock: SlaDueClock = Object.assign(toDueClock({} as DueClockRow), {
      id: randomUUID(),
      dueId: due.id,
      customerId: due.customerId,
      moment: due.moment,
      accountablePartnerId: due.accountablePartnerId,
      state: SlaClockState.RUNNING,
      policyId: policy.id,
      policyVersion: policy.version,
      targetMs,
      warningMs: warningMsOf(targetMs, policy.warningPercent),
      targetBusinessSeconds: Math.round(targetMs / 1000),
      startedAt: new Date(due.stageMove.at),
      elapsedMs: 0,
      warningAt: null,
      dueAt: null,
      atRiskAt: null,
      breachedAt: null,
      stoppedAt: null,
      decidedAt: null,
      due,
      calendar: policy.calendar,
    });
    const held: HeldDueClock = {
      clock,
      isNew: true,
      startedByEvent: eventId,
      schedule: { warningAt: null, dueAt: null, nextAction: null, nextActionAt: null },
      dirty: true,
    };
    this.save(held);
    this.byDue.set(due.id, held);
    this.out.push(slaDueEvent(SLA_DUE_CLOCK_STARTED, dueClockSnapshot(clock, 0), due));
  }

  /**
   * DECIDE (proposed): MET within the target, else BREACHED. CANCEL (dismissed, superseded):
   * CANCELLED, unless past the target — a breach stays a breach, announced here if the
   * scheduler had not yet.
   */
  private stop(due: HandoffDueSnapshot, at: Date, mode: 'DECIDE' | 'CANCEL'): void {
    const held = this.byDue.get(due.id);
    if (!held || held.clock.stoppedAt) return;
    const c = held.clock;
    const stopAt = new Date(Math.max(at.getTime(), c.startedAt.getTime()));
    const elapsed = elapsedAt(c.calendar, dueClockTimes(c), stopAt);
    const newlyBreached = stopClock(c, elapsed, stopAt, mode);
    c.due = due;
    this.save(held, { warningAt: c.warningAt, dueAt: c.dueAt, nextAction: null, nextActionAt: null });
    const snap = dueClockSnapshot(c, elapsed);
    if (newlyBreached) this.out.push(slaDueEvent(SLA_DUE_BREACHED, snap, due, { escalation: null }));
    this.out.push(slaDueEvent(SLA_DUE_CLOCK_STOPPED, snap, due));
  }

  /** Clocks started, clocks changed, SlaDue* events: one statement each (none when empty). */
  async write(manager: EntityManager): Promise<void> {
    const held = [...this.byDue.values()];
    const row = ({ clock: c, schedule: s }: HeldDueClock) => ({
      id: c.id,
      state: c.state,
      elapsed_ms: c.elapsedMs,
      warning_at: c.warningAt,
      due_at: c.dueAt,
      at_risk_at: c.atRiskAt,
      breached_at: c.breachedAt,
      stopped_at: c.stoppedAt,
      decided_at: c.decidedAt,
      next_action: s.nextAction,
      next_action_at: s.nextActionAt,
      due: c.due,
    });
    const MUTABLE = `id uuid, state text, elapsed_ms bigint, warning_at timestamptz, due_at timestamptz, at_risk_at timestamptz, breached_at timestamptz,
      stopped_at timestamptz, decided_at timestamptz, next_action text, next_action_at timestamptz, due jsonb`;
    const created = held.filter((h) => h.isNew);
    if (created.length > 0) {
      // As they stand at the end of the batch (a clock started and stopped by it is written stopped).
      await manager.query(
        `INSERT INTO slas.due_clocks (id, due_id, customer_id, moment, accountable_partner_id, state, policy_id, policy_version, target_ms, warning_ms,
                                      started_at, elapsed_ms, warning_at, due_at, at_risk_at, breached_at, stopped_at, decided_at, next_action,
                                      next_action_at, due, started_by_event)
         SELECT n.id, n.due_id, n.customer_id, n.moment, n.accountable_partner_id, n.state, n.policy_id, n.policy_version, n.target_ms, n.warning_ms,
                n.started_at, n.elapsed_ms, n.warning_at, n.due_at, n.at_risk_at, n.breached_at, n.stopped_at, n.decided_at, n.next_action,
                n.next_action_at, n.due, n.started_by_event
           FROM jsonb_to_recordset($1::jsonb)
                AS n(${MUTABLE}, due_id uuid, customer_id uuid, moment text, accountable_partner_id uuid, policy_id uuid, policy_version int,
                     target_ms bigint, warning_ms bigint, started_at timestamptz, started_by_event uuid)
         ON CONFLICT (due_id) DO NOTHING`,
        [
          JSON.stringify(
            created.map((h) => ({
              ...row(h),
              due_id: h.clock.dueId,
              customer_id: h.clock.customerId,
              moment: h.clock.moment,
              accountable_partner_id: h.clock.accountablePartnerId,
              policy_id: h.clock.policyId,
              policy_version: h.clock.policyVersion,
              target_ms: h.clock.targetMs,
              warning_ms: h.clock.warningMs,
              started_at: h.clock.startedAt,
              started_by_event: h.startedByEvent,
            })),
          ),
        ],
      );
    }
    const updated = held.filter((h) => h.dirty && !h.isNew);
    if (updated.length > 0) {
      await manager.query(
        `UPDATE slas.due_clocks c SET state = u.state, elapsed_ms = u.elapsed_ms, warning_at = u.warning_at, due_at = u.due_at, at_risk_at = u.at_risk_at,
                breached_at = u.breached_at, stopped_at = u.stopped_at, decided_at = u.decided_at, next_action = u.next_action,
                next_action_at = u.next_action_at, due = u.due
           FROM jsonb_to_recordset($1::jsonb) AS u(${MUTABLE})
          WHERE c.id = u.id`,
        [JSON.stringify(updated.map(row))],
      );
    }
    for (let i = 0; i < this.out.length; i += APPEND_CHUNK) await appendEvents(manager, this.out.slice(i, i + APPEND_CHUNK));
  }
}

/**
 * Moves the running PROPOSE clocks of `policy` (older versions) to its current version, as
 * reevaluateClocks does for handoff clocks: elapsed business time recomputed from the start
 * under the new calendar (a due has no pauses), target and warning from the new version. A
 * version without proposeWithin leaves them where they are: dropping the target would cancel
 * a clock nobody stopped. A breach already announced stands. Two statements however many.
 */
export async function reevaluateDueClocks(manager: EntityManager, policy: PolicyRecord, now: Date): Promise<number> {
  if (!policy.proposeMs) return 0;
  const rows: DueClockRow[] = await manager.query(
    `SELECT ${DUE_CLOCK_COLUMNS} FROM ${DUE_CLOCK_FROM} WHERE c.policy_id = $1 AND c.stopped_at IS NULL AND c.policy_version < $2 FOR UPDATE OF c`,
    [policy.id, policy.version],
  );
  if (rows.length === 0) return 0;
  const cal = compileCalendar(policy.calendar);
  const updates = rows.map(toDueClock).map((c) => {
    c.calendar = policy.calendar;
    c.policyVersion = policy.version;
    c.targetMs = policy.proposeMs!;
    c.warningMs = warningMsOf(c.targetMs, policy.warningPercent);
    const elapsed = businessMillisBetween(cal, c.startedAt.getTime(), Math.max(now.getTime(), c.startedAt.getTime()));
    if (c.state === SlaClockState.AT_RISK && elapsed < c.warningMs) {
      c.state = SlaClockState.RUNNING;
      c.atRiskAt = null;
    }
    const s = scheduleOf(c.calendar, dueClockTimes(c));
    return {
      id: c.id,
      state: c.state,
      at_risk_at: c.atRiskAt,
      policy_version: c.policyVersion,
      target_ms: c.targetMs,
      warning_ms: c.warningMs,
      warning_at: s.warningAt,
      due_at: s.dueAt,
      next_action: s.nextAction,
      next_action_at: s.nextActionAt,
    };
  });
  await manager.query(
    `UPDATE slas.due_clocks c SET state = u.state, at_risk_at = u.at_risk_at, policy_version = u.policy_version, target_ms = u.target_ms,
            warning_ms = u.warning_ms, warning_at = u.warning_at, due_at = u.due_at, next_action = u.next_action, next_action_at = u.next_action_at
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, state text, at_risk_at timestamptz, policy_version int, target_ms bigint, warning_ms bigint,
            warning_at timestamptz, due_at timestamptz, next_action text, next_action_at timestamptz)
      WHERE c.id = u.id`,
    [JSON.stringify(updates)],
  );
  return rows.length;
}

/** Business time a PROPOSE clock has used as of `now` (its final value once stopped). */
export const dueClockElapsedMs = (c: SlaDueClock, now: Date) => elapsedAt(c.calendar, dueClockTimes(c), now);
