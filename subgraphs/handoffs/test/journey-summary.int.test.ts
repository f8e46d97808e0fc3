import { randomUUID } from 'node:crypto';
import type { Identity } from '../../../shared/auth/identity';
import { countQueries } from '../../../shared/db/query-counter';
import { CUSTOMER_UPDATED, PARTNER_CREATED, type CustomerEventPayload } from '../../../shared/eventlog/events';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { HandoffMoment } from '../../../shared/graphql/enums';
import { LifecycleStage } from '../src/entities/enums';
import { RoutingStrategy } from '../src/entities/routing.entity';
import type { RoutingRuleInput } from '../src/resolvers/routing.inputs';
import { publishPlaybook } from '../src/services/playbook.service';
import { proposeHandoff } from '../src/services/propose.service';
import { dueSummary, routingDecisions } from '../src/services/journey-summary.service';
import { setRoutingRule } from '../src/services/routing/rules.service';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import {
  accountsEvents,
  asInternal,
  asPartner,
  customerCreated,
  onboardingPlaybook,
  proposal,
  silentLog,
  startHandoffsFixture,
  type HandoffsFixture,
} from './fixture';

const SUMMARY = `query($from: DateTimeISO!, $to: DateTimeISO!, $partnerId: ID) {
  handoffDueSummary(from: $from, to: $to, partnerId: $partnerId) { moment customMoment open overdue opened proposed dismissed superseded oldestOpen { customerId state } }
}`;
const DECISIONS = `query($from: DateTimeISO!, $to: DateTimeISO!) {
  routingDecisions(from: $from, to: $to) { rule { id version moment } routed candidates { partnerId partner { id } weight weightShare chosen share } }
}`;

