import 'reflect-metadata';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDENTITY_HEADER, signIdentity, type Identity } from '../shared/auth/identity';
import { loadConfig } from '../shared/config';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { createLogger } from '../shared/logger';
import { startHub } from '../scripts/hub';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';

/**
 * Handoff propose+accept throughput, direct to the handoffs subgraph and through the
 * gateway, on an embedded Postgres. Prints JSON. Run on demand:
 *   npx tsc -p tsconfig.build.json && node dist/bench/handoffs-throughput.js [pairs] [concurrency]
 */
const PAIRS = Number(process.argv[2] ?? 200);
const CONCURRENCY = Number(process.argv[3] ?? 8);
const sender = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
const receiver = DEMO_PARTNERS.find((p) => p.apiKey.includes('northwind'))!;
const SECRET = 'dev-only-identity-secret-change-me-in-production';

type Call = (query: string, variables: Record<string, unknown>, who: 'sender' | 'receiver') => Promise<Record<string, any>>;

const post = async (url: string, headers: Record<string, string>, query: string, variables: Record<string, unknown>) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: Record<string, any>; errors?: { message: string }[] };
  if (body.errors?.length) throw new Error(body.errors.map((e) => e.message).join('; '));
  return body.data!;
};

const viaGateway =
  (url: string): Call =>
  (q, v, who) =>
    post(url, { authorization: `Bearer ${(who === 'sender' ? sender : receiver).apiKey}` }, q, v);
const direct =
  (url: string): Call =>
  (q, v, who) => {
    const identity: Identity = { partnerId: (who === 'sender' ? sender : receiver).id, role: 'PARTNER', scopes: ['handoffs:read', 'handoffs:write'] };
    return post(url, { [IDENTITY_HEADER]: signIdentity(identity, SECRET) }, q, v);
  };

const PROPOSE = `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id } }`;
const ACCEPT = `mutation($id: ID!) { acceptHandoff(id: $id) { state } }`;

async function run(call: Call, customers: string[]) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < customers.length) {
        const customerId = customers[next++];
        const t0 = performance.now();
        const { proposeHandoff } = await call(
          PROPOSE,
          {
            input: {
              customerId,
              toPartnerId: receiver.id,
              moment: 'CUSTOM',
              customMoment: 'Benchmark',
              contextPackage: { summary: 'Benchmark handoff' },
              customerMessage: 'Benchmark',
            },
          },
          'sender',
        );
        await call(ACCEPT, { id: proposeHandoff.id }, 'receiver');
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN) * 10) / 10;
  return {
    pairs: customers.length,
    concurrency: CONCURRENCY,
    seconds: Math.round(seconds * 100) / 100,
    pairsPerSecond: Math.round((customers.length / seconds) * 10) / 10,
    p50Ms: pct(0.5),
    p95Ms: pct(0.95),
    p99Ms: pct(0.99),
  };
}

async function main() {
  const pg = await startEmbeddedPostgres({ dataDir: join(mkdtempSync(join(tmpdir(), 'hub-bench-')), 'data'), port: 5499, persistent: false });
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: pg.url,
    HUB_SERVICES: 'accounts,handoffs,gateway',
    GATEWAY_PORT: '0',
    ACCOUNTS_PORT: '0',
    HANDOFFS_PORT: '0',
    HUB_LOG_LEVEL: 'silent',
  });
  const hub = await startHub(config, pg.url, createLogger('bench', 'silent'));
  try {
    const gateway = viaGateway(hub.gatewayUrl!);
    const makeCustomers = async (n: number, tag: string) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const { createCustomer } = await gateway(
          `mutation($i: CreateCustomerInput!) { createCustomer(input: $i) { id } }`,
          { i: { name: `Bench ${tag} ${i}`, segment: 'SMB', region: 'NA' } },
          'sender',
        );
        ids.push(createCustomer.id);
      }
      return ids;
    };
    const directCustomers = await makeCustomers(PAIRS, 'direct');
    const gatewayCustomers = await makeCustomers(PAIRS, 'gateway');
    const results = {
      benchmark: 'handoff propose+accept',
      direct: await run(direct(hub.subgraphUrls.handoffs!), directCustomers),
      gateway: await run(gateway, gatewayCustomers),
    };
    console.log(JSON.stringify(results, null, 2));
  } finally {
    await hub.stop();
    await pg.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
