import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import type { WebhookConfig } from '../../../shared/config';
import { openDataSource } from '../../../shared/db/data-source';
import { withTenant } from '../../../shared/db/tenant-context';
import type { DurableConsumer } from '../../../shared/eventlog/durable-consumer';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity } from '../../../test/support/subgraph-client';
import { createAccountsDataSource } from '../src/data-source';
import { Region, Segment } from '../src/entities/enums';
import { DEMO_PARTNERS, seedAccounts } from '../src/seed';
import { DEFAULT_WEBHOOK_CONFIG } from '../src/sync/sync-settings';
import type { UpsertCustomerInput } from '../src/sync/upsert.inputs';
import { upsertCustomers } from '../src/sync/upsert.service';
import { WebhookWorker } from '../src/webhooks/delivery-worker';
import { standardWebhooksSecret, verifyDelivery } from '../src/webhooks/signature';
import { createWebhookFanout } from '../src/consumers/webhook-fanout.consumer';
import { WebhookStatus } from '../src/webhooks/webhook.enums';
import { createWebhook, deleteWebhook, redeliver, setWebhookStatus, visibleWebhook } from '../src/webhooks/webhook.service';
import { TestReceiver, until } from './webhook-receiver';
import { present } from '../../../test/support/present';

const id = (key: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(key))!.id;
const ACME = partnerIdentity(id('acme'));
const GLOBEX = partnerIdentity(id('globex'));
const INTERNAL = internalIdentity(id('revops'));
const log = createLogger('webhook-test', 'silent');

const config: WebhookConfig = {
  ...DEFAULT_WEBHOOK_CONFIG,
  allowLoopback: true,
  timeoutMs: 2000,
  leaseMs: 600,
  retryBaseMs: 40,
  retryMaxDelayMs: 200,
  pollMs: 30,
  concurrency: 4,
};

let seq = 0;
const rows = (prefix: string, n: number) =>
  Array.from({ length: n }, () => {
    const i = seq++;
    return {
      externalId: `${prefix}-${i}`,
      name: `${prefix} ${i}`,
      domain: `${prefix.toLowerCase()}-${i}.example.net`,
      segment: Segment.SMB,
      region: Region.NA,
    } as UpsertCustomerInput;
  });

