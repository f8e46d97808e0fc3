import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { createLogger } from '../../../shared/logger';
import { createAccountsProjectionConsumer } from './consumers/accounts-projection.consumer';
import { HandoffMoment, LifecycleStage, RejectionReasonCode } from './entities/enums';
import type { ContextPackage } from './entities/handoff-parts';
import { recordEvents } from './services/handoff-events';
import { selectCustomer, selectHandoff } from './services/handoff-store';
import { currentPlaybook, insertPlaybookVersion, momentKey } from './services/playbook.service';
import { createProposal } from './services/propose.service';
import { acceptInTransaction, cancelHandoff, completeHandoff, holdHandoff, rejectHandoff } from './services/transition.service';
import { DEMO_PLAYBOOKS } from './seed-playbooks';
import { Region } from '../../../shared/graphql/enums';
import { RoutingOwnerKind, RoutingStrategy } from './entities/routing.entity';
import type { RoutingRuleInput } from './resolvers/routing.inputs';
import { setRoutingRule } from './services/routing/rules.service';
import { setStageLimits } from './services/ownership-gap.service';

/**
 * Demo partners and customers are accounts' (its seed writes PartnerCreated and
 * CustomerCreated events, which reach handoffs through its projection); handoffs only
 * names them by their fixed ids.
 */
const partner = (n: string) => `00000000-0000-4000-8000-0000000000${n}`;
const customer = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
/** accounts' DEMO_JOURNEY_CUSTOMERS, by their place in that list. */
const journeyCustomer = (n: number) => `00000000-0000-4000-9100-${String(n).padStart(12, '0')}`;
const P = {
  revops: partner('01'),
  success: partner('02'),
  acme: partner('11'),
  globex: partner('12'),
  brightwave: partner('21'),
  pixelforge: partner('22'),
  northwind: partner('31'),
  initech: partner('32'),
};

type DemoOutcome =
  | { state: 'PROPOSED'; hold?: string }
  | { state: 'ACCEPTED' }
  | { state: 'COMPLETED'; deliverables: Record<string, unknown> }
  | { state: 'REJECTED'; reasonCode: RejectionReasonCode; reason: string }
  | { state: 'CANCELLED'; reason: string };

export interface DemoHandoff {
  id: string;
  customerId: string;
  /** Who proposes: the owner, or an internal team acting for it. */
  proposer: string;
  /** The receiver; null: routing picks it (the demo routing rules below). */
  to: string | null;
  moment: HandoffMoment;
  daysAgo: number;
  context: ContextPackage;
  customerMessage: string;
  data: Record<string, unknown>;
  outcome: DemoOutcome;
}

const ctx = (summary: string, customerSaid: string[], goals: string[], contact: string, email: string): ContextPackage => ({
  summary,
  customerSaid,
  goals,
  contacts: [{ name: contact, email, role: 'champion', phone: null }],
  links: [],
  notes: null,
});

/**
 * A handful of handoffs in every state, on customers other demo data leaves alone (the
 * first customer of each demo owner keeps its owner and has no open handoff).
 */
