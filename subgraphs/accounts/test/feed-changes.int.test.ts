import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { openDataSource } from '../../../shared/db/data-source';
import { withTenant } from '../../../shared/db/tenant-context';
import { appendEvent } from '../../../shared/eventlog/event-log';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database';
import { internalIdentity, partnerIdentity } from '../../../test/support/subgraph-client';
import { createAccountsDataSource } from '../src/data-source';
import { Region, Segment } from '../src/entities/enums';
import { feedHead, readChanges } from '../src/feed/change-feed.service';
import { DEMO_PARTNERS, seedAccounts } from '../src/seed';
import type { UpsertCustomerInput } from '../src/sync/upsert.inputs';
import { upsertCustomers } from '../src/sync/upsert.service';

const id = (key: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(key))!.id;
const ACME = partnerIdentity(id('acme'));
const GLOBEX = partnerIdentity(id('globex'));
const INTERNAL = internalIdentity(id('revops'));

const rows = (prefix: string, n: number) =>
  Array.from(
    { length: n },
    (_, i) =>
      ({
        externalId: `${prefix}-${i}`,
        name: `${prefix} ${i}`,
        domain: `${prefix.toLowerCase()}-${i}.example.org`,
        segment: Segment.SMB,
        region: Region.NA,
      }) as UpsertCustomerInput,
  );

