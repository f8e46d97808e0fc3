import { randomUUID } from 'node:crypto';
import { DurableConsumer } from '../../../shared/eventlog/durable-consumer';
import { HANDOFF_EXPIRED, SLA_ESCALATION_REQUESTED } from '../../../shared/eventlog/events';
import { createHandoffsServer } from '../src/server';
import { handoffSnapshot } from '../src/services/handoff-events';
import { proposeHandoff } from '../src/services/propose.service';
import { accountsEvents, asPartner, customerCreated, eventsOf, proposal, publish, silentLog, startHandoffsFixture, type HandoffsFixture } from './fixture';

const SECRET = 'dev-only-identity-secret-change-me-in-production';

describe('outbox recovery: events committed while nothing consumed them', () => {
  let f: HandoffsFixture;
  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
    // The services' role may not create tables: the test's own table is made by the admin.
    await f.database.asAdmin(`CREATE TABLE public.seen (event_id uuid PRIMARY KEY, times int NOT NULL)`);
    await f.database.asAdmin(`GRANT ALL ON public.seen TO PUBLIC`);
  });
  afterAll(() => f?.stop());

  /** A consumer that counts how often each event's effect committed. */
  const recorder = (crashOnBatch?: number) => {
    let batch = 0;
    return new DurableConsumer({
      name: 'test.recorder',
      dataSource: f.db,
      log: silentLog,
      batchSize: 10,
      async handle(events, manager) {
        for (const e of events) {
          await manager.query(`INSERT INTO public.seen (event_id, times) VALUES ($1, 1) ON CONFLICT (event_id) DO UPDATE SET times = seen.times + 1`, [e.id]);
        }
        // A crash after the effects were written but before the position moved: both roll back.
        if (++batch === crashOnBatch) throw new Error('simulated crash');
      },
    });
  };

  it('applies every event exactly once across a crash and a restart', async () => {
    const ids = Array.from({ length: 45 }, () => randomUUID());
    await accountsEvents(
      f.db,
      ids.map((id, i) => customerCreated(id, `Offline ${i}`, f.A)),
    );
    const total = (await f.db.query(`SELECT count(*)::int AS n FROM eventlog.events`))[0].n;

    const crashing = recorder(3);
    await crashing.drain(); // batches 1 and 2 commit, batch 3 fails and is rolled back
    expect((await f.db.query(`SELECT count(*)::int AS n FROM public.seen`))[0].n).toBe(20);
    await crashing.stop();

    await recorder().drain(); // "after restart": resumes from the durable position
    const seen: { times: number }[] = await f.db.query(`SELECT times FROM public.seen`);
    expect(seen).toHaveLength(total);
    expect(seen.every((s) => s.times === 1)).toBe(true);
  });

  it('a handoffs instance starting up applies what was committed while none ran', async () => {
    // While handoffs is down: accounts creates a customer, and slas escalates a handoff.
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const offline = randomUUID();
    await accountsEvents(f.db, [
      customerCreated(offline, 'Created while handoffs was down', f.C),
      {
        type: SLA_ESCALATION_REQUESTED,
        source: 'slas',
        aggregateType: 'SlaClock',
        aggregateId: randomUUID(),
        payload: { clock: { target: 'ACCEPT' }, handoff: handoffSnapshot(h), action: 'RECLAIM', reassignToPartnerId: null } as never,
        visibleTo: [],
      },
    ]);
    const server = await createHandoffsServer({ dataSource: f.db, identitySecret: SECRET, log: silentLog });
    try {
      expect(await f.db.query(`SELECT name, owner_partner_id AS owner FROM handoffs.customers WHERE id = $1`, [offline])).toEqual([
        { name: 'Created while handoffs was down', owner: f.C },
      ]);
      expect((await f.db.query(`SELECT state FROM handoffs.handoffs WHERE id = $1`, [h.id]))[0].state).toBe('EXPIRED');
    } finally {
      await server.stop();
    }
    // A second start replays nothing.
    const again = await createHandoffsServer({ dataSource: f.db, identitySecret: SECRET, log: silentLog });
    await again.catchUp();
    await again.stop();
    expect(await eventsOf(f.db, h.id, HANDOFF_EXPIRED)).toHaveLength(1);
  });
});
