import { loadConfig } from '../shared/config';
import { totalQueryCount } from '../shared/db/query-counter';
import { createLogger } from '../shared/logger';
import { startHub } from '../scripts/hub';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { mainReadQuery, MAIN_READ_PAGE } from './main-read';
import { bearer, benchDatabase, graphql, onCleanup, registeredSubgraphs, runBench, sleep } from './support';

/**
 * P4 SQL statements per request for the main read (P2's query), for a partner and for an
 * internal team (which sees every customer). The whole hub runs in this process so the
 * process-wide statement counter sees every subgraph; background work (relays, consumers)
 * is not counted. The minimum of several runs on the idle hub is reported.
 */
const RUNS = 5;

runBench('P4 SQL per request', async () => {
  const registered = registeredSubgraphs();
  const { query, missing } = mainReadQuery(registered);
  const url = await benchDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    HUB_SERVICES: 'all',
    GATEWAY_PORT: '0',
    ACCOUNTS_PORT: '0',
    HANDOFFS_PORT: '0',
    SLAS_PORT: '0',
    SCORECARDS_PORT: '0',
    HUB_AUTH_CACHE_MS: '60000',
    HUB_LOG_LEVEL: 'silent',
  });
  const hub = await startHub(config, url, createLogger('bench', 'silent'));
  onCleanup(() => hub.stop());

  const measure = async (apiKey: string) => {
    const counts: number[] = [];
    let customers = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      await sleep(200);
      const before = totalQueryCount();
      const data = await graphql<{ customers: { nodes: unknown[] } }>(hub.gatewayUrl!, query, { first: MAIN_READ_PAGE }, bearer(apiKey));
      const n = totalQueryCount() - before;
      customers = data.customers.nodes.length;
      if (i > 0) counts.push(n); // the first run also authenticates and warms caches
    }
    return { customersOnPage: customers, statements: Math.min(...counts), statementsMax: Math.max(...counts) };
  };
  const partner = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
  const internal = DEMO_PARTNERS.find((p) => p.apiKey.includes('revops'))!;
  return {
    subgraphs: registered,
    missing,
    pageSize: MAIN_READ_PAGE,
    partner: await measure(partner.apiKey),
    internal: await measure(internal.apiKey),
    note: 'statements = SQL sent to Postgres for one request, all subgraphs together (transactions control excluded); constant in page size when batching holds',
  };
});
