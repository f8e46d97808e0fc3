import { randomUUID } from 'node:crypto';
import { traceSql } from '../../../shared/db/sql-meter';
import { appendEvents } from '../../../shared/eventlog/event-log';
import { EXCHANGE_RATES_SET, HANDOFF_PROPOSED, type ExchangeRatesSetPayload, type ValueSnapshot } from '../../../shared/eventlog/events';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { ALWAYS_ON } from '../src/calendar/business-calendar';
import { createClockConsumer } from '../src/consumers/clock.consumer';
import { createExchangeRatesConsumer } from '../src/consumers/exchange-rates.consumer';
import { createSlasServer, type SlasServer } from '../src/server';
import { emit, handoff, HOUR, log, setPolicy, startSlasDb, type SlasDb } from './support';

const CLOCKS = `query($first: Int, $after: String, $orderBy: WorkOrder) {
  slaClocks(first: $first, after: $after, orderBy: $orderBy) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { id handoff { id } priority { score valuePart riskPart reasons valueAtStake { amount currency } } } }
  }
}`;

interface Edge {
  cursor: string;
  node: {
    id: string;
    handoff: { id: string };
    priority: { score: number; valuePart: number; riskPart: number; reasons: string[]; valueAtStake: { amount: string; currency: string } | null };
  };
}

const cursorScore = (cursor: string) => Number((JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as string[])[2]);
const today = () => new Date().toISOString().slice(0, 10);

/**
 * slaClocks(orderBy: PRIORITY) (docs/slas.md#priority): the value slas learns from the
 * handoff events' snapshot, converted at the proposal day's rate of slas' copy of the rates,
 * and the time left to the clock's due time, by the formula handoffs uses (shared/priority.ts).
 */
