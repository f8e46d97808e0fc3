import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { traceSql } from '../../../shared/db/sql-meter';
import { CUSTOMER_UPDATED, type CustomerEventPayload } from '../../../shared/eventlog/events';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { createAccountsProjectionConsumer } from '../src/consumers/accounts-projection.consumer';
import { createHandoffsDataSource } from '../src/data-source';
import { accountsEvents, customerCreated, partnerCreated, silentLog } from './fixture';

/**
 * handoffs' projection of accounts applies a batch set-based: a constant number of
 * statements, and the same partners, customers and owners' access as one event at a time.
 */
interface Db {
  db: DataSource;
  database: TestDatabase;
}

async function startDb(): Promise<Db> {
  const database = await createTestDatabase();
  return { db: await openDataSource(createHandoffsDataSource(database.url, 4)), database };
}

const customerUpdated = (id: string, patch: Partial<CustomerEventPayload['customer']>) => {
  const created = customerCreated(id, 'unused', null);
  const { customer } = created.payload as unknown as CustomerEventPayload;
  return { ...created, type: CUSTOMER_UPDATED, payload: { customer: { ...customer, ...patch }, changed: [] } };
};

async function applyAll(db: DataSource, batchSize?: number): Promise<void> {
  const consumer = createAccountsProjectionConsumer(db, silentLog, { batchSize });
  await consumer.drain();
  await consumer.stop();
}

const projection = async (db: DataSource) => ({
  partners: await db.query(`SELECT id, name, kind, tier, region, status FROM handoffs.partners ORDER BY id`),
  customers: await db.query(`SELECT id, name, segment, region, lifecycle_stage, owner_partner_id FROM handoffs.customers ORDER BY id`),
  access: await db.query(`SELECT customer_id, partner_id, kind FROM handoffs.customer_access ORDER BY customer_id, partner_id`),
});

describe("handoffs: the projection of accounts' events applies a batch set-based (real Postgres)", () => {
  let one: Db;
  let all: Db;
  beforeAll(async () => {
    [one, all] = await Promise.all([startDb(), startDb()]);
  });
  afterAll(async () => {
    for (const d of [one, all]) {
      await d?.db.destroy();
      await d?.database.drop();
    }
  });

  it('one event per batch and all in one batch leave the same rows', async () => {
    const [A, B] = [randomUUID(), randomUUID()];
    const [c1, c2, c3] = [randomUUID(), randomUUID(), randomUUID()];
    // A partner created and changed; a customer created then updated (the owner stays the
    // creation's); a customer first seen through an update (its owner comes from it); one without an owner.
    const sequence = [
      partnerCreated(A, 'Partner A'),
      customerCreated(c1, 'One', A),
      partnerCreated(B, 'Partner B', 'AGENCY', 'SILVER'),
      customerUpdated(c2, { name: 'Two', ownerPartnerId: B }),
      customerUpdated(c1, { name: 'One renamed', segment: 'SMB', ownerPartnerId: B }),
      partnerCreated(A, 'Partner A renamed', 'RESELLER', 'PLATINUM'),
      customerCreated(c3, 'Three', null),
      customerUpdated(c2, { lifecycleStage: 'ONBOARDING', ownerPartnerId: A }),
    ];
    for (const d of [one, all]) for (const e of sequence) await accountsEvents(d.db, [e]);
    await applyAll(one.db, 1);
    await applyAll(all.db);
    const a = await projection(one.db);
    expect(await projection(all.db)).toEqual(a);
    expect(a.customers.find((c: { id: string }) => c.id === c1)).toMatchObject({ name: 'One renamed', segment: 'SMB', owner_partner_id: A });
    expect(a.access).toEqual(
      [
        { customer_id: c1, partner_id: A, kind: 'OWNER' },
        { customer_id: c2, partner_id: B, kind: 'OWNER' },
      ].sort((x, y) => x.customer_id.localeCompare(y.customer_id)),
    );
    expect(a.partners.find((p: { id: string }) => p.id === A)).toMatchObject({ name: 'Partner A renamed', tier: 'PLATINUM' });
  });

  it('a batch of 200 events costs the same statements as a batch of 20', async () => {
    const statements = async (n: number) => {
      const owner = randomUUID();
      await accountsEvents(all.db, [partnerCreated(owner, 'Owner')]);
      for (let i = 0; i < n - 1; i++) await accountsEvents(all.db, [customerCreated(randomUUID(), `Customer ${i}`, owner)]);
      const stop = traceSql();
      await applyAll(all.db);
      return stop();
    };
    const few = await statements(20);
    const many = await statements(200);
    expect(many).toEqual(few);
    // The drain: the position row, the look for events held back by an open transaction, the
    // batch (lock, read, three statements, position), the read that finds nothing. One event at a time: 2 per customer.
    expect(many.length).toBeLessThanOrEqual(14);
  });
});
