import type { DataSource, EntityManager } from 'typeorm';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import {
  FEEDBACK_SUBMITTED,
  HANDOFF_DUE_DISMISSED,
  HANDOFF_DUE_OPENED,
  HANDOFF_DUE_PROPOSED,
  HANDOFF_DUE_SUPERSEDED,
  SLA_DUE_BREACHED,
  HANDOFF_ACCEPTED,
  HANDOFF_CANCELLED,
  HANDOFF_COMPLETED,
  HANDOFF_EXPIRED,
  HANDOFF_PROPOSED,
  HANDOFF_REJECTED,
  SLA_BREACHED,
  SLA_CLOCK_STARTED,
  SLA_CLOCK_STOPPED,
  DEMO_EVENT_SOURCE,
  type FeedbackSnapshot,
  type HandoffDueSnapshot,
  type HandoffMomentName,
  type HandoffSnapshot,
  type ValueSnapshot,
  type SlaClockSnapshot,
  type SlaDueClockSnapshot,
} from '../../../shared/eventlog/events';
import { REPEAT_TAG } from './services/handoff-fact';
import { seedScorecardsRevenue } from './seed-revenue';

/**
 * Demo history for `npm start`: about four months of handoffs with their SLA clocks and
 * feedback, written as events (source 'demo') so that the projection builds the figures
 * the same way it does for real ones. Ids are fixed and the history is generated from a
 * fixed seed; it is written once (the first handoff's event marks it), ending at the time
 * of that first start so the dashboard has recent data.
 *
 * The partner and customer ids are copies of accounts' demo data (subgraphs/accounts/src/
 * seed.ts): a subgraph never imports another one's code.
 */
export const DEMO = {
  revops: '00000000-0000-4000-8000-000000000001',
  success: '00000000-0000-4000-8000-000000000002',
  acme: '00000000-0000-4000-8000-000000000011',
  globex: '00000000-0000-4000-8000-000000000012',
  brightwave: '00000000-0000-4000-8000-000000000021',
  pixelforge: '00000000-0000-4000-8000-000000000022',
  northwind: '00000000-0000-4000-8000-000000000031',
  initech: '00000000-0000-4000-8000-000000000032',
} as const;

type Seg = 'SMB' | 'MID_MARKET' | 'ENTERPRISE' | 'STRATEGIC';
type Reg = 'NA' | 'LATAM' | 'EMEA' | 'APAC';
const CUSTOMERS: [Seg, Reg][] = [
  ['ENTERPRISE', 'NA'],
  ['MID_MARKET', 'EMEA'],
  ['SMB', 'NA'],
  ['STRATEGIC', 'NA'],
  ['SMB', 'APAC'],
  ['MID_MARKET', 'LATAM'],
  ['ENTERPRISE', 'EMEA'],
  ['MID_MARKET', 'EMEA'],
  ['ENTERPRISE', 'APAC'],
  ['SMB', 'NA'],
  ['SMB', 'EMEA'],
  ['MID_MARKET', 'NA'],
  ['STRATEGIC', 'NA'],
  ['ENTERPRISE', 'LATAM'],
  ['SMB', 'APAC'],
  ['SMB', 'EMEA'],
  ['STRATEGIC', 'EMEA'],
  ['MID_MARKET', 'APAC'],
  ['SMB', 'LATAM'],
  ['ENTERPRISE', 'NA'],
];
const customerId = (i: number) => `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`;
/** The demo customers with their segment and region, as accounts' demo data announces them (CustomerCreated). */
export const demoCustomers = () => CUSTOMERS.map(([segment, region], i) => ({ id: customerId(i), segment, region }));

/** How each receiving partner behaves: what makes the scorecards and maturity differ. */
interface Profile {
  partner: string;
  tier: string;
  moments: HandoffMomentName[];
  senders: (string | null)[];
  perWeek: number;
  accept: number;
  complete: number;
  hoursToAccept: number;
  daysToComplete: number;
  playbook: number;
  dataComplete: number;
  sla: number;
  rating: number;
  repeat: number;
  feedback: number;
  stall: number;
}

