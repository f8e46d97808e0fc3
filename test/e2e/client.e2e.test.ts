import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import WebSocket from 'ws';
import {
  AcceptHandoffDocument,
  createHubClient,
  CreateCustomerDocument,
  CustomerDocument,
  CustomersDocument,
  HandoffMoment,
  HandoffUpdatedDocument,
  HubError,
  InboxDocument,
  MeDocument,
  OwnershipChangedDocument,
  ProposeHandoffDocument,
  Region,
  Segment,
  UpdateCustomerDocument,
  type CreateCustomerInput,
  type HubClientOptions,
} from '../../clients/typescript/src';
import { ALL_DEMO_CUSTOMERS, DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql, Subscription } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const ACME = partner('acme');
const GLOBEX = partner('globex');
const INTERNAL = partner('revops');
const SUCCESS_TEAM = partner('internal_success');

/** The real fetch, with every attempt's status and body kept: what went over the wire. */
function recordingFetch() {
  const attempts: { status: number; body: { query: string; variables: Record<string, unknown>; operationName?: string } }[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    attempts.push({ status: res.status, body: JSON.parse(String(init?.body)) });
    return res;
  };
  return { attempts, fetchImpl };
}

async function thrown(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HubError) return err;
    throw err;
  }
  throw new Error('expected a HubError');
}

