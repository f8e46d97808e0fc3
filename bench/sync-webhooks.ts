import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../shared/logger';
import { Region, Segment } from '../subgraphs/accounts/src/entities/enums';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { DEFAULT_WEBHOOK_CONFIG } from '../subgraphs/accounts/src/sync/sync-settings';
import type { UpsertCustomerInput } from '../subgraphs/accounts/src/sync/upsert.inputs';
import { upsertCustomers } from '../subgraphs/accounts/src/sync/upsert.service';
import { WebhookWorker } from '../subgraphs/accounts/src/webhooks/delivery-worker';
import { createWebhookFanout } from '../subgraphs/accounts/src/consumers/webhook-fanout.consumer';
import { createWebhook } from '../subgraphs/accounts/src/webhooks/webhook.service';
import { runSyncBench, seconds } from './sync-support';

/**
 * Webhook delivery rate to a local receiver (127.0.0.1): 2,000 events to one endpoint
 * (strictly ordered, so one in flight) and the same to each of 8 endpoints (concurrency 8).
 * `npm run build && node dist/bench/sync-webhooks.js`.
 */
const EVENTS = 2000;
const acme = { partnerId: DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!.id, role: 'PARTNER' as const, scopes: ['customers:write'] };
const config = { ...DEFAULT_WEBHOOK_CONFIG, allowLoopback: true, pollMs: 50, concurrency: 8 };

void runSyncBench('sync-webhooks', async (db) => {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  const log = createLogger('bench', 'silent');
  const fanout = await createWebhookFanout(db, log);
  const results = [];
  let n = 0;
  for (const endpoints of [1, 8]) {
    const hooks = [];
    for (let i = 0; i < endpoints; i++) hooks.push((await createWebhook(db, acme, config, { url, events: ['CustomerCreated'] })).webhook.id);
    for (let b = 0; b < EVENTS / 1000; b++) {
      const rows = Array.from(
        { length: 1000 },
        () => ({ externalId: `W-${n}`, name: `Hook ${n++}`, segment: Segment.SMB, region: Region.NA }) as UpsertCustomerInput,
      );
      await upsertCustomers(db, acme, 'hook-crm', rows);
    }
    await fanout.drain();
    received = 0;
    const expected = EVENTS * endpoints;
    const worker = new WebhookWorker({ dataSource: db, log, config });
    const started = performance.now();
    worker.start();
    while (received < expected) await new Promise((r) => setTimeout(r, 20));
    const s = seconds(started);
    await worker.stop();
    await db.query(`UPDATE accounts.webhooks SET status = 'PAUSED' WHERE id = ANY($1::uuid[])`, [hooks]);
    results.push({ endpoints, deliveries: expected, seconds: Number(s.toFixed(2)), deliveriesPerSecond: Math.round(expected / s) });
  }
  await fanout.stop();
  server.closeAllConnections();
  server.close();
  return { concurrency: config.concurrency, runs: results };
});
