import { DataSource, type EntityManager, type QueryRunner } from 'typeorm';
import { sqlCounts } from '../../shared/db/sql-meter';
import { DurableConsumer } from '../../shared/eventlog/durable-consumer';
import { appendEvents, type HubEvent, type NewEvent } from '../../shared/eventlog/event-log';
import { EventReader } from '../../shared/eventlog/event-reader';
import { EventRelay } from '../../shared/eventlog/event-relay';
import { createLogger } from '../../shared/logger';
import { testEvent, useEventLogTestbed } from './event-log-testbed';

const log = createLogger('event-reader-test', 'silent');
const event = testEvent;

describe('event reader and durable consumers', () => {
  const { database, pool, reader, consumers, readers } = useEventLogTestbed(log);
  /** A consumer that records each event it applies in test.applied, in its own transaction. */
  const recorder = (ds: DataSource, name: string, types: string[] | undefined, opts: { fail?: () => boolean; batches?: HubEvent[][] } = {}) => {
    const c = new DurableConsumer({
      name,
      dataSource: ds,
      log,
      types,
      handle: async (events: HubEvent[], manager: EntityManager) => {
        opts.batches?.push(events);
        if (opts.fail?.()) throw new Error('handler failed');
        await manager.query(`INSERT INTO test.applied (consumer, event_id) SELECT $1, unnest($2::uuid[])`, [name, events.map((e) => e.id)]);
      },
    });
    consumers.push(c);
    return c;
  };
  const applied = async (name: string) =>
    (await database().asAdmin<{ event_id: string }>(`SELECT event_id::text FROM test.applied WHERE consumer = $1 ORDER BY id`, [name])).map((r) => r.event_id);
  const append = async (ds: DataSource, events: NewEvent[]) => {
    const ids: string[] = [];
    await ds.transaction(async (m) => {
      await appendEvents(m, events);
      const rows: { id: string }[] = await m.query(`SELECT id::text FROM eventlog.events WHERE tx = pg_current_xact_id() ORDER BY seq`);
      ids.push(...rows.map((r) => r.id));
    });
    return ids;
  };

  /** Ends an open transaction after `ms` while the test waits on something it holds up. */
  const commitLater = (runner: QueryRunner, ms: number) =>
    new Promise<void>((resolve) =>
      setTimeout(
        () =>
          void runner
            .commitTransaction()
            .then(() => runner.release())
            .then(resolve),
        ms,
      ),
    );

  it('hands each consumer only its types; a consumer with nothing to do issues no SQL', async () => {
    const writer = await pool('hub-test-writer');
    const r = await reader();
    const busy = recorder(await pool('hub-test-busy'), 'busy', ['Wanted']);
    const idle = recorder(await pool('hub-test-idle'), 'idle', ['Other']);
    await busy.start(r);
    await idle.start(r);
    const idleBefore = sqlCounts((a) => a === 'hub-test-idle');
    const readerBefore = sqlCounts((a) => a === 'hub-event-reader');
    const ids = await append(writer, [event('Wanted'), event('Unrelated'), event('Wanted')]);
    await busy.drain();
    await idle.drain();
    expect(await applied('busy')).toEqual([ids[0], ids[2]]);
    expect(await applied('idle')).toEqual([]);
    expect(sqlCounts((a) => a === 'hub-test-idle')).toEqual(idleBefore);
    // The log is read once for the whole process, however many consumers it has.
    expect(sqlCounts((a) => a === 'hub-event-reader').statements - readerBefore.statements).toBeLessThanOrEqual(3);
  });

  it('a notification naming no type of interest costs no read', async () => {
    const writer = await pool('hub-test-writer2');
    const r = await reader();
    await recorder(await pool('hub-test-narrow'), 'narrow', ['OnlyThis']).start(r);
    const before = sqlCounts((a) => a === 'hub-event-reader');
    await append(writer, [event('SomethingElse')]);
    // A later commit of interest is read; the first one did not cost a read of its own.
    await append(writer, [event('OnlyThis')]);
    await consumers[0]!.drain();
    const reads = sqlCounts((a) => a === 'hub-event-reader').statements - before.statements;
    expect(reads).toBeLessThanOrEqual(2); // the notified read, and drain()'s own read to now
    expect(await applied('narrow')).toHaveLength(1);
  });

  it('applies a burst in one transaction', async () => {
    const writer = await pool('hub-test-writer3');
    const r = await reader();
    const batches: HubEvent[][] = [];
    const c = recorder(await pool('hub-test-burst'), 'burst', ['Burst'], { batches });
    await c.start(r);
    // One commit of 50 events: one read, one consumer transaction.
    await append(
      writer,
      Array.from({ length: 50 }, () => event('Burst')),
    );
    await c.drain();
    expect(batches.map((b) => b.length)).toEqual([50]);
  });

  it('reads commits that follow each other closely together: one read per gap, one consumer transaction per read', async () => {
    const writer = await pool('hub-test-writer-gap');
    const gapMs = 250;
    const r = new EventReader({ url: database().url, log, pollMs: 600_000, readGapMs: gapMs });
    readers.push(r);
    await r.start();
    const batches: HubEvent[][] = [];
    const c = recorder(await pool('hub-test-gap'), 'gap', ['Gapped'], { batches });
    await c.start(r);
    const reads = () => sqlCounts((a) => a === 'hub-event-reader').statements;
    // After a quiet spell the first commit is read at once; the next ones, each its own
    // transaction and notification, wait out the gap and are read together.
    const before = reads();
    const started = Date.now();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push(...(await append(writer, [event('Gapped')])));
    await c.drain();
    const gaps = Math.ceil((Date.now() - started) / gapMs);
    expect(await applied('gap')).toEqual(ids);
    // Without the gap: a read and a consumer transaction per commit, twelve of each.
    expect(reads() - before).toBeLessThanOrEqual(gaps + 1);
    expect(batches.length).toBeLessThanOrEqual(gaps + 1);
    expect(batches.length).toBeLessThan(12);
  });

  it('with two instances each event is applied exactly once, by the instance that runs the consumer', async () => {
    const writer = await pool('hub-test-writer4');
    const [r1, r2] = [await reader(), await reader()];
    const a = recorder(await pool('hub-test-one'), 'shared', ['Shared']);
    const b = recorder(await pool('hub-test-two'), 'shared', ['Shared']);
    await a.start(r1);
    await b.start(r2);
    expect([r1.owns('shared'), r2.owns('shared')].sort()).toEqual([false, true]);
    const standby = r1.owns('shared') ? 'hub-test-two' : 'hub-test-one';
    const before = sqlCounts((x) => x === standby);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(...(await append(writer, [event('Shared'), event('Shared')])));
    await a.catchUp(5000);
    await b.catchUp(5000);
    expect(await applied('shared')).toEqual(ids);
    // The standby only waited (catchUp): it applied nothing and read no events.
    const standbyStatements = sqlCounts((x) => x === standby).statements - before.statements;
    expect(standbyStatements).toBeGreaterThan(0);
    expect((await database().asAdmin(`SELECT 1 FROM test.applied WHERE consumer = 'shared' GROUP BY event_id HAVING count(*) > 1`)).length).toBe(0);

    // The running instance stops: the other takes over and applies what comes next, once.
    const running = r1.owns('shared') ? { c: a, r: r1 } : { c: b, r: r2 };
    const other = running.r === r1 ? { c: b, r: r2 } : { c: a, r: r1 };
    await running.c.stop();
    await running.r.stop();
    for (let i = 0; i < 100 && !other.r.owns('shared'); i++) await new Promise((res) => setTimeout(res, 50));
    expect(other.r.owns('shared')).toBe(true);
    const more = await append(writer, [event('Shared')]);
    await other.c.drain();
    expect(await applied('shared')).toEqual([...ids, ...more]);
  });

  it('a restart applies what was committed meanwhile from the stored position: nothing twice, nothing skipped', async () => {
    const writer = await pool('hub-test-writer5');
    const ds = await pool('hub-test-restart');
    let r = await reader();
    let c = recorder(ds, 'restart', ['Mine']);
    await c.start(r);
    const first = await append(writer, [event('Mine'), event('NotMine')]);
    await c.drain();
    await c.stop();
    await r.stop();
    readers.splice(0);
    consumers.splice(0);
    // While it is down: events of its type and of others.
    const missed = await append(writer, [event('NotMine'), event('Mine'), event('NotMine'), event('Mine')]);
    r = await reader();
    c = recorder(ds, 'restart', ['Mine']);
    await c.start(r);
    expect(await applied('restart')).toEqual([first[0], missed[1], missed[3]]);
  });

  it('a failing handler moves nothing and is retried; other consumers carry on', async () => {
    const writer = await pool('hub-test-writer6');
    const r = await reader();
    let failing = true;
    const flaky = recorder(await pool('hub-test-flaky'), 'flaky', ['Retry'], { fail: () => failing });
    const steady = recorder(await pool('hub-test-steady'), 'steady', ['Retry']);
    await flaky.start(r);
    await steady.start(r);
    const ids = await append(writer, [event('Retry')]);
    await steady.drain();
    await flaky.drain();
    expect(await applied('steady')).toEqual(ids);
    expect(await applied('flaky')).toEqual([]);
    failing = false;
    // The retry comes by itself (0.5 s after the failure).
    for (let i = 0; i < 100 && (await applied('flaky')).length === 0; i++) await new Promise((res) => setTimeout(res, 50));
    expect(await applied('flaky')).toEqual(ids);
  });

  it('an event committed behind an open transaction arrives once that one ends, even if it notifies nothing', async () => {
    const writer = await pool('hub-test-writer7');
    const r = await reader();
    const c = recorder(await pool('hub-test-held'), 'held', ['Held']);
    await c.start(r);
    const slow = writer.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await slow.query(`SELECT pg_current_xact_id()`); // older, open, appends nothing
    const ids = await append(writer, [event('Held')]);
    await new Promise((res) => setTimeout(res, 200));
    expect(await applied('held')).toEqual([]); // not readable yet: an older transaction is open
    await slow.commitTransaction();
    await slow.release();
    // No notification follows and the poll is 10 minutes away: the reader looks again by itself.
    for (let i = 0; i < 100 && (await applied('held')).length === 0; i++) await new Promise((res) => setTimeout(res, 50));
    expect(await applied('held')).toEqual(ids);
  });

  it("drain waits for an event committed behind an open transaction: a read of one's own write sees it", async () => {
    const writer = await pool('hub-test-writer10');
    const r = await reader();
    const c = recorder(await pool('hub-test-own-write'), 'own-write', ['OwnWrite']);
    await c.start(r);
    const slow = writer.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await slow.query(`SELECT pg_current_xact_id()`); // older, open: holds the event back
    const ids = await append(writer, [event('OwnWrite')]);
    // The open transaction ends while the drain waits (a consumer's batch, another request).
    const ends = commitLater(slow, 150);
    await c.drain();
    expect(await applied('own-write')).toEqual(ids);
    await ends;
  });

  it('drain waits while the position row is locked a moment elsewhere (the reader storing idle positions, an instance taking over)', async () => {
    const writer = await pool('hub-test-writer11');
    const r = await reader();
    const c = recorder(await pool('hub-test-locked'), 'locked', ['Locked']);
    await c.start(r);
    // The lock is taken by a transaction newer than the event's, so it does not hold the event back.
    const appending = writer.createQueryRunner();
    await appending.connect();
    await appending.startTransaction();
    await appendEvents(appending.manager, [event('Locked')]);
    const ids = ((await appending.query(`SELECT id::text FROM eventlog.events WHERE tx = pg_current_xact_id()`)) as { id: string }[]).map((e) => e.id);
    const holder = writer.createQueryRunner();
    await holder.connect();
    await holder.startTransaction();
    await holder.query(`SELECT 1 FROM eventlog.consumers WHERE name = 'locked' FOR UPDATE`);
    await appending.commitTransaction();
    await appending.release();
    const ends = commitLater(holder, 300);
    await c.drain();
    expect(await applied('locked')).toEqual(ids);
    await ends;
  });

  it('without a reader, drain waits for an event committed behind an open transaction', async () => {
    const writer = await pool('hub-test-writer12');
    const c = recorder(await pool('hub-test-alone'), 'alone', ['Alone']);
    const slow = writer.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await slow.query(`SELECT pg_current_xact_id()`); // older, open: holds the event back
    const ids = await append(writer, [event('Alone')]);
    const ends = commitLater(slow, 150);
    await c.drain();
    expect(await applied('alone')).toEqual(ids);
    await ends;
  });

  it('a consumer that adds types reads the log for them from its stored position', async () => {
    const writer = await pool('hub-test-writer8');
    const r = await reader();
    const ds = await pool('hub-test-grow');
    // Several rounds: the reader hands the new types' events while the consumer's own batch
    // is starting, and an event handed then must be applied once, not again by the next batch.
    for (let round = 0; round < 12; round++) {
      const [first, later] = [`First${round}`, `Later${round}`];
      const c = recorder(ds, `grow${round}`, [first]);
      await c.start(r);
      const ids = await append(writer, [event(first), event(later)]);
      await c.drain();
      expect(await applied(`grow${round}`)).toEqual([ids[0]]);
      // "Later" was committed (and passed by the reader) before the consumer wanted it; it is
      // after the consumer's stored position, so it is applied now, once.
      c.setTypes([first, later]);
      await c.drain();
      expect(await applied(`grow${round}`)).toEqual(ids);
    }
  });

  it('a subscription relay reads only while subscriptions are open, and misses nothing committed after one opens', async () => {
    const writer = await pool('hub-test-writer9');
    const relay = new EventRelay({ url: database().url, log, types: ['Live'], pollMs: 600_000, onlyWhileSubscribed: true });
    const seen: string[] = [];
    relay.subscribe((e) => seen.push(e.id));
    await relay.start();
    try {
      const before = sqlCounts((a) => a === 'hub-event-reader');
      await append(writer, [event('Live')]);
      await relay.flush();
      expect(sqlCounts((a) => a === 'hub-event-reader')).toEqual(before);
      await relay.setSubscribed(true);
      const ids = await append(writer, [event('Live')]);
      await relay.flush();
      expect(seen).toEqual(ids);
    } finally {
      await relay.stop();
    }
  });
});
