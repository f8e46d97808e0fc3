import { randomUUID } from 'node:crypto';
import type { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { traceSql } from '../../../shared/db/sql-meter';
import { withTenant } from '../../../shared/db/tenant-context';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import {
  CUSTOMER_CREATED,
  FEEDBACK_SUBMITTED,
  HANDOFF_PROPOSED,
  HANDOFF_ROUTED,
  NO_ROUTE_FOUND,
  PARTNER_CREATED,
  ROUTING_RULE_SET,
  SLA_BREACHED,
  SLA_CLOCK_STOPPED,
  SLA_ESCALATION_REQUESTED,
  type SlaEscalationPayload,
} from '../../../shared/eventlog/events';
import { HandoffMoment, Region, Segment } from '../../../shared/graphql/enums';
import { createRoutingStatsConsumer } from '../src/consumers/routing-stats.consumer';
import { createSlaEscalationConsumer } from '../src/consumers/sla-escalation.consumer';
import { createHandoffsDataSource } from '../src/data-source';
import { RejectionReasonCode } from '../src/entities/enums';
import type { Handoff } from '../src/entities/handoff.entity';
import { RoutingOwnerKind, RoutingStrategy, type RoutingCandidate } from '../src/entities/routing.entity';
import type { RoutingRuleInput } from '../src/resolvers/routing.inputs';
import { handoffSnapshot } from '../src/services/handoff-events';
import { proposeHandoff } from '../src/services/propose.service';
import { decisionFor, handoffRoutingFor } from '../src/services/routing/redaction';
import { route } from '../src/services/routing/routing.service';
import { setRoutingRule } from '../src/services/routing/rules.service';
import { score } from '../src/services/routing/strategies/scorecard';
import { acceptHandoff, rejectHandoff } from '../src/services/transition.service';
import { accountsEvents, asInternal, asPartner, eventsOf, proposal, publish, silentLog, startHandoffsFixture, type HandoffsFixture } from './fixture';

const MOMENT = HandoffMoment.CLOSED_WON_TO_ONBOARDING;

const partnerEvent = (id: string, name: string, region: string, status = 'ACTIVE', kind = 'SERVICE_PROVIDER'): NewEvent => ({
  type: PARTNER_CREATED,
  source: 'accounts',
  aggregateType: 'Partner',
  aggregateId: id,
  payload: { partner: { id, name, kind, tier: 'GOLD', region, status } },
  visibleTo: [id],
});

const customerEvent = (id: string, owner: string | null, segment: string, region: string): NewEvent => ({
  type: CUSTOMER_CREATED,
  source: 'accounts',
  aggregateType: 'Customer',
  aggregateId: id,
  payload: {
    customer: { id, name: `Customer ${id.slice(0, 8)}`, domain: null, segment, region, lifecycleStage: 'CLOSED_WON', ownerPartnerId: owner, version: 1 },
    changed: [],
  },
  visibleTo: owner ? [owner] : [],
});

const candidate = (partnerId: string, over: Partial<RoutingCandidate> = {}): RoutingCandidate => ({
  partnerId,
  weight: 1,
  regions: [],
  segments: [],
  maxOpen: null,
  paused: false,
  ...over,
});

const rule = (over: Partial<RoutingRuleInput>): RoutingRuleInput => ({
  moment: MOMENT,
  customMoment: null,
  customerSegment: null,
  customerRegion: null,
  currentOwnerKind: null,
  strategies: [],
  candidates: [],
  rerouteOnReject: false,
  minSample: 10,
  changeNote: null,
  ...over,
});

const codeOf = (err: unknown) => (err as GraphQLError).extensions?.code;

describe('routing', () => {
  let f: HandoffsFixture;
  /** Service providers: P1, P2 in EMEA, P3 in NA, P4 in EMEA. */
  let P1: string, P2: string, P3: string, P4: string;
  const internal = () => asInternal(f.I);

  /** A fresh customer (owned by A unless said otherwise) in its own segment, so each test picks its own rule. */
  async function customers(n: number, segment: Segment, region: Region = Region.EMEA, owner: string | null = f.A): Promise<string[]> {
    const ids = Array.from({ length: n }, () => randomUUID());
    await accountsEvents(
      f.db,
      ids.map((id) => customerEvent(id, owner, segment, region)),
    );
    await f.project();
    return ids;
  }
  const propose = (customerId: string, db: DataSource = f.db) => proposeHandoff(db, asPartner(f.A), proposal(customerId, f.B, { toPartnerId: null }), null);
  const preview = (customerId: string) => route(f.db.manager, { customerId, moment: MOMENT }, { commit: false });

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
    [P1, P2, P3, P4] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await accountsEvents(f.db, [
      partnerEvent(P1, 'EMEA One', 'EMEA'),
      partnerEvent(P2, 'EMEA Two', 'EMEA'),
      partnerEvent(P3, 'NA Three', 'NA'),
      partnerEvent(P4, 'EMEA Four', 'EMEA'),
    ]);
    await f.project();
  });
  afterAll(() => f?.stop());

  describe('setRoutingRule', () => {
    it('versions a scope, returns the current version for the same terms, and records RoutingRuleSet', async () => {
      const input = rule({ customerSegment: Segment.SMB, strategies: [RoutingStrategy.TERRITORY], candidates: [candidate(P1)] });
      const v1 = await setRoutingRule(f.db, internal(), input);
      expect(v1.version).toBe(1);
      expect((await setRoutingRule(f.db, internal(), input)).version).toBe(1);
      const v2 = await setRoutingRule(f.db, internal(), { ...input, candidates: [candidate(P1), candidate(P2)] });
      expect([v2.id, v2.version]).toEqual([v1.id, 2]);
      expect(await eventsOf(f.db, v1.id, ROUTING_RULE_SET)).toHaveLength(2);
    });

    it('refuses a rule with an unknown partner id (BAD_USER_INPUT naming it), and writes nothing', async () => {
      const ghost = randomUUID();
      const err = await setRoutingRule(f.db, internal(), rule({ customerSegment: Segment.MID_MARKET, candidates: [candidate(P1), candidate(ghost)] })).catch(
        (e) => e,
      );
      expect(codeOf(err)).toBe('BAD_USER_INPUT');
      expect(err.extensions.fields).toEqual([{ field: 'input.candidates.1.partnerId', message: `no partner ${ghost}` }]);
      expect(await f.db.query(`SELECT 1 FROM handoffs.routing_rules WHERE customer_segment = 'MID_MARKET'`)).toHaveLength(0);
    });

    it('refuses two rankings, a candidate listed twice, and partners as callers', async () => {
      const twoRankings = await setRoutingRule(
        f.db,
        internal(),
        rule({ strategies: [RoutingStrategy.ROUND_ROBIN, RoutingStrategy.SCORECARD], candidates: [candidate(P1)] }),
      ).catch((e) => e);
      expect(codeOf(twoRankings)).toBe('BAD_USER_INPUT');
      const twice = await setRoutingRule(f.db, internal(), rule({ candidates: [candidate(P1), candidate(P1)] })).catch((e) => e);
      expect(twice.extensions.fields).toEqual([{ field: 'input.candidates.1.partnerId', message: `${P1} appears twice` }]);
      expect(codeOf(await setRoutingRule(f.db, asPartner(f.A), rule({ candidates: [candidate(P1)] })).catch((e) => e))).toBe('FORBIDDEN');
    });
  });

  describe('strategies', () => {
    it('TERRITORY picks the first candidate whose regions and segments match, saying why the others were skipped', async () => {
      await setRoutingRule(
        f.db,
        internal(),
        rule({
          customerSegment: Segment.ENTERPRISE,
          strategies: [RoutingStrategy.TERRITORY],
          candidates: [candidate(P3), candidate(P1, { segments: [Segment.SMB] }), candidate(P2), candidate(P4)],
        }),
      );
      const [c] = await customers(1, Segment.ENTERPRISE);
      const d = await preview(c!);
      expect(d.chosen?.partnerId).toBe(P2);
      expect(d.candidates.map((x) => [x.partnerId, x.outcome, x.rank, x.reasons.map((r) => r.message)])).toEqual([
        [P2, 'CHOSEN', 1, ['kept: serves EMEA, every segment', 'rank 1: position 3 in the rule’s list']],
        [P4, 'KEPT', 2, ['kept: serves EMEA, every segment', 'rank 2: position 4 in the rule’s list']],
        [P3, 'SKIPPED', null, ['skipped: serves NA, not EMEA']],
        [P1, 'SKIPPED', null, ['skipped: serves SMB, not ENTERPRISE']],
      ]);
    });

    it('the most specific rule applies: segment and owner kind beat segment alone', async () => {
      await setRoutingRule(
        f.db,
        internal(),
        rule({ customerSegment: Segment.ENTERPRISE, currentOwnerKind: RoutingOwnerKind.DIRECT, candidates: [candidate(P4)] }),
      );
      const [direct] = await customers(1, Segment.ENTERPRISE, Region.EMEA, null);
      const [owned] = await customers(1, Segment.ENTERPRISE);
      expect((await preview(direct!)).chosen?.partnerId).toBe(P4);
      expect((await preview(owned!)).chosen?.partnerId).toBe(P2);
    });

    it('CAPACITY skips a paused candidate and one at maxOpen; another partner reads "not available"', async () => {
      const rr = await setRoutingRule(
        f.db,
        internal(),
        rule({
          customerSegment: Segment.STRATEGIC,
          currentOwnerKind: RoutingOwnerKind.RESELLER,
          strategies: [RoutingStrategy.CAPACITY],
          candidates: [candidate(P1, { paused: true }), candidate(P2, { maxOpen: 1 }), candidate(P4, { maxOpen: 5 })],
        }),
      );
      const [first, second] = await customers(2, Segment.STRATEGIC);
      const h = await propose(first!);
      expect(h.toPartnerId).toBe(P2);
      const d = await preview(second!);
      expect(d.rule?.version).toBe(rr.version);
      expect(d.chosen?.partnerId).toBe(P4);
      const byId = new Map(d.candidates.map((x) => [x.partnerId, x]));
      expect(byId.get(P2)!.reasons.map((r) => r.message)).toEqual(['skipped: at capacity 1/1']);
      expect(byId.get(P1)!.reasons.map((r) => r.message)).toEqual(['skipped: paused in the rule']);
      expect(byId.get(P4)!.reasons.map((r) => r.message)).toEqual(['kept: 0/5 open handoffs', 'rank 1: position 3 in the rule’s list']);
      // The owner asking: other partners' figures are gone, ranks and public facts stay.
      const seen = decisionFor(asPartner(f.A), d);
      expect(seen.candidates.map((x) => [x.partnerId, x.rank, x.reasons.map((r) => `${r.code} ${r.message}`)])).toEqual([
        [P4, 1, ['HAS_CAPACITY kept: available', 'LIST_ORDER rank 1']],
        [P1, null, ['UNAVAILABLE skipped: not available']],
        [P2, null, ['UNAVAILABLE skipped: not available']],
      ]);
      // P4 asking about itself reads its own figures.
      expect(decisionFor(asPartner(P4), d).candidates[0]!.reasons[0]!.message).toBe('kept: 0/5 open handoffs');
    });

    it('SCORECARD ranks by the candidate’s own figures for the segment and moment, after a minimum sample', async () => {
      await setRoutingRule(
        f.db,
        internal(),
        rule({
          customerSegment: Segment.MID_MARKET,
          strategies: [RoutingStrategy.SCORECARD],
          minSample: 5,
          candidates: [candidate(P1), candidate(P2), candidate(P4)],
        }),
      );
      // History through the services: P2 accepted 29 of 31, P1 accepted 3 of 6, P4 has 2 (each counted in its own transaction).
      const decide = async (to: string, accepted: number, rejected: number) => {
        const ids = await customers(accepted + rejected, Segment.MID_MARKET);
        for (const [i, id] of ids.entries()) {
          const h = await proposeHandoff(f.db, asPartner(f.A), proposal(id, to), null);
          if (i < accepted) await acceptHandoff(f.db, asPartner(to), h.id);
          else await rejectHandoff(f.db, asPartner(to), h.id, 'Not now', RejectionReasonCode.NOT_A_FIT);
        }
      };
      await decide(P2, 29, 2);
      await decide(P1, 3, 3);
      await decide(P4, 2, 0);
      // slas' part: one ACCEPT clock of P1 MET.
      const at = new Date().toISOString();
      const snap = {
        id: randomUUID(),
        customerId: randomUUID(),
        moment: MOMENT,
        customMoment: null,
        state: 'ACCEPTED' as const,
        fromPartnerId: f.A,
        toPartnerId: P1,
        toPartnerTier: 'GOLD',
        customerSegment: 'MID_MARKET',
        customerRegion: 'EMEA',
        playbookId: null,
        playbookVersion: null,
        requiredDataComplete: true,
        onHold: false,
        proposedAt: at,
        acceptedAt: at,
        completedAt: null,
        closedAt: null,
      };
      const clock = {
        id: randomUUID(),
        handoffId: snap.id,
        policyId: randomUUID(),
        policyVersion: 1,
        target: 'ACCEPT' as const,
        state: 'MET' as const,
        startedAt: at,
        dueAt: at,
        stoppedAt: at,
        businessSecondsElapsed: 1,
        targetBusinessSeconds: 2,
        accountablePartnerId: P1,
      };
      await accountsEvents(f.db, [
        { type: SLA_CLOCK_STOPPED, source: 'slas', aggregateType: 'SlaClock', aggregateId: clock.id, payload: { clock, handoff: snap }, visibleTo: [] },
      ]);
      const stats = createRoutingStatsConsumer(f.db, silentLog);
      await stats.drain();
      const [c] = await customers(1, Segment.MID_MARKET);
      const d = await preview(c!);
      expect(d.candidates.map((x) => [x.partnerId, x.rank, x.score, x.reasons.map((r) => r.message)])).toEqual([
        [
          P2,
          1,
          score({ accepted: 29, rejected: 2, expired: 0, slaMet: 0, slaBreached: 0, ratingSum: 0, ratingCount: 0 }, 5),
          ['rank 1: score 0.94: accept rate 94 % over 31 handoffs'],
        ],
        [P1, 2, 0.688, ['rank 2: score 0.69: accept rate 50 % over 6 handoffs, SLA met 100 % of 1']],
        [P4, 3, null, ['rank 3: not scored, 2 decided handoffs in 90 days (minimum 5)']],
      ]);
      expect(decisionFor(asPartner(f.A), d).candidates.map((x) => [x.rank, x.score, x.reasons.map((r) => `${r.code} ${r.message}`)])).toEqual([
        [1, null, ['RANKED rank 1']],
        [2, null, ['RANKED rank 2']],
        [3, null, ['RANKED rank 3']],
      ]);
      await stats.stop();
    });

    it('the score: weights 0.5 / 0.3 / 0.2 over the parts present, null below the minimum sample', () => {
      const f0 = { accepted: 8, rejected: 2, expired: 0, slaMet: 3, slaBreached: 1, ratingSum: 18, ratingCount: 4 };
      expect(score(f0, 10)).toBe(Math.round(((0.5 * 0.8 + 0.3 * 0.75 + 0.2 * ((4.5 - 1) / 4)) / 1) * 1000) / 1000);
      expect(score(f0, 11)).toBeNull();
      expect(score({ ...f0, slaMet: 0, slaBreached: 0, ratingCount: 0, ratingSum: 0 }, 1)).toBe(0.8);
    });

    it('customer feedback counts for the receiver, and a revision replaces its rating', async () => {
      const [c] = await customers(1, Segment.MID_MARKET);
      const h = await proposeHandoff(f.db, asPartner(f.A), proposal(c!, P4), null);
      const feedback = (rating: number, revision: number): NewEvent => ({
        type: FEEDBACK_SUBMITTED,
        source: 'scorecards',
        aggregateType: 'Feedback',
        aggregateId: h.id,
        payload: {
          feedback: {
            id: '00000000-0000-4000-a000-00000000f00d',
            handoffId: h.id,
            source: 'CUSTOMER',
            rating,
            comment: null,
            tags: [],
            revision,
            submittedByPartnerId: null,
            submittedAt: new Date().toISOString(),
          },
        },
        visibleTo: [],
      });
      await accountsEvents(f.db, [feedback(2, 1), feedback(5, 2)]);
      const stats = createRoutingStatsConsumer(f.db, silentLog);
      await stats.drain();
      const rows = await f.db.query(
        `SELECT sum(rating_sum)::int AS s, sum(rating_count)::int AS n FROM handoffs.routing_stats_daily WHERE partner_id = $1 AND segment = 'MID_MARKET'`,
        [P4],
      );
      expect(rows).toEqual([{ s: 5, n: 1 }]);
      await stats.stop();
    });

    it('counts each decision in its own transaction: accept, reject, an expiry before acceptance; not an expiry after it', async () => {
      const figures = async () =>
        (
          await f.db.query(
            `SELECT sum(accepted)::int AS accepted, sum(rejected)::int AS rejected, sum(expired)::int AS expired FROM handoffs.routing_stats_daily WHERE partner_id = $1 AND segment = 'SMB' AND moment_key = $2`,
            [P3, MOMENT],
          )
        )[0];
      const ids = await customers(4, Segment.SMB, Region.EMEA);
      const [toAccept, toReject, toExpire, toExpireAccepted] = await Promise.all(ids.map((id) => proposeHandoff(f.db, asPartner(f.A), proposal(id, P3), null)));
      await acceptHandoff(f.db, asPartner(P3), toAccept!.id);
      await rejectHandoff(f.db, asPartner(P3), toReject!.id, 'Full', RejectionReasonCode.NO_CAPACITY);
      const accepted = await acceptHandoff(f.db, asPartner(P3), toExpireAccepted!.id);
      const reclaim = (h: Handoff): NewEvent => {
        const payload: SlaEscalationPayload = {
          clock: {
            id: randomUUID(),
            handoffId: h.id,
            policyId: randomUUID(),
            policyVersion: 1,
            target: 'ACCEPT',
            state: 'BREACHED',
            startedAt: h.proposedAt.toISOString(),
            dueAt: null,
            stoppedAt: null,
            businessSecondsElapsed: 2,
            targetBusinessSeconds: 1,
          },
          handoff: handoffSnapshot(h),
          action: 'RECLAIM',
          reassignToPartnerId: null,
        };
        return {
          type: SLA_ESCALATION_REQUESTED,
          source: 'slas',
          aggregateType: 'SlaClock',
          aggregateId: payload.clock.id,
          payload: payload as never,
          visibleTo: [],
        };
      };
      await accountsEvents(f.db, [reclaim(toExpire!), reclaim(accepted)]);
      const escalations = createSlaEscalationConsumer(f.db, silentLog);
      await escalations.drain();
      await escalations.stop();
      expect(await figures()).toEqual({ accepted: 2, rejected: 1, expired: 1 });
    });

    it("spreads a bucket's decisions over its stripes, so accepts of one receiver, segment and moment lock different rows", async () => {
      const ids = await customers(8, Segment.ENTERPRISE, Region.APAC);
      const proposed = await Promise.all(ids.map((id) => proposeHandoff(f.db, asPartner(f.A), proposal(id, P2), null)));
      // Concurrently: on one counter row each accept would wait for the previous one's commit.
      await Promise.all(proposed.map((h) => acceptHandoff(f.db, asPartner(P2), h.id)));
      const [row] = await f.db.query(
        `SELECT count(*)::int AS rows, sum(accepted)::int AS accepted FROM handoffs.routing_stats_daily WHERE partner_id = $1 AND segment = 'ENTERPRISE' AND moment_key = $2`,
        [P2, MOMENT],
      );
      expect(row.accepted).toBe(8);
      // Each handoff hashes to one of 16 stripes: 8 of them all on one would be a 16^-7 chance.
      expect(row.rows).toBeGreaterThan(1);
    });

    it("applies a batch of slas' outcomes in one statement, summed per bucket", async () => {
      const at = new Date().toISOString();
      const outcome = (to: string, type: typeof SLA_CLOCK_STOPPED | typeof SLA_BREACHED): NewEvent => {
        const clockId = randomUUID();
        const handoff = {
          id: randomUUID(),
          customerId: randomUUID(),
          moment: MOMENT,
          customMoment: null,
          state: 'ACCEPTED' as const,
          fromPartnerId: f.A,
          toPartnerId: to,
          toPartnerTier: 'GOLD',
          customerSegment: 'ENTERPRISE',
          customerRegion: 'NA',
          playbookId: null,
          playbookVersion: null,
          requiredDataComplete: true,
          onHold: false,
          proposedAt: at,
          acceptedAt: at,
          completedAt: null,
          closedAt: null,
        };
        const clock = {
          id: clockId,
          handoffId: handoff.id,
          policyId: randomUUID(),
          policyVersion: 1,
          target: 'ACCEPT' as const,
          state: type === SLA_BREACHED ? ('BREACHED' as const) : ('MET' as const),
          startedAt: at,
          dueAt: at,
          stoppedAt: at,
          businessSecondsElapsed: 1,
          targetBusinessSeconds: 2,
          accountablePartnerId: to,
        };
        return { type, source: 'slas', aggregateType: 'SlaClock', aggregateId: clockId, payload: { clock, handoff }, visibleTo: [] };
      };
      await accountsEvents(f.db, [
        outcome(P1, SLA_CLOCK_STOPPED),
        outcome(P1, SLA_CLOCK_STOPPED),
        outcome(P1, SLA_BREACHED),
        outcome(P4, SLA_CLOCK_STOPPED),
        outcome(P4, SLA_BREACHED),
        outcome(P4, SLA_BREACHED),
      ]);
      const stats = createRoutingStatsConsumer(f.db, silentLog);
      const trace = traceSql();
      await stats.drain();
      const statements = trace().filter((line) => line.includes('routing_stats_daily'));
      await stats.stop();
      expect(statements).toHaveLength(1);
      const rows = await f.db.query(
        `SELECT partner_id AS partner, sum(sla_met)::int AS met, sum(sla_breached)::int AS breached FROM handoffs.routing_stats_daily
          WHERE segment = 'ENTERPRISE' AND moment_key = $1 AND partner_id = ANY($2::uuid[]) GROUP BY 1 ORDER BY 1`,
        [MOMENT, [P1, P4]],
      );
      expect(rows).toEqual(
        [
          { partner: P1, met: 2, breached: 1 },
          { partner: P4, met: 1, breached: 2 },
        ].sort((a, b) => a.partner.localeCompare(b.partner)),
      );
    });

    it('WEIGHTED draws in proportion to the weights, the same way for the same customer', async () => {
      await setRoutingRule(
        f.db,
        internal(),
        rule({
          customerSegment: Segment.SMB,
          customerRegion: Region.APAC,
          strategies: [RoutingStrategy.WEIGHTED],
          candidates: [candidate(P1, { weight: 3 }), candidate(P2, { weight: 1 })],
        }),
      );
      const ids = await customers(400, Segment.SMB, Region.APAC);
      const chosen: string[] = [];
      for (const id of ids) chosen.push((await preview(id)).chosen!.partnerId);
      const p1 = chosen.filter((x) => x === P1).length;
      // 300 expected; ±4.5 standard deviations of a binomial(400, 0.75).
      expect(p1).toBeGreaterThan(260);
      expect(p1).toBeLessThan(340);
      expect((await preview(ids[0]!)).chosen!.partnerId).toBe(chosen[0]);
    });
  });

  describe('proposeHandoff without toPartnerId', () => {
    it('routes, records the rule and the reasons on the handoff, and appends HandoffRouted with every candidate', async () => {
      const [c] = await customers(1, Segment.ENTERPRISE);
      const h = await propose(c!);
      expect(h.toPartnerId).toBe(P2);
      expect(h.routing).toMatchObject({ strategies: ['TERRITORY'], rerouteOnReject: false });
      const [routed] = await eventsOf(f.db, h.id, HANDOFF_ROUTED);
      expect(routed!.visible_to).toEqual([]);
      expect(routed!.payload.decision).toMatchObject({ chosenPartnerId: P2, ruleVersion: h.routing!.ruleVersion, currentOwnerKind: 'RESELLER' });
      expect(routed!.payload.decision.candidates.map((x: { partnerId: string; outcome: string }) => [x.partnerId, x.outcome])).toEqual([
        [P2, 'CHOSEN'],
        [P4, 'KEPT'],
        [P3, 'SKIPPED'],
        [P1, 'SKIPPED'],
      ]);
      expect(handoffRoutingFor(asPartner(P2), P2, h.routing!).reasons.map((r) => r.message)).toEqual([
        'kept: serves EMEA, every segment',
        'rank 1: position 3 in the rule’s list',
      ]);
      expect(handoffRoutingFor(asPartner(f.A), P2, h.routing!).reasons.map((r) => r.message)).toEqual(['kept: serves EMEA, every segment', 'rank 1']);
    });

    it('with no candidate left: BAD_USER_INPUT with reason NO_ROUTE, nothing proposed, NoRouteFound recorded', async () => {
      const [c] = await customers(1, Segment.ENTERPRISE, Region.LATAM);
      const err = await propose(c!).catch((e) => e);
      expect(codeOf(err)).toBe('BAD_USER_INPUT');
      expect(err.extensions.reason).toBe('NO_ROUTE');
      expect(await f.db.query(`SELECT 1 FROM handoffs.handoffs WHERE customer_id = $1`, [c])).toHaveLength(0);
      const [gap] = await eventsOf(f.db, c!, NO_ROUTE_FOUND);
      expect(gap!.payload).toMatchObject({ trigger: 'PROPOSE', reason: 'ALL_CANDIDATES_SKIPPED', decision: { chosenPartnerId: null } });
      // No rule at all for the moment.
      const none = await proposeHandoff(f.db, asPartner(f.A), proposal(c!, f.B, { toPartnerId: null, moment: HandoffMoment.MQL_TO_SQL, data: {} }), null).catch(
        (e) => e,
      );
      expect(none.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_ROUTE', ruleId: null });
    });

    it('a routed partner suspended between routing and proposal is skipped: the next candidate gets it', async () => {
      const [c] = await customers(1, Segment.ENTERPRISE);
      expect((await preview(c!)).chosen?.partnerId).toBe(P2);
      await accountsEvents(f.db, [partnerEvent(P2, 'EMEA Two', 'EMEA', 'SUSPENDED')]);
      await f.project();
      const h = await propose(c!);
      expect(h.toPartnerId).toBe(P4);
      const [routed] = await eventsOf(f.db, h.id, HANDOFF_ROUTED);
      expect(routed!.payload.decision.candidates.find((x: { partnerId: string }) => x.partnerId === P2).reasons).toEqual([
        { code: 'INACTIVE', message: 'skipped: EMEA Two is suspended' },
      ]);
      await accountsEvents(f.db, [partnerEvent(P2, 'EMEA Two', 'EMEA')]);
      await f.project();
    });

    it('with toPartnerId it works as before: no routing recorded', async () => {
      const [c] = await customers(1, Segment.ENTERPRISE);
      const h = await proposeHandoff(f.db, asPartner(f.A), proposal(c!, P3), null);
      expect([h.toPartnerId, h.routing]).toEqual([P3, null]);
      expect(await eventsOf(f.db, h.id, HANDOFF_ROUTED)).toHaveLength(0);
    });
  });

  describe('ROUND_ROBIN', () => {
    it('stays even with two hub instances proposing concurrently: 200 proposals over 4 candidates, 50 ± 2 each', async () => {
      const rr = await setRoutingRule(
        f.db,
        internal(),
        rule({
          customerSegment: Segment.SMB,
          customerRegion: Region.NA,
          strategies: [RoutingStrategy.ROUND_ROBIN],
          candidates: [candidate(P1), candidate(P2), candidate(P3), candidate(P4)],
        }),
      );
      const ids = await customers(200, Segment.SMB, Region.NA);
      const second = await openDataSource(createHandoffsDataSource(f.database.url, 8));
      try {
        const instances = [f.db, second];
        let next = 0;
        // Eight workers per instance, each proposing customers until none is left.
        const worker = async (db: DataSource) => {
          while (next < ids.length) await withTenant(asPartner(f.A), () => propose(ids[next++]!, db));
        };
        await Promise.all(instances.flatMap((db) => Array.from({ length: 8 }, () => worker(db))));
      } finally {
        await second.destroy();
      }
      const counts: { to: string; n: number }[] = await f.db.query(
        `SELECT to_partner_id AS to, count(*)::int AS n FROM handoffs.handoffs WHERE customer_id = ANY($1::uuid[]) GROUP BY 1`,
        [ids],
      );
      expect(counts).toHaveLength(4);
      for (const { n } of counts) expect(Math.abs(n - 50)).toBeLessThanOrEqual(2);
      expect(await f.db.query(`SELECT turns::int FROM handoffs.routing_rotations WHERE rule_id = $1`, [rr.id])).toEqual([{ turns: 200 }]);
    });

    it('a skipped candidate loses its turn without giving its neighbour a second one; the position survives a new version', async () => {
      const input = rule({
        customerSegment: Segment.SMB,
        customerRegion: Region.LATAM,
        strategies: [RoutingStrategy.CAPACITY, RoutingStrategy.ROUND_ROBIN],
        candidates: [candidate(P1), candidate(P2), candidate(P4)],
      });
      await setRoutingRule(f.db, internal(), input);
      const ids = await customers(9, Segment.SMB, Region.LATAM);
      const to: string[] = [];
      for (const id of ids.slice(0, 2)) to.push((await propose(id)).toPartnerId);
      // P2 pauses (a new version): the rotation goes on with P4, then P1, P4.
      await setRoutingRule(f.db, internal(), { ...input, candidates: [candidate(P1), candidate(P2, { paused: true }), candidate(P4)] });
      for (const id of ids.slice(2, 5)) to.push((await propose(id)).toPartnerId);
      expect(to).toEqual([P1, P2, P4, P1, P4]);
    });
  });

  describe('re-routing', () => {
    it('a NO_CAPACITY rejection re-routes to the next candidate as a linked handoff; a chain that runs out records NoRouteFound', async () => {
      await setRoutingRule(
        f.db,
        internal(),
        rule({
          customerSegment: Segment.STRATEGIC,
          strategies: [RoutingStrategy.TERRITORY],
          rerouteOnReject: true,
          candidates: [candidate(P1), candidate(P2), candidate(P3)],
        }),
      );
      const [c] = await customers(1, Segment.STRATEGIC, Region.EMEA, null);
      const first = await proposeHandoff(f.db, internal(), proposal(c!, f.B, { toPartnerId: null }), null);
      expect(first.toPartnerId).toBe(P1);
      // As the receiver's request runs: row-level security on, the re-route made as the hub.
      await withTenant(asPartner(P1), () => rejectHandoff(f.db, asPartner(P1), first.id, 'Bench is full', RejectionReasonCode.NO_CAPACITY));
      const [second]: Handoff[] = await f.db.query(
        `SELECT id, to_partner_id AS "toPartnerId", rerouted_from_id AS "reroutedFromId", from_partner_id AS "fromPartnerId", state FROM handoffs.handoffs WHERE customer_id = $1 AND id <> $2`,
        [c, first.id],
      );
      expect(second).toMatchObject({ toPartnerId: P2, reroutedFromId: first.id, fromPartnerId: null, state: 'PROPOSED' });
      const [routed] = await eventsOf(f.db, second!.id, HANDOFF_ROUTED);
      expect(routed!.payload).toMatchObject({ trigger: 'REROUTE', reroutedFromId: first.id });
      expect(routed!.payload.decision.candidates.find((x: { partnerId: string }) => x.partnerId === P1).reasons[0].code).toBe('EXCLUDED');
      // P2 says wrong segment: P3 is out of territory, so nobody is left.
      await rejectHandoff(f.db, asPartner(P2), second!.id, 'Not our segment', RejectionReasonCode.WRONG_SEGMENT);
      expect(await f.db.query(`SELECT state FROM handoffs.handoffs WHERE customer_id = $1 ORDER BY proposed_at`, [c])).toEqual([
        { state: 'REJECTED' },
        { state: 'REJECTED' },
      ]);
      const [gap] = await eventsOf(f.db, c!, NO_ROUTE_FOUND);
      expect(gap!.payload).toMatchObject({ trigger: 'REROUTE', handoffId: second!.id });
    });

    it('a rejection for another reason, or under a rule without rerouteOnReject, re-routes nothing', async () => {
      const [c] = await customers(1, Segment.STRATEGIC, Region.EMEA, null);
      const h = await proposeHandoff(f.db, internal(), proposal(c!, f.B, { toPartnerId: null }), null);
      await rejectHandoff(f.db, asPartner(h.toPartnerId), h.id, 'Not a fit', RejectionReasonCode.NOT_A_FIT);
      expect(await f.db.query(`SELECT 1 FROM handoffs.handoffs WHERE customer_id = $1`, [c])).toHaveLength(1);
      const [d] = await customers(1, Segment.ENTERPRISE);
      const routed = await propose(d!);
      await rejectHandoff(f.db, asPartner(routed.toPartnerId), routed.id, 'Full', RejectionReasonCode.NO_CAPACITY);
      expect(await f.db.query(`SELECT 1 FROM handoffs.handoffs WHERE customer_id = $1`, [d])).toHaveLength(1);
    });

    it('an SLA REASSIGN whose policy names no partner routes the customer, never back to the breached receiver', async () => {
      const [c] = await customers(1, Segment.ENTERPRISE);
      const h = await proposeHandoff(f.db, asPartner(f.A), proposal(c!, P2), null);
      const accepted = await acceptHandoff(f.db, asPartner(P2), h.id);
      const payload: SlaEscalationPayload = {
        clock: {
          id: randomUUID(),
          handoffId: h.id,
          policyId: randomUUID(),
          policyVersion: 1,
          target: 'COMPLETE',
          state: 'BREACHED',
          startedAt: h.proposedAt.toISOString(),
          dueAt: new Date().toISOString(),
          stoppedAt: null,
          businessSecondsElapsed: 2,
          targetBusinessSeconds: 1,
        },
        handoff: handoffSnapshot(accepted),
        action: 'REASSIGN',
        reassignToPartnerId: null,
      };
      await accountsEvents(f.db, [
        { type: SLA_ESCALATION_REQUESTED, source: 'slas', aggregateType: 'SlaClock', aggregateId: payload.clock.id, payload: payload as never, visibleTo: [] },
      ]);
      const escalations = createSlaEscalationConsumer(f.db, silentLog);
      await escalations.drain();
      await escalations.stop();
      const rows = await f.db.query(
        `SELECT to_partner_id AS to, state, reassigned_from_id AS "from" FROM handoffs.handoffs WHERE customer_id = $1 ORDER BY proposed_at`,
        [c],
      );
      expect(rows).toEqual([
        { to: P2, state: 'EXPIRED', from: null },
        { to: P4, state: 'PROPOSED', from: h.id },
      ]);
      const [next] = await eventsOf(f.db, c!, HANDOFF_PROPOSED).then(() =>
        f.db.query(`SELECT id FROM handoffs.handoffs WHERE customer_id = $1 AND state = 'PROPOSED'`, [c]),
      );
      expect((await eventsOf(f.db, next.id, HANDOFF_ROUTED))[0]!.payload.trigger).toBe('SLA_REASSIGN');
    });
  });
});
