import { loadConfig } from '../../shared/config';
import { EVENT_TYPES } from '../../subgraphs/accounts/src/feed/change-type';
import { FEED_PAGE_COST } from '../../subgraphs/accounts/src/feed/change-feed.service';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const key = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.apiKey;
const INTERNAL = key('revops');
const ACME = key('acme');

const FEED = `query($after: String, $first: Int) {
  changes(after: $after, first: $first) {
    truncated
    pageInfo { endCursor hasNextPage }
    edges { cursor node { id type occurredAt aggregateType aggregateId source payload } }
  }
}`;
const UPSERT = `mutation($system: String!, $input: [UpsertCustomerInput!]!) { upsertCustomers(system: $system, input: $input) { created } }`;

interface Page {
  edges: number;
  types: string[];
  endCursor: string;
  hasNextPage: boolean;
  cost: { requestedQueryCost: number; actualQueryCost: number; throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } };
}

/**
 * The change feed through the whole hub (every subgraph, demo history), with the default
 * per-partner cost budget: what a partner's catch-up loop meets.
 */
describe('the change feed through the gateway', () => {
  let hub: TestHub;
  const defaults = loadConfig({}).security;

  beforeAll(async () => {
    hub = await startTestHub();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function page(apiKey: string, after: string | null, first: number): Promise<Page> {
    const res = await gql(hub.gatewayUrl, FEED, { after, first }, apiKey);
    expect(res.errors).toBeUndefined();
    const c = res.data!.changes;
    return {
      edges: c.edges.length,
      types: c.edges.map((e: any) => e.node.type),
      endCursor: c.pageInfo.endCursor,
      hasNextPage: c.pageInfo.hasNextPage,
      cost: res.extensions!.cost as Page['cost'],
    };
  }

  /** Reads from `after` to the end of the feed, `first` at a time. */
  async function catchUp(apiKey: string, after: string | null, first = 250): Promise<Page[]> {
    const pages: Page[] = [];
    for (let cursor = after; ;) {
      const p = await page(apiKey, cursor, first);
      pages.push(p);
      cursor = p.endCursor;
      if (!p.hasNextPage) return pages;
    }
  }

  it('prices a page by what it costs the hub, so a partner catches up at 1,000 changes/s or more within the default budget', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => ({
      externalId: `FEED-${i}`,
      name: `Feed Co ${i}`,
      domain: `feed-${i}.example.net`,
      segment: 'SMB',
      region: 'NA',
    }));
    expect((await gql(hub.gatewayUrl, UPSERT, { system: 'acme-feed', input: rows }, ACME)).errors).toBeUndefined();
    const pages = await catchUp(ACME, null);
    const full = pages.filter((p) => p.edges === 250);
    expect(full.length).toBeGreaterThanOrEqual(2);
    // What a page will cost is known before it is sent: the same whatever `first` asks for.
    for (const first of [1, 100, 250]) expect((await page(ACME, null, first)).cost.requestedQueryCost).toBe(FEED_PAGE_COST);
    for (const p of pages) {
      expect(p.cost.requestedQueryCost).toBe(FEED_PAGE_COST);
      expect(p.cost.throttleStatus).toMatchObject({ maximumAvailable: defaults.costBucketSize, restoreRate: defaults.costRestoreRate });
    }
    // Sustained, once the burst capacity is spent, the bucket's refill pays for the pages:
    // changes per second = restore rate × changes per page / points charged per page.
    const restoreRate = pages[0]!.cost.throttleStatus.restoreRate;
    for (const p of full) expect((restoreRate * p.edges) / p.cost.actualQueryCost).toBeGreaterThanOrEqual(1000);
    const charged = pages.reduce((sum, p) => sum + p.cost.actualQueryCost, 0);
    const changes = pages.reduce((sum, p) => sum + p.edges, 0);
    expect((restoreRate * changes) / charged).toBeGreaterThanOrEqual(1000);
    // And with the default page size too.
    const defaultPage = await page(ACME, null, 100);
    expect((restoreRate * defaultPage.edges) / defaultPage.cost.actualQueryCost).toBeGreaterThanOrEqual(1000);
  });

  it('types every change with the ChangeType enum, for every event type the hub writes', async () => {
    const pages = await catchUp(INTERNAL, null);
    const seen = new Set(pages.flatMap((p) => p.types));
    // The demo history of every subgraph: accounts, handoffs, slas and scorecards write their own types.
    for (const type of ['CustomerCreated', 'HandoffProposed', 'SlaClockStarted', 'FeedbackSubmitted']) expect(seen).toContain(type);
    for (const type of seen) expect(EVENT_TYPES).toContain(type);
    const introspected = await gql(
      hub.gatewayUrl,
      `{ __type(name: "Change") { fields { name type { kind ofType { kind name enumValues { name } } } } } }`,
      {},
      INTERNAL,
    );
    const field = introspected.data!.__type.fields.find((f: any) => f.name === 'type');
    expect(field.type).toMatchObject({ kind: 'NON_NULL', ofType: { kind: 'ENUM', name: 'ChangeType' } });
    expect(field.type.ofType.enumValues.map((v: any) => v.name)).toEqual(EVENT_TYPES);
  });

  it('starts a new integration at the head: none of the history, then what changes', async () => {
    const head = (await gql(hub.gatewayUrl, `{ changesHead }`, {}, ACME)).data!.changesHead as string;
    const history = new Set((await catchUp(ACME, null)).flatMap((p) => p.types));
    expect(history.size).toBeGreaterThan(0);
    expect((await page(ACME, head, 250)).edges).toBe(0);
    const created = await gql(
      hub.gatewayUrl,
      UPSERT,
      { system: 'acme-head', input: [{ externalId: 'HEAD-1', name: 'Head Co', segment: 'SMB', region: 'NA' }] },
      ACME,
    );
    expect(created.data!.upsertCustomers).toEqual({ created: 1 });
    // The feed waits for transactions still open anywhere (other subgraphs' consumers write too).
    let next = await page(ACME, head, 250);
    for (let i = 0; i < 300 && next.edges === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      next = await page(ACME, head, 250);
    }
    expect(next.types).toEqual(['CustomerCreated']);
  });
});
