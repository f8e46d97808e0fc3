import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { traceSql } from '../../../shared/db/sql-meter';
import { appendEvents } from '../../../shared/eventlog/event-log';
import {
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_EXPIRED,
  HANDOFF_HELD,
  HANDOFF_PROPOSED,
  HANDOFF_REJECTED,
  HANDOFF_RESUMED,
  PLAYBOOK_PUBLISHED,
  SLA_BREACHED,
  SLA_CLOCK_STARTED,
  SLA_CLOCK_STOPPED,
  type HandoffSnapshot,
} from '../../../shared/eventlog/events';
import { OFFICE_HOURS } from '../src/calendar/business-calendar';
import { createClockConsumer } from '../src/consumers/clock.consumer';
import { PartnerTier, Segment } from '../src/entities/enums';
import { HOUR, emit, handoff, log, setPolicy, startSlasDb, type SlasDb } from './support';

/**
 * The clock consumer applies a batch set-based: a constant number of statements whatever
 * the batch holds, and the same rows as applying its events one at a time.
 */
const T0 = new Date('2025-03-03T08:00:00Z'); // a Monday
const at = (hours: number) => new Date(T0.getTime() + hours * HOUR);
const iso = (hours: number) => at(hours).toISOString();

/** Applies everything committed, `batchSize` events per transaction. */
async function applyAll(db: DataSource, batchSize?: number): Promise<void> {
  const consumer = createClockConsumer(db, log, { batchSize, onNextDue: () => undefined });
  await consumer.drain();
  await consumer.stop();
}

interface Step {
  type: string;
  h: HandoffSnapshot;
  extra?: { at?: Date; reason?: string };
}

async function publishPlaybook(db: DataSource, id: string, moment: string): Promise<void> {
  await db.transaction((m) =>
    appendEvents(m, [
      {
        type: PLAYBOOK_PUBLISHED,
        source: 'handoffs',
        aggregateType: 'Playbook',
        aggregateId: id,
        payload: { playbook: { id, moment } },
        visibleTo: [],
        actor: null,
      },
    ]),
  );
}

describe('slas: the clock consumer applies a batch in a constant number of statements', () => {
  let s: SlasDb;
  beforeAll(async () => {
    s = await startSlasDb();
    await setPolicy(s.db, { acceptWithin: 'PT10H', completeWithin: 'PT20H' });
  });
  afterAll(async () => {
    await s?.stop();
  });

  /** `n` handoffs, each proposed, held, resumed, accepted and completed: 5n events, interleaved across handoffs. */
  async function lifecycles(n: number): Promise<string[]> {
    const hs = Array.from({ length: n }, () => handoff({ proposedAt: iso(0) }));
    const steps: ((h: HandoffSnapshot) => Promise<void>)[] = [
      (h) => emit(s.db, HANDOFF_PROPOSED, h),
      (h) => emit(s.db, HANDOFF_HELD, { ...h, onHold: true }, { at: at(1), reason: 'waiting' }),
      (h) => emit(s.db, HANDOFF_RESUMED, h, { at: at(2) }),
      (h) => emit(s.db, HANDOFF_ACCEPTED, { ...h, state: 'ACCEPTED', acceptedAt: iso(3) }),
      (h) => emit(s.db, HANDOFF_COMPLETED, { ...h, state: 'COMPLETED', acceptedAt: iso(3), completedAt: iso(5) }),
    ];
    for (const step of steps) for (const h of hs) await step(h);
    return hs.map((h) => h.id);
  }

  /** Statements sent while the consumer applies everything pending (one batch, then the read that finds nothing). */
  async function statementsToApply(): Promise<string[]> {
    const stop = traceSql();
    await applyAll(s.db);
    return stop();
  }

  it('200 events cost the same statements as 20, and every one is applied', async () => {
    const few = await lifecycles(4);
    const fewStatements = await statementsToApply();
    const many = await lifecycles(40);
    const manyStatements = await statementsToApply();

    // Every step applied: an ACCEPT clock MET after 2 h of business time (1 h paused),
    // a COMPLETE clock MET after 2 h, one pause each, closed.
    const clocks: { target: string; state: string; elapsed_ms: string; paused_ms: string }[] = await s.db.query(
      `SELECT target, state, elapsed_ms, paused_ms FROM slas.clocks WHERE handoff_id = ANY($1::uuid[])`,
      [[...few, ...many]],
    );
    expect(clocks).toHaveLength(88);
    expect(
      clocks.filter((c) => c.target === 'ACCEPT').every((c) => c.state === 'MET' && c.elapsed_ms === String(2 * HOUR) && c.paused_ms === String(HOUR)),
    ).toBe(true);
    expect(clocks.filter((c) => c.target === 'COMPLETE').every((c) => c.state === 'MET' && c.elapsed_ms === String(2 * HOUR))).toBe(true);
    const [{ pauses }] = await s.db.query(
      `SELECT count(*)::int AS pauses FROM slas.clock_pauses p JOIN slas.clocks c ON c.id = p.clock_id WHERE c.handoff_id = ANY($1::uuid[]) AND p.resumed_at IS NOT NULL`,
      [many],
    );
    expect(pauses).toBe(40);
    const [{ events }] = await s.db.query(`SELECT count(*)::int AS events FROM eventlog.events WHERE type = ANY($1) AND payload->'handoff'->>'id' = ANY($2)`, [
      [SLA_CLOCK_STARTED, SLA_CLOCK_STOPPED],
      many,
    ]);
    expect(events).toBe(160);

    // One event at a time this was about 6 statements per event (over 1,200 for 200 events).
    const report = (lines: string[]) => `${lines.length} statements:\n${lines.join('\n')}`;
    expect(report(manyStatements)).toBe(report(fewStatements));
    expect(manyStatements.length).toBeLessThanOrEqual(20);
  });
});

