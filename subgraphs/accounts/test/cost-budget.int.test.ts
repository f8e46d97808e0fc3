import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { withTenant } from '../../../shared/db/tenant-context';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity } from '../../../test/support/subgraph-client';
import { createAccountsDataSource } from '../src/data-source';
import { settleCostBudgets } from '../src/services/cost-budget.service';

describe('shared cost budgets (settled by the gateways)', () => {
  let database: TestDatabase;
  let db: DataSource;
  const settle = (spent: Record<string, number>, restoreRate = 0.001) => settleCostBudgets(db, { capacity: 100, restoreRate, spent });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createAccountsDataSource(database.url, 2));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('adds up what every gateway charged, within −capacity … capacity', async () => {
    expect(await settle({ p1: 30, p2: 0 })).toEqual({ p1: expect.closeTo(70, 1), p2: expect.closeTo(100, 1) });
    expect((await settle({ p1: 50 })).p1).toBeCloseTo(20, 1);
    // Two gateways overdrew together: a debt, floored at −capacity.
    expect((await settle({ p1: 500 })).p1).toBeCloseTo(-100, 1);
    // Refunds (negative net charges) never fill past capacity.
    expect((await settle({ p2: -50 })).p2).toBeCloseTo(100, 1);
    expect(await settle({})).toEqual({});
  });

  it('refills at the restore rate between settlements', async () => {
    await settle({ p3: 100 }, 1000);
    await new Promise((r) => setTimeout(r, 50));
    const { p3 } = await settle({ p3: 0 }, 1000);
    expect(p3).toBeGreaterThan(20);
    expect(p3).toBeLessThanOrEqual(100);
  });

  it('is the hub’s own table: no request tenant, internal included, reads or writes it', async () => {
    await withTenant(internalIdentity('00000000-0000-4000-8000-000000000001'), async () => {
      expect(await db.query(`SELECT * FROM accounts.cost_budgets`)).toEqual([]);
      await expect(db.query(`INSERT INTO accounts.cost_budgets (partner_key, available) VALUES ('x', 1)`)).rejects.toMatchObject({ code: '42501' });
    });
  });
});