const PROFILES: Profile[] = [
  {
    partner: DEMO.acme,
    tier: 'GOLD',
    moments: ['DIRECT_TO_PARTNER', 'MQL_TO_SQL', 'SUCCESS_TO_RENEWAL'],
    senders: [DEMO.revops, null],
    perWeek: 9,
    accept: 0.88,
    complete: 0.85,
    hoursToAccept: 6,
    daysToComplete: 9,
    playbook: 0.95,
    dataComplete: 0.92,
    sla: 0.9,
    rating: 4.4,
    repeat: 0.06,
    feedback: 0.85,
    stall: 0.01,
  },
  {
    partner: DEMO.globex,
    tier: 'SILVER',
    moments: ['DIRECT_TO_PARTNER', 'MQL_TO_SQL'],
    senders: [DEMO.revops],
    perWeek: 6,
    accept: 0.66,
    complete: 0.62,
    hoursToAccept: 30,
    daysToComplete: 18,
    playbook: 0.55,
    dataComplete: 0.58,
    sla: 0.5,
    rating: 3.3,
    repeat: 0.35,
    feedback: 0.45,
    stall: 0.06,
  },
  {
    partner: DEMO.brightwave,
    tier: 'GOLD',
    moments: ['MQL_TO_SQL', 'DIRECT_TO_PARTNER'],
    senders: [DEMO.revops, null],
    perWeek: 7,
    accept: 0.8,
    complete: 0.78,
    hoursToAccept: 10,
    daysToComplete: 12,
    playbook: 0.8,
    dataComplete: 0.75,
    sla: 0.7,
    rating: 4.0,
    repeat: 0.15,
    feedback: 0.6,
    stall: 0.02,
  },
  {
    partner: DEMO.pixelforge,
    tier: 'REGISTERED',
    moments: ['MQL_TO_SQL'],
    senders: [DEMO.revops],
    perWeek: 3,
    accept: 0.55,
    complete: 0.5,
    hoursToAccept: 48,
    daysToComplete: 25,
    playbook: 0.3,
    dataComplete: 0.4,
    sla: 0.2,
    rating: 2.9,
    repeat: 0.45,
    feedback: 0.3,
    stall: 0.1,
  },
  {
    partner: DEMO.northwind,
    tier: 'PLATINUM',
    moments: ['CLOSED_WON_TO_ONBOARDING'],
    senders: [DEMO.acme, DEMO.brightwave, DEMO.revops],
    perWeek: 8,
    accept: 0.95,
    complete: 0.92,
    hoursToAccept: 3,
    daysToComplete: 14,
    playbook: 0.97,
    dataComplete: 0.95,
    sla: 0.95,
    rating: 4.6,
    repeat: 0.04,
    feedback: 0.9,
    stall: 0.0,
  },
  {
    partner: DEMO.initech,
    tier: 'SILVER',
    moments: ['CLOSED_WON_TO_ONBOARDING'],
    senders: [DEMO.globex, DEMO.revops],
    perWeek: 4,
    accept: 0.75,
    complete: 0.7,
    hoursToAccept: 20,
    daysToComplete: 24,
    playbook: 0.65,
    dataComplete: 0.62,
    sla: 0.6,
    rating: 3.6,
    repeat: 0.25,
    feedback: 0.5,
    stall: 0.04,
  },
  {
    partner: DEMO.success,
    tier: 'PLATINUM',
    moments: ['ONBOARDING_TO_SUCCESS', 'SUCCESS_TO_RENEWAL'],
    senders: [DEMO.northwind, DEMO.initech],
    perWeek: 6,
    accept: 0.97,
    complete: 0.93,
    hoursToAccept: 4,
    daysToComplete: 7,
    playbook: 0.9,
    dataComplete: 0.88,
    sla: 0.85,
    rating: 4.3,
    repeat: 0.08,
    feedback: 0.7,
    stall: 0.0,
  },
];

export const DEMO_WEEKS = 17;
export const demoHandoffId = (n: number) => `00000000-0000-4000-f100-${String(n + 1).padStart(12, '0')}`;
const uuidOf = (kind: string, n: number) => `00000000-0000-4000-${kind}-${String(n + 1).padStart(12, '0')}`;

