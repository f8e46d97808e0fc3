import { randomUUID } from 'node:crypto';
import type { Identity } from '../../../shared/auth/identity';
import { totalQueryCount } from '../../../shared/db/query-counter';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import { CUSTOMER_CREATED, CUSTOMER_UPDATED, PARTNER_UPDATED, SLA_BREACHED, STAGE_LIMITS_SET, type SlaEventPayload } from '../../../shared/eventlog/events';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createSlaClocksConsumer } from '../src/consumers/sla-clocks.consumer';
import { LifecycleStage } from '../src/entities/enums';
import type { Handoff } from '../src/entities/handoff.entity';
import { RoutingOwnerKind } from '../src/entities/routing.entity';
import { handoffSnapshot } from '../src/services/handoff-events';
import { publishPlaybook } from '../src/services/playbook.service';
import { dismissHandoffDue } from '../src/services/handoff-due.service';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff } from '../src/services/transition.service';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import {
  accountsEvents,
  asInternal,
  asPartner,
  onboardingPlaybook,
  partnerCreated,
  proposal,
  silentLog,
  startHandoffsFixture,
  type HandoffsFixture,
} from './fixture';

const GAPS = `query($filter: OwnershipGapFilter, $first: Int, $after: String) {
  ownershipGaps(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { customerId rule since message moment stage customer { id } accountablePartner { id } handoff { id } due { id state } }
  }
}`;
const SUMMARY = `{ ownershipGapSummary { rule count oldestSince } }`;
const SET_LIMITS = `mutation($input: [StageLimitInput!]!) { setStageLimits(input: $input) { stage maxDuration updatedBy { id } } }`;
const LIMITS = `{ stageLimits { stage maxDuration } }`;

interface Row {
  customerId: string;
  rule: string;
  since: string;
  accountable: string | null;
}

