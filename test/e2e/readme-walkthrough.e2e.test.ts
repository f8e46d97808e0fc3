import { type Client } from 'graphql-ws';
import { gql, Subscription, wsClient, type GraphQLResponse } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { graphqlBlocks, type GraphQLBlock } from '../support/markdown-graphql';

/**
 * README's "Your first handoff in 10 minutes", run as written: each step's document as the
 * partner its `# as <key>` line names, in order, the subscription held open across the
 * later steps, variables taken from the prose ("Put `{…}` in the Variables pane", with
 * `<id from step N>` replaced by the id step N returned). A newcomer who follows the
 * README must get exactly these answers.
 */
const steps = graphqlBlocks('README.md').filter((b) => b.apiKey && b.step !== undefined);
const stepOf = (n: number): GraphQLBlock => {
  const found = steps.find((s) => s.step === n);
  if (!found) throw new Error(`README walkthrough has no step ${n}`);
  return found;
};

/** The first `id` under the operation's first root field. */
const rootId = (res: GraphQLResponse): string => {
  const root = Object.values(res.data ?? {})[0] as { id?: string } | undefined;
  if (!root?.id) throw new Error(`no id in ${JSON.stringify(res.data)}`);
  return root.id;
};

describe('README walkthrough: the first handoff', () => {
  let hub: TestHub;
  const clients: Client[] = [];
  const results = new Map<number, GraphQLResponse>();

  beforeAll(async () => {
    hub = await startTestHub();
  }, 60_000);
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await hub?.stop();
  });

  const variablesFor = (block: GraphQLBlock): Record<string, unknown> => {
    const given = /`(\{[^`]*\})` in the Variables pane/.exec(block.before)?.[1];
    if (!given) return {};
    return JSON.parse(given.replace(/<id from step (\d+)>/g, (_m, n: string) => rootId(results.get(Number(n)) ?? { status: 0 }))) as Record<string, unknown>;
  };
  const run = async (block: GraphQLBlock) => {
    const res = await gql(hub.gatewayUrl, block.source, variablesFor(block), block.apiKey);
    expect({ step: block.step, errors: res.errors }).toEqual({ step: block.step, errors: undefined });
    results.set(block.step!, res);
    return res;
  };

  it('has the six steps, each naming who runs it', () => {
    expect(steps.map((s) => [s.step, s.apiKey])).toEqual([
      [1, 'hub_demo_internal_revops'],
      [2, 'hub_demo_internal_revops'],
      [3, 'hub_demo_globex_channel'],
      [4, 'hub_demo_internal_revops'],
      [5, 'hub_demo_globex_channel'],
      [6, 'hub_demo_internal_revops'],
    ]);
  });

  it('runs as written: the customer moves to Globex, live, and the scorecard counts it', async () => {
    const found = (await run(stepOf(1))).data!.customer;
    expect(found).toMatchObject({ name: 'Proseware Health', owner: null });

    const playbooks = (await run(stepOf(2))).data!.playbooks as { requiredFields: { name: string; required: boolean }[] }[];
    const required = playbooks[0]!.requiredFields.filter((f) => f.required).map((f) => f.name);
    expect(required).toEqual(expect.arrayContaining(['dealSize', 'products', 'closeDate']));

    // Step 6 before the handoff, as the README suggests, to see its figures move.
    const before = (await run(stepOf(6))).data!.scorecard as { proposed: number; accepted: number }[];
    expect(before).toHaveLength(1);

    const inbox = stepOf(3);
    const ws = wsClient(hub.gatewayUrl, { authorization: `Bearer ${inbox.apiKey}` });
    clients.push(ws);
    const updates = new Subscription(ws, inbox.source);
    await Subscription.settle(500);

    // What the README says happens without closeDate: BAD_USER_INPUT naming it, nothing written.
    const propose = stepOf(4);
    const withoutCloseDate = await gql(hub.gatewayUrl, propose.source.replace(/, closeDate: "[^"]*"/, ''), {}, propose.apiKey);
    expect(withoutCloseDate.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(withoutCloseDate.errors?.[0]?.extensions?.fields)).toContain('closeDate');

    const proposed = (await run(propose)).data!.proposeHandoff;
    expect(proposed).toMatchObject({ state: 'PROPOSED', requiredDataComplete: true });
    expect((await updates.waitFor(1, 15_000)).data!.handoffUpdated).toMatchObject({ id: proposed.id, state: 'PROPOSED', customerName: 'Proseware Health' });

    const accepted = (await run(stepOf(5))).data!.acceptHandoff;
    expect(accepted).toMatchObject({ state: 'ACCEPTED', customer: { name: 'Proseware Health', owner: { name: 'Globex Channel' } } });
    expect(accepted.tasks.length).toBeGreaterThan(0);
    expect((await updates.waitFor(2, 15_000)).data!.handoffUpdated).toMatchObject({ id: proposed.id, state: 'ACCEPTED' });

    // The scorecards projection applies the events a moment later: poll the step as written.
    let after: GraphQLResponse | undefined;
    for (let tries = 0; tries < 100; tries++) {
      after = await run(stepOf(6));
      const rows = after.data!.scorecard as { accepted: number }[];
      if (rows[0]!.accepted > before[0]!.accepted) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(after!.data!.customer).toMatchObject({
      owner: { name: 'Globex Channel' },
      ownershipHistory: expect.arrayContaining([expect.objectContaining({ from: null, to: { name: 'Globex Channel' }, reason: expect.any(String) })]),
    });
    expect(after!.data!.scorecard).toEqual([expect.objectContaining({ proposed: before[0]!.proposed + 1, accepted: before[0]!.accepted + 1 })]);
  });
});