/** mulberry32: a small deterministic PRNG, so the demo history is the same everywhere. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const TAGS_GOOD = ['clear next steps', 'fast response', 'well prepared'];
const TAGS_BAD = ['late', 'unclear ownership', 'missing context'];

/** Generates the demo events (and the feedback rows they record), ending at `now`. */
export function generateDemoHistory(now: Date): { events: NewEvent[]; feedback: FeedbackSnapshot[] } {
  const random = rng(20241124);
  const pick = <T>(xs: readonly T[]): T => {
    const x = xs[Math.floor(random() * xs.length)];
    if (x === undefined) throw new Error('seed: picked from an empty list');
    return x;
  };
  const around = (mean: number) => mean * (0.3 + 1.4 * random() * random() + 0.3 * random());
  const events: NewEvent[] = [];
  const feedback: FeedbackSnapshot[] = [];
  const start = now.getTime() - DEMO_WEEKS * 7 * DAY;
  let n = 0;
  let clockN = 0;
  const proposals: HandoffSnapshot[] = [];
  for (const p of PROFILES) {
    const count = Math.round(p.perWeek * DEMO_WEEKS);
    for (let i = 0; i < count; i++) {
      const id = demoHandoffId(n++);
      const c = Math.floor(random() * CUSTOMERS.length);
      const [customerSegment, customerRegion] = CUSTOMERS[c]!; // random() < 1, so c < CUSTOMERS.length
      const proposedAt = new Date(start + random() * (now.getTime() - start - HOUR));
      const from = pick(p.senders);
      const snap: HandoffSnapshot = {
        id,
        customerId: customerId(c),
        moment: pick(p.moments),
        customMoment: null,
        state: 'PROPOSED',
        fromPartnerId: from,
        toPartnerId: p.partner,
        toPartnerTier: p.tier,
        customerSegment,
        customerRegion,
        playbookId: random() < p.playbook ? uuidOf('d000', PROFILES.indexOf(p)) : null,
        playbookVersion: 1,
        requiredDataComplete: random() < p.dataComplete,
        onHold: false,
        proposedAt: proposedAt.toISOString(),
        acceptedAt: null,
        completedAt: null,
        closedAt: null,
        value: demoValue(n),
      };
      proposals.push({ ...snap });
      const visibleTo = [from, p.partner].filter((x): x is string => !!x);
      const ev = (type: string, payload: Record<string, unknown>): NewEvent => ({
        type,
        source: DEMO_EVENT_SOURCE,
        aggregateType: 'Handoff',
        aggregateId: id,
        payload,
        visibleTo,
        actor: { role: 'SERVICE', scopes: ['seed'] },
      });
      const handoffEvent = (type: string, extra: Record<string, unknown> = {}) => events.push(ev(type, { handoff: { ...snap }, ...extra }));
      const underSla = random() < p.sla;
      const clock = (target: 'ACCEPT' | 'COMPLETE', startedAt: Date, targetHours: number): SlaClockSnapshot => ({
        id: uuidOf('b000', clockN++),
        handoffId: id,
        policyId: uuidOf('e000', target === 'ACCEPT' ? 0 : 1),
        policyVersion: 1,
        target,
        state: 'RUNNING',
        startedAt: startedAt.toISOString(),
        dueAt: new Date(startedAt.getTime() + targetHours * HOUR * 1.4).toISOString(),
        stoppedAt: null,
        businessSecondsElapsed: 0,
        targetBusinessSeconds: targetHours * 3600,
      });
      // Business time: roughly the working share of the wall time (9 hours of 24, 5 days of 7).
      const business = (ms: number) => Math.round((ms / 1000) * (9 / 24) * (5 / 7));
      const stopClock = (k: SlaClockSnapshot, at: Date, state: 'MET' | 'BREACHED' | 'CANCELLED') => {
        const elapsed = business(at.getTime() - Date.parse(k.startedAt));
        const breached = state !== 'CANCELLED' && elapsed > k.targetBusinessSeconds;
        const final = state === 'CANCELLED' ? 'CANCELLED' : breached ? 'BREACHED' : 'MET';
        if (breached)
          events.push(ev(SLA_BREACHED, { clock: { ...k, state: 'BREACHED', businessSecondsElapsed: k.targetBusinessSeconds }, handoff: { ...snap } }));
        events.push(
          ev(SLA_CLOCK_STOPPED, { clock: { ...k, state: final, stoppedAt: at.toISOString(), businessSecondsElapsed: elapsed }, handoff: { ...snap } }),
        );
      };

      handoffEvent(HANDOFF_PROPOSED);
      const acceptClock = underSla ? clock('ACCEPT', proposedAt, 8) : null;
      if (acceptClock) events.push(ev(SLA_CLOCK_STARTED, { clock: acceptClock, handoff: { ...snap } }));

      const acceptAt = new Date(proposedAt.getTime() + around(p.hoursToAccept) * HOUR);
      const stalls = random() < p.stall;
      if (stalls || acceptAt.getTime() > now.getTime()) continue; // still waiting (and perhaps stalled)
      const roll = random();
      if (roll > p.accept) {
        const outcome = roll > p.accept + (1 - p.accept) / 2 ? HANDOFF_REJECTED : pick([HANDOFF_CANCELLED, HANDOFF_EXPIRED]);
        snap.state = outcome === HANDOFF_REJECTED ? 'REJECTED' : outcome === HANDOFF_CANCELLED ? 'CANCELLED' : 'EXPIRED';
        const closedAt = outcome === HANDOFF_EXPIRED ? new Date(proposedAt.getTime() + 3 * DAY) : acceptAt;
        if (closedAt.getTime() > now.getTime()) continue;
        snap.closedAt = closedAt.toISOString();
        handoffEvent(
          outcome,
          outcome === HANDOFF_REJECTED
            ? { reasonCode: pick(['NO_CAPACITY', 'NOT_A_FIT', 'MISSING_DATA']), reason: 'Declined by the partner' }
            : { reason: 'No longer needed' },
        );
        if (acceptClock) stopClock(acceptClock, closedAt, outcome === HANDOFF_EXPIRED ? 'BREACHED' : 'CANCELLED');
        continue;
      }
      snap.state = 'ACCEPTED';
      snap.acceptedAt = acceptAt.toISOString();
      handoffEvent(HANDOFF_ACCEPTED);
      if (acceptClock) stopClock(acceptClock, acceptAt, 'MET');
      const completeClock = underSla ? clock('COMPLETE', acceptAt, p.daysToComplete * 9 * 0.9) : null;
      if (completeClock) events.push(ev(SLA_CLOCK_STARTED, { clock: completeClock, handoff: { ...snap } }));
      const completeAt = new Date(acceptAt.getTime() + around(p.daysToComplete) * DAY);
      if (completeAt.getTime() > now.getTime() || random() > p.complete / p.accept) continue;
      snap.state = 'COMPLETED';
      snap.completedAt = completeAt.toISOString();
      handoffEvent(HANDOFF_COMPLETED);
      if (completeClock) stopClock(completeClock, completeAt, 'MET');

      if (random() > p.feedback) continue;
      const sources: ('CUSTOMER' | 'INTERNAL' | 'PARTNER')[] =
        random() < 0.6 ? ['CUSTOMER', 'INTERNAL', 'PARTNER'] : [pick(['CUSTOMER', 'INTERNAL', 'PARTNER'] as const)];
      for (const source of sources) {
        const rating = Math.max(1, Math.min(5, Math.round(p.rating + (random() - 0.5) * 2.2)));
        const tags = [rating >= 4 ? pick(TAGS_GOOD) : pick(TAGS_BAD)];
        if (random() < p.repeat) tags.push(REPEAT_TAG);
        const fb: FeedbackSnapshot = {
          id: uuidOf('c000', feedback.length),
          handoffId: id,
          source,
          rating,
          comment: rating >= 4 ? 'Smooth handoff.' : 'We had to chase for the details.',
          tags,
          revision: 1,
          submittedByPartnerId: source === 'CUSTOMER' ? null : source === 'INTERNAL' ? DEMO.revops : p.partner,
          submittedAt: new Date(Math.min(now.getTime(), completeAt.getTime() + 2 * DAY)).toISOString(),
        };
        feedback.push(fb);
        events.push(ev(FEEDBACK_SUBMITTED, { feedback: fb }));
      }
    }
  }
  events.push(...generateDemoDues(proposals, now));
  return { events, feedback };
}