/** ownershipGaps, ownershipGapSummary, stageLimits and setStageLimits through the handoffs subgraph's own server (real Postgres). */
describe('handoffs: ownership gaps ("no owner zones")', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  /** D: a reseller suspended after it got a customer. */
  let D: string;
  /** One customer per rule, and two that are fine. */
  const c = {} as Record<'noOwner' | 'inactive' | 'missing' | 'stalled' | 'tooLong' | 'noRoute' | 'fineProvider' | 'fineReseller', string>;
  let stalled: Handoff;
  let noRouteDue: string;
  const expected: Row[] = [];
  const breachDue = new Date(Date.now() - 3 * 3_600_000);
  const enteredActive = new Date(Date.now() - 40 * 86_400_000);

  const gql = (who: Identity, query: string, variables: Record<string, unknown> = {}) => subgraphGql(url, query, variables, who);
  const I = () => internalIdentity(f.I);
  const P = (id: string) => partnerIdentity(id);
  type GapNode = {
    customerId: string;
    rule: string;
    since: string;
    customer: { id: string } | null;
    accountablePartner: { id: string } | null;
    handoff: { id: string } | null;
    due: { id: string } | null;
  };
  const rowsOf = (res: { data?: { ownershipGaps?: { nodes: GapNode[] } } | null }): Row[] =>
    (res.data?.ownershipGaps?.nodes ?? []).map((n) => ({
      customerId: n.customerId,
      rule: n.rule,
      since: n.since,
      accountable: n.accountablePartner?.id ?? null,
    }));
  const sorted = (rows: Row[]) => [...rows].sort((a, b) => a.since.localeCompare(b.since) || a.rule.localeCompare(b.rule));

  const created = (id: string, owner: string | null, stage: LifecycleStage): NewEvent => ({
    type: CUSTOMER_CREATED,
    source: 'accounts',
    aggregateType: 'Customer',
    aggregateId: id,
    payload: {
      customer: {
        id,
        name: `Customer ${id.slice(0, 4)}`,
        domain: null,
        segment: 'ENTERPRISE',
        region: 'EMEA',
        lifecycleStage: stage,
        ownerPartnerId: owner,
        version: 1,
      },
      changed: [],
    },
    visibleTo: owner ? [owner] : [],
  });
  const moved = (e: NewEvent, stage: LifecycleStage): NewEvent => {
    const { customer } = e.payload as { customer: Record<string, unknown> };
    return { ...e, type: CUSTOMER_UPDATED, payload: { customer: { ...customer, lifecycleStage: stage, version: 2 }, changed: ['lifecycleStage'] } };
  };
  const newCustomer = async (owner: string | null, stage: LifecycleStage): Promise<{ id: string; event: NewEvent }> => {
    const id = randomUUID();
    const event = created(id, owner, stage);
    await accountsEvents(f.db, [event]);
    // The reader may hold an event back while an earlier transaction is still open: project until it is there.
    for (let tries = 0; ; tries++) {
      await f.project();
      if ((await f.db.query(`SELECT 1 FROM handoffs.customers WHERE id = $1`, [id])).length || tries > 100) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    return { id, event };
  };
  const occurredAt = async (aggregateId: string, type: string): Promise<string> =>
    (
      (await f.db.query(`SELECT occurred_at FROM eventlog.events WHERE aggregate_id = $1 AND type = $2 ORDER BY seq DESC LIMIT 1`, [aggregateId, type]))[0]
        .occurred_at as Date
    ).toISOString();
  const breach = (h: Handoff, target: 'ACCEPT' | 'COMPLETE', accountable: string, dueAt: Date): NewEvent => {
    const payload: SlaEventPayload = {
      clock: {
        id: randomUUID(),
        handoffId: h.id,
        policyId: randomUUID(),
        policyVersion: 1,
        target,
        state: 'BREACHED',
        startedAt: h.proposedAt.toISOString(),
        dueAt: dueAt.toISOString(),
        stoppedAt: null,
        businessSecondsElapsed: 100,
        targetBusinessSeconds: 50,
        accountablePartnerId: accountable,
        breachedAt: dueAt.toISOString(),
      },
      handoff: handoffSnapshot(h),
    };
    return { type: SLA_BREACHED, source: 'slas', aggregateType: 'SlaClock', aggregateId: payload.clock.id, payload: payload as never, visibleTo: [] };
  };
  /** The time of the customer's first CustomerUpdated (its stage move). */
  const occurredAtFirstMove = async (aggregateId: string): Promise<string> =>
    (
      (
        await f.db.query(`SELECT occurred_at FROM eventlog.events WHERE aggregate_id = $1 AND type = $2 ORDER BY seq LIMIT 1`, [aggregateId, CUSTOMER_UPDATED])
      )[0].occurred_at as Date
    ).toISOString();
  const breaches = () => createSlaClocksConsumer(f.db, silentLog).drain();

  beforeAll(async () => {
    f = await startHandoffsFixture();
    D = randomUUID();
    await accountsEvents(f.db, [partnerCreated(D, 'Partner D')]);
    await f.project();
    // Onboarding is a service provider's: a customer in ONBOARDING held by a reseller needs a handoff.
    await publishPlaybook(f.db, asInternal(f.I), {
      ...onboardingPlaybook(),
      trigger: {
        fromStage: LifecycleStage.CLOSED_WON,
        toStage: LifecycleStage.ONBOARDING,
        proposeWithin: 'P1D',
        receiverKind: RoutingOwnerKind.SERVICE_PROVIDER,
      },
    });
    server = await createHandoffsServer({ dataSource: f.db, identitySecret: TEST_IDENTITY_SECRET, log: silentLog });
    url = await server.listen(0);

    c.noOwner = (await newCustomer(null, LifecycleStage.CLOSED_WON)).id;
    expected.push({ customerId: c.noOwner, rule: 'NO_OWNER', since: await occurredAt(c.noOwner, CUSTOMER_CREATED), accountable: null });

    c.inactive = (await newCustomer(D, LifecycleStage.CLOSED_WON)).id;
    await accountsEvents(f.db, [
      {
        ...partnerCreated(D, 'Partner D'),
        type: PARTNER_UPDATED,
        payload: { partner: { id: D, name: 'Partner D', kind: 'RESELLER', tier: 'GOLD', region: 'NA', status: 'SUSPENDED' }, changed: ['status'] },
      },
    ]);
    await f.project();
    expected.push({ customerId: c.inactive, rule: 'OWNER_INACTIVE', since: await occurredAt(D, PARTNER_UPDATED), accountable: null });

    // Created in ONBOARDING (a first event moves nothing, so no due opened): held by reseller A.
    c.missing = (await newCustomer(f.A, LifecycleStage.ONBOARDING)).id;
    expected.push({ customerId: c.missing, rule: 'HANDOFF_MISSING', since: await occurredAt(c.missing, CUSTOMER_CREATED), accountable: f.A });

    c.stalled = (await newCustomer(f.A, LifecycleStage.CLOSED_WON)).id;
    stalled = await proposeHandoff(f.db, asPartner(f.A), proposal(c.stalled, f.C), null);
    // A breach of the COMPLETE target does not stall a handoff that still waits to be accepted.
    await accountsEvents(f.db, [breach(stalled, 'ACCEPT', f.C, breachDue), breach(stalled, 'COMPLETE', f.C, new Date(Date.now() - 86_400_000))]);
    await breaches();
    expected.push({ customerId: c.stalled, rule: 'STALLED_HANDOFF', since: breachDue.toISOString(), accountable: f.C });

    const tooLong = await newCustomer(f.A, LifecycleStage.ACTIVE);
    c.tooLong = tooLong.id;
    await f.db.query(`UPDATE handoffs.customers SET stage_entered_at = $2 WHERE id = $1`, [c.tooLong, enteredActive]);
    expected.push({
      customerId: c.tooLong,
      rule: 'STAGE_TOO_LONG',
      since: new Date(enteredActive.getTime() + 30 * 86_400_000).toISOString(),
      accountable: f.A,
    });

    // Moved CLOSED_WON → ONBOARDING: the due opens, and with no routing rule it suggests nobody.
    const noRoute = await newCustomer(f.C, LifecycleStage.CLOSED_WON);
    c.noRoute = noRoute.id;
    await accountsEvents(f.db, [moved(noRoute.event, LifecycleStage.ONBOARDING)]);
    await f.project();
    const [due] = await f.db.query(`SELECT id, opened_at FROM handoffs.handoff_dues WHERE customer_id = $1 AND state = 'OPEN'`, [c.noRoute]);
    noRouteDue = due.id;
    expected.push({ customerId: c.noRoute, rule: 'NO_ROUTE', since: (due.opened_at as Date).toISOString(), accountable: f.C });

    // Fine: a service provider in ONBOARDING; a reseller in CLOSED_WON; ACTIVE for less than the limit.
    c.fineProvider = (await newCustomer(f.B, LifecycleStage.ONBOARDING)).id;
    c.fineReseller = (await newCustomer(f.A, LifecycleStage.CLOSED_WON)).id;
    await newCustomer(f.C, LifecycleStage.ACTIVE);
  });
  afterAll(async () => {
    await server?.stop();
    await f?.stop();
  });

  it('setStageLimits: internal teams only (FORBIDDEN for partners), BAD_USER_INPUT for a bad limit, read by everyone', async () => {
    const refused = await gql(P(f.A), SET_LIMITS, { input: [{ stage: 'ACTIVE', maxDays: 1 }] });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    for (const input of [
      [{ stage: 'ACTIVE', maxDays: 0 }],
      [{ stage: 'ACTIVE', maxDuration: 'soon' }],
      [{ stage: 'ACTIVE', maxDuration: 'P0D' }],
      [{ stage: 'ACTIVE', maxDays: 3, maxDuration: 'P3D' }],
      [
        { stage: 'ACTIVE', maxDays: 3 },
        { stage: 'ACTIVE', maxDays: 4 },
      ],
      [],
    ]) {
      const bad = await gql(I(), SET_LIMITS, { input });
      expect([JSON.stringify(input), bad.errors?.[0]?.extensions?.code]).toEqual([JSON.stringify(input), 'BAD_USER_INPUT']);
    }
    expect((await gql(I(), LIMITS)).data!.stageLimits).toEqual([]);
    const set = await gql(I(), SET_LIMITS, {
      input: [
        { stage: 'ACTIVE', maxDays: 30 },
        { stage: 'RENEWAL', maxDuration: 'PT36H' },
      ],
    });
    expect(set.errors).toBeUndefined();
    expect(set.data!.setStageLimits).toEqual([
      { stage: 'ACTIVE', maxDuration: 'P30D', updatedBy: { id: f.I } },
      { stage: 'RENEWAL', maxDuration: 'PT36H', updatedBy: { id: f.I } },
    ]);
    // Neither maxDays nor maxDuration removes the stage's limit.
    const removed = await gql(I(), SET_LIMITS, { input: [{ stage: 'RENEWAL' }] });
    expect(removed.data!.setStageLimits).toEqual([{ stage: 'ACTIVE', maxDuration: 'P30D', updatedBy: { id: f.I } }]);
    expect((await gql(P(f.A), LIMITS)).data!.stageLimits).toEqual([{ stage: 'ACTIVE', maxDuration: 'P30D' }]);
    const events = await f.db.query(`SELECT payload, visible_to FROM eventlog.events WHERE type = $1 ORDER BY seq`, [STAGE_LIMITS_SET]);
    expect(events.map((e: { payload: unknown; visible_to: string[] }) => [e.payload, e.visible_to])).toEqual([
      [
        {
          limits: [
            { stage: 'ACTIVE', maxDuration: 'P30D' },
            { stage: 'RENEWAL', maxDuration: 'PT36H' },
          ],
          removed: [],
        },
        [],
      ],
      [{ limits: [], removed: ['RENEWAL'] }, []],
    ]);
  });

  it('internal teams see one row per customer and rule broken, with since and accountable, oldest first; fine customers none', async () => {
    const res = await gql(I(), GAPS, { first: 100 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.ownershipGaps.totalCount).toBe(6);
    expect(rowsOf(res)).toEqual(sorted(expected));
    const nodes = res.data!.ownershipGaps.nodes as (GapNode & { moment: string | null; stage: string; message: string })[];
    const byRule = new Map(nodes.map((n) => [n.rule, n]));
    expect(byRule.get('STALLED_HANDOFF')).toMatchObject({ handoff: { id: stalled.id }, due: null, moment: 'CLOSED_WON_TO_ONBOARDING' });
    expect(byRule.get('NO_ROUTE')).toMatchObject({
      handoff: null,
      due: { id: noRouteDue, state: 'OPEN' },
      moment: 'CLOSED_WON_TO_ONBOARDING',
      stage: 'ONBOARDING',
    });
    expect(byRule.get('HANDOFF_MISSING')!.message).toContain('SERVICE_PROVIDER');
    expect(byRule.get('OWNER_INACTIVE')!.message).toContain('Partner D is SUSPENDED');
    expect(byRule.get('STAGE_TOO_LONG')!.message).toContain('P30D');
    for (const n of nodes) expect(n.customer).toEqual({ id: n.customerId });
    const fine = [c.fineProvider, c.fineReseller];
    expect(nodes.filter((n) => fine.includes(n.customerId))).toEqual([]);

    const summary = await gql(I(), SUMMARY);
    expect(summary.data!.ownershipGapSummary).toEqual(
      ['NO_OWNER', 'OWNER_INACTIVE', 'HANDOFF_MISSING', 'STALLED_HANDOFF', 'STAGE_TOO_LONG', 'NO_ROUTE'].map((rule) => ({
        rule,
        count: 1,
        oldestSince: expected.find((e) => e.rule === rule)!.since,
      })),
    );
  });

  it('filters by rules, accountable partner, moment and since-before, and pages with cursors', async () => {
    const rulesOf = async (filter: Record<string, unknown>) => rowsOf(await gql(I(), GAPS, { filter })).map((r) => r.rule);
    expect((await rulesOf({ rules: ['NO_ROUTE', 'NO_OWNER'] })).sort()).toEqual(['NO_OWNER', 'NO_ROUTE']);
    expect((await rulesOf({ partnerId: f.A })).sort()).toEqual(['HANDOFF_MISSING', 'STAGE_TOO_LONG']);
    expect((await rulesOf({ partnerId: f.C })).sort()).toEqual(['NO_ROUTE', 'STALLED_HANDOFF']);
    expect((await rulesOf({ moment: 'CLOSED_WON_TO_ONBOARDING' })).sort()).toEqual(['HANDOFF_MISSING', 'NO_ROUTE', 'STALLED_HANDOFF']);
    expect(await rulesOf({ moment: 'MQL_TO_SQL' })).toEqual([]);
    const cut = new Date(Date.now() - 3_600_000).toISOString();
    expect((await rulesOf({ sinceBefore: cut })).sort()).toEqual(
      expected
        .filter((e) => e.since < cut)
        .map((e) => e.rule)
        .sort(),
    );
    expect((await rulesOf({ sinceBefore: cut })).length).toBeGreaterThanOrEqual(2);

    const pages: Row[] = [];
    let after: string | null = null;
    for (let i = 0; i < 3; i++) {
      const page = await gql(I(), GAPS, { first: 2, after });
      expect(page.errors).toBeUndefined();
      pages.push(...rowsOf(page));
      expect(page.data!.ownershipGaps.pageInfo.hasNextPage).toBe(i < 2);
      after = page.data!.ownershipGaps.pageInfo.endCursor;
    }
    expect(pages).toEqual(sorted(expected));
    expect((await gql(I(), GAPS, { first: 0 })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gql(I(), GAPS, { after: 'nonsense' })).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a partner sees gaps on customers it may see where it is accountable or the owner; naming another partner is FORBIDDEN', async () => {
    const rulesFor = async (who: string) => {
      const res = await gql(P(who), GAPS);
      expect(res.errors).toBeUndefined();
      return rowsOf(res)
        .map((r) => `${r.rule} ${r.customerId}`)
        .sort();
    };
    // A: its own customers (accountable), and the one whose handoff to C is stalled (owner; C is accountable).
    expect(await rulesFor(f.A)).toEqual([`HANDOFF_MISSING ${c.missing}`, `STAGE_TOO_LONG ${c.tooLong}`, `STALLED_HANDOFF ${c.stalled}`].sort());
    // C: the stalled handoff it received, and its own due without a route; not A's customers.
    expect(await rulesFor(f.C)).toEqual([`NO_ROUTE ${c.noRoute}`, `STALLED_HANDOFF ${c.stalled}`].sort());
    // B: nothing of anyone else's. D (suspended) the gap about its own customer.
    expect(await rulesFor(f.B)).toEqual([]);
    expect(await rulesFor(D)).toEqual([`OWNER_INACTIVE ${c.inactive}`]);
    expect((await gql(P(f.A), GAPS, { filter: { partnerId: f.A } })).data!.ownershipGaps.nodes.map((n: GapNode) => n.rule).sort()).toEqual([
      'HANDOFF_MISSING',
      'STAGE_TOO_LONG',
    ]);
    const other = await gql(P(f.A), GAPS, { filter: { partnerId: f.C } });
    expect([other.errors?.[0]?.extensions?.code, other.data]).toEqual(['FORBIDDEN', null]);
    const summary = await gql(P(f.C), SUMMARY);
    expect((summary.data!.ownershipGapSummary as { rule: string; count: number }[]).filter((s) => s.count > 0).map((s) => [s.rule, s.count])).toEqual([
      ['STALLED_HANDOFF', 1],
      ['NO_ROUTE', 1],
    ]);
  });

  it('a gap closes when someone acts: a handoff proposed (and reopens when it is cancelled), an owner let back in, a due dismissed', async () => {
    const rulesOf = async () => rowsOf(await gql(I(), GAPS, { first: 100 })).map((r) => `${r.rule} ${r.customerId}`);
    // The onboarding handoff of the reseller's customer is proposed: nothing missing any more.
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(c.missing, f.B), null);
    expect(await rulesOf()).not.toContain(`HANDOFF_MISSING ${c.missing}`);
    await f.db.query(`UPDATE handoffs.handoffs SET state = 'CANCELLED', closed_at = now() WHERE id = $1`, [h.id]);
    expect(await rulesOf()).toContain(`HANDOFF_MISSING ${c.missing}`);
    await f.db.query(`UPDATE handoffs.handoffs SET state = 'PROPOSED', closed_at = NULL WHERE id = $1`, [h.id]);
    await accountsEvents(f.db, [
      {
        ...partnerCreated(D, 'Partner D'),
        type: PARTNER_UPDATED,
        payload: { partner: { id: D, name: 'Partner D', kind: 'RESELLER', tier: 'GOLD', region: 'NA', status: 'ACTIVE' }, changed: ['status'] },
      },
    ]);
    await f.project();
    expect(await rulesOf()).not.toContain(`OWNER_INACTIVE ${c.inactive}`);
    // Dismissing the due is a decision: no route is needed, and no handoff is missing either.
    await dismissHandoffDue(f.db, asPartner(f.C), noRouteDue, 'Stays with us this year');
    expect((await rulesOf()).filter((r) => r.endsWith(c.noRoute))).toEqual([]);
  });

  it('the projection keeps when a customer entered its stage and since when it has had no owner', async () => {
    const times = async (id: string) =>
      (await f.db.query(`SELECT stage_entered_at AS "stage", ownerless_since AS "ownerless" FROM handoffs.customers WHERE id = $1`, [id]))[0] as {
        stage: Date;
        ownerless: Date | null;
      };
    expect((await times(c.noRoute)).stage.toISOString()).toBe(await occurredAt(c.noRoute, CUSTOMER_UPDATED));
    expect((await times(c.noRoute)).ownerless).toBeNull();
    // An update that leaves the stage as it was keeps its time.
    const again = created(c.noRoute, f.C, LifecycleStage.ONBOARDING);
    await accountsEvents(f.db, [{ ...again, type: CUSTOMER_UPDATED, payload: { ...again.payload, changed: ['name'] } }]);
    await f.project();
    expect((await times(c.noRoute)).stage.toISOString()).toBe(await occurredAtFirstMove(c.noRoute));
    expect((await times(c.noOwner)).ownerless!.toISOString()).toBe(await occurredAt(c.noOwner, CUSTOMER_CREATED));
    // An internal team hands the customer we held to B, B accepts: it has an owner, the gap closes.
    const h = await proposeHandoff(f.db, asInternal(f.I), proposal(c.noOwner, f.B), null);
    await acceptHandoff(f.db, asPartner(f.B), h.id);
    expect((await times(c.noOwner)).ownerless).toBeNull();
    expect(rowsOf(await gql(I(), GAPS, { filter: { rules: ['NO_OWNER'] } })).map((r) => r.customerId)).not.toContain(c.noOwner);
  });

  it('costs the same statements for many gaps as for few', async () => {
    const FULL = `{ ownershipGaps(first: 100) { totalCount nodes { rule since message customer { id } accountablePartner { id } handoff { id } due { id } } } ownershipGapSummary { rule count } }`;
    const measure = async () => {
      const start = totalQueryCount();
      const res = await gql(I(), FULL);
      expect(res.errors).toBeUndefined();
      return { statements: totalQueryCount() - start, rows: res.data!.ownershipGaps.nodes.length as number };
    };
    // One of each kind that needs a loader (a stalled handoff, a due without a route) and a customer without an owner.
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const owned = await newCustomer(f.A, LifecycleStage.CLOSED_WON);
        const h = await proposeHandoff(f.db, asPartner(f.A), proposal(owned.id, f.C), null);
        await accountsEvents(f.db, [breach(h, 'ACCEPT', f.C, breachDue)]);
        const routeless = await newCustomer(f.C, LifecycleStage.CLOSED_WON);
        await accountsEvents(f.db, [moved(routeless.event, LifecycleStage.ONBOARDING)]);
        await newCustomer(null, LifecycleStage.LEAD);
      }
      await f.project();
      await breaches();
    };
    await add(1);
    const few = await measure();
    await add(10);
    const many = await measure();
    expect(many.rows).toBe(few.rows + 30);
    expect(many.statements).toBe(few.statements);
    expect(few.statements).toBeLessThanOrEqual(6);
  });
});