export const DEMO_HANDOFFS: DemoHandoff[] = [
  {
    id: '00000000-0000-4000-a000-000000000001',
    customerId: customer(10), // Coho Winery, Brightwave Agency
    proposer: P.brightwave,
    to: P.acme,
    moment: HandoffMoment.MQL_TO_SQL,
    daysAgo: 1,
    context: ctx(
      'Winery running three web shops; wants one checkout. Came in through our webinar.',
      ['We lose orders when stock is out of sync'],
      ['One checkout', 'Live stock'],
      'Dana Coho',
      'dana@cohowinery.com',
    ),
    customerMessage: 'Acme Reseller will contact you to plan a demo of the unified checkout.',
    data: { leadScore: 78, source: 'Webinar: consolidating vendor tooling', useCase: 'Unify three web shops behind one checkout', budgetConfirmed: true },
    outcome: { state: 'PROPOSED' },
  },
  {
    id: '00000000-0000-4000-a000-000000000002',
    customerId: customer(8), // Lucerne Publishing, Acme Reseller
    proposer: P.acme,
    to: P.globex,
    moment: HandoffMoment.SUCCESS_TO_RENEWAL,
    daysAgo: 3,
    context: ctx(
      'Publisher renewing in Q3; Globex covers EMEA renewals.',
      ['Happy with the editorial workflow', 'Wants better reporting'],
      ['Renew for 2 years'],
      'Lars Lucerne',
      'lars@lucernepublishing.com',
    ),
    customerMessage: 'Globex Channel will run your renewal from now on; nothing changes in your contract until then.',
    data: { renewalDate: '2026-09-30', currentArr: 48000, healthScore: 72 },
    outcome: { state: 'PROPOSED', hold: 'Customer asked to wait until its budget review next week' },
  },
  {
    id: '00000000-0000-4000-a000-000000000003',
    customerId: customer(11), // Alpine Ski House, Pixelforge Studio
    proposer: P.pixelforge,
    to: P.northwind,
    moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
    daysAgo: 6,
    context: ctx(
      'Signed a 1-year plan for booking and rentals; needs to go live before the season.',
      ['Season opens December 1st', 'We cannot retrain staff twice'],
      ['Live before the season', 'Staff trained once'],
      'Mia Alpine',
      'mia@alpineskihouse.com',
    ),
    customerMessage: 'Northwind Services will onboard you; your onboarding manager will email you today.',
    data: {
      contractValue: 36000,
      startDate: '2026-02-01',
      successCriteria: ['Online bookings live', 'Rental desk on the new system'],
      executiveSponsor: 'ceo@alpineskihouse.com',
      contractUrl: 'https://contracts.example.com/alpine-ski-house',
    },
    outcome: { state: 'ACCEPTED' },
  },
  {
    id: '00000000-0000-4000-a000-000000000004',
    customerId: customer(14), // Datum Corporation, held directly by us
    proposer: P.revops,
    to: P.success,
    moment: HandoffMoment.ONBOARDING_TO_SUCCESS,
    daysAgo: 20,
    context: ctx(
      'Went live on schedule; two regional teams adopted, one lagging.',
      ['The Bogotá team still uses spreadsheets'],
      ['All three regions live'],
      'Ana Datum',
      'ana@adatum.com',
    ),
    customerMessage: 'Your customer success manager from HQ Customer Success will be your contact from now on.',
    data: { goLiveDate: '2026-01-15', healthScore: 81, trainingCompleted: true, adoptionRisks: ['One regional team lagging'] },
    outcome: { state: 'COMPLETED', deliverables: { successPlanUrl: 'https://docs.example.com/datum-success-plan', firstReviewDate: '2026-02-20' } },
  },
  {
    id: '00000000-0000-4000-a000-000000000005',
    customerId: customer(12), // Blue Yonder Air, Northwind Services
    proposer: P.northwind,
    to: P.initech,
    moment: HandoffMoment.SUCCESS_TO_RENEWAL,
    daysAgo: 9,
    context: ctx(
      'Airline renewal; wants an LATAM-based partner for the next term.',
      ['Support hours must cover LATAM time zones'],
      ['Renew with local support'],
      'Ben Yonder',
      'ben@blueyonderair.com',
    ),
    customerMessage: 'We are introducing a regional partner for your renewal.',
    data: { renewalDate: '2026-07-01', currentArr: 120000, healthScore: 64 },
    outcome: { state: 'REJECTED', reasonCode: RejectionReasonCode.NO_CAPACITY, reason: 'Our renewals team is fully booked until next quarter' },
  },
  {
    id: '00000000-0000-4000-a000-000000000006',
    customerId: customer(13), // City Power & Light, Initech Implementations
    proposer: P.initech,
    to: P.acme,
    moment: HandoffMoment.SUCCESS_TO_RENEWAL,
    daysAgo: 12,
    context: ctx('Utility; renewal routed to Acme by mistake.', ['Procurement wants one vendor'], ['Single vendor'], 'Carla Power', 'carla@cpandl.com'),
    customerMessage: 'Acme Reseller will handle your renewal.',
    data: { renewalDate: '2026-05-31', currentArr: 250000, healthScore: 88 },
    outcome: { state: 'CANCELLED', reason: 'Proposed to the wrong partner; the account stays with Initech' },
  },
  {
    id: '00000000-0000-4000-a000-000000000007',
    customerId: customer(17), // Humongous Insurance, Brightwave Agency
    proposer: P.revops,
    to: P.northwind,
    moment: HandoffMoment.DIRECT_TO_PARTNER,
    daysAgo: 0,
    context: ctx(
      'Insurer evaluating claims automation; needs an implementation partner with insurance experience.',
      ['We need SOC 2 evidence before any pilot'],
      ['Pilot in one line of business'],
      'Hugo Humongous',
      'hugo@humongousinsurance.com',
    ),
    customerMessage: 'Northwind Services, our implementation partner for insurance, will join the next call.',
    data: { dealSize: 180000, products: ['Claims automation', 'Analytics'], closeDate: '2026-06-30', competitors: ['In-house build'] },
    outcome: { state: 'PROPOSED' },
  },
  // Routed: two of accounts' journey customers, whose move to ONBOARDING made the handoff due.
  {
    id: '00000000-0000-4000-a000-000000000101',
    customerId: journeyCustomer(4), // Bellows College, Acme Reseller
    proposer: P.acme,
    to: null,
    moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
    daysAgo: 0,
    context: ctx(
      'College signed for student services; wants the portal live before enrolment opens.',
      ['Enrolment opens in August', 'Our IT team is two people'],
      ['Portal live before enrolment'],
      'Bea Bellows',
      'bea@bellowscollege.edu',
    ),
    customerMessage: 'Our onboarding partner will email you today to plan the go-live.',
    data: {
      contractValue: 24000,
      startDate: '2027-01-15',
      successCriteria: ['Portal live'],
      executiveSponsor: 'provost@bellowscollege.edu',
      contractUrl: 'https://contracts.example.com/bellows-college',
    },
    outcome: { state: 'PROPOSED' },
  },
  {
    id: '00000000-0000-4000-a000-000000000102',
    customerId: journeyCustomer(5), // Lamna Healthcare, Pixelforge Studio
    proposer: P.pixelforge,
    to: null,
    moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
    daysAgo: 0,
    context: ctx(
      'Clinic group signed for patient scheduling across 12 sites.',
      ['Every site works differently today'],
      ['One schedule for all sites'],
      'Luis Lamna',
      'luis@lamnahealthcare.com',
    ),
    customerMessage: 'Our onboarding partner will contact you this week.',
    data: {
      contractValue: 96000,
      startDate: '2027-02-01',
      successCriteria: ['All sites on one schedule'],
      executiveSponsor: 'coo@lamnahealthcare.com',
      contractUrl: 'https://contracts.example.com/lamna-healthcare',
    },
    outcome: { state: 'ACCEPTED' },
  },
];