/**
 * How each partner that hands customers on behaves when one comes due: the share of its
 * dues it never proposes, and how long it takes to propose the others. Partners only:
 * dues of customers we hold directly would make rows for internal teams that receive nothing.
 */
const DUE_PROFILES: Record<string, { never: number; hoursToPropose: number }> = {
  [DEMO.acme]: { never: 0.06, hoursToPropose: 8 },
  [DEMO.brightwave]: { never: 0.15, hoursToPropose: 22 },
  [DEMO.globex]: { never: 0.35, hoursToPropose: 60 },
  [DEMO.northwind]: { never: 0.03, hoursToPropose: 5 },
  [DEMO.initech]: { never: 0.2, hoursToPropose: 36 },
};
/** The stage move that makes each moment due in the demo (the playbook triggers a real hub would have). */
const DEMO_TRIGGERS: Record<HandoffMomentName, [string, string]> = {
  MQL_TO_SQL: ['MQL', 'SQL'],
  DIRECT_TO_PARTNER: ['SQL', 'OPPORTUNITY'],
  CLOSED_WON_TO_ONBOARDING: ['CLOSED_WON', 'ONBOARDING'],
  ONBOARDING_TO_SUCCESS: ['ONBOARDING', 'ACTIVE'],
  SUCCESS_TO_RENEWAL: ['ACTIVE', 'RENEWAL'],
  CUSTOM: ['ACTIVE', 'ACTIVE'],
};
/** The demo PROPOSE target: a stage move should be proposed within two days. */
const DEMO_PROPOSE_WITHIN_HOURS = 48;

