import type { Client } from 'graphql-ws';
import { signIdentity, type Identity } from '../../../shared/auth/identity';
import { totalQueryCount } from '../../../shared/db/query-counter';
import { Subscription, wsClient } from '../../../test/support/graphql-client';
import { TEST_IDENTITY_SECRET } from '../../../test/support/subgraph-client';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff } from '../src/services/transition.service';
import { asInternal, asPartner, proposal, publish, silentLog, startHandoffsFixture, type HandoffsFixture } from './fixture';

// Fields that each cost SQL when resolved: customer (access), handoff, tasks, playbook.
const HANDOFF_UPDATED = `subscription { handoffUpdated { id state customer { id } tasks { title } playbook { id } } }`;
const OWNERSHIP_CHANGED = `subscription { ownershipChanged { customerId customer { id } handoff { id state } } }`;

describe('subscription fan-out in the handoffs subgraph', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
    server = await createHandoffsServer({ dataSource: f.db, identitySecret: TEST_IDENTITY_SECRET, log: silentLog });
    url = await server.listen(0);
  });
  afterAll(async () => {
    for (const c of clients) await c.dispose();
    await server?.stop();
    await f?.stop();
  });

  const subscribe = (identity: Identity, query: string) => {
    const client = wsClient(url, { identity: signIdentity(identity, TEST_IDENTITY_SECRET) });
    clients.push(client);
    return new Subscription(client, query);
  };

  /** A handoff from A to B, proposed before anything is counted. */
  const proposed = async () => {
    const customer = await f.customer(f.A);
    return { customer, handoff: await proposeHandoff(f.db, asPartner(f.A), proposal(customer, f.B), null) };
  };

  interface Subscriber {
    sub: Subscription;
    /** handoffUpdated subscribers also receive the proposal. */
    seesProposals: boolean;
  }
  const subscriber = (identity: Identity, query: string): Subscriber => ({ sub: subscribe(identity, query), seesProposals: query === HANDOFF_UPDATED });
  const both = (identity: Identity) => [subscriber(identity, HANDOFF_UPDATED), subscriber(identity, OWNERSHIP_CHANGED)];

  /**
   * SQL statements from B's acceptance of a fresh handoff until every subscriber has its
   * event (handoff accepted, or ownership changed): the acceptance's own statements plus
   * whatever the fan-out costs.
   */
  const statementsToAcceptAndFanOut = async (subs: Subscriber[]) => {
    const before = subs.map((s) => s.sub.received.length);
    const { handoff } = await proposed();
    await Promise.all(subs.map((s, i) => (s.seesProposals ? s.sub.waitFor(before[i]! + 1) : undefined)));
    const counts = subs.map((s) => s.sub.received.length);
    const start = totalQueryCount();
    await acceptHandoff(f.db, asPartner(f.B), handoff.id);
    await server.relay.flush();
    await Promise.all(subs.map((s, i) => s.sub.waitFor(counts[i]! + 1)));
    return { statements: totalQueryCount() - start, handoffId: handoff.id };
  };

  it('costs the same SQL per event however many subscribers receive it', async () => {
    // Three callers (sender, receiver, internal team), each with both subscriptions.
    const who = [asPartner(f.A), asPartner(f.B), asInternal(f.I)];
    const subs = who.flatMap(both);
    await Subscription.settle(300);
    const few = await statementsToAcceptAndFanOut(subs);

    // Five times as many subscribers of the same three callers.
    const more = [...subs, ...Array.from({ length: 4 }, () => who.flatMap(both)).flat()];
    await Subscription.settle(300);
    const many = await statementsToAcceptAndFanOut(more);

    expect(few.statements).toBeGreaterThan(0);
    expect(many.statements).toBe(few.statements);
    // And every subscriber got its event resolved, with what its caller may see.
    for (const { sub } of more) {
      const last = sub.received.at(-1);
      if (!last) throw new Error('a subscriber received nothing');
      expect(last.errors).toBeUndefined();
      if ('handoffUpdated' in last.data!)
        expect(last.data!.handoffUpdated).toMatchObject({ id: many.handoffId, state: 'ACCEPTED', customer: { id: expect.any(String) } });
      else expect(last.data!.ownershipChanged).toMatchObject({ customer: { id: expect.any(String) }, handoff: { id: many.handoffId, state: 'ACCEPTED' } });
    }
  });

  it('resolves every event with what the caller may see then, not what it could see when it subscribed', async () => {
    const inbox = subscribe(asPartner(f.B), `subscription { handoffUpdated { id state customer { id } } }`);
    await Subscription.settle(300);
    const { customer, handoff } = await proposed();
    // Proposed: the receiver sees the handoff, not yet the customer record.
    expect((await inbox.waitFor(1)).data!.handoffUpdated).toEqual({ id: handoff.id, state: 'PROPOSED', customer: null });
    await acceptHandoff(f.db, asPartner(f.B), handoff.id);
    // Accepted: B owns the customer now.
    expect((await inbox.waitFor(2)).data!.handoffUpdated).toEqual({ id: handoff.id, state: 'ACCEPTED', customer: { id: customer } });
  });

  it('never wakes a subscriber for an event not visible to it', async () => {
    const outsider = subscribe(asPartner(f.C), `subscription { handoffUpdated { id } }`);
    const sender = subscribe(asPartner(f.A), `subscription { handoffUpdated { id } }`);
    await Subscription.settle(300);
    const { handoff } = await proposed();
    await server.relay.flush();
    expect((await sender.waitFor(1)).data!.handoffUpdated).toEqual({ id: handoff.id });
    await Subscription.settle(300);
    expect(outsider.received).toEqual([]);
  });
});