describe('slas: slaClocks ordered by PRIORITY (subgraph server, real Postgres)', () => {
  let s: SlasDb;
  let server: SlasServer;
  let url: string;
  const from = randomUUID();
  const to = randomUUID();
  /** k1 999 EUR, k2 9,999,999 EUR, k3 5000 JPY (unconvertible) past its due time, k4 no value. */
  const k: string[] = [];
  const proposedAt: string[] = [];
  const drain = async (c: { drain(): Promise<unknown>; stop(): Promise<void> }) => {
    await c.drain();
    await c.stop();
  };
  const clocks = async (variables: Record<string, unknown>, who = partnerIdentity(to)) => {
    const res = await subgraphGql(url, CLOCKS, variables, who);
    expect(res.errors).toBeUndefined();
    return res.data!.slaClocks as { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string }; edges: Edge[] };
  };

  beforeAll(async () => {
    s = await startSlasDb();
    await setPolicy(s.db, { calendar: ALWAYS_ON('UTC'), acceptWithin: 'PT10H' });
    const rates: ExchangeRatesSetPayload = {
      version: 1,
      reportingCurrency: 'EUR',
      rates: [{ currency: 'USD', day: today(), rate: '0.5' }],
      setByPartnerId: null,
      at: new Date().toISOString(),
    };
    await s.db.transaction((m) =>
      appendEvents(m, [
        { type: EXCHANGE_RATES_SET, source: 'accounts', aggregateType: 'ExchangeRates', aggregateId: '1', payload: { ...rates }, visibleTo: [] },
      ]),
    );
    await drain(createExchangeRatesConsumer(s.db, log));
    const plan: [ValueSnapshot | null, number][] = [
      [{ amount: '999', currency: 'EUR', source: 'PLAYBOOK_FIELD' }, 0],
      [{ amount: '9999999', currency: 'EUR', source: 'ARR' }, 0],
      [{ amount: '5000', currency: 'JPY', source: 'PLAYBOOK_FIELD' }, 11],
      [null, 0],
    ];
    for (const [value, hoursAgo] of plan) {
      const at = new Date(Date.now() - hoursAgo * HOUR);
      const h = handoff({ fromPartnerId: from, toPartnerId: to, proposedAt: at.toISOString(), value });
      await emit(s.db, HANDOFF_PROPOSED, h, { at });
      k.push(h.id);
      proposedAt.push(h.proposedAt);
    }
    await drain(createClockConsumer(s.db, log));
    server = await createSlasServer({ dataSource: s.db, identitySecret: TEST_IDENTITY_SECRET, log, schedulerPollMs: 60_000 });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server?.stop();
    await s?.stop();
  });

  it('orders by score: value and time left, with the formula’s numbers; SQL’s score is the formula’s', async () => {
    const page = await clocks({ orderBy: 'PRIORITY' });
    expect(page.edges.map((e) => e.node.handoff.id)).toEqual([k[1], k[2], k[0], k[3]]);
    const byHandoff = new Map(page.edges.map((e) => [e.node.handoff.id, e.node.priority]));
    // k3: past its due time (the scheduler has not marked the breach yet), value unconvertible: 0.5 × 0 + 0.5 × 1.
    expect(byHandoff.get(k[2]!)).toMatchObject({ score: 0.5, valuePart: 0, riskPart: 1, valueAtStake: null });
    // Converted at the rate of its proposal day, 11 hours ago (UTC).
    const proposalDay = new Date(proposedAt[2]!).toISOString().slice(0, 10);
    expect(byHandoff.get(k[2]!)!.reasons[0]).toBe(`value 5000 JPY unconvertible: no JPY → EUR rate for ${proposalDay}; the value part is 0`);
    // k2: the full value part, a moment into 10 hours.
    expect(byHandoff.get(k[1]!)).toMatchObject({ valuePart: 1, valueAtStake: { amount: '9999999.00', currency: 'EUR' } });
    expect(byHandoff.get(k[1]!)!.score).toBeGreaterThan(0.5);
    expect(byHandoff.get(k[1]!)!.score).toBeLessThan(0.501);
    // k1: log10(1000) / 7 = 3/7.
    expect(byHandoff.get(k[0]!)).toMatchObject({ valuePart: 0.428571 });
    expect(byHandoff.get(k[0]!)!.score).toBeCloseTo(0.214286, 3);
    expect(byHandoff.get(k[3]!)).toMatchObject({ valuePart: 0, valueAtStake: null });
    for (const e of page.edges) expect([e.node.id, cursorScore(e.cursor)]).toEqual([e.node.id, e.node.priority.score]);
    // The default order stays soonest due first: k3's due time has passed.
    expect((await clocks({})).edges[0]!.node.handoff.id).toBe(k[2]);
  });

  it('pages under PRIORITY with keyset cursors; a cursor of the other order is BAD_USER_INPUT', async () => {
    const first = await clocks({ orderBy: 'PRIORITY', first: 3 });
    const rest = await clocks({ orderBy: 'PRIORITY', first: 3, after: first.pageInfo.endCursor });
    expect([...first.edges, ...rest.edges].map((e) => e.node.handoff.id)).toEqual([k[1], k[2], k[0], k[3]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(rest.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const plainCursor = (await clocks({ first: 1 })).pageInfo.endCursor;
    const res = await subgraphGql(url, CLOCKS, { orderBy: 'PRIORITY', after: plainCursor }, partnerIdentity(to));
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('another partner lists none of these clocks; internal teams all', async () => {
    expect((await clocks({ orderBy: 'PRIORITY' }, partnerIdentity(randomUUID()))).edges).toEqual([]);
    expect((await clocks({ orderBy: 'PRIORITY' }, internalIdentity(randomUUID()))).edges).toHaveLength(4);
  });

  it('a page costs the same statements for 1 clock as for 4, priority included', async () => {
    const statements = async (first: number) => {
      const stop = traceSql();
      await clocks({ orderBy: 'PRIORITY', first });
      // A pooled connection binds the caller's tenant once (set_config), whichever rows follow.
      return stop().filter((t) => !t.includes("set_config('hub.tenant'")).length;
    };
    const one = await statements(1);
    expect(await statements(4)).toBe(one);
  });
});
