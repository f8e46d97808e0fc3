import 'reflect-metadata';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity } from '../../../test/support/subgraph-client';
import { createScorecardsDataSource } from '../src/data-source';
import { ScorecardDimension, ScorecardPeriod } from '../src/entities/enums';
import { DEMO, seedScorecards } from '../src/seed';
import { createProjectionConsumer } from '../src/consumers/projection.consumer';
import { queryScorecard } from '../src/services/scorecard-query';

describe('scorecards demo data', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 3));
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('is written once, as events the projection turns into months of figures', async () => {
    await Promise.all([seedScorecards(db), seedScorecards(db)]);
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM eventlog.events WHERE source = 'demo'`))[0].n as number;
    const events = await count();
    await seedScorecards(db);
    expect(await count()).toBe(events);
    expect(events).toBeGreaterThan(1500);
    const [{ n: feedback }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.feedback`);
    expect(feedback).toBeGreaterThan(100);

    await createProjectionConsumer({ dataSource: db, log: createLogger('t', 'silent') }).drain();
    const rows = await queryScorecard(db, internalIdentity(DEMO.revops), {
      period: ScorecardPeriod.MONTH,
      groupBy: [ScorecardDimension.PARTNER],
      includeTotals: false,
    });
    const months = new Set(rows.map((r) => r.periodStart.toISOString()));
    expect(months.size).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.partnerId)).size).toBe(7);
    // A month of a partner holds its handoffs received, or the dues it was accountable for (a stage move can precede the first proposal).
    expect(rows.every((r) => r.proposed > 0 || r.dues.cameDue > 0)).toBe(true);
    const dues = rows.reduce((n, r) => n + r.dues.cameDue, 0);
    const never = rows.reduce((n, r) => n + r.leakage.neverProposed.count, 0);
    expect(dues).toBeGreaterThan(200);
    expect(never).toBeGreaterThan(0);
    expect(never).toBeLessThan(dues / 4);
    expect(rows.some((r) => r.dues.proposedLate > 0 && r.velocity.timeToPropose.p90Seconds! > 48 * 3600)).toBe(true);
  });
});
