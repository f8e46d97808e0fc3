import { DataSource } from 'typeorm';
import type { DurableConsumer } from '../../shared/eventlog/durable-consumer';
import type { NewEvent } from '../../shared/eventlog/event-log';
import { migrateEventLog } from '../../shared/eventlog/event-log.migration';
import { EventReader } from '../../shared/eventlog/event-reader';
import type { Logger } from '../../shared/logger';
import { createTestDatabase, type TestDatabase } from '../support/database';

let n = 0;
/** An event of `type` with a fresh aggregate id. */
export const testEvent = (type: string): NewEvent => ({ type, source: 'test', aggregateType: 'T', aggregateId: String(++n), payload: { n }, visibleTo: [] });

/**
 * The event log's integration tests' common ground: a database with the event log and a
 * `test.applied` table (what recording consumers applied), pools counted under their own
 * application_name, readers without a safety-net poll (every read comes from a notification)
 * and one leftovers stack: consumers and readers stop after each test (after `afterEach`
 * hooks the caller registered, e.g. opening gates), pools and the database after all.
 */
export function useEventLogTestbed(log: Logger) {
  let database: TestDatabase | undefined;
  const sources: DataSource[] = [];
  const readers: EventReader[] = [];
  const consumers: DurableConsumer[] = [];
  const beforeStopping: (() => void)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    const ds = await pool('hub-test-setup');
    const runner = ds.createQueryRunner();
    await migrateEventLog(runner);
    await runner.release();
    await ds.query(`CREATE SCHEMA test`);
    await ds.query(`CREATE TABLE test.applied (id bigserial PRIMARY KEY, consumer text NOT NULL, event_id uuid NOT NULL)`);
  });
  afterEach(async () => {
    for (const f of beforeStopping) f();
    for (const c of consumers.splice(0)) await c.stop();
    for (const r of readers.splice(0)) await r.stop();
  });
  afterAll(async () => {
    for (const ds of sources) await ds.destroy();
    await database?.drop();
  });

  const db = (): TestDatabase => {
    if (!database) throw new Error('the event-log testbed has no database before beforeAll');
    return database;
  };
  /** A pool whose statements are counted under its own application_name. */
  async function pool(application: string): Promise<DataSource> {
    const ds = await new DataSource({ type: 'postgres', url: db().url, applicationName: application, extra: { max: 3 } }).initialize();
    sources.push(ds);
    return ds;
  }
  /** A started reader with no safety-net poll within a test (so no idle positions stored either). */
  async function reader(): Promise<EventReader> {
    const r = new EventReader({ url: db().url, log, pollMs: 600_000 });
    readers.push(r);
    await r.start();
    return r;
  }
  return {
    database: db,
    pool,
    reader,
    /** Consumers pushed here are stopped after each test (a test that stops one itself takes it out). */
    consumers,
    /** The started readers, stopped after each test likewise. */
    readers,
    /** Runs first after each test, before consumers and readers stop. */
    beforeStopping: (f: () => void) => beforeStopping.push(f),
  };
}
