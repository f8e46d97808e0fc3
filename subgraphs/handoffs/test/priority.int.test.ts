import { randomUUID } from 'node:crypto';
import { traceSql } from '../../../shared/db/sql-meter';
import { withSystem } from '../../../shared/db/tenant-context';
import type { NewEvent } from '../../../shared/eventlog/event-log';
import {
  CUSTOMER_CREATED,
  CUSTOMER_UPDATED,
  EXCHANGE_RATES_SET,
  HANDOFF_PROPOSED,
  SLA_BREACHED,
  SLA_CLOCK_STARTED,
  type CommercialsSnapshot,
  type CustomerEventPayload,
  type ExchangeRatesSetPayload,
  type HandoffSnapshot,
  type SlaClockSnapshot,
} from '../../../shared/eventlog/events';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createExchangeRatesConsumer } from '../src/consumers/exchange-rates.consumer';
import { createSlaClocksConsumer } from '../src/consumers/sla-clocks.consumer';
import { HandoffMoment, LifecycleStage, PlaybookFieldRole, PlaybookFieldType } from '../src/entities/enums';
import { publishPlaybook } from '../src/services/playbook.service';
import { proposeHandoff } from '../src/services/propose.service';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import {
  accountsEvents,
  asInternal,
  asPartner,
  customerCreated,
  eventsOf,
  onboardingPlaybook,
  proposal,
  silentLog,
  startHandoffsFixture,
  validData,
  type HandoffsFixture,
} from './fixture';

const PRIORITY_FIELDS = `priority { score valuePart riskPart reasons valueAtStake { amount currency } }`;
const INBOX = `query($reps: [_Any!]!, $first: Int, $after: String, $orderBy: WorkOrder) {
  _entities(representations: $reps) { ... on Partner { inbox(first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id value { amount currency } valueSource ${PRIORITY_FIELDS} } } } } }
}`;
const HANDOFFS = `query($first: Int, $after: String, $orderBy: WorkOrder) {
  handoffs(first: $first, after: $after, orderBy: $orderBy) { pageInfo { hasNextPage endCursor } edges { cursor node { id ${PRIORITY_FIELDS} } } }
}`;
const DUES = `query($first: Int, $after: String, $orderBy: WorkOrder) {
  handoffsDue(first: $first, after: $after, orderBy: $orderBy) { pageInfo { hasNextPage endCursor } edges { cursor node { id customerId value { amount currency } ${PRIORITY_FIELDS} } } }
}`;

interface Edge {
  cursor: string;
  node: {
    id: string;
    priority: { score: number; valuePart: number; riskPart: number; reasons: string[]; valueAtStake: { amount: string; currency: string } | null };
  };
}

/** The score a PRIORITY cursor carries: what SQL ordered the row by. */
const cursorScore = (cursor: string) => Number((JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[])[2]);
const cursorAsOf = (cursor: string) => (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[])[1];

const today = () => new Date().toISOString().slice(0, 10);
const hoursFromNow = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const ratesSet = (p: ExchangeRatesSetPayload): NewEvent => ({
  type: EXCHANGE_RATES_SET,
  source: 'accounts',
  aggregateType: 'ExchangeRates',
  aggregateId: String(p.version),
  payload: p as unknown as Record<string, unknown>,
  visibleTo: [],
});

/**
 * Work ordered by value and risk (docs/handoffs.md#priority): Partner.inbox, handoffs and
 * handoffsDue with orderBy PRIORITY, scored in SQL, against hand-computed scores of the shared
 * formula; keyset pages; the statements a page costs.
 */