/**
 * Dues for the demo history, from their own random stream so that the handoffs above stay
 * what they were: most proposals a partner made came due first (a stage move some hours
 * before), with a PROPOSE breach when that took over two days; and the partner's dues that
 * were never proposed (superseded, dismissed, or still open past a breach).
 */
/**
 * A demo handoff's value, from its number alone (the random sequence, and so every demo count
 * figure, stays as it was): 1,000 to 49,000, one in five in USD, the others in EUR.
 */
const demoValue = (n: number): ValueSnapshot => ({
  amount: `${1000 + ((n * 7919) % 48000)}.${String((n * 37) % 100).padStart(2, '0')}`,
  currency: n % 5 === 0 ? 'USD' : 'EUR',
  source: 'PIPELINE',
});

function generateDemoDues(proposals: HandoffSnapshot[], now: Date): NewEvent[] {
  const random = rng(20261202);
  const around = (mean: number) => mean * (0.3 + 1.4 * random() * random() + 0.3 * random());
  const events: NewEvent[] = [];
  let n = 0;
  const due = (s: Omit<HandoffDueSnapshot, 'id'>, stageMovedAt: Date, outcome: { state: HandoffDueSnapshot['state']; at: Date | null }) => {
    const id = uuidOf('f200', n);
    const opened: HandoffDueSnapshot = { ...s, id, stageMove: { ...s.stageMove, eventId: uuidOf('f300', n) }, openedAt: stageMovedAt.toISOString() };
    n++;
    const visibleTo = opened.accountablePartnerId ? [opened.accountablePartnerId] : [];
    const ev = (type: string, payload: Record<string, unknown>, aggregateType = 'HandoffDue'): NewEvent => ({
      type,
      source: DEMO_EVENT_SOURCE,
      aggregateType,
      aggregateId: id,
      payload,
      visibleTo,
      actor: { role: 'SERVICE', scopes: ['seed'] },
    });
    events.push(ev(HANDOFF_DUE_OPENED, { due: opened }));
    const breachAt = new Date(stageMovedAt.getTime() + DEMO_PROPOSE_WITHIN_HOURS * HOUR);
    const closedAt = outcome.at && outcome.at.getTime() <= now.getTime() ? outcome.at : null;
    if (breachAt.getTime() <= now.getTime() && (!closedAt || closedAt > breachAt)) {
      const clock: SlaDueClockSnapshot = {
        id: uuidOf('f400', n),
        dueId: id,
        customerId: opened.customerId,
        moment: opened.moment,
        policyId: uuidOf('e000', 2),
        policyVersion: 1,
        target: 'PROPOSE',
        state: 'BREACHED',
        startedAt: stageMovedAt.toISOString(),
        dueAt: breachAt.toISOString(),
        stoppedAt: null,
        businessSecondsElapsed: DEMO_PROPOSE_WITHIN_HOURS * 3600,
        targetBusinessSeconds: DEMO_PROPOSE_WITHIN_HOURS * 3600,
        accountablePartnerId: opened.accountablePartnerId,
        warningAt: null,
        atRiskAt: null,
        breachedAt: breachAt.toISOString(),
      };
      events.push(ev(SLA_DUE_BREACHED, { clock, due: opened }, 'SlaDueClock'));
    }
    if (!closedAt) return;
    const type = { PROPOSED: HANDOFF_DUE_PROPOSED, DISMISSED: HANDOFF_DUE_DISMISSED, SUPERSEDED: HANDOFF_DUE_SUPERSEDED, OPEN: null }[outcome.state];
    if (type) events.push(ev(type, { due: { ...opened, state: outcome.state, closedAt: closedAt.toISOString() } }));
  };
  const template = (s: HandoffSnapshot, from: string, stageMovedAt: Date): Omit<HandoffDueSnapshot, 'id'> => ({
    customerId: s.customerId,
    moment: s.moment,
    customMoment: null,
    playbookId: uuidOf('d000', 0),
    playbookVersion: 1,
    stageMove: { fromStage: DEMO_TRIGGERS[s.moment][0], toStage: DEMO_TRIGGERS[s.moment][1], eventId: '', at: stageMovedAt.toISOString() },
    accountablePartnerId: from,
    suggestedPartnerId: s.toPartnerId,
    suggestionRuleId: null,
    proposeWithin: `PT${DEMO_PROPOSE_WITHIN_HOURS}H`,
    dueAt: new Date(stageMovedAt.getTime() + DEMO_PROPOSE_WITHIN_HOURS * HOUR).toISOString(),
    autoPropose: false,
    state: 'OPEN',
    handoffId: null,
    dismissedReason: null,
    dismissedByPartnerId: null,
    supersededByEventId: null,
    openedAt: stageMovedAt.toISOString(),
    closedAt: null,
    value: s.value ?? null,
  });
  for (const s of proposals) {
    const from = s.fromPartnerId;
    const profile = from ? DUE_PROFILES[from] : undefined;
    if (!from || !profile || random() > 0.7) continue;
    const proposedAt = new Date(s.proposedAt);
    const stageMovedAt = new Date(proposedAt.getTime() - around(profile.hoursToPropose) * HOUR);
    due({ ...template(s, from, stageMovedAt), handoffId: s.id }, stageMovedAt, { state: 'PROPOSED', at: proposedAt });
    // Now and then a due the partner let go by.
    if (random() < profile.never / (1 - profile.never)) {
      const movedAt = new Date(proposedAt.getTime() - random() * 20 * DAY);
      const roll = random();
      const state = roll < 0.5 ? 'SUPERSEDED' : roll < 0.75 ? 'DISMISSED' : 'OPEN';
      due(template(s, from, movedAt), movedAt, { state, at: state === 'OPEN' ? null : new Date(movedAt.getTime() + around(72) * HOUR) });
    }
  }
  return events;
}