describe('webhooks: durable, signed, ordered delivery', () => {
  let database: TestDatabase;
  let db: DataSource;
  let fanout: DurableConsumer;
  const workers: WebhookWorker[] = [];
  const receivers: TestReceiver[] = [];

  const worker = (overrides: Partial<WebhookConfig> = {}, workerId?: string) => {
    const w = new WebhookWorker({ dataSource: db, log, config: { ...config, ...overrides }, workerId });
    workers.push(w);
    return w;
  };
  const receiver = () => {
    const r = new TestReceiver();
    receivers.push(r);
    return r;
  };
  // The services run as their caller, as the server runs a request: row-level security
  // applies. The fan-out and the workers run as the hub, as in the server.
  const createWebhookAs = (who: Identity, cfg: WebhookConfig, input: Parameters<typeof createWebhook>[3]) =>
    withTenant(who, () => createWebhook(db, who, cfg, input));
  const visibleWebhookAs = (who: Identity, id: string) => withTenant(who, () => visibleWebhook(db, who, id));
  const setWebhookStatusAs = (who: Identity, id: string, status: WebhookStatus.ACTIVE | WebhookStatus.PAUSED) =>
    withTenant(who, () => setWebhookStatus(db, who, id, status));
  const deleteWebhookAs = (who: Identity, id: string) => withTenant(who, () => deleteWebhook(db, who, id));
  const redeliverAs = (who: Identity, id: string) => withTenant(who, () => redeliver(db, who, id));
  const upsertCustomersAs = (who: Identity, system: string, input: UpsertCustomerInput[]) => withTenant(who, () => upsertCustomers(db, who, system, input));
  const deliveries = (webhookId: string) =>
    db.query(`SELECT id, event_id, status, attempts FROM accounts.webhook_deliveries WHERE webhook_id = $1 ORDER BY event_tx, event_seq`, [
      webhookId,
    ]) as Promise<{ id: string; event_id: string; status: string; attempts: number }[]>;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createAccountsDataSource(database.url, 8));
    await seedAccounts(db);
    fanout = await createWebhookFanout(db, log);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await fanout?.stop();
    for (const r of receivers) await r.down();
    await db?.destroy();
    await database?.drop();
  });

  it('delivers every event the owner may see exactly once after dedupe, signed and in log order, to a receiver that was down and came back', async () => {
    // Find a free port, then leave it closed: the receiver is down.
    const rx = await receiver().up();
    await rx.down();
    const { webhook, secret } = await createWebhookAs(ACME, config, { url: rx.url, events: ['CustomerCreated', 'CustomerUpdated'] });
    expect(secret).toMatch(/^whsec_/);

    await upsertCustomersAs(ACME, 'acme-crm', rows('ACME', 6));
    await upsertCustomersAs(GLOBEX, 'globex-crm', rows('GLOBEX', 4));
    await upsertCustomersAs(ACME, 'acme-crm', rows('ACME', 4));
    await fanout.drain();
    const expected: { id: string }[] = await db.query(
      `SELECT id FROM eventlog.events WHERE $1::uuid = ANY(visible_to) AND type IN ('CustomerCreated','CustomerUpdated') AND (tx, seq) > ($2::xid8, $3::bigint) ORDER BY tx, seq`,
      [ACME.partnerId, webhook.startTx, webhook.startSeq],
    );
    expect(expected).toHaveLength(10);

    // Two instances work the same queue.
    const a = worker({}, 'worker-a');
    const b = worker({}, 'worker-b');
    a.start();
    b.start();
    await until(async () => ((await deliveries(webhook.id))[0]?.attempts ?? 0) >= 2, 10000, 'failed attempts while down');
    const first = present((await deliveries(webhook.id))[0], 'the head delivery');
    const attempts: { error: string }[] = await db.query(`SELECT error FROM accounts.webhook_attempts WHERE delivery_id = $1`, [first.id]);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(attempts[0]?.error).toMatch(/ECONNREFUSED/);
    // Per-endpoint order: nothing behind the failing head was tried.
    expect((await deliveries(webhook.id)).slice(1).every((d) => d.attempts === 0)).toBe(true);

    await rx.up();
    await until(async () => (await deliveries(webhook.id)).every((d) => d.status === 'SUCCEEDED'), 15000, 'all delivered');

    expect(rx.firstArrivals()).toEqual(expected.map((e) => e.id));
    for (const r of rx.received) {
      expect(verifyDelivery(secret, { timestamp: r.headers['x-hub-timestamp'] as string, signature: r.headers['x-hub-signature'] as string }, r.body)).toBe(
        true,
      );
      expect(r.headers['x-hub-event-id']).toBe(r.json.id);
      expect(Object.keys(r.json).sort()).toEqual(['id', 'occurredAt', 'payload', 'type']);
    }
    // A tampered body does not verify.
    const r0 = present(rx.received[0], 'a received delivery');
    expect(
      verifyDelivery(
        secret,
        { timestamp: r0.headers['x-hub-timestamp'] as string, signature: r0.headers['x-hub-signature'] as string },
        r0.body.replace('ACME', 'EVIL'),
      ),
    ).toBe(false);
    const [hook] = await db.query(`SELECT consecutive_failures, failing_since, status FROM accounts.webhooks WHERE id = $1`, [webhook.id]);
    expect(hook).toEqual({ consecutive_failures: 0, failing_since: null, status: 'ACTIVE' });
    await a.stop();
    await b.stop();
  });

  it('signs every delivery the Standard Webhooks way too: the standardwebhooks library verifies it, whatever form the endpoint secret has', async () => {
    const secrets: [string, string | undefined][] = [
      ['generated by the hub', undefined],
      ['chosen by the partner', 'a partner-chosen secret, not base64'],
      ['generated before (base64url)', `whsec_${randomBytes(32).toString('base64url')}`],
    ];
    for (const [kind, chosen] of secrets) {
      const rx = await receiver().up();
      const { webhook, secret } = await createWebhookAs(ACME, config, { url: rx.url, events: ['CustomerCreated'], secret: chosen });
      // A generated secret goes to the library as it is; any other in its derived form.
      rx.standardWebhooksSecret = chosen === undefined ? secret : standardWebhooksSecret(secret);
      if (chosen === undefined) expect(standardWebhooksSecret(secret)).toBe(secret);
      else expect(standardWebhooksSecret(secret)).not.toBe(secret);
      await upsertCustomersAs(ACME, 'acme-crm', rows('STD', 1));
      await fanout.drain();
      const w = worker();
      const mine = async () => (await w.claim(10)).filter((c) => c.webhookId === webhook.id);
      // Refused once after verifying: the retry is the same message, with the same id.
      rx.status = 500;
      const [first] = await mine();
      expect((await w.deliver(first!)).ok).toBe(false);
      rx.status = 200;
      let retry: Awaited<ReturnType<typeof mine>> = [];
      await until(async () => (retry = await mine()).length > 0, 5000, 'the retry to be due');
      expect((await w.deliver(retry[0]!)).ok).toBe(true);
      expect({ kind, refused: rx.refused }).toEqual({ kind, refused: [] });
      expect(rx.received.map((r) => r.headers['webhook-id'])).toEqual([first!.id, first!.id]);
      for (const r of rx.received) {
        expect(r.headers['webhook-timestamp']).toBe(r.headers['x-hub-timestamp']);
        expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+={0,2}$/);
        // The hub's own signature still verifies with the secret as it was handed out.
        expect(verifyDelivery(secret, { timestamp: r.headers['x-hub-timestamp'] as string, signature: r.headers['x-hub-signature'] as string }, r.body)).toBe(
          true,
        );
      }
      const r0 = rx.received[0]!;
      expect(() => new Webhook(rx.standardWebhooksSecret!).verify(r0.body.replace('STD', 'EVIL'), r0.headers as Record<string, string>)).toThrow(
        /No matching signature/,
      );
      expect(() => new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify(r0.body, r0.headers as Record<string, string>)).toThrow(
        /No matching signature/,
      );
      await deleteWebhookAs(ACME, webhook.id);
    }
  });

  it('retries a delivery whose worker died mid-delivery once its lease expires, and logs the lost attempt', async () => {
    const rx = await receiver().up();
    const { webhook } = await createWebhookAs(ACME, config, { url: rx.url, events: ['*'] });
    await upsertCustomersAs(ACME, 'acme-crm', rows('KILL', 1));
    await fanout.drain();
    const dead = worker({}, 'worker-killed');
    const claimed = await dead.claim(10);
    expect(claimed.map((c) => c.webhookId)).toContain(webhook.id);
    // The killed worker never reports back. While its lease holds, nobody else takes it.
    const survivor = worker({}, 'worker-survivor');
    expect((await survivor.claim(10)).filter((c) => c.webhookId === webhook.id)).toEqual([]);
    await new Promise((r) => setTimeout(r, config.leaseMs + 100));
    const retried = (await survivor.claim(10)).filter((c) => c.webhookId === webhook.id);
    expect(retried).toHaveLength(1);
    expect(retried[0]?.attempts).toBe(2);
    const result = await survivor.deliver(retried[0]!);
    expect(result.ok).toBe(true);
    expect(rx.received.map((r) => r.json.id)).toEqual([retried[0]!.eventId]);
    const d = present((await deliveries(webhook.id))[0], 'the delivery');
    expect(d.status).toBe('SUCCEEDED');
    const log: { error: string | null; status_code: number | null }[] = await db.query(
      `SELECT error, status_code FROM accounts.webhook_attempts WHERE delivery_id = $1 ORDER BY id`,
      [d.id],
    );
    expect(log).toEqual([
      { error: expect.stringMatching(/worker lost/), status_code: null },
      { error: null, status_code: 200 },
    ]);
    await deleteWebhookAs(ACME, webhook.id);
  });

  it('disables an endpoint after continuous failure with the reason visible, and resume delivers what waited', async () => {
    const rx = await receiver().up();
    rx.status = 500;
    const { webhook } = await createWebhookAs(ACME, config, { url: rx.url, events: ['CustomerCreated'] });
    await upsertCustomersAs(ACME, 'acme-crm', rows('FAIL', 2));
    await fanout.drain();
    const w = worker({ disableAfterFailures: 3, disableAfterMs: 0 });
    w.start();
    await until(async () => (await visibleWebhookAs(ACME, webhook.id)).status === WebhookStatus.DISABLED, 10000, 'auto-disable');
    const disabled = await visibleWebhookAs(ACME, webhook.id);
    expect(disabled.disabledReason).toMatch(/3 consecutive failed deliveries.*HTTP 500/);
    const sent = rx.received.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(rx.received.length).toBe(sent);

    rx.status = 204;
    const resumed = await setWebhookStatusAs(ACME, webhook.id, WebhookStatus.ACTIVE);
    expect(resumed).toMatchObject({ status: WebhookStatus.ACTIVE, disabledReason: null, consecutiveFailures: 0 });
    w.kick();
    await until(async () => (await deliveries(webhook.id)).every((d) => d.status === 'SUCCEEDED'), 10000, 'delivered after resume');
    expect(rx.firstArrivals()).toHaveLength(2);
    await w.stop();
    await deleteWebhookAs(ACME, webhook.id);
  });

  it('holds deliveries while paused, gives up after the retry horizon without blocking the queue, and redelivers on request', async () => {
    const rx = await receiver().up();
    const { webhook } = await createWebhookAs(ACME, config, { url: rx.url, events: ['CustomerCreated'] });
    await setWebhookStatusAs(ACME, webhook.id, WebhookStatus.PAUSED);
    await upsertCustomersAs(ACME, 'acme-crm', rows('PAUSE', 2));
    await fanout.drain();
    const w = worker({ retryHorizonMs: 1 });
    expect((await w.claim(10)).filter((c) => c.webhookId === webhook.id)).toEqual([]);
    rx.status = 500;
    await setWebhookStatusAs(ACME, webhook.id, WebhookStatus.ACTIVE);
    const head = present(
      (await w.claim(10)).find((c) => c.webhookId === webhook.id),
      'the failing head',
    );
    expect((await w.deliver(head)).ok).toBe(false);
    const after = await deliveries(webhook.id);
    expect(after.map((d) => d.status)).toEqual(['FAILED', 'PENDING']);
    rx.status = 200;
    const next = present(
      (await w.claim(10)).find((c) => c.webhookId === webhook.id),
      'the next delivery',
    );
    expect(next.id).toBe(after[1]!.id);
    expect((await w.deliver(next)).ok).toBe(true);

    const again = await redeliverAs(ACME, after[0]!.id);
    expect(again.status).toBe('PENDING');
    const re = present(
      (await w.claim(10)).find((c) => c.webhookId === webhook.id),
      'the redelivery',
    );
    expect(re.id).toBe(after[0]!.id);
    expect((await w.deliver(re)).ok).toBe(true);
    expect((await deliveries(webhook.id)).map((d) => d.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
  });

  it('lets only the owner (and internal teams) see and manage a webhook and its deliveries', async () => {
    const rx = await receiver().up();
    const { webhook } = await createWebhookAs(ACME, config, { url: rx.url, events: ['CustomerCreated'] });
    await expect(visibleWebhookAs(GLOBEX, webhook.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(setWebhookStatusAs(GLOBEX, webhook.id, WebhookStatus.PAUSED)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(deleteWebhookAs(GLOBEX, webhook.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await upsertCustomersAs(ACME, 'acme-crm', rows('OWN', 1));
    await fanout.drain();
    const d = present((await deliveries(webhook.id))[0], 'the delivery');
    await expect(redeliverAs(GLOBEX, d.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    expect((await visibleWebhookAs(INTERNAL, webhook.id)).id).toBe(webhook.id);
    await expect(createWebhookAs(ACME, config, { url: rx.url, events: ['NoSuchEvent'] })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'events' }] },
    });
    await expect(createWebhookAs(ACME, config, { url: rx.url, events: ['*'], secret: 'short' })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'secret' }] },
    });
    await expect(createWebhookAs(ACME, { ...config, allowLoopback: false }, { url: rx.url, events: ['*'] })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'url' }] },
    });
    await deleteWebhookAs(ACME, webhook.id);
    await expect(visibleWebhookAs(ACME, webhook.id)).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
  });
});