/** The typed client (clients/typescript) against a whole hub: documents, errors, retries, idempotency keys, subscriptions. */
describe('typed client', () => {
  let hub: TestHub;
  const clients: { close(): Promise<void> }[] = [];
  const client = (apiKey: string, opts: Partial<HubClientOptions> = {}) => {
    const c = createHubClient({ url: hub.gatewayUrl, apiKey, webSocketImpl: WebSocket, ...opts });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // A restore rate low enough that a spent budget stays spent for seconds (the retry test).
    hub = await startTestHub({ services: ['accounts', 'handoffs', 'gateway'], env: { HUB_COST_BUCKET_SIZE: '1000', HUB_COST_RESTORE_RATE: '50' } });
  });
  afterAll(async () => {
    for (const c of clients) await c.close();
    await hub?.stop();
  });

  it('runs typed documents with the API key: lists, reads and updates against the version read', async () => {
    const acme = client(ACME.apiKey);
    const me = await acme.request(MeDocument);
    expect(me.me).toMatchObject({ role: 'PARTNER', partner: { id: ACME.id, name: ACME.name } });

    const page = await acme.request(CustomersDocument, { first: 2 });
    expect(page.customers.nodes).toHaveLength(2);
    expect(page.customers.pageInfo.hasNextPage).toBe(true);
    const rest = await acme.request(CustomersDocument, { first: 100, after: page.customers.pageInfo.endCursor });
    const mine = ALL_DEMO_CUSTOMERS.filter((c) => c.ownerPartnerId === ACME.id).map((c) => c.id);
    expect([...page.customers.nodes, ...rest.customers.nodes].map((c) => c.id).sort()).toEqual(mine.sort());

    const first = page.customers.nodes[0]!;
    const updated = await acme.request(UpdateCustomerDocument, {
      id: first.id,
      expectedVersion: first.version,
      input: { context: { goals: ['Typed client'], painPoints: [] } },
    });
    expect(updated.updateCustomer.version).toBe(first.version + 1);
    expect(updated.updateCustomer.context.goals).toContain('Typed client');

    // A stale version is a CONFLICT that says which version is current.
    const stale = await thrown(acme.request(UpdateCustomerDocument, { id: first.id, expectedVersion: first.version, input: { name: 'Lost update' } }));
    expect(stale.is('CONFLICT')).toBe(true);
    if (!stale.is('CONFLICT')) return;
    expect(stale.extensions.currentVersion).toBe(first.version + 1);
    expect((await acme.request(CustomerDocument, { id: first.id })).customer?.name).toBe(first.name);

    // @ts-expect-error variables are typed: an update needs expectedVersion
    await expect(acme.request(UpdateCustomerDocument, { id: first.id, input: {} })).rejects.toBeInstanceOf(HubError);
  });

  it('asks getToken for the bearer token before every request and every WebSocket connection', async () => {
    const asked: string[] = [];
    const viaToken = client('', { apiKey: undefined, getToken: async () => (asked.push('token'), ACME.apiKey) });
    await viaToken.request(MeDocument);
    await viaToken.request(MeDocument);
    expect(asked).toHaveLength(2);
    const events = viaToken.subscribe(OwnershipChangedDocument, { partnerId: ACME.id });
    await Subscription.settle(300);
    expect(asked).toHaveLength(3);
    await events.return();
  });

  it('throws HubError with the extensions.code, the status and any partial data', async () => {
    const acme = client(ACME.apiKey);
    const missing = await thrown(acme.request(CustomerDocument, { id: '00000000-0000-4000-9000-999999999999' }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', data: { customer: null } });

    const invalid = await thrown(
      acme.request(ProposeHandoffDocument, {
        input: {
          customerId: DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === ACME.id)!.id,
          toPartnerId: GLOBEX.id,
          moment: HandoffMoment.MqlToSql,
          contextPackage: { summary: 'No data' },
          customerMessage: 'Hi',
          data: {},
        },
      }),
    );
    expect(invalid.is('BAD_USER_INPUT')).toBe(true);
    if (!invalid.is('BAD_USER_INPUT')) return;
    expect(invalid.extensions.fields?.map((f) => f.field)).toEqual(expect.arrayContaining(['input.data.leadScore', 'input.data.source']));

    const stranger = await thrown(createHubClient({ url: hub.gatewayUrl, apiKey: 'hub_not_a_key' }).request(MeDocument));
    expect(stranger).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });

    const refused = await thrown(createHubClient({ url: 'http://127.0.0.1:1/graphql', apiKey: ACME.apiKey }).request(MeDocument));
    expect(refused.code).toBe('NETWORK_ERROR');
  });

  it('sends an idempotency key to operations that take one, so a replay returns the first result', async () => {
    const { attempts, fetchImpl } = recordingFetch();
    const acme = client(ACME.apiKey, { fetch: fetchImpl });
    const input: CreateCustomerInput = { name: 'Idempotent Ltd', segment: Segment.Smb, region: Region.Emea };
    const created = await acme.request(CreateCustomerDocument, { input });
    const key = attempts[0]!.body.variables.idempotencyKey;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    // The partner's own key is left alone; replaying it returns the same customer.
    const replay = await acme.request(CreateCustomerDocument, { input, idempotencyKey: key as string });
    expect(replay.createCustomer.id).toBe(created.createCustomer.id);
    // Operations without an idempotencyKey argument get none.
    await acme.request(MeDocument);
    expect(attempts[2]!.body.variables).toEqual({});
  });

  it('waits out RATE_LIMITED for retryAfter and retries with the same idempotency key; with retries off it throws the retryAfter', async () => {
    // An internal team sees every demo customer; asking for exactly that many costs the same up
    // front and in the end: about 168 points a read, whatever the size of the demo data.
    const all = ALL_DEMO_CUSTOMERS.length;
    const heavyRead = parse(
      `{ ${Array.from({ length: Math.max(1, Math.round(168 / (2 + 2 * all))) }, (_, i) => `a${i}: customers(first: ${all}) { edges { node { id name } } }`).join(' ')} }`,
    ) as TypedDocumentNode<Record<string, unknown>, Record<string, never>>;
    // About 870 points up front (the owner's inbox, 50 handoffs with their clocks), 11 in the end: the customer has no owner.
    const heavyCreate = parse(
      `mutation($input: CreateCustomerInput!, $idempotencyKey: String) { createCustomer(input: $input, idempotencyKey: $idempotencyKey) {
        id owner { inbox(first: 50) { nodes { from { id } to { id } proposedBy { id } playbook { id } customer { id } slaClocks { handoff { id } } } } } } }`,
    ) as TypedDocumentNode<{ createCustomer: { id: string } }, { input: CreateCustomerInput; idempotencyKey?: string | null }>;

    // Earlier tests spent some of the team's budget: wait until the bucket is full again.
    const probe = await fetch(hub.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SUCCESS_TEAM.apiKey}` },
      body: JSON.stringify({ query: '{ me { role } }' }),
    });
    const { throttleStatus } = (
      (await probe.json()) as { extensions: { cost: { throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number } } } }
    ).extensions.cost;
    await new Promise((r) => setTimeout(r, (1000 * (throttleStatus.maximumAvailable - throttleStatus.currentlyAvailable)) / throttleStatus.restoreRate + 100));

    const { attempts, fetchImpl } = recordingFetch();
    const team = client(SUCCESS_TEAM.apiKey, { fetch: fetchImpl, maxRetries: 3 });
    // 1000 → about 832 → about 664 points left: the create needs more than the budget holds now.
    await team.request(heavyRead);
    await team.request(heavyRead);
    const name = `Retried ${Date.now()}`;
    const created = await team.request(heavyCreate, { input: { name, segment: Segment.Smb, region: Region.Na } });
    const createAttempts = attempts.slice(2);
    // Waited out at least once; the bucket refills in whole seconds' worth, so a retry may land a
    // few points short and wait once more — every attempt the same request, the last one through.
    const statuses = createAttempts.map((a) => a.status);
    expect(statuses[0]).toBe(429);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(1, -1).every((s) => s === 429)).toBe(true);
    expect(statuses.length).toBeLessThanOrEqual(3);
    for (const a of createAttempts) expect(a.body).toEqual(createAttempts[0]!.body);
    expect(createAttempts[0]!.body.variables.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    const named = await team.request(CustomersDocument, { first: 10, filter: { search: name } });
    expect(named.customers.nodes.map((c) => c.id)).toEqual([created.createCustomer.id]);

    // Asking for 100 customers four times needs 808 points up front, whatever it costs in the end.
    const greedyRead = parse(
      `{ ${Array.from({ length: 4 }, (_, i) => `a${i}: customers(first: 100) { edges { node { id } } }`).join(' ')} }`,
    ) as TypedDocumentNode<Record<string, unknown>, Record<string, never>>;
    const impatient = client(SUCCESS_TEAM.apiKey, { maxRetries: 0 });
    let limited: HubError | undefined;
    for (let i = 0; i < 5 && !limited; i++)
      limited = await impatient.request(greedyRead).then(
        () => undefined,
        (err: HubError) => err,
      );
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
    expect(limited!.retryAfter).toBeGreaterThan(0);
  });

  it('subscribes over graphql-ws to handoffUpdated and ownershipChanged, typed like the queries', async () => {
    const acme = client(ACME.apiKey);
    const internal = client(INTERNAL.apiKey);
    const handoffs = acme.subscribe(HandoffUpdatedDocument, { partnerId: ACME.id });
    const ownership = acme.subscribe(OwnershipChangedDocument, { partnerId: ACME.id });
    await Subscription.settle(500);

    // An internal team proposes a customer another partner holds to Acme.
    const customer = DEMO_CUSTOMERS.find((c) => c.ownerPartnerId === GLOBEX.id)!;
    const proposed = await internal.request(ProposeHandoffDocument, {
      input: {
        customerId: customer.id,
        toPartnerId: ACME.id,
        moment: HandoffMoment.MqlToSql,
        contextPackage: { summary: 'Asked for a demo' },
        customerMessage: 'Acme will call you.',
        data: { leadScore: 80, source: 'Webinar', useCase: 'One checkout', budgetConfirmed: true },
      },
    });
    const first = await handoffs.next();
    expect(first.value).toMatchObject({ handoffUpdated: { id: proposed.proposeHandoff.id, state: 'PROPOSED', allowedActions: ['ACCEPT', 'REJECT', 'HOLD'] } });

    const inbox = await acme.request(InboxDocument, { first: 50 });
    expect(inbox.me.partner?.inbox?.nodes.map((h) => h.id)).toContain(proposed.proposeHandoff.id);
    await acme.request(AcceptHandoffDocument, { id: proposed.proposeHandoff.id });
    expect((await handoffs.next()).value).toMatchObject({ handoffUpdated: { id: proposed.proposeHandoff.id, state: 'ACCEPTED' } });
    expect((await ownership.next()).value).toMatchObject({
      ownershipChanged: { customerId: customer.id, fromPartnerId: GLOBEX.id, toPartnerId: ACME.id, reason: 'HANDOFF_ACCEPTED' },
    });

    await handoffs.return();
    await ownership.return();
    expect(await handoffs.next()).toEqual({ done: true, value: undefined });
  });

  it('ends a subscription the hub refuses with a HubError: another partner’s stream, or a key it does not know', async () => {
    const forbidden = client(ACME.apiKey).subscribe(HandoffUpdatedDocument, { partnerId: GLOBEX.id });
    expect(await thrown(forbidden.next())).toMatchObject({ code: 'FORBIDDEN' });

    const unknown = client('hub_not_a_key').subscribe(HandoffUpdatedDocument);
    expect(await thrown(unknown.next())).toMatchObject({ code: 'UNAUTHENTICATED', extensions: { closeCode: 4401 } });
  });

  it('ends a subscription whose key is revoked with FORBIDDEN, without reconnecting with that key', async () => {
    const created = await gql(hub.gatewayUrl, `mutation { createApiKey(input: { label: "revoked soon" }) { secret apiKey { id } } }`, {}, ACME.apiKey);
    const { secret, apiKey } = created.data!.createApiKey as { secret: string; apiKey: { id: string } };
    const events = client(secret).subscribe(HandoffUpdatedDocument, { partnerId: ACME.id });
    await Subscription.settle(500);
    const ended = thrown(events.next());
    expect((await gql(hub.gatewayUrl, `mutation($id: ID!) { revokeApiKey(id: $id) { status } }`, { id: apiKey.id }, ACME.apiKey)).errors).toBeUndefined();
    // graphql-ws on its own reconnects after a 4403 and then ends with the 4401 the revoked key gets, which hides why.
    expect(await ended).toMatchObject({ code: 'FORBIDDEN', extensions: { closeCode: 4403 } });
  });
});