async function writeFeedback(manager: EntityManager, feedback: FeedbackSnapshot[]) {
  for (let i = 0; i < feedback.length; i += 500) {
    const chunk = feedback.slice(i, i + 500);
    await manager.query(
      `INSERT INTO scorecards.feedback (id, handoff_id, source, rating, comment, tags, revision, submitted_by_partner_id, created_at, updated_at)
       SELECT id, handoff_id, source, rating, comment, tags, 1, submitted_by_partner_id, submitted_at, submitted_at
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, handoff_id uuid, source text, rating int, comment text, tags text[], submitted_by_partner_id uuid, submitted_at timestamptz)
       ON CONFLICT DO NOTHING`,
      [
        JSON.stringify(
          chunk.map((f) => ({
            id: f.id,
            handoff_id: f.handoffId,
            source: f.source,
            rating: f.rating,
            comment: f.comment,
            tags: f.tags,
            submitted_by_partner_id: f.submittedByPartnerId,
            submitted_at: f.submittedAt,
          })),
        ),
      ],
    );
    await manager.query(
      `INSERT INTO scorecards.feedback_revisions (feedback_id, revision, rating, comment, tags, submitted_by_partner_id, submitted_at)
       SELECT id, 1, rating, comment, tags, submitted_by_partner_id, created_at FROM scorecards.feedback WHERE id = ANY($1::uuid[])
       ON CONFLICT DO NOTHING`,
      [chunk.map((f) => f.id)],
    );
  }
}

/** Writes the demo history once; a second call (or a second instance) changes nothing. */
export async function seedScorecards(db: DataSource, now = new Date()): Promise<void> {
  await db.transaction(async (manager) => {
    // Serialises concurrent first starts; the marker below makes later ones no-ops.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('scorecards-demo-seed'))`);
    const marker: unknown[] = await manager.query(`SELECT 1 FROM eventlog.events WHERE source = $1 AND aggregate_id = $2 LIMIT 1`, [
      DEMO_EVENT_SOURCE,
      demoHandoffId(0),
    ]);
    if (marker.length > 0) return;
    const { events, feedback } = generateDemoHistory(now);
    for (let i = 0; i < events.length; i += 1000) await appendEvents(manager, events.slice(i, i + 1000));
    await writeFeedback(manager, feedback);
  });
  // Marked apart from the handoff history, so a demo database from before it gets it too.
  await seedScorecardsRevenue(db, now);
}
