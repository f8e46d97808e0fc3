import { Region, Segment } from '../subgraphs/accounts/src/entities/enums';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import type { UpsertCustomerInput } from '../subgraphs/accounts/src/sync/upsert.inputs';
import { upsertCustomers } from '../subgraphs/accounts/src/sync/upsert.service';
import { runSyncBench, seconds } from './sync-support';

/**
 * Bulk sync throughput: 100,000 rows in batches of 1,000 (the API's maximum), sent by one
 * partner: first pass creates, second pass is the same data (UNCHANGED), third changes a
 * field on every row (UPDATED). `npm run build && node dist/bench/sync-upsert.js`.
 */
const TOTAL = 100_000;
const BATCH = 1000;
const acme = { partnerId: DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!.id, role: 'PARTNER' as const, scopes: ['customers:write'] };

const batch = (b: number, suffix = '') =>
  Array.from({ length: BATCH }, (_, i) => {
    const n = b * BATCH + i;
    return {
      externalId: `B-${n}`,
      name: `Bench Company ${n}${suffix}`,
      domain: `bench-${n}.example.com`,
      segment: Segment.SMB,
      region: Region.NA,
      contacts: [{ name: `Buyer ${n}`, email: `buyer@bench-${n}.example.com` }],
    } as UpsertCustomerInput;
  });

void runSyncBench('sync-upsert', async (db) => {
  const pass = async (label: string, suffix: string) => {
    const started = performance.now();
    const outcomes: Record<string, number> = {};
    for (let b = 0; b < TOTAL / BATCH; b++) {
      const r = await upsertCustomers(db, acme, 'bench-crm', batch(b, suffix));
      for (const row of r.rows) outcomes[row.outcome] = (outcomes[row.outcome] ?? 0) + 1;
    }
    const s = seconds(started);
    return { pass: label, rows: TOTAL, batchSize: BATCH, seconds: Number(s.toFixed(2)), rowsPerSecond: Math.round(TOTAL / s), outcomes };
  };
  return { passes: [await pass('create', ''), await pass('replay', ''), await pass('update', ' v2')] };
});
