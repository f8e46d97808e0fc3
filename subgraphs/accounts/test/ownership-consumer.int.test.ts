import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { traceSql } from '../../../shared/db/sql-meter';
import { appendEvents } from '../../../shared/eventlog/event-log';
import { OWNERSHIP_CHANGED, type OwnershipChangedPayload } from '../../../shared/eventlog/events';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { createOwnershipConsumer } from '../src/consumers/ownership.consumer';
import { createAccountsDataSource } from '../src/data-source';
import { DEMO_CUSTOMERS, DEMO_PARTNERS, seedAccounts } from '../src/seed';

/**
 * The ownership consumer applies a batch set-based: a constant number of statements, and
 * the same owners and access rows as applying its events one at a time.
 */
const log = createLogger('accounts-test', 'silent');
const partner = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!.id;
const [ACME, GLOBEX, BRIGHTWAVE, NORTHWIND] = ['acme', 'globex', 'brightwave', 'northwind'].map(partner) as [string, string, string, string];
const customer = (i: number) => DEMO_CUSTOMERS[i]!.id;

interface Db {
  db: DataSource;
  database: TestDatabase;
}

async function startDb(): Promise<Db> {
  const database = await createTestDatabase();
  const db = await openDataSource(createAccountsDataSource(database.url, 4));
  await seedAccounts(db);
  return { db, database };
}

const change = (customerId: string, fromPartnerId: string | null, toPartnerId: string | null, previousOwnerAccess?: 'NONE'): OwnershipChangedPayload => ({
  id: randomUUID(),
  customerId,
  fromPartnerId,
  toPartnerId,
  handoffId: randomUUID(),
  actorPartnerId: toPartnerId,
  at: new Date().toISOString(),
  reason: previousOwnerAccess ? 'HANDOFF_RECLAIMED' : 'HANDOFF_ACCEPTED',
  ...(previousOwnerAccess ? { previousOwnerAccess } : {}),
});

async function emit(db: DataSource, payloads: OwnershipChangedPayload[]): Promise<void> {
  for (const p of payloads) {
    await db.transaction((m) =>
      appendEvents(m, [
        {
          type: OWNERSHIP_CHANGED,
          source: 'handoffs',
          aggregateType: 'Customer',
          aggregateId: p.customerId,
          payload: p as unknown as Record<string, unknown>,
          visibleTo: [],
          actor: null,
        },
      ]),
    );
  }
}

async function applyAll(db: DataSource, batchSize?: number): Promise<void> {
  const consumer = createOwnershipConsumer(db, log, { batchSize });
  await consumer.drain();
  await consumer.stop();
}

async function ownership(db: DataSource, ids: string[]) {
  return {
    owners: await db.query(`SELECT id, owner_partner_id FROM accounts.customers WHERE id = ANY($1::uuid[]) ORDER BY id`, [ids]),
    access: await db.query(
      `SELECT customer_id, partner_id, kind FROM accounts.customer_access WHERE customer_id = ANY($1::uuid[]) ORDER BY customer_id, partner_id`,
      [ids],
    ),
  };
}

describe('accounts: the ownership consumer applies a batch set-based (real Postgres)', () => {
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

  it('one event per batch and all in one batch leave the same owners and access rows', async () => {
    // Handed on twice, then reclaimed (the previous owner loses access); handed back and
    // forth; handed to direct ownership; a customer accounts does not know (skipped).
    const sequence = [
      change(customer(0), ACME, NORTHWIND),
      change(customer(1), ACME, BRIGHTWAVE),
      change(customer(0), NORTHWIND, GLOBEX),
      change(customer(2), null, GLOBEX),
      change(randomUUID(), ACME, GLOBEX),
      change(customer(1), BRIGHTWAVE, ACME),
      change(customer(0), GLOBEX, ACME, 'NONE'),
      change(customer(1), ACME, BRIGHTWAVE),
      change(customer(3), ACME, null),
    ];
    await emit(one.db, sequence);
    await emit(all.db, sequence);
    await applyAll(one.db, 1);
    await applyAll(all.db);
    const ids = [0, 1, 2, 3].map(customer);
    const a = await ownership(one.db, ids);
    expect(await ownership(all.db, ids)).toEqual(a);
    expect(a.owners.map((o: { owner_partner_id: string | null }) => o.owner_partner_id)).toEqual([ACME, BRIGHTWAVE, GLOBEX, null]);
    // Customer 0: Northwind kept collaborator access, Globex lost it on the reclaim.
    const of0 = a.access.filter((r: { customer_id: string }) => r.customer_id === customer(0));
    expect(of0).toEqual(
      expect.arrayContaining([
        { customer_id: customer(0), partner_id: ACME, kind: 'OWNER' },
        { customer_id: customer(0), partner_id: NORTHWIND, kind: 'COLLABORATOR' },
      ]),
    );
    expect(of0.find((r: { partner_id: string }) => r.partner_id === GLOBEX)).toBeUndefined();
  });

  it('a batch of 100 events costs the same statements as a batch of 10', async () => {
    const statements = async (n: number) => {
      const batch = Array.from({ length: n }, (_, i) => change(customer(4 + (i % 16)), i % 2 ? ACME : GLOBEX, i % 2 ? GLOBEX : ACME));
      await emit(all.db, batch);
      const stop = traceSql();
      await applyAll(all.db);
      return stop();
    };
    const few = await statements(10);
    const many = await statements(100);
    expect(many).toEqual(few);
    // The drain: the position row, the batch (lock, read, 4 statements, position), the read that finds nothing. One event at a time: 4 per event.
    expect(many.length).toBeLessThanOrEqual(14);
  });
});
