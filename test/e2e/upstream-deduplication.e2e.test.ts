import type { HubGateway } from '../../gateway/gateway';
import { loadConfig } from '../../shared/config';
import { totalQueryCount } from '../../shared/db/query-counter';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { startGateway } from '../support/gateway';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const ACME = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
const GLOBEX = DEMO_PARTNERS.find((p) => p.apiKey.includes('globex'))!;
const READ = 'query Page { customers(first: 20) { nodes { id name segment region } } }';
const CONCURRENT = 12;

/**
 * Identical upstream queries in flight at once are sent once and shared
 * (HUB_UPSTREAM_DEDUPLICATION, on by default), but only between requests of one caller:
 * the signed identity is part of what must match, so partners reading the same document at
 * the same moment each get their own answer. Off, every request reaches the subgraph.
 */
describe('upstream deduplication', () => {
  let hub: TestHub;
  let undeduplicated: HubGateway;
  let undeduplicatedUrl: string;

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'gateway'] });
    expect(loadConfig({ NODE_ENV: 'test' }).security.upstreamDeduplication).toBe(true);
    ({ gateway: undeduplicated, url: undeduplicatedUrl } = await startGateway({
      subgraphUrls: { accounts: hub.subgraphUrls.accounts! },
      env: { HUB_UPSTREAM_DEDUPLICATION: 'false' },
      authCacheMs: 60_000,
    }));
  });

  afterAll(async () => {
    await undeduplicated?.stop();
    await hub?.stop();
  });

  type Page = { customers: { nodes: { id: string }[] } };
  const burst = async (url: string, apiKeys: string[]) => {
    const before = totalQueryCount();
    const answers = await Promise.all(apiKeys.map((key) => gql<Page>(url, READ, {}, key)));
    return { answers, statements: totalQueryCount() - before };
  };

  it('one partner’s identical reads in flight together cost fewer upstream queries than reads', async () => {
    const single = await burst(hub.gatewayUrl, [ACME.apiKey]); // also warms authentication and plans
    const perRead = (await burst(hub.gatewayUrl, [ACME.apiKey])).statements;
    expect(perRead).toBeGreaterThan(0);
    const { answers, statements } = await burst(hub.gatewayUrl, Array(CONCURRENT).fill(ACME.apiKey));
    for (const a of answers) expect(a.data).toEqual(single.answers[0]!.data);
    expect(statements).toBeLessThan(CONCURRENT * perRead);
  });

  it('two partners reading the same document at once each get only their own customers', async () => {
    const alone = async (key: string) => (await gql<Page>(hub.gatewayUrl, READ, {}, key)).data!;
    const acmeAlone = await alone(ACME.apiKey);
    const globexAlone = await alone(GLOBEX.apiKey);
    // Disjoint books: a shared answer would show the other partner's customers.
    const acmeIds = new Set(acmeAlone.customers.nodes.map((c) => c.id));
    expect(acmeIds.size).toBeGreaterThan(0);
    expect(globexAlone.customers.nodes.length).toBeGreaterThan(0);
    expect(globexAlone.customers.nodes.some((c) => acmeIds.has(c.id))).toBe(false);
    const keys = Array.from({ length: CONCURRENT }, (_, i) => (i % 2 ? GLOBEX.apiKey : ACME.apiKey));
    const { answers } = await burst(hub.gatewayUrl, keys);
    answers.forEach((a, i) => expect(a.data).toEqual(i % 2 ? globexAlone : acmeAlone));
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
  });

  it('turned off, every read reaches the subgraph', async () => {
    await burst(undeduplicatedUrl, [ACME.apiKey]); // warm
    const perRead = (await burst(undeduplicatedUrl, [ACME.apiKey])).statements;
    const { answers, statements } = await burst(undeduplicatedUrl, Array(CONCURRENT).fill(ACME.apiKey));
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
    expect(statements).toBe(CONCURRENT * perRead);
  });
});
