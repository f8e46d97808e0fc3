import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDataSource } from '../../../shared/db/data-source';
import { withTenant } from '../../../shared/db/tenant-context';
import { createLogger } from '../../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity } from '../../../test/support/subgraph-client';
import { createScorecardsDataSource } from '../src/data-source';
import { DEMO, seedScorecards } from '../src/seed';
import { createProjectionConsumer } from '../src/consumers/projection.consumer';
import { present } from '../../../test/support/present';

/**
 * Postgres itself keeps scorecards' rules, so a query that forgot its WHERE clause still
 * shows a partner only its own: every table read bare, as a partner, returns exactly the
 * rows the resolvers' rule selects ($1 = the partner), and fewer than exist.
 */
const PARTY = (handoff: string) => `EXISTS (SELECT 1 FROM scorecards.handoff_facts f WHERE f.id = ${handoff} AND $1 IN (f.from_partner_id, f.to_partner_id))`;
const RULES: Record<string, string> = {
  handoff_facts: `$1 IN (from_partner_id, to_partner_id)`,
  rollups: `partner_id = $1`,
  feedback: PARTY('handoff_id'),
  feedback_revisions: `EXISTS (SELECT 1 FROM scorecards.feedback fb WHERE fb.id = feedback_id AND ${PARTY('fb.handoff_id')})`,
  customer_feedback_tokens: PARTY('handoff_id'),
};

describe('scorecards row-level security', () => {
  let database: TestDatabase;
  let db: DataSource;
  let a: string;
  let b: string;
  let handoffOfB: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 2));
    // Fixtures are written as the hub (no request context = system).
    await seedScorecards(db);
    await createProjectionConsumer({ dataSource: db, log: createLogger('t', 'silent') }).drain();
    const busiest: { id: string }[] = await db.query(`SELECT to_partner_id AS id FROM scorecards.handoff_facts GROUP BY 1 ORDER BY count(*) DESC LIMIT 2`);
    a = present(busiest[0], 'the busiest receiving partner').id;
    b = present(busiest[1], 'a second receiving partner').id;
    [{ id: handoffOfB }] = await db.query(`SELECT id FROM scorecards.handoff_facts WHERE to_partner_id = $1 AND from_partner_id IS DISTINCT FROM $2 LIMIT 1`, [
      b,
      a,
    ]);
    const tokens = await db.query(`SELECT id FROM scorecards.handoff_facts WHERE to_partner_id = ANY($1::uuid[]) AND id <> $2 LIMIT 6`, [[a, b], handoffOfB]);
    for (const t of [...(tokens as { id: string }[]), { id: handoffOfB }]) {
      await db.query(`INSERT INTO scorecards.customer_feedback_tokens (id, handoff_id, expires_at) VALUES ($1, $2, now() + interval '1 day')`, [
        randomUUID(),
        t.id,
      ]);
    }
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it.each(Object.keys(RULES))('shows a partner exactly its rows of %s, internal teams all of them', async (table) => {
    const [{ n: total }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`);
    for (const partner of [a, b]) {
      const [{ n: expected }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.${table} WHERE ${RULES[table]}`, [partner]);
      const ids = await withTenant(partnerIdentity(partner), () => db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`));
      expect(ids[0].n).toBe(expected);
      expect(expected).toBeLessThan(total);
      expect(expected).toBeGreaterThan(0);
    }
    expect((await withTenant(internalIdentity(DEMO.revops), () => db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`)))[0].n).toBe(total);
    expect((await withTenant({ role: 'PARTNER', scopes: [] }, () => db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`)))[0].n).toBe(0);
  });

  it('lets no partner write the projections, nor feedback on a handoff it is not party to', async () => {
    await withTenant(partnerIdentity(a), async () => {
      const [, updated] = await db.query(`UPDATE scorecards.rollups SET proposed = proposed + 1000 WHERE partner_id = $1`, [a]);
      expect(updated).toBe(0);
      const [, facts] = await db.query(`UPDATE scorecards.handoff_facts SET state = 'COMPLETED' WHERE to_partner_id = $1`, [a]);
      expect(facts).toBe(0);
      await expect(
        db.query(
          `INSERT INTO scorecards.rollups (grain, period_start, partner_id, segment, region, moment) VALUES ('DAY', '2026-01-01', $1, 'SMB', 'NA', 'CUSTOM')`,
          [a],
        ),
      ).rejects.toMatchObject({ code: '42501' });
      await expect(
        db.query(`INSERT INTO scorecards.feedback (id, handoff_id, source, rating) VALUES ($1, $2, 'PARTNER', 1)`, [randomUUID(), handoffOfB]),
      ).rejects.toMatchObject({ code: '42501' });
      const [, deleted] = await db.query(`DELETE FROM scorecards.customer_feedback_tokens WHERE handoff_id = $1`, [handoffOfB]);
      expect(deleted).toBe(0);
    });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.customer_feedback_tokens WHERE handoff_id = $1`, [handoffOfB]);
    expect(n).toBe(1);
  });
});
