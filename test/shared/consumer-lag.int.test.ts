import { DataSource, type EntityManager } from 'typeorm';
import { sqlCounts } from '../../shared/db/sql-meter';
import { DurableConsumer } from '../../shared/eventlog/durable-consumer';
import { appendEvents, type HubEvent, type NewEvent } from '../../shared/eventlog/event-log';
import { LAG_SCAN_ROWS } from '../../shared/eventlog/event-reader';
import { createLogger } from '../../shared/logger';
import { LAG_COUNT_CAP, registry } from '../../shared/observability/metrics';
import { testEvent, useEventLogTestbed } from './event-log-testbed';

const log = createLogger('consumer-lag-test', 'silent');
const event = testEvent;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Holds a consumer's handler (inside its batch transaction) while closed. */
class Gate {
  private closed = false;
  private waiting: (() => void)[] = [];
  /** Batches that reached the handler. */
  entered = 0;
  close(): void {
    this.closed = true;
  }
  open(): void {
    this.closed = false;
    for (const w of this.waiting.splice(0)) w();
  }
  async pass(): Promise<void> {
    this.entered++;
    while (this.closed) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}

/** One /metrics scrape of this process: both lag gauges by consumer, and the SQL statements it sent. */
async function scrape() {
  const before = sqlCounts().statements;
  const text = await registry.metrics();
  const statements = sqlCounts().statements - before;
  const series = (name: string) => {
    const out = new Map<string, number>();
    for (const line of text.split('\n')) {
      const m = new RegExp(`^${name}\\{consumer="([^"]+)"\\} (\\S+)$`).exec(line);
      if (m) out.set(m[1]!, Number(m[2]));
    }
    return out;
  };
  return { statements, events: series('hub_eventlog_consumer_lag_events'), seconds: series('hub_eventlog_consumer_lag_seconds') };
}

async function waitFor(what: string, done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await done()) return;
    await pause(20);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('event-log lag gauges: the consumers this process runs, from memory and at most one statement per scrape', () => {
  const { database, pool, reader, consumers, beforeStopping } = useEventLogTestbed(log);
  const gates: Gate[] = [];
  beforeStopping(() => {
    for (const g of gates.splice(0)) g.open();
  });
  /** A consumer that records what it applies; its handler waits at `gate` while that is closed. */
  const recorder = (ds: DataSource, name: string, types: string[], gate = new Gate()) => {
    gates.push(gate);
    const c = new DurableConsumer({
      name,
      dataSource: ds,
      log,
      types,
      handle: async (events: HubEvent[], manager: EntityManager) => {
        await gate.pass();
        await manager.query(`INSERT INTO test.applied (consumer, event_id) SELECT $1, unnest($2::uuid[])`, [name, events.map((e) => e.id)]);
      },
    });
    consumers.push(c);
    return { consumer: c, gate };
  };
  const applied = async (name: string) =>
    (await database().asAdmin<{ n: number }>(`SELECT count(*)::int AS n FROM test.applied WHERE consumer = $1`, [name]))[0]!.n;
  const append = (ds: DataSource, events: NewEvent[]) => ds.transaction((m) => appendEvents(m, events));
  /** Many events of one type in one statement, as the superuser, without a notification. */
  const appendMany = (type: string, count: number) =>
    database().asAdmin(
      `INSERT INTO eventlog.events (type, source, aggregate_type, aggregate_id, payload) SELECT $1, 'test', 'T', g::text, '{}' FROM generate_series(1, $2::int) g`,
      [type, count],
    );

  it('reads 0 when caught up, N with a positive age while N events of its types wait, and nothing for events of other types', async () => {
    const writer = await pool('hub-test-writer1');
    const r = await reader();
    const slow = recorder(await pool('hub-test-slow'), 'slow', ['Slow']);
    const fast = recorder(await pool('hub-test-fast'), 'fast', ['Fast']);
    await slow.consumer.start(r);
    await fast.consumer.start(r);

    const idle = await scrape();
    expect(idle.events).toEqual(
      new Map([
        ['slow', 0],
        ['fast', 0],
      ]),
    );
    expect(idle.seconds).toEqual(
      new Map([
        ['slow', 0],
        ['fast', 0],
      ]),
    );
    expect(idle.statements).toBeLessThanOrEqual(1);

    // "slow" is handed three events and blocked applying them; "fast" applies its own.
    slow.gate.close();
    await append(writer, [event('Slow'), event('Fast'), event('Slow'), event('Fast'), event('Slow')]);
    await waitFor('the slow batch to start', () => slow.gate.entered > 0);
    await fast.consumer.drain();
    await pause(20);
    const blocked = await scrape();
    expect(blocked.events.get('slow')).toBe(3);
    expect(blocked.seconds.get('slow')).toBeGreaterThan(0);
    expect(blocked.events.get('fast')).toBe(0);
    expect(blocked.seconds.get('fast')).toBe(0);
    expect(blocked.statements).toBeLessThanOrEqual(1);

    // Events of other types only: nothing more for "slow". (They wait behind its open batch
    // transaction, unread: the one "Fast" counts for "fast" from after the reader's head.)
    await append(writer, [event('Fast'), event('Unrelated')]);
    const others = await scrape();
    expect(others.events.get('slow')).toBe(3);
    expect(others.events.get('fast')).toBe(1);

    slow.gate.open();
    await slow.consumer.drain();
    await fast.consumer.drain();
    expect(await applied('slow')).toBe(3);
    expect(await applied('fast')).toBe(3);
    const caughtUp = await scrape();
    expect(caughtUp.events).toEqual(
      new Map([
        ['slow', 0],
        ['fast', 0],
      ]),
    );
    expect(caughtUp.seconds).toEqual(
      new Map([
        ['slow', 0],
        ['fast', 0],
      ]),
    );
  });

  it('counts events committed after the reader’s head: those held back behind an open transaction', async () => {
    const writer = await pool('hub-test-writer2');
    const r = await reader();
    const held = recorder(await pool('hub-test-held'), 'held', ['Held']);
    await held.consumer.start(r);
    const open = writer.createQueryRunner();
    await open.connect();
    await open.startTransaction();
    await open.query(`SELECT pg_current_xact_id()`); // older and open: the reader may not read past it
    await append(writer, [event('Held'), event('Held'), event('Other'), event('Held'), event('Held')]);
    await pause(50);
    const behindOpen = await scrape();
    expect(await applied('held')).toBe(0);
    expect(behindOpen.events.get('held')).toBe(4);
    expect(behindOpen.seconds.get('held')).toBeGreaterThan(0);

    await open.commitTransaction();
    await open.release();
    await waitFor('the held events to be applied', async () => (await applied('held')) === 4);
    await held.consumer.drain();
    const after = await scrape();
    expect(after.events.get('held')).toBe(0);
    expect(after.seconds.get('held')).toBe(0);
  });

  it('a consumer catching up a backlog after start reports the backlog from its stored position, not 0', async () => {
    const writer = await pool('hub-test-writer3');
    // Committed before the consumer starts: 30 of its type among others.
    for (let i = 0; i < 3; i++) await append(writer, [...Array.from({ length: 10 }, () => event('Backlog')), event('Noise')]);
    const r = await reader();
    const late = recorder(await pool('hub-test-late'), 'late', ['Backlog']);
    late.gate.close();
    const starting = late.consumer.start(r);
    await waitFor('the catch-up batch to start', () => late.gate.entered > 0);
    await pause(20);
    const catchingUp = await scrape();
    expect(catchingUp.events.get('late')).toBe(30);
    expect(catchingUp.seconds.get('late')).toBeGreaterThan(0);
    expect(catchingUp.statements).toBeLessThanOrEqual(1);

    late.gate.open();
    await starting;
    expect(await applied('late')).toBe(30);
    expect((await scrape()).events.get('late')).toBe(0);
  });

  it('a scrape sends at most one statement however far stored positions trail, and reports only the consumers this instance runs', async () => {
    const [r1, r2] = [await reader(), await reader()];
    const quiet = recorder(await pool('hub-test-quiet'), 'quiet', ['Quiet']);
    const a = recorder(await pool('hub-test-one'), 'shared', ['Shared']);
    const b = recorder(await pool('hub-test-two'), 'shared', ['Shared']);
    await quiet.consumer.start(r1);
    await a.consumer.start(r1);
    await b.consumer.start(r2);
    expect(r1.owns('shared')).toBe(true);
    expect(r2.owns('shared')).toBe(false);

    // Thousands of events of no type they handle: the quiet consumer's stored position (and
    // the reader's head) trail all of them; nothing stores idle positions within the test.
    await appendMany('Noise', 5000);
    const [trailing] = await database().asAdmin<{ n: number }>(
      `SELECT count(*)::int AS n FROM eventlog.events e, eventlog.consumers c WHERE c.name = 'quiet' AND (e.tx, e.seq) > (c.tx, c.seq)`,
    );
    expect(trailing!.n).toBeGreaterThanOrEqual(5000);
    for (let i = 0; i < 3; i++) {
      const s = await scrape();
      expect(s.statements).toBeLessThanOrEqual(1);
      expect(s.events).toEqual(
        new Map([
          ['quiet', 0],
          ['shared', 0],
        ]),
      );
    }
    // The standby instance reports nothing, not even a 0: it does not run the consumer.
    expect(await r2.consumerLag()).toEqual([]);

    // The running instance goes: the series moves with the consumer to the instance that takes it over.
    await a.consumer.stop();
    await quiet.consumer.stop();
    await r1.stop();
    await waitFor('the other instance to take over', () => r2.owns('shared'));
    await b.consumer.drain();
    const moved = await scrape();
    expect(moved.events).toEqual(new Map([['shared', 0]]));
    expect(moved.statements).toBeLessThanOrEqual(1);
  });

  it('reads at most LAG_SCAN_ROWS rows of the log after the reader’s head per scrape; the next scrape goes on from there', async () => {
    const r = await reader();
    const sparse = recorder(await pool('hub-test-sparse'), 'sparse', ['Sparse']);
    await sparse.consumer.start(r);
    // Committed without a notification, so the reader does not read them: past a scan's
    // worth of other events, three of its type.
    await appendMany('Noise', LAG_SCAN_ROWS + 10);
    await appendMany('Sparse', 3);
    const first = await scrape();
    expect(first.statements).toBeLessThanOrEqual(1);
    expect(first.events.get('sparse')).toBe(0); // a lower bound: the scan stopped before them
    const second = await scrape();
    expect(second.statements).toBeLessThanOrEqual(1);
    expect(second.events.get('sparse')).toBe(3);
    expect(second.seconds.get('sparse')).toBeGreaterThan(0);

    await sparse.consumer.drain();
    expect(await applied('sparse')).toBe(3);
    expect((await scrape()).events.get('sparse')).toBe(0);
  });

  it('a consumer’s count stops at LAG_COUNT_CAP: a backlog past it reads as the cap', async () => {
    const r = await reader();
    await appendMany('Flood', LAG_COUNT_CAP + 5);
    const flooded = recorder(await pool('hub-test-flooded'), 'flooded', ['Flood']);
    flooded.gate.close();
    const starting = flooded.consumer.start(r);
    await waitFor('the catch-up batch to start', () => flooded.gate.entered > 0);
    // The reader has read the flood too (handing it to the consumer, which holds at most
    // 10,000 and then reads the log itself): every part of the count is past the cap.
    await r.flush();
    const s = await scrape();
    expect(s.events.get('flooded')).toBe(LAG_COUNT_CAP);
    expect(s.statements).toBeLessThanOrEqual(1);
    flooded.gate.open();
    await starting;
  });
});