describe('handoffs: orderBy PRIORITY (subgraph server, real Postgres)', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  /** h1 999 EUR, h2 1998 USD (= 999 EUR) halfway to its accept target, h3 5000 JPY (unconvertible) breached, h4 no value, h5 ARR 9,999,999 EUR. */
  const h: string[] = [];
  const dues: Record<string, string> = {};

  const gql = (who: 'A' | 'B' | 'I', query: string, variables: Record<string, unknown> = {}) =>
    subgraphGql(url, query, variables, who === 'I' ? internalIdentity(f.I) : partnerIdentity(who === 'A' ? f.A : f.B));
  const inbox = async (variables: Record<string, unknown>) => {
    const res = await gql('B', INBOX, { reps: [{ __typename: 'Partner', id: f.B }], ...variables });
    expect(res.errors).toBeUndefined();
    return res.data!._entities[0].inbox as {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string };
      edges: Edge[];
    };
  };
  const drain = async (c: { drain(): Promise<unknown>; stop(): Promise<void> }) => {
    await c.drain();
    await c.stop();
  };
  const customerWith = async (c: CommercialsSnapshot | null, stage = 'CLOSED_WON') => {
    const id = randomUUID();
    const created = customerCreated(id, `Customer ${id.slice(0, 4)}`, f.A);
    const { customer } = created.payload as unknown as CustomerEventPayload;
    await accountsEvents(f.db, [
      { ...created, type: CUSTOMER_CREATED, payload: { customer: { ...customer, lifecycleStage: stage, commercials: c }, changed: [] } },
    ]);
    await f.project();
    return id;
  };
  const eur = (arr: string): CommercialsSnapshot => ({
    currency: 'EUR',
    arr,
    pipelineValue: null,
    contractValue: null,
    contractTermMonths: null,
    renewalDate: null,
  });
  const slaEvent = async (type: string, handoffId: string, clock: Partial<SlaClockSnapshot>) => {
    const [proposed] = await eventsOf(f.db, handoffId, HANDOFF_PROPOSED);
    const snapshot = proposed!.payload.handoff as HandoffSnapshot;
    const full: SlaClockSnapshot = {
      id: randomUUID(),
      handoffId,
      policyId: randomUUID(),
      policyVersion: 1,
      target: 'ACCEPT',
      state: 'RUNNING',
      startedAt: hoursFromNow(-5),
      dueAt: hoursFromNow(5),
      stoppedAt: null,
      businessSecondsElapsed: 0,
      targetBusinessSeconds: 36_000,
      accountablePartnerId: f.B,
      ...clock,
    };
    await accountsEvents(f.db, [
      { type, source: 'slas', aggregateType: 'SlaClock', aggregateId: full.id, payload: { clock: full, handoff: snapshot }, visibleTo: [f.A, f.B] },
    ]);
  };

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publishPlaybook(f.db, asInternal(f.I), {
      ...onboardingPlaybook(),
      requiredFields: [
        ...onboardingPlaybook().requiredFields,
        { name: 'dealValue', type: PlaybookFieldType.MONEY, description: 'Deal value', required: false, role: PlaybookFieldRole.VALUE },
      ],
    });
    await accountsEvents(f.db, [
      ratesSet({
        version: 1,
        reportingCurrency: 'EUR',
        rates: [{ currency: 'USD', day: today(), rate: '0.5' }],
        setByPartnerId: f.I,
        at: new Date().toISOString(),
      }),
    ]);
    await drain(createExchangeRatesConsumer(f.db, silentLog));

    const withValue = (amount: string, currency: string) => ({ data: { ...validData, dealValue: { amount, currency } } });
    const plan: [CommercialsSnapshot | null, Record<string, unknown>][] = [
      [eur('50'), withValue('999', 'EUR')],
      [null, withValue('1998', 'USD')],
      [null, withValue('5000', 'JPY')],
      [null, {}],
      [eur('9999999'), {}],
    ];
    for (const [c, over] of plan) {
      const customerId = await customerWith(c);
      h.push((await proposeHandoff(f.db, asPartner(f.A), proposal(customerId, f.B, over), null)).id);
    }
    await slaEvent(SLA_CLOCK_STARTED, h[1]!, {});
    const breachedClock = randomUUID();
    await slaEvent(SLA_CLOCK_STARTED, h[2]!, { id: breachedClock, startedAt: hoursFromNow(-10), dueAt: hoursFromNow(-1) });
    await slaEvent(SLA_BREACHED, h[2]!, {
      id: breachedClock,
      state: 'BREACHED',
      startedAt: hoursFromNow(-10),
      dueAt: hoursFromNow(-1),
      breachedAt: hoursFromNow(-1),
    });
    await drain(createSlaClocksConsumer(f.db, silentLog));

    // Dues of ONBOARDING_TO_SUCCESS, proposeWithin 10 hours: 9,999,999 EUR, 999 EUR, and one without a value past its due time.
    await publishPlaybook(f.db, asInternal(f.I), {
      ...onboardingPlaybook(),
      moment: HandoffMoment.ONBOARDING_TO_SUCCESS,
      requiredFields: [],
      trigger: { fromStage: LifecycleStage.ONBOARDING, toStage: LifecycleStage.ACTIVE, proposeWithin: 'PT10H' },
    });
    for (const [tag, c] of [
      ['big', eur('9999999')],
      ['small', eur('999')],
      ['late', null],
    ] as const) {
      const id = await customerWith(c, 'ONBOARDING');
      const created = customerCreated(id, 'x', f.A);
      const { customer } = created.payload as unknown as CustomerEventPayload;
      await accountsEvents(f.db, [
        { ...created, type: CUSTOMER_UPDATED, payload: { customer: { ...customer, lifecycleStage: 'ACTIVE', commercials: c }, changed: ['lifecycleStage'] } },
      ]);
      await f.project();
      dues[tag] = (await f.db.query(`SELECT id FROM handoffs.handoff_dues WHERE customer_id = $1 AND state = 'OPEN'`, [id]))[0].id;
    }
    await withSystem(() => f.db.query(`UPDATE handoffs.handoff_dues SET due_at = now() - interval '1 hour' WHERE id = $1`, [dues.late]));

    server = await createHandoffsServer({ dataSource: f.db, identitySecret: TEST_IDENTITY_SECRET, log: silentLog });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server?.stop();
    await f?.stop();
  });

  it('orders the inbox by score, ties by the inbox’s own order, with the hand-computed scores; the default order is unchanged', async () => {
    const page = await inbox({ orderBy: 'PRIORITY' });
    expect(page.edges.map((e) => e.node.id)).toEqual([h[2], h[4], h[1], h[0], h[3]]);
    const byId = new Map(page.edges.map((e) => [e.node.id, e.node.priority]));
    // h3: unconvertible JPY (value part 0) but breached (risk part 1): 0.5 × 0 + 0.5 × 1.
    expect(byId.get(h[2]!)).toEqual({
      score: 0.5,
      valuePart: 0,
      riskPart: 1,
      valueAtStake: null,
      reasons: [`value 5000 JPY unconvertible: no JPY → EUR rate for ${today()}; the value part is 0`, 'breached: the time to accept has passed (stalled)'],
    });
    // h5: 9,999,999 EUR from its ARR: the full value part, no clock.
    expect(byId.get(h[4]!)).toMatchObject({ score: 0.5, valuePart: 1, riskPart: 0, valueAtStake: { amount: '9999999.00', currency: 'EUR' } });
    // h2: 1998 USD at 0.5 = 999 EUR, log10(1000) / 7 = 3/7; half its time to accept used: 0.9 × 0.5 (a few ms more by now).
    expect(byId.get(h[1]!)).toMatchObject({ valuePart: 0.428571, valueAtStake: { amount: '999.00', currency: 'EUR' } });
    expect(byId.get(h[1]!)!.riskPart).toBeCloseTo(0.45, 3);
    expect(byId.get(h[1]!)!.score).toBeCloseTo(0.439286, 3);
    // h1: 999 EUR from its VALUE field (the ARR of 50 does not count), no clock: 0.5 × 3/7.
    expect(byId.get(h[0]!)).toMatchObject({ score: 0.214286, valuePart: 0.428571, riskPart: 0, valueAtStake: { amount: '999.00', currency: 'EUR' } });
    expect(byId.get(h[3]!)).toMatchObject({ score: 0, valueAtStake: null, reasons: ['no value known: the value part is 0', 'no due time to accept'] });
    // SQL ordered by exactly the score the shared formula gives (same instant: the cursor's).
    for (const e of page.edges) expect([e.node.id, cursorScore(e.cursor)]).toEqual([e.node.id, e.node.priority.score]);

    const plain = await inbox({});
    expect(plain.edges.map((e) => e.node.id)).toEqual(h);
    expect(plain.edges[0]!.node).toMatchObject({ value: { amount: '999', currency: 'EUR' }, valueSource: 'PLAYBOOK_FIELD' });
  });

  it('one request asking for both orders of the inbox gets each in its own order', async () => {
    const res = await gql(
      'B',
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Partner {
        byPriority: inbox(orderBy: PRIORITY) { nodes { id } } plain: inbox { nodes { id } } } } }`,
      { reps: [{ __typename: 'Partner', id: f.B }] },
    );
    expect(res.errors).toBeUndefined();
    const [partner] = res.data!._entities as { byPriority: { nodes: { id: string }[] }; plain: { nodes: { id: string }[] } }[];
    expect(partner!.byPriority.nodes.map((n) => n.id)).toEqual([h[2], h[4], h[1], h[0], h[3]]);
    expect(partner!.plain.nodes.map((n) => n.id)).toEqual(h);
  });

  it('pages under PRIORITY: keyset pages cover the list once, scored at the first page’s instant; cursors do not cross orders', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    const asOfs = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const page = await inbox({ orderBy: 'PRIORITY', first: 2, after });
      seen.push(...page.edges.map((e) => e.node.id));
      for (const e of page.edges) asOfs.add(cursorAsOf(e.cursor)!);
      expect(page.pageInfo.hasNextPage).toBe(i < 2);
      expect(page.pageInfo.hasPreviousPage).toBe(i > 0);
      expect(page.totalCount).toBe(5);
      after = page.pageInfo.endCursor;
    }
    expect(seen).toEqual([h[2], h[4], h[1], h[0], h[3]]);
    expect(asOfs.size).toBe(1);

    const plainCursor = (await inbox({ first: 1 })).pageInfo.endCursor;
    const priorityCursor = (await inbox({ orderBy: 'PRIORITY', first: 1 })).pageInfo.endCursor;
    for (const variables of [{ orderBy: 'PRIORITY', after: plainCursor }, { after: priorityCursor }]) {
      const res = await gql('B', INBOX, { reps: [{ __typename: 'Partner', id: f.B }], ...variables });
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
  });

  it('handoffs(orderBy: PRIORITY): by score, ties newest first; its pages, like the inbox’s', async () => {
    const res = await gql('B', HANDOFFS, { orderBy: 'PRIORITY' });
    expect(res.errors).toBeUndefined();
    const edges = res.data!.handoffs.edges as Edge[];
    expect(edges.map((e) => e.node.id)).toEqual([h[4], h[2], h[1], h[0], h[3]]);
    for (const e of edges) expect(cursorScore(e.cursor)).toBe(e.node.priority.score);
    const first = await gql('B', HANDOFFS, { orderBy: 'PRIORITY', first: 3 });
    const rest = await gql('B', HANDOFFS, { orderBy: 'PRIORITY', first: 3, after: first.data!.handoffs.pageInfo.endCursor });
    expect([...first.data!.handoffs.edges, ...rest.data!.handoffs.edges].map((e: Edge) => e.node.id)).toEqual(edges.map((e) => e.node.id));
    expect(rest.data!.handoffs.pageInfo.hasNextPage).toBe(false);
    // A sees its own sent handoffs in the same order: priority is visible to the parties.
    expect(((await gql('A', HANDOFFS, { orderBy: 'PRIORITY' })).data!.handoffs.edges as Edge[]).map((e) => e.node.id)).toEqual(edges.map((e) => e.node.id));
  });

  it('handoffsDue(orderBy: PRIORITY): value and time left to dueAt', async () => {
    const res = await gql('I', DUES, { orderBy: 'PRIORITY' });
    expect(res.errors).toBeUndefined();
    const edges = res.data!.handoffsDue.edges as Edge[];
    expect(edges.map((e) => e.node.id)).toEqual([dues.big, dues.late, dues.small]);
    const late = edges[1]!.node.priority;
    expect(late).toMatchObject({ score: 0.5, valuePart: 0, riskPart: 1, valueAtStake: null });
    expect(late.reasons[1]).toMatch(/^breached: due to propose 1 h ago/);
    // 9,999,999 EUR a moment after the stage move: 0.5 plus the little time used of 10 hours.
    expect(edges[0]!.node.priority.valuePart).toBe(1);
    expect(edges[0]!.node.priority.score).toBeGreaterThan(0.5);
    expect(edges[0]!.node.priority.score).toBeLessThan(0.501);
    expect(edges[2]!.node.priority.valuePart).toBe(0.428571);
    for (const e of edges) expect(cursorScore(e.cursor)).toBe(e.node.priority.score);
    const page1 = await gql('I', DUES, { orderBy: 'PRIORITY', first: 1 });
    const page2 = await gql('I', DUES, { orderBy: 'PRIORITY', first: 2, after: page1.data!.handoffsDue.pageInfo.endCursor });
    expect([...page1.data!.handoffsDue.edges, ...page2.data!.handoffsDue.edges].map((e: Edge) => e.node.id)).toEqual(edges.map((e) => e.node.id));
    // The default order stays newest first.
    const plain = await gql('I', DUES, {});
    expect((plain.data!.handoffsDue.edges as Edge[]).map((e) => e.node.id)).toEqual([dues.late, dues.small, dues.big]);
  });

  it('a page costs the same statements for 1 row as for 5, priority fields included (no query per row)', async () => {
    const statements = async (query: string, variables: Record<string, unknown>, who: 'B' | 'I' = 'B') => {
      const stop = traceSql();
      const res = await gql(who, query, variables);
      // A pooled connection binds the caller's tenant once (set_config), whichever rows follow.
      const sent = stop().filter((s) => !s.includes("set_config('hub.tenant'"));
      expect(res.errors).toBeUndefined();
      return sent.length;
    };
    const reps = [{ __typename: 'Partner', id: f.B }];
    const inboxOne = await statements(INBOX, { reps, orderBy: 'PRIORITY', first: 1 });
    expect(await statements(INBOX, { reps, orderBy: 'PRIORITY', first: 5 })).toBe(inboxOne);
    const listOne = await statements(HANDOFFS, { orderBy: 'PRIORITY', first: 1 });
    expect(await statements(HANDOFFS, { orderBy: 'PRIORITY', first: 5 })).toBe(listOne);
    const duesOne = await statements(DUES, { orderBy: 'PRIORITY', first: 1 }, 'I');
    expect(await statements(DUES, { orderBy: 'PRIORITY', first: 3 }, 'I')).toBe(duesOne);
    // The page, its count, the priority inputs of its rows.
    expect(inboxOne).toBe(3);
  });

  it('rates: a version with another reporting currency replaces every rate; an older version replayed changes nothing', async () => {
    await accountsEvents(f.db, [
      ratesSet({
        version: 2,
        reportingCurrency: 'USD',
        rates: [{ currency: 'EUR', day: today(), rate: '2' }],
        setByPartnerId: f.I,
        at: new Date().toISOString(),
      }),
      ratesSet({
        version: 1,
        reportingCurrency: 'EUR',
        rates: [{ currency: 'USD', day: today(), rate: '0.5' }],
        setByPartnerId: f.I,
        at: new Date().toISOString(),
      }),
    ]);
    await drain(createExchangeRatesConsumer(f.db, silentLog));
    expect(await f.db.query(`SELECT currency, day::text AS day, rate::text AS rate, version FROM handoffs.exchange_rates`)).toEqual([
      { currency: 'EUR', day: today(), rate: '2', version: 2 },
    ]);
    const page = await inbox({ orderBy: 'PRIORITY' });
    const byId = new Map(page.edges.map((e) => [e.node.id, e.node.priority]));
    expect(byId.get(h[0]!)!.valueAtStake).toEqual({ amount: '1998.00', currency: 'USD' }); // 999 EUR × 2
    expect(byId.get(h[1]!)!.valueAtStake).toEqual({ amount: '1998.00', currency: 'USD' }); // USD already
    expect(byId.get(h[4]!)!.valueAtStake).toEqual({ amount: '19999998.00', currency: 'USD' });
  });
});
