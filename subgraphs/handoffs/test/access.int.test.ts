import { subgraphGql } from '../../../test/support/subgraph-client';
import { createHandoffsServer, type HandoffsServer } from '../src/server';
import { proposeHandoff } from '../src/services/propose.service';
import { acceptHandoff, rejectHandoff } from '../src/services/transition.service';
import { asInternal, asPartner, proposal, publish, silentLog, startHandoffsFixture, type HandoffsFixture } from './fixture';
import { firstError } from '../../../test/support/graphql-client';

const SECRET = 'dev-only-identity-secret-change-me-in-production';

const HANDOFF = `query($id: ID!) { handoff(id: $id) { id state customerName contextPackage { summary customerSaid } customer { id } allowedActions } }`;
const ENTITIES = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  ... on Customer { id owner { id } handoffs { id state } ownershipHistory { from { id } to { id } } }
  ... on Handoff { id state }
  ... on Partner { id inbox(first: 10) { nodes { id } } }
} }`;

describe('who sees what (services/access.ts), through the subgraph', () => {
  let f: HandoffsFixture;
  let server: HandoffsServer;
  let url: string;
  const as = {
    A: () => asPartner(f.A),
    B: () => asPartner(f.B),
    C: () => asPartner(f.C),
    I: () => asInternal(f.I),
  };
  const q = (who: keyof typeof as, query: string, variables: Record<string, unknown>) => subgraphGql(url, query, variables, as[who]());

  beforeAll(async () => {
    f = await startHandoffsFixture();
    await publish(f.db, f.I);
    server = await createHandoffsServer({ dataSource: f.db, identitySecret: SECRET, log: silentLog });
    url = await server.listen(0);
  });
  afterAll(async () => {
    await server?.stop();
    await f?.stop();
  });

  it('shows a handoff to its sender, its receiver and internal teams; to anyone else it does not exist', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, as.A(), proposal(customer, f.B), null);
    for (const who of ['A', 'B', 'I'] as const) expect((await q(who, HANDOFF, { id: h.id })).data!.handoff.id).toBe(h.id);
    const hidden = await q('C', HANDOFF, { id: h.id });
    expect(hidden.errors!.map((e) => e.extensions!.code)).toEqual(['NOT_FOUND']);
    const list = await q('C', `query($c: ID) { handoffs(first: 100, filter: { customerId: $c }) { nodes { id } } }`, { c: customer });
    expect(list.data!.handoffs.nodes).toEqual([]);
    const own = await q('A', `query($c: ID) { handoffs(first: 100, filter: { customerId: $c }) { nodes { id } } }`, { c: customer });
    expect(own.data!.handoffs.nodes).toEqual([{ id: h.id }]);
    const ents = await q('C', ENTITIES, {
      reps: [
        { __typename: 'Handoff', id: h.id },
        { __typename: 'Customer', id: customer },
      ],
    });
    expect(ents.data!._entities).toEqual([null, null]);
  });

  it('gives the receiver the context package while PROPOSED, and the customer record once it accepts', async () => {
    const customer = await f.customer(f.A, 'Contoso Pharma');
    const h = await proposeHandoff(f.db, as.A(), proposal(customer, f.B), null);
    const before = await q('B', HANDOFF, { id: h.id });
    expect(before.data!.handoff).toMatchObject({
      state: 'PROPOSED',
      customerName: 'Contoso Pharma',
      contextPackage: { summary: 'Signed; wants to go live in March', customerSaid: ['We need SSO'] },
      customer: null,
      allowedActions: ['ACCEPT', 'REJECT', 'HOLD'],
    });
    const recordBefore = await q('B', ENTITIES, { reps: [{ __typename: 'Customer', id: customer }] });
    expect(recordBefore.data!._entities[0]).toMatchObject({ owner: null, ownershipHistory: [] });

    await acceptHandoff(f.db, as.B(), h.id);
    const after = await q('B', HANDOFF, { id: h.id });
    expect(after.data!.handoff).toMatchObject({ state: 'ACCEPTED', customer: { id: customer }, allowedActions: ['COMPLETE', 'HOLD'] });
    // The previous owner stays a collaborator: it still sees the record and its history.
    for (const who of ['A', 'B'] as const) {
      const rec = await q(who, ENTITIES, { reps: [{ __typename: 'Customer', id: customer }] });
      expect(rec.data!._entities[0]).toEqual({
        id: customer,
        owner: { id: f.B },
        handoffs: [{ id: h.id, state: 'ACCEPTED' }],
        ownershipHistory: [{ from: { id: f.A }, to: { id: f.B } }],
      });
    }
  });

  it('leaves a rejected receiver the handoff row and its context package, nothing beyond', async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, as.A(), proposal(customer, f.B), null);
    await rejectHandoff(f.db, as.B(), h.id, 'Not our segment');
    const res = await q('B', HANDOFF, { id: h.id });
    expect(res.data!.handoff).toMatchObject({
      state: 'REJECTED',
      contextPackage: { summary: 'Signed; wants to go live in March' },
      customer: null,
      allowedActions: [],
    });
    const rec = await q('B', ENTITIES, { reps: [{ __typename: 'Customer', id: customer }] });
    expect(rec.data!._entities[0]).toMatchObject({ owner: null, ownershipHistory: [], handoffs: [{ id: h.id, state: 'REJECTED' }] });
  });

  it("lets only the partner itself and internal teams read a partner's inbox", async () => {
    const customer = await f.customer(f.A);
    const h = await proposeHandoff(f.db, as.A(), proposal(customer, f.C), null);
    const own = await q('C', ENTITIES, { reps: [{ __typename: 'Partner', id: f.C }] });
    expect(own.data!._entities[0].inbox.nodes).toEqual([{ id: h.id }]);
    const internal = await q('I', ENTITIES, { reps: [{ __typename: 'Partner', id: f.C }] });
    expect(internal.data!._entities[0].inbox.nodes).toEqual([{ id: h.id }]);
    const foreign = await q('A', ENTITIES, { reps: [{ __typename: 'Partner', id: f.C }] });
    expect(foreign.data!._entities[0].inbox).toBeNull();
    expect(foreign.errors!.map((e) => e.extensions!.code)).toEqual(['FORBIDDEN']);
  });

  it('refuses callers without a gateway-signed identity', async () => {
    const res = await subgraphGql(url, `{ playbooks { id } }`, {}, null);
    expect(res.status).toBe(401);
  });

  it('checks mutation input through the API: BAD_USER_INPUT naming the fields', async () => {
    const res = await q('A', `mutation($i: ProposeHandoffInput!) { proposeHandoff(input: $i) { id } }`, {
      i: { customerId: 'nope', toPartnerId: f.B, moment: 'MQL_TO_SQL', contextPackage: { summary: 'x' }, customerMessage: 'hi' },
    });
    expect(firstError(res).extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'input.customerId' }] });
    const invalid = await q('A', `mutation($i: ProposeHandoffInput!) { proposeHandoff(input: $i) { id } }`, {
      i: {
        customerId: f.A,
        toPartnerId: f.B,
        moment: 'MQL_TO_SQL',
        contextPackage: { summary: 'x', links: ['not a url'], contacts: [{ name: 'X', email: 'nope' }] },
        customerMessage: 'hi',
      },
    });
    expect(firstError(invalid).extensions!.code).toBe('BAD_USER_INPUT');
    expect((firstError(invalid).extensions!.fields as { field: string }[]).map((x) => x.field).sort()).toEqual([
      'input.contextPackage.contacts.0.email',
      'input.contextPackage.links',
    ]);
  });
});