const as = (partnerId: string): Identity =>
  [P.revops, P.success].includes(partnerId) ? { partnerId, role: 'INTERNAL', scopes: ['seed'] } : { partnerId, role: 'PARTNER', scopes: ['seed'] };

const routingCandidate = (partnerId: string, over: Partial<RoutingRuleInput['candidates'][number]> = {}) => ({
  partnerId,
  weight: 1,
  regions: [],
  segments: [],
  maxOpen: null,
  paused: false,
  ...over,
});

/**
 * Routing is alive on first start (docs/routing.md): customers we hold go to the reseller of
 * their territory, the better scorecard first; signed customers go to the service providers
 * in turn, skipping one whose bench is full.
 */
export const DEMO_ROUTING_RULES: RoutingRuleInput[] = [
  {
    moment: HandoffMoment.DIRECT_TO_PARTNER,
    customMoment: null,
    customerSegment: null,
    customerRegion: null,
    currentOwnerKind: RoutingOwnerKind.DIRECT,
    strategies: [RoutingStrategy.TERRITORY, RoutingStrategy.CAPACITY, RoutingStrategy.SCORECARD],
    candidates: [
      routingCandidate(P.acme, { regions: [Region.NA, Region.LATAM], maxOpen: 25 }),
      routingCandidate(P.globex, { regions: [Region.EMEA, Region.APAC], maxOpen: 25 }),
    ],
    rerouteOnReject: true,
    minSample: 5,
    changeNote: 'Demo: resellers by territory, ranked by their scorecard',
  },
  {
    moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
    customMoment: null,
    customerSegment: null,
    customerRegion: null,
    currentOwnerKind: null,
    strategies: [RoutingStrategy.CAPACITY, RoutingStrategy.ROUND_ROBIN],
    candidates: [routingCandidate(P.northwind, { maxOpen: 20 }), routingCandidate(P.initech, { maxOpen: 20 })],
    rerouteOnReject: true,
    minSample: 10,
    changeNote: 'Demo: onboarding by turns between the service providers',
  },
];

