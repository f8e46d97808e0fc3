import { GraphQLError } from 'graphql';
import { HANDOFF_ACCEPTED, OWNERSHIP_CHANGED } from '../../../shared/eventlog/events';
import type { Handoff } from '../src/entities/handoff.entity';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff, cancelHandoff } from '../src/services/transition.service';
import { asPartner, eventsOf, proposal, publish, startHandoffsFixture, type HandoffsFixture } from './fixture';

const codeOf = (r: PromiseSettledResult<unknown>) => (r.status === 'rejected' ? ((r.reason as GraphQLError).extensions?.code ?? String(r.reason)) : 'OK');

describe('concurrent transitions (real parallel transactions)', () => {
  let f: HandoffsFixture;
  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
  });
  afterAll(() => f?.stop());

  /**
   * Holds the handoff's row lock in a third transaction until both operations are queued
   * behind it in Postgres (seen in pg_stat_activity), then lets them race.
   */
  async function race(h: Handoff, ops: (() => Promise<unknown>)[]): Promise<PromiseSettledResult<unknown>[]> {
    const blocker = f.db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(`SELECT id FROM handoffs.handoffs WHERE id = $1 FOR UPDATE`, [h.id]);
    const running = Promise.allSettled(ops.map((op) => op()));
    for (let i = 0; i < 200; i++) {
      const [{ n }] = await f.db.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
      );
      if (n >= ops.length) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await blocker.commitTransaction();
    await blocker.release();
    return running;
  }

  const history = async (customerId: string) =>
    (await f.db.query(`SELECT count(*)::int AS n FROM handoffs.ownership_changes WHERE customer_id = $1`, [customerId]))[0].n;

  it('two accepts: exactly one wins, the other gets CONFLICT, ownership moves once', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const results = await race(h, [() => acceptHandoff(f.db, asPartner(f.B), h.id), () => acceptHandoff(f.db, asPartner(f.B), h.id)]);
    expect(results.map(codeOf).sort()).toEqual(['CONFLICT', 'OK']);
    expect(await history(customer)).toBe(1);
    expect(await eventsOf(f.db, h.id, HANDOFF_ACCEPTED)).toHaveLength(1);
    expect(await eventsOf(f.db, customer, OWNERSHIP_CHANGED)).toHaveLength(1);
  });

  it('accept racing cancel: exactly one wins, and the state matches the winner', async () => {
    for (let i = 0; i < 3; i++) {
      const customer = await f.customer(f.A);
      const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
      const results = await race(h, [() => acceptHandoff(f.db, asPartner(f.B), h.id), () => cancelHandoff(f.db, asPartner(f.A), h.id, 'changed my mind')]);
      expect(results.map(codeOf).filter((c) => c === 'OK')).toHaveLength(1);
      expect(results.map(codeOf).filter((c) => c === 'CONFLICT')).toHaveLength(1);
      const [{ state, owner }] = await f.db.query(
        `SELECT h.state, c.owner_partner_id AS owner FROM handoffs.handoffs h JOIN handoffs.customers c ON c.id = h.customer_id WHERE h.id = $1`,
        [h.id],
      );
      if (codeOf(results[0]!) === 'OK') expect({ state, owner, n: await history(customer) }).toEqual({ state: 'ACCEPTED', owner: f.B, n: 1 });
      else expect({ state, owner, n: await history(customer) }).toEqual({ state: 'CANCELLED', owner: f.A, n: 0 });
    }
  });

  it('many accepts at once without a referee: one transfer, the rest CONFLICT', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => acceptHandoff(f.db, asPartner(f.B), h.id)));
    expect(results.map(codeOf).sort()).toEqual(['CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'CONFLICT', 'OK']);
    expect(await history(customer)).toBe(1);
  });

  it('two proposals for one customer at once: one is PROPOSED, the other CONFLICT', async () => {
    const customer = await f.customer(f.A);
    const results = await Promise.allSettled([
      proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), 'p1'),
      proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.C), 'p2'),
    ]);
    expect(results.map(codeOf).sort()).toEqual(['CONFLICT', 'OK']);
    expect((await f.db.query(`SELECT count(*)::int AS n FROM handoffs.handoffs WHERE customer_id = $1`, [customer]))[0].n).toBe(1);
  });
});
