import type { DataSource } from 'typeorm';
import type { SubgraphName } from '../../shared/config';
import { BACKGROUND } from '../../shared/db/query-counter';
import { BEFORE_PROBE, COUNT_CAP, COUNT_PROBE } from '../../shared/graphql/pagination';
import { DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const INTERNAL = partner('revops');
const ACME = partner('acme');
const GLOBEX = partner('globex');
const BRIGHTWAVE = partner('brightwave');

/** One paginated field: its query (with `$first`, `$after` and the selection spliced in) and where the connection sits in the answer. */
interface ConnectionCase {
  name: string;
  subgraph: SubgraphName;
  apiKey: string;
  query: (selection: string) => string;
  pick: (data: any) => any;
  /** A caller who sees more rows of the same field: the count must follow visibility, not the table. */
  widerApiKey?: string;
}

/**
 * Every connection of the public API: pageInfo tells the truth (hasPreviousPage, startCursor),
 * totalCount is what paging through yields, and neither costs a statement unless selected.
 */
describe('connections: pageInfo and totalCount', () => {
  let hub: TestHub;
  let acmeWebhookId: string;
  const cases: ConnectionCase[] = [];

  const ok = async (query: string, variables: Record<string, unknown>, apiKey: string) => {
    const res = await gql(hub.gatewayUrl, query, variables, apiKey);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  /** The statements the subgraph's code issues while `fn` runs (no background work, no transaction control). */
  async function statements<T>(subgraph: SubgraphName, fn: () => Promise<T>): Promise<{ result: T; sql: string[] }> {
    const logger = (hub.dataSources[subgraph] as DataSource).logger;
    const logQuery = logger.logQuery.bind(logger);
    const sql: string[] = [];
    logger.logQuery = (query, ...rest) => {
      if (!query.startsWith(BACKGROUND) && !/^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN|SAVEPOINT|RELEASE)/i.test(query)) sql.push(query);
      return logQuery(query, ...rest);
    };
    try {
      return { result: await fn(), sql };
    } finally {
      logger.logQuery = logQuery;
    }
  }
  const probes = (sql: string[]) => ({
    count: sql.filter((s) => s.startsWith(COUNT_PROBE)).length,
    before: sql.filter((s) => s.startsWith(BEFORE_PROBE)).length,
  });

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'slas', 'gateway'], env: { HUB_WEBHOOK_ALLOW_LOOPBACK: 'true' } });

    // Two more handoffs into Acme's inbox (the demo leaves one there), proposed by an internal team.
    const firstCustomerOf = (p: { id: string }) => DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === p.id)!;
    for (const owner of [GLOBEX, BRIGHTWAVE]) {
      await ok(
        `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id } }`,
        {
          input: {
            customerId: firstCustomerOf(owner).id,
            toPartnerId: ACME.id,
            moment: 'MQL_TO_SQL',
            contextPackage: { summary: 'Qualified at the webinar' },
            customerMessage: 'Acme Reseller will contact you.',
            data: { leadScore: 80, source: 'Webinar', useCase: 'One checkout', budgetConfirmed: true },
          },
        },
        INTERNAL.apiKey,
      );
    }
    for (const label of ['ci', 'backup'])
      await ok(`mutation($label: String!) { createApiKey(input: { label: $label }) { apiKey { id } } }`, { label }, ACME.apiKey);
    for (const n of [1, 2, 3]) {
      const created = await ok(
        `mutation($url: String!) { createWebhook(url: $url, events: ["PartnerCreated"]) { webhook { id } } }`,
        { url: `http://127.0.0.1:9/hook-${n}` },
        ACME.apiKey,
      );
      acmeWebhookId ??= created.createWebhook.webhook.id;
    }
    await ok(
      `mutation($url: String!) { createWebhook(url: $url, events: ["PartnerCreated"]) { webhook { id } } }`,
      { url: 'http://127.0.0.1:9/globex' },
      GLOBEX.apiKey,
    );
    // Settled deliveries (the worker leaves them alone) and claims, written as the services would.
    await hub.db.asAdmin(
      `INSERT INTO accounts.webhook_deliveries (webhook_id, event_id, event_tx, event_seq, event_type, status, attempts)
       SELECT $1, gen_random_uuid(), '1'::xid8, g, 'PartnerCreated', CASE WHEN g % 2 = 0 THEN 'SUCCEEDED' ELSE 'FAILED' END, 1 FROM generate_series(1, 5) g`,
      [acmeWebhookId],
    );
    await hub.db.asAdmin(
      `INSERT INTO accounts.customer_ownership_claims (customer_id, claimant_partner_id, owner_partner_id, system, external_id)
       SELECT c, $1, $2, 'crm', 'x-' || c FROM unnest($3::uuid[]) c`,
      [
        GLOBEX.id,
        ACME.id,
        DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === ACME.id)
          .map((c) => c.id)
          .slice(0, 3),
      ],
    );
    // The slas subgraph opens clocks from the handoff events; wait until it has caught up.
    const deadline = Date.now() + 20_000;
    while ((await ok(`{ slaClocks(first: 100) { nodes { id } } }`, {}, ACME.apiKey)).slaClocks.nodes.length < 3 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));

    const vars = '($first: Int, $after: String)';
    const page = '(first: $first, after: $after)';
    cases.push(
      {
        name: 'customers',
        subgraph: 'accounts',
        apiKey: ACME.apiKey,
        widerApiKey: INTERNAL.apiKey,
        query: (s) => `query${vars} { customers${page} { ${s} } }`,
        pick: (d) => d.customers,
      },
      { name: 'partners', subgraph: 'accounts', apiKey: ACME.apiKey, query: (s) => `query${vars} { partners${page} { ${s} } }`, pick: (d) => d.partners },
      { name: 'apiKeys', subgraph: 'accounts', apiKey: ACME.apiKey, query: (s) => `query${vars} { apiKeys${page} { ${s} } }`, pick: (d) => d.apiKeys },
      {
        name: 'ownershipClaims',
        subgraph: 'accounts',
        apiKey: INTERNAL.apiKey,
        query: (s) => `query${vars} { ownershipClaims${page} { ${s} } }`,
        pick: (d) => d.ownershipClaims,
      },
      {
        name: 'webhooks',
        subgraph: 'accounts',
        apiKey: ACME.apiKey,
        widerApiKey: INTERNAL.apiKey,
        query: (s) => `query${vars} { webhooks${page} { ${s} } }`,
        pick: (d) => d.webhooks,
      },
      {
        name: 'Webhook.deliveries',
        subgraph: 'accounts',
        apiKey: ACME.apiKey,
        query: (s) => `query${vars} { webhook(id: "${acmeWebhookId}") { deliveries${page} { ${s} } } }`,
        pick: (d) => d.webhook.deliveries,
      },
      {
        name: 'handoffs',
        subgraph: 'handoffs',
        apiKey: ACME.apiKey,
        widerApiKey: INTERNAL.apiKey,
        query: (s) => `query${vars} { handoffs${page} { ${s} } }`,
        pick: (d) => d.handoffs,
      },
      {
        name: 'Partner.inbox',
        subgraph: 'handoffs',
        apiKey: ACME.apiKey,
        query: (s) => `query${vars} { partner(id: "${ACME.id}") { inbox${page} { ${s} } } }`,
        pick: (d) => d.partner.inbox,
      },
      {
        name: 'slaClocks',
        subgraph: 'slas',
        apiKey: ACME.apiKey,
        widerApiKey: INTERNAL.apiKey,
        query: (s) => `query${vars} { slaClocks${page} { ${s} } }`,
        pick: (d) => d.slaClocks,
      },
    );
  }, 120_000);
  afterAll(async () => {
    await hub?.stop();
  });

  const each = (title: string, fn: (c: ConnectionCase) => Promise<void>) =>
    it(title, async () => {
      expect(cases.map((c) => c.name)).toHaveLength(9);
      for (const c of cases) await fn(c).catch((err: Error) => Promise.reject(new Error(`${c.name}: ${err.message}`)));
    });

  each('a page without totalCount or hasPreviousPage selected issues no count and no before-lookup', async (c) => {
    const first = await statements(c.subgraph, () =>
      ok(c.query('nodes { __typename } pageInfo { hasNextPage startCursor endCursor }'), { first: 1 }, c.apiKey),
    );
    const second = await statements(c.subgraph, () =>
      ok(c.query('nodes { __typename } pageInfo { hasNextPage }'), { first: 1, after: c.pick(first.result).pageInfo.endCursor }, c.apiKey),
    );
    expect([probes(first.sql), probes(second.sql)]).toEqual([
      { count: 0, before: 0 },
      { count: 0, before: 0 },
    ]);
    expect([...first.sql, ...second.sql].filter((s) => /count\(/i.test(s))).toEqual([]);
  });

  each('totalCount costs one statement when selected (with totalCountCapped too) and equals the rows paging through yields', async (c) => {
    const counted = await statements(c.subgraph, () =>
      ok(c.query('totalCount totalCountCapped edges { cursor } pageInfo { hasNextPage endCursor }'), { first: 2 }, c.apiKey),
    );
    expect(probes(counted.sql)).toEqual({ count: 1, before: 0 });
    const { totalCount, totalCountCapped } = c.pick(counted.result);
    expect(totalCountCapped).toBe(false);
    expect(totalCount).toBeGreaterThanOrEqual(3);

    let seen = c.pick(counted.result).edges.length;
    let pageInfo = c.pick(counted.result).pageInfo;
    while (pageInfo.hasNextPage) {
      const next = c.pick(
        await ok(c.query('totalCount edges { cursor } pageInfo { hasNextPage endCursor }'), { first: 2, after: pageInfo.endCursor }, c.apiKey),
      );
      // `after` does not change what is counted.
      expect(next.totalCount).toBe(totalCount);
      seen += next.edges.length;
      pageInfo = next.pageInfo;
    }
    expect(seen).toBe(totalCount);

    if (c.widerApiKey) {
      const wider = c.pick(await ok(c.query('totalCount'), { first: 1 }, c.widerApiKey)).totalCount;
      expect(wider).toBeGreaterThan(totalCount);
    }
  });

  each('hasPreviousPage: false on the first page at no cost, true after a cursor at one lookup; startCursor is the first edge’s', async (c) => {
    const sel = 'edges { cursor } pageInfo { hasPreviousPage hasNextPage startCursor endCursor }';
    const first = await statements(c.subgraph, () => ok(c.query(sel), { first: 2 }, c.apiKey));
    const one = c.pick(first.result);
    expect(probes(first.sql)).toEqual({ count: 0, before: 0 });
    expect(one.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true, startCursor: one.edges[0].cursor, endCursor: one.edges[1].cursor });

    const second = await statements(c.subgraph, () => ok(c.query(sel), { first: 2, after: one.pageInfo.endCursor }, c.apiKey));
    const two = c.pick(second.result);
    expect(probes(second.sql)).toEqual({ count: 0, before: 1 });
    expect(two.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: two.edges[0].cursor });
  });

  it('hasPreviousPage follows visibility: a cursor before every row the caller may see has nothing before it', async () => {
    // Globex's first customer comes after other partners' customers in the global order: a
    // cursor taken from the internal view just before it has, for Globex, nothing before it.
    const all = (await ok(`{ customers(first: 100) { edges { cursor node { id } } } }`, {}, INTERNAL.apiKey)).customers.edges;
    const mine = new Set((await ok(`{ customers(first: 100) { nodes { id } } }`, {}, GLOBEX.apiKey)).customers.nodes.map((n: { id: string }) => n.id));
    const firstMine = all.findIndex((e: { node: { id: string } }) => mine.has(e.node.id));
    expect(firstMine).toBeGreaterThan(0);
    const res = await ok(
      `query($after: String) { customers(first: 1, after: $after) { nodes { id } pageInfo { hasPreviousPage } } }`,
      { after: all[firstMine - 1].cursor },
      GLOBEX.apiKey,
    );
    expect(res.customers).toEqual({ nodes: [{ id: all[firstMine].node.id }], pageInfo: { hasPreviousPage: false } });
    // The same cursor, for the internal team, has every row before it.
    const internal = await ok(
      `query($after: String) { customers(first: 1, after: $after) { pageInfo { hasPreviousPage } } }`,
      { after: all[firstMine - 1].cursor },
      INTERNAL.apiKey,
    );
    expect(internal.customers.pageInfo.hasPreviousPage).toBe(true);
  });

  it('the change feed: hasPreviousPage and startCursor, the lookup only when selected after a cursor', async () => {
    const sel = 'edges { cursor } pageInfo { hasPreviousPage startCursor endCursor }';
    const first = await ok(`{ changes(first: 2) { ${sel} } }`, {}, ACME.apiKey);
    expect(first.changes.pageInfo).toMatchObject({ hasPreviousPage: false, startCursor: first.changes.edges[0].cursor });
    const plain = await statements('accounts', () =>
      ok(`query($after: String) { changes(first: 2, after: $after) { edges { cursor } } }`, { after: first.changes.pageInfo.endCursor }, ACME.apiKey),
    );
    expect(probes(plain.sql).before).toBe(0);
    const asked = await statements('accounts', () =>
      ok(`query($after: String) { changes(first: 2, after: $after) { ${sel} } }`, { after: first.changes.pageInfo.endCursor }, ACME.apiKey),
    );
    expect(probes(asked.sql).before).toBe(1);
    expect(asked.result.changes.pageInfo).toMatchObject({ hasPreviousPage: true, startCursor: asked.result.changes.edges[0].cursor });
  });

  it(`caps totalCount at ${COUNT_CAP} and says so`, async () => {
    const before = (await ok(`{ partners(first: 1) { totalCount totalCountCapped } }`, {}, ACME.apiKey)).partners;
    expect(before.totalCountCapped).toBe(false);
    const addPartners = (n: number) =>
      hub.db.asAdmin(
        `INSERT INTO accounts.partners (name, kind, tier, region) SELECT 'Bulk agency ' || g, 'AGENCY', 'REGISTERED', 'EMEA' FROM generate_series(1, $1::int) g`,
        [n],
      );
    const count = async () => (await ok(`{ partners(first: 1) { totalCount totalCountCapped } }`, {}, ACME.apiKey)).partners;
    await addPartners(COUNT_CAP - before.totalCount);
    expect(await count()).toEqual({ totalCount: COUNT_CAP, totalCountCapped: false });
    await addPartners(1);
    expect(await count()).toEqual({ totalCount: COUNT_CAP, totalCountCapped: true });
  });
});
