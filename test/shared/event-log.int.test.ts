import { DataSource } from 'typeorm';
import { EventRelay } from '../../shared/eventlog/event-relay';
import { createLogger } from '../../shared/logger';
import { appendEvents, readEvents, headPosition, START_POSITION, type NewEvent } from '../../shared/eventlog/event-log';
import { migrateEventLog } from '../../shared/eventlog/event-log.migration';
import { createTestDatabase, type TestDatabase } from '../support/database';

const event = (n: number): NewEvent => ({ type: 'TestEvent', source: 'test', aggregateType: 'T', aggregateId: String(n), payload: { n }, visibleTo: [] });

describe('event log order', () => {
  let database: TestDatabase;
  let db: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    const runner = db.createQueryRunner();
    await migrateEventLog(runner);
    await runner.release();
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  it('reads events in commit-transaction order across a transaction id with more digits (999 → 1000)', async () => {
    const xid = async () => Number((await db.query(`SELECT pg_current_xact_id()::text AS x`))[0].x);
    const current = await xid();
    const boundary = 10 ** String(current).length;
    // One event per transaction, until the transaction ids gain a digit.
    let n = 0;
    // Burn transaction ids on the server, one per COMMIT inside a DO block: the gap to the next
    // power of ten grows with the cluster's age (tens of thousands once the suite has run a while),
    // and one round trip per id took longer than the test's timeout.
    const gap = boundary - 3 - (await xid());
    if (gap > 0) await db.query(`DO $$ BEGIN FOR i IN 1..${gap} LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$`);
    while ((await xid()) < boundary - 3) await db.query(`SELECT pg_current_xact_id()`);
    while ((await xid()) < boundary + 3) {
      await db.transaction((m) => appendEvents(m, [event(n++)]));
    }
    // Readers never read past a transaction still open anywhere in the cluster (an autovacuum
    // ANALYZE takes a transaction id too): wait for the cluster to settle before reading.
    let events = await readEvents(db.manager, { after: START_POSITION, limit: 1000 });
    for (let i = 0; i < 100 && events.length < n; i++) {
      await new Promise((r) => setTimeout(r, 100));
      events = await readEvents(db.manager, { after: START_POSITION, limit: 1000 });
    }
    expect(events.map((e) => e.payload.n)).toEqual([...Array(n).keys()]);
    expect(Number(events[events.length - 1]?.position.tx)).toBeGreaterThanOrEqual(boundary);
    expect(await headPosition(db.manager)).toEqual(events[events.length - 1]!.position);
    const afterFirst = await readEvents(db.manager, { after: events[0]!.position, limit: 1000 });
    expect(afterFirst.map((e) => e.payload.n)).toEqual([...Array(n).keys()].slice(1));
  });

  it('starts a relay at "now": events committed before it started are not announced, even behind an open transaction', async () => {
    const slow = db.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await slow.query(`SELECT pg_current_xact_id()`); // an older transaction, still open
    await db.transaction((m) => appendEvents(m, [event(1001)])); // newer, committed before start
    const relay = new EventRelay({ url: database.url, log: createLogger('relay-test', 'silent'), pollMs: 50 });
    const seen: unknown[] = [];
    relay.subscribe((e) => seen.push(e.payload.n));
    await relay.start();
    await appendEvents(slow.manager, [event(1002)]);
    await slow.commitTransaction();
    await slow.release();
    await db.transaction((m) => appendEvents(m, [event(1003)]));
    await relay.flush();
    await relay.stop();
    expect(seen).toEqual([1002, 1003]);
  });
});
