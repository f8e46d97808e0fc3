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
import { createRetentionConsumer } from '../src/consumers/retention.consumer';
import { A as RA, B as RB, ratesEvent } from './fixtures';
import { appendDatedHistory, revenueHistory } from './retention-fixtures';
import { appendEvents } from '../../../shared/eventlog/event-log';
import { createExchangeRatesConsumer } from '../src/consumers/exchange-rates.consumer';

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
  value_cells: `partner_id = $1`,
  value_rollups: `partner_id = $1`,
};
/** Exchange rates are no partner's data: every caller reads them (a partner's not-due value is converted with them), only the consumer writes. */
const RATE_TABLES = ['exchange_rate_versions', 'exchange_rates', 'effective_rates'];

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
    await appendEvents(db.manager, [ratesEvent(1, 'EUR', [{ currency: 'USD', day: '2026-01-05', rate: '0.91' }])]);
    await createExchangeRatesConsumer({ dataSource: db, log: createLogger('t', 'silent') }).drain();
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

  it.each(RATE_TABLES)('shows every caller all of %s, and lets no partner write it', async (table) => {
    const [{ n: total }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`);
    expect(total).toBeGreaterThan(0);
    await withTenant(partnerIdentity(a), async () => {
      expect((await db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`))[0].n).toBe(total);
      const [, deleted] = await db.query(`DELETE FROM scorecards.${table}`);
      expect(deleted).toBe(0);
    });
    await withTenant(partnerIdentity(a), async () => {
      await expect(
        db.query(`INSERT INTO scorecards.exchange_rate_versions (version, reporting_currency, set_at) VALUES (99, 'USD', now())`),
      ).rejects.toMatchObject({
        code: '42501',
      });
    });
  });

  it('lets no partner write the projections, nor feedback on a handoff it is not party to', async () => {
    await withTenant(partnerIdentity(a), async () => {
      const [, updated] = await db.query(`UPDATE scorecards.rollups SET proposed = proposed + 1000 WHERE partner_id = $1`, [a]);
      expect(updated).toBe(0);
      const [, facts] = await db.query(`UPDATE scorecards.handoff_facts SET state = 'COMPLETED' WHERE to_partner_id = $1`, [a]);
      expect(facts).toBe(0);
      const [, values] = await db.query(`UPDATE scorecards.value_rollups SET proposed_amount = proposed_amount * 2 WHERE partner_id = $1`, [a]);
      expect(values).toBe(0);
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

/** The revenue tables: a partner reads the history of the customers it owned at some point, and its own handoffs' values. */
const OWNED = (customer: string) => `EXISTS (SELECT 1 FROM scorecards.retention_owners o WHERE o.customer_id = ${customer} AND o.partner_id = $1)`;
const REVENUE_RULES: Record<string, string> = {
  retention_owners: `partner_id = $1`,
  retention_customers: OWNED('t.id'),
  retention_ownership: OWNED('t.customer_id'),
  retention_arr: OWNED('t.customer_id'),
  renewal_outcomes: OWNED('t.customer_id'),
  handoff_values: `$1 IN (from_partner_id, to_partner_id)`,
  retention_cells: `holder = $1`,
};

describe('scorecards row-level security: revenue retention', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createScorecardsDataSource(database.url, 2));
    await appendDatedHistory(database.url, revenueHistory());
    await createRetentionConsumer({ dataSource: db, log: createLogger('t', 'silent') }).drain();
    await db.query(`INSERT INTO scorecards.gross_margins (margin) VALUES (0.6)`);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it.each(Object.keys(REVENUE_RULES))('shows a partner exactly its rows of %s, internal teams all of them', async (table) => {
    const [{ n: total }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`);
    for (const partner of [RA, RB]) {
      const [{ n: expected }] = await db.query(`SELECT count(*)::int AS n FROM scorecards.${table} t WHERE ${REVENUE_RULES[table]}`, [partner]);
      const seen = await withTenant(partnerIdentity(partner), () => db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`));
      expect(seen[0].n).toBe(expected);
      expect(expected).toBeLessThan(total);
      expect(expected).toBeGreaterThan(0);
    }
    expect((await withTenant(internalIdentity(DEMO.revops), () => db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`)))[0].n).toBe(total);
    expect((await withTenant({ role: 'PARTNER', scopes: [] }, () => db.query(`SELECT count(*)::int AS n FROM scorecards.${table}`)))[0].n).toBe(0);
  });

  it('lets every partner read the gross margin, only internal teams set it, and no partner write the revenue facts', async () => {
    expect((await withTenant(partnerIdentity(RA), () => db.query(`SELECT margin::text AS m FROM scorecards.gross_margins`)))[0]).toEqual({ m: '0.600000' });
    await withTenant(partnerIdentity(RA), async () => {
      await expect(db.query(`INSERT INTO scorecards.gross_margins (margin) VALUES (0.99)`)).rejects.toMatchObject({ code: '42501' });
      const [, updated] = await db.query(`UPDATE scorecards.renewal_outcomes SET new_arr = 0 WHERE owner_partner_id = $1`, [RA]);
      expect(updated).toBe(0);
      await expect(db.query(`INSERT INTO scorecards.retention_owners (customer_id, partner_id) VALUES ($1, $2)`, [randomUUID(), RA])).rejects.toMatchObject({
        code: '42501',
      });
    });
    await withTenant(internalIdentity(DEMO.revops), () => db.query(`INSERT INTO scorecards.gross_margins (margin) VALUES (0.7)`));
    expect((await db.query(`SELECT count(*)::int AS n FROM scorecards.gross_margins`))[0].n).toBe(2);
  });
});
