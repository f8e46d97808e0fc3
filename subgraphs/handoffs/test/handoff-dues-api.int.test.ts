import type { Client } from 'graphql-ws';
import { signIdentity, type Identity } from '../../../shared/auth/identity';
import { CUSTOMER_UPDATED, type CustomerEventPayload } from '../../../shared/eventlog/events';
import { Subscription, wsClient } from '../../../test/support/graphql-client';
import { internalIdentity, partnerIdentity, subgraphGql, TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { LifecycleStage } from '../src/entities/enums';
import { publishPlaybook } from '../src/services/playbook.service';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import { accountsEvents, asInternal, customerCreated, onboardingPlaybook, silentLog, startHandoffsFixture, type HandoffsFixture } from './fixture';

const DUES = `query($filter: HandoffDueFilter, $first: Int, $after: String) {
  handoffsDue(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id customerId state moment overdue playbookVersion proposeWithin dueAt customer { id } accountable { id } suggestedReceiver { id }
            stageMove { fromStage toStage eventId } playbook { version } handoff { id } }
  }
}`;
const DISMISS = `mutation($id: ID!, $reason: String!) { dismissHandoffDue(id: $id, reason: $reason) { id state dismissedReason dismissedBy { id } closedAt } }`;
const DUE_STREAM = `subscription { handoffDue { id state customerId accountable { id } stageMove { toStage } } }`;

/** handoffsDue, dismissHandoffDue and the handoffDue subscription through the handoffs subgraph's own server. */
describe('handoffs: the HandoffDue API (subgraph server, real Postgres)', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  const clients: Client[] = [];
  /** d1: on A's customer (A accountable); d2: on C's customer. */
  let c1: string, c2: string, d1: string, d2: string;

  const A = () => partnerIdentity(f.A);
  const C = () => partnerIdentity(f.C);
  const I = () => internalIdentity(f.I);
  const gql = (who: Identity, query: string, variables: Record<string, unknown> = {}) => subgraphGql(url, query, variables, who);
  const ids = (res: { data?: { handoffsDue?: { nodes: { id: string }[] } } | null }) => (res.data?.handoffsDue?.nodes ?? []).map((n) => n.id);
  const toOnboarding = async (customerId: string, owner: string) => {
    const created = customerCreated(customerId, 'x', owner);
    const { customer } = created.payload as unknown as CustomerEventPayload;
    await accountsEvents(f.db, [
      { ...created, type: CUSTOMER_UPDATED, payload: { customer: { ...customer, lifecycleStage: LifecycleStage.ONBOARDING }, changed: ['lifecycleStage'] } },
    ]);
    await f.project();
  };
  const dueOf = async (customerId: string): Promise<string> =>
    (await f.db.query(`SELECT id FROM handoffs.handoff_dues WHERE customer_id = $1 AND state = 'OPEN'`, [customerId]))[0].id;

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publishPlaybook(f.db, asInternal(f.I), {
      ...onboardingPlaybook(),
      trigger: { fromStage: LifecycleStage.CLOSED_WON, toStage: LifecycleStage.ONBOARDING, proposeWithin: 'P1D' },
    });
    server = await createHandoffsServer({ dataSource: f.db, identitySecret: TEST_IDENTITY_SECRET, log: silentLog });
    url = await server.listen(0);
    [c1, c2] = [await f.customer(f.A), await f.customer(f.C)];
    await toOnboarding(c1, f.A);
    await toOnboarding(c2, f.C);
    [d1, d2] = [await dueOf(c1), await dueOf(c2)];
    // d1 is past its due time (as if the stage move were two days old).
    await f.db.query(`UPDATE handoffs.handoff_dues SET due_at = now() - interval '1 day' WHERE id = $1`, [d1]);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await server?.stop();
    await f?.stop();
  });

  it('a partner lists the dues it is accountable for; naming another partner is FORBIDDEN', async () => {
    const mine = await gql(A(), DUES);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.handoffsDue).toMatchObject({ totalCount: 1, pageInfo: { hasNextPage: false } });
    expect(mine.data!.handoffsDue.nodes).toEqual([
      expect.objectContaining({
        id: d1,
        customerId: c1,
        state: 'OPEN',
        moment: 'CLOSED_WON_TO_ONBOARDING',
        overdue: true,
        playbookVersion: 1,
        proposeWithin: 'P1D',
        customer: { id: c1 },
        accountable: { id: f.A },
        suggestedReceiver: null,
        stageMove: expect.objectContaining({ fromStage: 'CLOSED_WON', toStage: 'ONBOARDING' }),
        playbook: { version: 1 },
        handoff: null,
      }),
    ]);
    const other = await gql(A(), DUES, { filter: { partnerId: f.C } });
    expect(other.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('internal teams list all, narrowed by partner, state and overdue, one page at a time', async () => {
    expect(ids(await gql(I(), DUES)).sort()).toEqual([d1, d2].sort());
    expect(ids(await gql(I(), DUES, { filter: { partnerId: f.C } }))).toEqual([d2]);
    expect(ids(await gql(I(), DUES, { filter: { overdue: true } }))).toEqual([d1]);
    expect(ids(await gql(I(), DUES, { filter: { overdue: false, state: 'OPEN' } }))).toEqual([d2]);
    expect(ids(await gql(I(), DUES, { filter: { moment: 'MQL_TO_SQL' } }))).toEqual([]);
    const first = await gql(I(), DUES, { first: 1 });
    expect(first.data!.handoffsDue.pageInfo.hasNextPage).toBe(true);
    const second = await gql(I(), DUES, { first: 1, after: first.data!.handoffsDue.pageInfo.endCursor });
    expect([...ids(first), ...ids(second)].sort()).toEqual([d1, d2].sort());
  });

  it('dismissHandoffDue: NOT_FOUND to a partner that may not see it, done by the accountable one', async () => {
    const hidden = await gql(C(), DISMISS, { id: d1, reason: 'not ours' });
    expect([hidden.errors?.[0]?.extensions?.code, hidden.data]).toEqual(['NOT_FOUND', null]);
    const done = await gql(A(), DISMISS, { id: d1, reason: 'The customer onboards itself' });
    expect(done.errors).toBeUndefined();
    expect(done.data!.dismissHandoffDue).toMatchObject({
      id: d1,
      state: 'DISMISSED',
      dismissedReason: 'The customer onboards itself',
      dismissedBy: { id: f.A },
    });
    expect(ids(await gql(I(), DUES, { filter: { state: 'DISMISSED' } }))).toEqual([d1]);
  });

  it('handoffDue streams a due to its accountable partner and internal teams, to nobody else', async () => {
    const subscribe = (identity: Identity, query = DUE_STREAM) => {
      const client = wsClient(url, { identity: signIdentity(identity, TEST_IDENTITY_SECRET) });
      clients.push(client);
      return new Subscription(client, query);
    };
    const [forA, forC, forI] = [subscribe(A()), subscribe(C()), subscribe(I())];
    const forbidden = subscribe(C(), `subscription { handoffDue(partnerId: "${f.A}") { id } }`);
    await Subscription.settle(300);
    const c3 = await f.customer(f.A);
    await toOnboarding(c3, f.A);
    await server.relay.flush();
    const [a, i] = [await forA.waitFor(1), await forI.waitFor(1)];
    for (const event of [a, i]) {
      expect(event.data?.handoffDue).toMatchObject({ state: 'OPEN', customerId: c3, accountable: { id: f.A }, stageMove: { toStage: 'ONBOARDING' } });
    }
    await Subscription.settle(300);
    expect(forC.received).toEqual([]);
    expect(JSON.stringify(forbidden.error ?? forbidden.received)).toContain('FORBIDDEN');
  });
  it('_entities(HandoffDue) resolves with the access of handoffsDue: null for a due the caller may not see', async () => {
    const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on HandoffDue { id state customerId } } }`;
    const resolve = async (who: Identity, ids: string[]) => {
      const res = await gql(who, ENTITIES, { r: ids.map((id) => ({ __typename: 'HandoffDue', id })) });
      expect(res.errors).toBeUndefined();
      return (res.data!._entities as ({ id: string } | null)[]).map((e) => e?.id ?? null);
    };
    const refs = [d1, d2, 'not-a-uuid', '00000000-0000-4000-8000-00000000dead'];
    expect(await resolve(I(), refs)).toEqual([d1, d2, null, null]);
    expect(await resolve(A(), refs)).toEqual([d1, null, null, null]);
    expect(await resolve(C(), refs)).toEqual([null, d2, null, null]);
    // handoffsDue needs handoffs:read; so does a reference.
    expect(await resolve({ ...A(), scopes: ['customers:read'] }, refs)).toEqual([null, null, null, null]);
  });
});
