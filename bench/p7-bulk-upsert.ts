import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { realisticCustomerRow } from '../test/support/sync-rows';
import { arg, bearer, benchDatabase, post, round, runBench, scrape, startServices, summary } from './support';

/**
 * P7 bulk sync through the gateway: a partner sends 100,000 customers of about 1 KB each
 * (contacts, captured context) with `upsertCustomers` in batches of 1,000, the API's
 * maximum, one batch at a time as a CRM sync does. First pass creates every row; the
 * replay pass sends the same rows again (a nightly full sync: every row UNCHANGED).
 * Reports rows/s per pass, latency per batch, and the peak RSS of the gateway and accounts
 * (sampled from their /metrics after every batch).
 */
const TOTAL = Number(arg('rows') ?? 100_000);
const BATCH = 1000;
const PASSES = (arg('passes') ?? 'create,replay').split(',');

const UPSERT = `mutation($system: String!, $input: [UpsertCustomerInput!]!) {
  upsertCustomers(system: $system, input: $input) { created updated unchanged matched conflicts invalid }
}`;

runBench('P7 bulk upsert', async () => {
  const db = await benchDatabase();
  const svc = await startServices(db, ['accounts', 'gateway']);
  const acme = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
  const headers = { 'content-type': 'application/json', ...bearer(acme.apiKey) };
  const rssMiB = { gateway: 0, accounts: 0 };
  const sampleRss = async () => {
    for (const name of ['gateway', 'accounts'] as const)
      rssMiB[name] = Math.max(rssMiB[name], round((await scrape(svc[name]!.url, 'process_resident_memory_bytes')) / 2 ** 20, 1));
  };

  const pass = async (label: string) => {
    const latencies: number[] = [];
    const outcomes: Record<string, number> = {};
    let bodyBytes = 0;
    let seconds = 0;
    for (let b = 0; b < TOTAL / BATCH; b++) {
      const input = Array.from({ length: BATCH }, (_, i) => realisticCustomerRow('P7', b * BATCH + i));
      const body = JSON.stringify({ query: UPSERT, variables: { system: 'p7-crm', input } });
      bodyBytes = Math.max(bodyBytes, Buffer.byteLength(body));
      const t = performance.now();
      const res = await post(svc.gateway!.url, body, headers);
      const ms = performance.now() - t;
      const parsed = JSON.parse(res.body) as { data?: { upsertCustomers: Record<string, number> }; errors?: unknown[] };
      if (res.status !== 200 || parsed.errors) throw new Error(`batch ${b} failed (${res.status}): ${res.body.slice(0, 500)}`);
      for (const [k, v] of Object.entries(parsed.data!.upsertCustomers)) outcomes[k] = (outcomes[k] ?? 0) + v;
      latencies.push(ms);
      seconds += ms / 1000;
      await sampleRss();
    }
    return {
      pass: label,
      rows: TOTAL,
      batches: TOTAL / BATCH,
      largestBodyKiB: round(bodyBytes / 1024, 1),
      seconds: round(seconds, 1),
      rowsPerSecond: Math.round(TOTAL / seconds),
      batchMs: summary(latencies),
      outcomes,
    };
  };

  const passes = [];
  for (const label of PASSES) passes.push(await pass(label));
  return { batchSize: BATCH, passes, peakRssMiB: rssMiB };
});