/** How long a customer may stay in a stage before the journey lists it (STAGE_TOO_LONG). */
export const DEMO_STAGE_LIMITS = [
  { stage: LifecycleStage.MQL, maxDays: 14 },
  { stage: LifecycleStage.SQL, maxDays: 30 },
  { stage: LifecycleStage.OPPORTUNITY, maxDays: 60 },
  { stage: LifecycleStage.ONBOARDING, maxDays: 45 },
];

/**
 * Demo customers that entered their stage before the demo began (days ago), past its limit:
 * Humongous Insurance (OPPORTUNITY) and Fabrikam Logistics (MQL), of accounts' DEMO_CUSTOMERS.
 */
export const DEMO_LONG_IN_STAGE: { customerId: string; daysAgo: number }[] = [
  { customerId: '00000000-0000-4000-9000-000000000017', daysAgo: 75 },
  { customerId: '00000000-0000-4000-9000-000000000002', daysAgo: 20 },
];

/**
 * Demo data for `npm start`: a playbook per moment and the handoffs above, through the same
 * services as the API (so every event is there). Idempotent: what exists is left alone.
 */
export async function seedHandoffs(db: DataSource): Promise<void> {
  // Playbooks first: their triggers decide which of accounts' demo stage moves make a handoff due.
  const publisher: Identity = as(P.revops);
  for (const input of DEMO_PLAYBOOKS) {
    await db.transaction(async (m) => {
      if (!(await currentPlaybook(m, momentKey(input.moment, input.customMoment)))) await insertPlaybookVersion(m, input, publisher);
    });
  }

  // accounts' demo events may not have reached the projection yet.
  const projection = createAccountsProjectionConsumer(db, createLogger('handoffs-seed', 'silent'));
  await projection.catchUp();

  // setRoutingRule returns the current version when the terms are the same: no new version on restart.
  const known: { n: number }[] = await db.query(`SELECT count(*)::int AS n FROM handoffs.partners WHERE id = ANY($1::uuid[])`, [Object.values(P)]);
  if (known[0]?.n === Object.values(P).length) {
    for (const input of DEMO_ROUTING_RULES) await setRoutingRule(db, publisher, input);
  }

  for (const d of DEMO_HANDOFFS) {
    const created = await db.transaction(async (m) => {
      if (await selectHandoff(m, d.id, false)) return null;
      if (!(await selectCustomer(m, d.customerId, false))) return null; // accounts' demo data is not there
      const proposedAt = new Date(Date.now() - d.daysAgo * 86_400_000 - 3_600_000);
      const proposed = await createProposal(m, as(d.proposer), {
        id: d.id,
        customerId: d.customerId,
        toPartnerId: d.to,
        moment: d.moment,
        customMoment: null,
        playbookId: null,
        contextPackage: d.context,
        customerMessage: d.customerMessage,
        data: d.data,
        proposedAt,
      });
      if (d.outcome.state === 'ACCEPTED' || d.outcome.state === 'COMPLETED') {
        const h = (await selectHandoff(m, d.id, true))!;
        const { events } = await acceptInTransaction(m, as(h.toPartnerId), h, new Date(proposedAt.getTime() + 5 * 3_600_000));
        await recordEvents(m, events);
      }
      return proposed.toPartnerId;
    });
    if (!created) continue;
    const to = created;
    const o = d.outcome;
    if (o.state === 'PROPOSED' && o.hold) await holdHandoff(db, as(d.proposer), d.id, o.hold);
    if (o.state === 'COMPLETED') await completeHandoff(db, as(to), d.id, o.deliverables);
    if (o.state === 'REJECTED') await rejectHandoff(db, as(to), d.id, o.reason, o.reasonCode);
    if (o.state === 'CANCELLED') await cancelHandoff(db, as(d.proposer), d.id, o.reason);
  }

  // Once, on first start: the stage limits, and the customers that have waited past them.
  const limits: unknown[] = await db.query(`SELECT 1 FROM handoffs.stage_limits LIMIT 1`);
  if (limits.length === 0) {
    await setStageLimits(db, publisher, DEMO_STAGE_LIMITS);
    for (const { customerId, daysAgo } of DEMO_LONG_IN_STAGE) {
      await db.query(`UPDATE handoffs.customers SET stage_entered_at = now() - make_interval(days => $2) WHERE id = $1`, [customerId, daysAgo]);
    }
  }
}