describe('changes (the partner change feed)', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await openDataSource(createAccountsDataSource(database.url, 6));
    await seedAccounts(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  // As the server runs a request: as the caller's tenant, so row-level security applies too.
  const readChangesAs = (who: Identity, opts: Parameters<typeof readChanges>[2]) => withTenant(who, () => readChanges(db, who, opts));
  const upsertCustomersAs = (who: Identity, system: string, input: UpsertCustomerInput[]) => withTenant(who, () => upsertCustomers(db, who, system, input));

  /** Follows the feed from `after` to its end, `first` at a time. */
  async function readAll(identity = ACME, after: string | null = null, first = 7) {
    const ids: string[] = [];
    let cursor = after;
    for (;;) {
      const page = await readChangesAs(identity, { after: cursor, first, retentionDays: 0 });
      ids.push(...page.nodes.map((n) => n.id));
      cursor = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) return { ids, cursor };
    }
  }

  it('shows a partner only the events it may see, in log order; internal sees all', async () => {
    await upsertCustomersAs(ACME, 'acme-crm', rows('ACME', 5));
    await upsertCustomersAs(GLOBEX, 'globex-crm', rows('GLOBEX', 5));
    const acme = await readAll(ACME);
    const expected: { id: string }[] = await db.query(`SELECT id FROM eventlog.events WHERE $1::uuid = ANY(visible_to) ORDER BY tx, seq`, [ACME.partnerId]);
    expect(acme.ids).toEqual(expected.map((e) => e.id));
    const globexEvents: { id: string }[] = await db.query(`SELECT id FROM eventlog.events WHERE $1::uuid = ANY(visible_to)`, [GLOBEX.partnerId]);
    expect(acme.ids.filter((i) => globexEvents.some((g) => g.id === i))).toEqual([]);
    const page = await readChangesAs(ACME, { first: 250, retentionDays: 0 });
    expect(page.nodes.every((n) => n.type !== 'PartnerCreated' || n.aggregateId === ACME.partnerId)).toBe(true);
    const all = await readAll(INTERNAL, null, 50);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM eventlog.events`);
    expect(all.ids).toHaveLength(n);
  });

  it('replays the same suffix from any cursor it issued', async () => {
    const first = await readChangesAs(ACME, { first: 250, retentionDays: 0 });
    const cursors = first.edges.map((e) => e.cursor);
    for (const k of [0, 3, cursors.length - 2]) {
      const replay = await readAll(ACME, cursors[k], 4);
      expect(replay.ids).toEqual(first.nodes.slice(k + 1).map((n) => n.id));
    }
  });

  it('gives a partner polling with its last cursor after an outage exactly what it missed, even past a slow transaction', async () => {
    const { cursor } = await readAll(ACME);
    // A slow transaction takes a position first, then a fast one commits after it.
    const slow = db.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await appendEvent(slow.manager, {
      type: 'CustomerUpdated',
      source: 'test',
      aggregateType: 'Customer',
      aggregateId: 'slow',
      payload: {},
      visibleTo: [ACME.partnerId!],
    });
    await upsertCustomersAs(ACME, 'acme-crm', rows('AFTER', 2));
    await upsertCustomersAs(GLOBEX, 'globex-crm', rows('GLOBEXAFTER', 2));
    const during = await readAll(ACME, cursor);
    // Nothing after the slow transaction's position is handed out while it is open.
    expect(during.ids).toEqual([]);
    expect(during.cursor).toBe(cursor);
    await slow.commitTransaction();
    await slow.release();
    const missed = await readAll(ACME, cursor);
    const expected: { id: string }[] = await db.query(
      `SELECT id FROM eventlog.events WHERE $1::uuid = ANY(visible_to) AND (aggregate_id = 'slow' OR payload->'customer'->>'name' LIKE 'AFTER %') ORDER BY tx, seq`,
      [ACME.partnerId],
    );
    expect(missed.ids).toEqual(expected.map((e) => e.id));
    expect(missed.ids).toHaveLength(3);
    const again = await readAll(ACME, missed.cursor);
    expect(again.ids).toEqual([]);
  });

  it('gives a new integration a cursor for now: no history, then every change committed after it, even one whose transaction began before', async () => {
    const history = (await readAll(ACME)).ids;
    // A transaction that took its log position before the head was asked for, and a fast
    // one that committed ahead of it: a head at the newest committed event would skip the slow one.
    const slow = db.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await appendEvent(slow.manager, {
      type: 'CustomerUpdated',
      source: 'test',
      aggregateType: 'Customer',
      aggregateId: 'slow-head',
      payload: {},
      visibleTo: [ACME.partnerId!],
    });
    await upsertCustomersAs(ACME, 'acme-crm', rows('BEFOREHEAD', 2));
    const head = await withTenant(ACME, () => feedHead(db));
    await upsertCustomersAs(ACME, 'acme-crm', rows('AFTERHEAD', 2));
    await slow.commitTransaction();
    await slow.release();
    const fromHead = await readAll(ACME, head);
    expect(fromHead.ids.filter((i) => history.includes(i))).toEqual([]);
    const expected: { id: string }[] = await db.query(
      `SELECT id FROM eventlog.events WHERE $1::uuid = ANY(visible_to) AND (aggregate_id = 'slow-head' OR payload->'customer'->>'name' LIKE 'AFTERHEAD %') ORDER BY tx, seq`,
      [ACME.partnerId],
    );
    expect(expected).toHaveLength(3);
    expect(fromHead.ids).toEqual(expect.arrayContaining(expected.map((e) => e.id)));
    // Nothing new: the head's page is empty and hands the same cursor back to poll with.
    const idle = await withTenant(ACME, () => feedHead(db));
    const empty = await readChangesAs(ACME, { after: idle, retentionDays: 0 });
    expect(empty.nodes).toEqual([]);
    expect(empty.pageInfo.endCursor).toBe(idle);
  });

  it('refuses malformed cursors and page sizes as BAD_USER_INPUT', async () => {
    await expect(readChangesAs(ACME, { after: 'bm90LWEtY3Vyc29y', retentionDays: 0 })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    await expect(readChangesAs(ACME, { first: 0, retentionDays: 0 })).rejects.toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', fields: [{ field: 'first' }] },
    });
    await expect(readChangesAs(ACME, { first: 251, retentionDays: 0 })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('serves only the retention window when one is configured, and says when a cursor fell out of it', async () => {
    const everything = await readChangesAs(ACME, { first: 250, retentionDays: 0 });
    const old = everything.nodes.slice(0, 4).map((n) => n.id);
    // The log is append-only even for the hub itself (RLS): only the admin can backdate it.
    await database.asAdmin(`UPDATE eventlog.events SET occurred_at = now() - interval '10 days' WHERE id = ANY($1::uuid[])`, [old]);
    const fresh = await readChangesAs(ACME, { first: 250, retentionDays: 7 });
    expect(fresh.truncated).toBe(false);
    expect(fresh.nodes.map((n) => n.id)).toEqual(everything.nodes.slice(4).map((n) => n.id));
    const stale = await readChangesAs(ACME, { after: everything.edges[0]!.cursor, first: 250, retentionDays: 7 });
    expect(stale.truncated).toBe(true);
    expect(stale.nodes.map((n) => n.id)).toEqual(everything.nodes.slice(4).map((n) => n.id));
    const within = await readChangesAs(ACME, { after: everything.edges[5]!.cursor, first: 250, retentionDays: 7 });
    expect(within.truncated).toBe(false);
    expect(within.nodes.map((n) => n.id)).toEqual(everything.nodes.slice(6).map((n) => n.id));
  });
});