/** handoffDueSummary and routingDecisions (the Journey panel's figures) through the subgraph's own server. */
describe('handoffs: journey summary (subgraph server, real Postgres)', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  let P1: string, P2: string;
  const window = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 86_400_000).toISOString() };
  const gql = (who: Identity, query: string, variables: Record<string, unknown> = {}) => subgraphGql(url, query, { ...window, ...variables }, who);

  const toOnboarding = async (customerId: string, owner: string) => {
    const created = customerCreated(customerId, 'x', owner);
    const { customer } = created.payload as unknown as CustomerEventPayload;
    await accountsEvents(f.db, [
      { ...created, type: CUSTOMER_UPDATED, payload: { customer: { ...customer, lifecycleStage: LifecycleStage.ONBOARDING }, changed: ['lifecycleStage'] } },
    ]);
    await f.project();
  };
  const openDue = async (owner: string) => {
    const c = await f.customer(owner);
    await toOnboarding(c, owner);
    return c;
  };

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publishPlaybook(f.db, asInternal(f.I), {
      ...onboardingPlaybook(),
      trigger: { fromStage: LifecycleStage.CLOSED_WON, toStage: LifecycleStage.ONBOARDING, proposeWithin: 'P1D' },
    });
    [P1, P2] = [randomUUID(), randomUUID()];
    await accountsEvents(
      f.db,
      [P1, P2].map((id, i) => ({
        type: PARTNER_CREATED,
        source: 'accounts',
        aggregateType: 'Partner',
        aggregateId: id,
        payload: { partner: { id, name: `Provider ${i + 1}`, kind: 'SERVICE_PROVIDER', tier: 'GOLD', region: 'EMEA', status: 'ACTIVE' } },
        visibleTo: [id],
      })),
    );
    await f.project();
    server = await createHandoffsServer({ dataSource: f.db, identitySecret: TEST_IDENTITY_SECRET, log: silentLog });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server?.stop();
    await f?.stop();
  });

  it('counts dues per moment as each caller may see them: open, overdue, and how the window’s dues ended', async () => {
    // A: three dues — one proposed, one overdue, one open; C: one dismissed.
    const [a1, a2] = [await openDue(f.A), await openDue(f.A)];
    await openDue(f.A);
    const c1 = await openDue(f.C);
    await proposeHandoff(f.db, asPartner(f.A), proposal(a1, f.B), null);
    await f.db.query(`UPDATE handoffs.handoff_dues SET due_at = now() - interval '1 hour' WHERE customer_id = $1`, [a2]);
    await f.db.query(`UPDATE handoffs.handoff_dues SET state = 'DISMISSED', dismissed_reason = 'no', closed_at = now() WHERE customer_id = $1`, [c1]);
    const row = { moment: 'CLOSED_WON_TO_ONBOARDING', customMoment: null };
    // The longest-waiting OPEN due: a2's stage move came before the third one's.
    const oldestOpen = { customerId: a2, state: 'OPEN' };

    const internal = await gql(internalIdentity(f.I), SUMMARY);
    expect(internal.errors).toBeUndefined();
    expect(internal.data!.handoffDueSummary).toEqual([{ ...row, open: 2, overdue: 1, opened: 4, proposed: 1, dismissed: 1, superseded: 0, oldestOpen }]);
    const a = await gql(partnerIdentity(f.A), SUMMARY);
    expect(a.data!.handoffDueSummary).toEqual([{ ...row, open: 2, overdue: 1, opened: 3, proposed: 1, dismissed: 0, superseded: 0, oldestOpen }]);
    const c = await gql(partnerIdentity(f.C), SUMMARY, { partnerId: f.C });
    expect(c.data!.handoffDueSummary).toEqual([{ ...row, open: 0, overdue: 0, opened: 1, proposed: 0, dismissed: 1, superseded: 0, oldestOpen: null }]);
    expect((await gql(partnerIdentity(f.B), SUMMARY)).data!.handoffDueSummary).toEqual([]);
    expect((await gql(internalIdentity(f.I), SUMMARY, { partnerId: f.C })).data!.handoffDueSummary).toEqual([
      { ...row, open: 0, overdue: 0, opened: 1, proposed: 0, dismissed: 1, superseded: 0, oldestOpen: null },
    ]);
    // A window before everything still shows what is open now, and nothing of the window.
    const past = await gql(internalIdentity(f.I), SUMMARY, { from: '2020-01-01T00:00:00Z', to: '2020-02-01T00:00:00Z' });
    expect(past.data!.handoffDueSummary).toEqual([{ ...row, open: 2, overdue: 1, opened: 0, proposed: 0, dismissed: 0, superseded: 0, oldestOpen }]);
  });

  it('refuses another partner’s figures (FORBIDDEN) and a backwards or overlong window (BAD_USER_INPUT)', async () => {
    const other = await gql(partnerIdentity(f.A), SUMMARY, { partnerId: f.C });
    expect([other.errors?.[0]?.extensions?.code, other.data]).toEqual(['FORBIDDEN', null]);
    const backwards = await gql(internalIdentity(f.I), SUMMARY, { from: window.to, to: window.from });
    expect(backwards.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await gql(internalIdentity(f.I), SUMMARY, { from: '2020-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z' });
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('routingDecisions: each candidate’s share of the rule’s routed handoffs against its weight; internal teams only', async () => {
    const input = (candidates: { partnerId: string; weight: number }[], changeNote: string | null = null): RoutingRuleInput => ({
      moment: HandoffMoment.CLOSED_WON_TO_ONBOARDING,
      customMoment: null,
      customerSegment: null,
      customerRegion: null,
      currentOwnerKind: null,
      strategies: [RoutingStrategy.ROUND_ROBIN],
      candidates: candidates.map((c) => ({ ...c, regions: [], segments: [], maxOpen: null, paused: false })),
      rerouteOnReject: false,
      minSample: 10,
      changeNote,
    });
    const rule = await setRoutingRule(
      f.db,
      asInternal(f.I),
      input([
        { partnerId: P1, weight: 1 },
        { partnerId: P2, weight: 2 },
      ]),
    );
    for (let i = 0; i < 4; i++) await proposeHandoff(f.db, asPartner(f.A), proposal(await f.customer(f.A), f.B, { toPartnerId: null }), null);
    const res = await gql(internalIdentity(f.I), DECISIONS);
    expect(res.errors).toBeUndefined();
    expect(res.data!.routingDecisions).toEqual([
      {
        rule: { id: rule.id, version: 1, moment: 'CLOSED_WON_TO_ONBOARDING' },
        routed: 4,
        candidates: [
          { partnerId: P1, partner: { id: P1 }, weight: 1, weightShare: 1 / 3, chosen: 2, share: 0.5 },
          { partnerId: P2, partner: { id: P2 }, weight: 2, weightShare: 2 / 3, chosen: 2, share: 0.5 },
        ],
      },
    ]);
    // A candidate dropped from the rule still shows what it was given, with weight 0.
    await setRoutingRule(f.db, asInternal(f.I), input([{ partnerId: P2, weight: 1 }], 'P1 left the programme'));
    const after = await routingDecisions(f.db.manager, { from: new Date(window.from), to: new Date(window.to) }, null);
    expect(after[0]!.candidates.map((c) => [c.partnerId, c.weight, c.weightShare, c.chosen])).toEqual([
      [P2, 1, 1, 2],
      [P1, 0, 0, 2],
    ]);
    const partner = await gql(partnerIdentity(f.A), DECISIONS);
    expect(partner.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('costs a fixed number of statements however many rules and dues there are', async () => {
    const w = { from: new Date(window.from), to: new Date(window.to) };
    expect((await countQueries(() => routingDecisions(f.db.manager, w, null))).count).toBe(2);
    expect((await countQueries(() => dueSummary(f.db.manager, w, null))).count).toBe(2);
  });
});