describe('slas: a batch produces the same clocks as its events one at a time', () => {
  let one: SlasDb;
  let all: SlasDb;
  beforeAll(async () => {
    [one, all] = await Promise.all([startSlasDb(), startSlasDb()]);
  });
  afterAll(async () => {
    await one?.stop();
    await all?.stop();
  });

  /**
   * Several handoffs under several policies (24x7 and office hours in two zones, by tier
   * and by segment, and a moment with none), their events interleaved in the log: propose,
   * hold and resume (twice, at one instant), accept, complete, reject, cancel, expire,
   * re-propose, a proposal already on hold, a late decision that breaches.
   */
  function scenario(): Step[][] {
    const partner = randomUUID();
    const gold = (patch: Partial<HandoffSnapshot>) => handoff({ toPartnerId: partner, toPartnerTier: 'GOLD', ...patch });
    const h1 = gold({ proposedAt: iso(0), customerSegment: 'SMB' });
    const h2 = handoff({ proposedAt: iso(0), toPartnerTier: 'SILVER' });
    const h3 = handoff({ moment: 'CLOSED_WON_TO_ONBOARDING', customerSegment: 'ENTERPRISE', proposedAt: iso(0), onHold: true, holdReason: 'customer away' });
    const h4 = handoff({ moment: 'MQL_TO_SQL', proposedAt: iso(0) });
    const h5 = handoff({ proposedAt: iso(0), toPartnerTier: null });
    const h6 = gold({ proposedAt: iso(1) });
    const h7 = handoff({ proposedAt: iso(0) });
    const h5again = { ...h5, toPartnerId: randomUUID(), proposedAt: iso(2) };
    // Rounds: each round's steps are appended one after another, handoffs interleaved.
    return [
      [
        { type: HANDOFF_PROPOSED, h: h1 },
        { type: HANDOFF_PROPOSED, h: h2 },
        { type: HANDOFF_PROPOSED, h: h3 },
        { type: HANDOFF_PROPOSED, h: h4 },
        { type: HANDOFF_PROPOSED, h: h5 },
        { type: HANDOFF_PROPOSED, h: h6 },
        { type: HANDOFF_PROPOSED, h: h7 },
      ],
      [
        { type: HANDOFF_HELD, h: { ...h1, onHold: true }, extra: { at: at(1), reason: 'waiting on the customer' } },
        { type: HANDOFF_RESUMED, h: { ...h3, onHold: false }, extra: { at: at(26) } },
        { type: HANDOFF_ACCEPTED, h: { ...h4, state: 'ACCEPTED', acceptedAt: iso(1) } },
        { type: HANDOFF_CANCELLED, h: { ...h5, state: 'CANCELLED', closedAt: iso(1) } },
        { type: HANDOFF_HELD, h: { ...h6, onHold: true }, extra: { at: at(2), reason: 'first' } },
        { type: HANDOFF_RESUMED, h: h6, extra: { at: at(2) } },
        { type: HANDOFF_HELD, h: { ...h6, onHold: true }, extra: { at: at(2), reason: 'second' } },
      ],
      [
        { type: HANDOFF_RESUMED, h: h1, extra: { at: at(3) } },
        { type: HANDOFF_RESUMED, h: h1, extra: { at: at(4) } },
        { type: HANDOFF_REJECTED, h: { ...h2, state: 'REJECTED', closedAt: iso(12) } },
        { type: HANDOFF_ACCEPTED, h: { ...h3, state: 'ACCEPTED', onHold: false, acceptedAt: iso(27) } },
        { type: HANDOFF_PROPOSED, h: h5again },
        { type: HANDOFF_RESUMED, h: h6, extra: { at: at(4) } },
      ],
      [
        { type: HANDOFF_ACCEPTED, h: { ...h1, state: 'ACCEPTED', acceptedAt: iso(5) } },
        { type: HANDOFF_HELD, h: { ...h3, state: 'ACCEPTED', onHold: true }, extra: { at: at(28), reason: 'contract' } },
        { type: HANDOFF_COMPLETED, h: { ...h4, state: 'COMPLETED', acceptedAt: iso(1), completedAt: iso(3) } },
        { type: HANDOFF_ACCEPTED, h: { ...h5again, state: 'ACCEPTED', acceptedAt: iso(3) } },
        { type: HANDOFF_ACCEPTED, h: { ...h6, state: 'ACCEPTED', acceptedAt: iso(30) } },
      ],
      [
        { type: HANDOFF_HELD, h: { ...h1, state: 'ACCEPTED', onHold: true }, extra: { at: at(6), reason: 'paused before completion' } },
        { type: HANDOFF_CANCELLED, h: { ...h3, state: 'CANCELLED', closedAt: iso(30) } },
        { type: HANDOFF_EXPIRED, h: { ...h5again, state: 'EXPIRED', closedAt: iso(40) } },
        { type: HANDOFF_HELD, h: { ...h7, onHold: true }, extra: { at: at(7), reason: 'still waiting' } },
      ],
      [{ type: HANDOFF_COMPLETED, h: { ...h1, state: 'COMPLETED', acceptedAt: iso(5), completedAt: iso(30) } }],
    ];
  }

  async function prepare(db: DataSource, rounds: Step[][], playbook: string): Promise<void> {
    await setPolicy(db, { acceptWithin: 'PT10H', completeWithin: 'PT20H', warningThresholdPercent: 80 });
    await setPolicy(db, {
      partnerTier: PartnerTier.GOLD,
      acceptWithin: 'PT8H',
      completeWithin: 'PT16H',
      calendar: OFFICE_HOURS('UTC'),
      warningThresholdPercent: 50,
    });
    await setPolicy(db, {
      moment: 'CLOSED_WON_TO_ONBOARDING' as never,
      customerSegment: Segment.ENTERPRISE,
      acceptWithin: 'PT4H',
      completeWithin: 'PT6H',
      calendar: OFFICE_HOURS('Europe/Berlin'),
    });
    await publishPlaybook(db, playbook, 'DIRECT_TO_PARTNER');
    for (const round of rounds) for (const step of round) await emit(db, step.type, step.h, step.extra);
    await publishPlaybook(db, playbook, 'CLOSED_WON_TO_ONBOARDING');
  }

  /** Everything the consumer wrote, without what differs between two databases by construction (generated ids, write times). */
  async function state(db: DataSource) {
    const scope = `p.moment AS policy_moment, p.partner_tier AS policy_tier, p.customer_segment AS policy_segment`;
    const clocks: Record<string, unknown>[] = await db.query(
      `SELECT c.*, ${scope} FROM slas.clocks c JOIN slas.policies p ON p.id = c.policy_id ORDER BY c.handoff_id, c.started_at, c.target`,
    );
    const pauses = await db.query(
      `SELECT c.handoff_id, c.target, c.started_at, cp.paused_at, cp.resumed_at, cp.reason, cp.business_ms
         FROM slas.clock_pauses cp JOIN slas.clocks c ON c.id = cp.clock_id ORDER BY c.handoff_id, c.target, c.started_at, cp.paused_at`,
    );
    const handoffs = await db.query(
      `SELECT id, customer_id, moment, from_partner_id, to_partner_id, ARRAY(SELECT unnest(participants) ORDER BY 1) AS participants, state, snapshot
         FROM slas.handoffs ORDER BY id`,
    );
    const events: { type: string; payload: { clock: Record<string, unknown> }; visible_to: string[] }[] = await db.query(
      `SELECT type, payload, visible_to FROM eventlog.events WHERE type = ANY($1) ORDER BY seq`,
      [[SLA_CLOCK_STARTED, SLA_CLOCK_STOPPED, SLA_BREACHED]],
    );
    const playbooks = await db.query(`SELECT id, moment FROM slas.playbooks ORDER BY id`);
    return {
      clocks: clocks.map(({ id: _id, started_by_event: _e, policy_id: _p, ...rest }) => rest),
      pauses,
      handoffs,
      events: events.map((e) => ({ ...e, payload: { ...e.payload, clock: { ...e.payload.clock, id: undefined, policyId: undefined } } })),
      playbooks,
    };
  }

  it('applied one event per batch and all in one batch, the clocks, pauses, projections and SLA events are identical', async () => {
    const rounds = scenario();
    const playbook = randomUUID();
    await prepare(one.db, rounds, playbook);
    await prepare(all.db, rounds, playbook);
    const total = rounds.flat().length + 2;
    expect(total).toBeLessThan(500);
    await applyAll(one.db, 1);
    await applyAll(all.db);

    const a = await state(one.db);
    const b = await state(all.db);
    expect(b).toEqual(a);

    // The scenario reaches every outcome (so the comparison covers them).
    const states = new Set(a.clocks.map((c) => c.state));
    for (const s of ['MET', 'BREACHED', 'CANCELLED', 'PAUSED', 'RUNNING']) expect(states).toContain(s);
    expect(a.clocks).toHaveLength(11);
    expect(a.pauses.length).toBeGreaterThanOrEqual(5);
    expect(a.events.map((e) => e.type)).toEqual(expect.arrayContaining([SLA_CLOCK_STARTED, SLA_CLOCK_STOPPED, SLA_BREACHED]));
    expect(a.handoffs).toHaveLength(7);
    expect(a.playbooks).toEqual([{ id: playbook, moment: 'CLOSED_WON_TO_ONBOARDING' }]);
  });
});
