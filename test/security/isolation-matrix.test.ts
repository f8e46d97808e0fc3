import { parse, validate, type GraphQLSchema } from 'graphql';
import { findLeaks, harvest, unexpectedErrors, type Secrets } from './isolation-matrix.detect';
import { entityCases, entityFieldNames, idTypeFor, loadContracts, rootCases, rootFieldNames, type Targets } from './isolation-matrix.schema';

const contracts = loadContracts();
const B = '00000000-0000-4000-8000-000000000012';
const uuid = (n: number) => `00000000-0000-4000-b000-${String(n).padStart(12, '0')}`;
const targets: Targets = {
  ids: {
    Customer: [uuid(1), uuid(2)],
    Handoff: [uuid(3)],
    SlaClock: [uuid(4)],
    Webhook: [uuid(5)],
    WebhookDelivery: [uuid(6)],
    ApiKey: [uuid(7)],
    Task: [uuid(8)],
    NotificationChannel: [uuid(9)],
    Person: [uuid(10)],
  },
  partnerId: B,
  lookups: { domain: ['b.example'], search: ['B Corp'], system: ['b-crm'], externalId: ['B-1'] },
  ownUrl: 'http://127.0.0.1:9/hooks',
};

/**
 * validate() of a document, once per distinct document: a field's variants differ in their
 * variables only, and validation reads the document alone.
 */
const validated = new WeakMap<GraphQLSchema, Map<string, string[]>>();
function validationErrors(schema: GraphQLSchema, query: string): string[] {
  let bySchema = validated.get(schema);
  if (!bySchema) validated.set(schema, (bySchema = new Map()));
  let errors = bySchema.get(query);
  if (!errors) bySchema.set(query, (errors = validate(schema, parse(query)).map((e) => e.message)));
  return errors;
}

describe('isolation matrix generator', () => {
  it.each(['query', 'mutation', 'subscription'] as const)('generates valid %s operations for every root field of the supergraph', (kind) => {
    const cases = rootCases(contracts, kind, targets);
    expect(new Set(cases.map((c) => c.field))).toEqual(new Set(rootFieldNames(contracts, kind)));
    for (const c of cases) expect([c.field, validationErrors(contracts.supergraph, c.query)]).toEqual([c.field, []]);
  });

  it('generates a valid _entities operation for every @key type of every subgraph', () => {
    const cases = entityCases(contracts, targets);
    expect(cases.map((c) => c.field)).toEqual(entityFieldNames(contracts));
    expect(cases.length).toBeGreaterThanOrEqual(13);
    for (const c of cases) {
      const schema = contracts.subgraphs.find((s) => s.name === c.subgraph)!.schema;
      expect([c.field, validationErrors(schema, c.query)]).toEqual([c.field, []]);
    }
    const customers = cases.find((c) => c.field === 'accounts:_entities(Customer)')!;
    expect(customers.variables.r).toEqual([
      { __typename: 'Customer', id: uuid(1) },
      { __typename: 'Customer', id: uuid(2) },
    ]);
  });

  it('aims ID arguments at B’s objects of the matching type, and filters at B', () => {
    const queries = rootCases(contracts, 'query', targets);
    expect(queries.filter((c) => c.field === 'Query.customer').map((c) => c.variables.id)).toEqual([uuid(1), uuid(2)]);
    const handoffs = queries.filter((c) => c.field === 'Query.handoffs').map((c) => c.variables.filter ?? null);
    expect(handoffs).toEqual(expect.arrayContaining([null, { customerId: uuid(1) }, { customerId: uuid(2) }, { fromPartnerId: B }, { toPartnerId: B }]));
    const byExternal = queries.filter((c) => c.field === 'Query.customerByExternalId').map((c) => c.variables);
    expect(byExternal).toEqual([{ system: 'b-crm', externalId: 'B-1' }]);
    const mutations = rootCases(contracts, 'mutation', targets);
    expect(mutations.filter((c) => c.field === 'Mutation.rotateApiKey').map((c) => c.variables.id)).toEqual([uuid(7)]);
    expect(mutations.filter((c) => c.field === 'Mutation.redeliver').map((c) => c.variables.deliveryId)).toEqual([uuid(6)]);
    // Notifications: B's channel and B's people, by id; B's log by partner.
    expect(mutations.filter((c) => c.field === 'Mutation.removeNotificationChannel').map((c) => c.variables.id)).toEqual([uuid(9)]);
    const prefInputs = mutations.filter((c) => c.field === 'Mutation.setNotificationPreference').map((c) => c.variables.input as Record<string, unknown>);
    expect(prefInputs).toEqual(expect.arrayContaining([expect.objectContaining({ channelId: uuid(9) }), expect.objectContaining({ personId: uuid(10) })]));
    const prefQueries = queries.filter((c) => c.field === 'Query.notificationPreferences').map((c) => c.variables);
    expect(prefQueries).toEqual(expect.arrayContaining([{ channelId: uuid(9) }, { personId: uuid(10) }, { partnerId: B }]));
    expect(queries.filter((c) => c.field === 'Query.notificationChannels').map((c) => c.variables)).toEqual(expect.arrayContaining([{ partnerId: B }]));
    const log = queries.filter((c) => c.field === 'Query.notifications').map((c) => c.variables.filter ?? null);
    expect(log).toEqual(expect.arrayContaining([expect.objectContaining({ partnerId: B }), expect.objectContaining({ channelId: uuid(9) })]));
    const feedback = mutations.filter((c) => c.field === 'Mutation.submitFeedback').map((c) => (c.variables.input as { source: string }).source);
    expect(feedback.sort()).toEqual(['CUSTOMER', 'INTERNAL', 'PARTNER']);
    const subs = rootCases(contracts, 'subscription', targets)
      .filter((c) => c.field === 'Subscription.handoffUpdated')
      .map((c) => c.variables);
    expect(subs).toEqual([{}, { partnerId: B }, { customerId: uuid(1) }, { customerId: uuid(2) }]);
  });

  it('aims the ownership gaps at B (its accountable partner filter) and tries stage limits as a partner', () => {
    const queries = rootCases(contracts, 'query', targets);
    const gaps = queries.filter((c) => c.field === 'Query.ownershipGaps');
    expect(gaps.map((c) => c.variables.filter ?? null)).toEqual(expect.arrayContaining([null, expect.objectContaining({ partnerId: B })]));
    expect(gaps.filter((c) => c.aimsAtB).length).toBeGreaterThan(0);
    expect(queries.filter((c) => c.field === 'Query.ownershipGapSummary')).toHaveLength(1);
    const limits = rootCases(contracts, 'mutation', targets).filter((c) => c.field === 'Mutation.setStageLimits');
    expect(limits.length).toBeGreaterThan(0);
    for (const c of limits) expect(Array.isArray(c.variables.input)).toBe(true);
  });

  it('probes the money and priority fields: Handoff and HandoffDue value and priority, in queries and in _entities', () => {
    const money = /value \{ __typename amount currency \}/;
    const priority = /priority \{ __typename score valueAtStake \{ __typename amount currency \} valuePart riskPart reasons \}/;
    const queries = rootCases(contracts, 'query', targets);
    for (const field of ['Query.handoff', 'Query.handoffs', 'Query.handoffsDue']) {
      const c = queries.find((q) => q.field === field)!;
      expect([field, money.test(c.query), priority.test(c.query)]).toEqual([field, true, true]);
    }
    expect(queries.find((q) => q.field === 'Query.handoff')!.query).toMatch(/valueSource/);
    const entities = entityCases(contracts, targets);
    for (const field of ['handoffs:_entities(Handoff)', 'handoffs:_entities(HandoffDue)']) {
      const c = entities.find((e) => e.field === field)!;
      expect([field, money.test(c.query), priority.test(c.query)]).toEqual([field, true, true]);
    }
  });

  it('resolves ID argument types by name', () => {
    const types = ['Customer', 'Handoff', 'WebhookDelivery', 'ApiKey', 'CreatedApiKey', 'Webhook', 'Partner'];
    expect(idTypeFor('partnerIds', { name: 'scorecard', returnType: 'ScorecardRow' }, types)).toBe('Partner');
    expect(idTypeFor('deliveryId', { name: 'redeliver', returnType: 'WebhookDelivery' }, types)).toBe('WebhookDelivery');
    expect(idTypeFor('id', { name: 'rotateApiKey', returnType: 'CreatedApiKey' }, types)).toBe('CreatedApiKey');
    expect(idTypeFor('id', { name: 'deleteWebhook', returnType: 'ID' }, types)).toBe('Webhook');
    expect(idTypeFor('somethingElse', { name: 'x', returnType: 'ID' }, types)).toBe('*');
  });
});

describe('isolation matrix judge', () => {
  const shared = uuid(90);
  const secrets: Secrets = {
    strings: new Map([
      [uuid(1), "id of B's Customer"],
      ['B Corp', 'Customer.name'],
    ]),
    objects: new Set([`Customer:${uuid(1)}`]),
    partnerId: B,
    sharedHandoffs: new Set([shared]),
    partnerPrivateFields: ['inbox', 'scorecard'],
    marker: 'zqmark',
  };
  const leaks = (response: unknown, request = '') => findLeaks(response, request, secrets).map((f) => f.what);

  it('finds B’s strings, ids and planted marker anywhere in an answer', () => {
    expect(leaks({ data: { customers: { nodes: [{ name: 'B Corp' }] } } })).toEqual(['Customer.name: "B Corp"']);
    expect(leaks({ data: { changes: { nodes: [{ payload: { note: 'x zqmark-1 y' } }] } } })[0]).toMatch(/planted marker/);
    expect(leaks({ errors: [{ message: `Customer ${uuid(1)} has an open handoff` }] })).toEqual([`id of B's Customer: "${uuid(1)}"`]);
  });

  it('does not count the caller’s own arguments echoed back', () => {
    expect(
      leaks({ errors: [{ message: `Customer ${uuid(1)} was not found`, extensions: { code: 'NOT_FOUND' } }], data: { customer: null } }, `{"id":"${uuid(1)}"}`),
    ).toEqual([]);
    expect(leaks({ data: { _entities: [{ __typename: 'Handoff', id: uuid(1), slaClocks: [] }] } }, uuid(1))).toEqual([]);
  });

  it('finds B’s objects, B’s partner id and B’s private Partner fields by structure', () => {
    expect(leaks({ data: { _entities: [{ __typename: 'Customer', id: uuid(1), segment: 'SMB' }] } }, uuid(1))).toEqual([
      `B's Customer ${uuid(1)} with segment`,
    ]);
    expect(leaks({ data: { scorecard: [{ __typename: 'ScorecardRow', partnerId: B, proposed: 3 }] } })).toEqual(["B's partner id outside the directory"]);
    expect(leaks({ data: { partner: { __typename: 'Partner', id: B, name: 'Globex', inbox: { nodes: [] }, scorecard: null } } })).toEqual([
      "B's private Partner.inbox",
    ]);
    expect(leaks({ data: { partners: { nodes: [{ __typename: 'Partner', id: B, name: 'Globex', inbox: null, scorecard: [] }] } } })).toEqual([]);
  });

  it('lets A see what hangs off a handoff it shares with B', () => {
    const clock = { __typename: 'SlaClock', id: uuid(91), accountablePartnerId: B, handoff: { __typename: 'Handoff', id: shared } };
    expect(leaks({ data: { handoff: { __typename: 'Handoff', id: shared, toPartnerId: B, slaClocks: [clock] }, slaClocks: { nodes: [clock] } } })).toEqual([]);
    // ...but not B's other objects reached through the shared customer.
    const customer = { __typename: 'Customer', id: uuid(92), handoffs: [{ __typename: 'Handoff', id: uuid(93), toPartnerId: B }] };
    expect(leaks({ data: { handoff: { __typename: 'Handoff', id: shared, customer } } })).toEqual(["B's partner id outside the directory"]);
  });

  it('accepts only stable refusal codes, CONFLICT only when no object of B’s was named', () => {
    const res = (code: string) => ({ errors: [{ message: 'm', extensions: { code } }] });
    expect(unexpectedErrors(res('NOT_FOUND'), { targetsObject: true })).toEqual([]);
    expect(unexpectedErrors(res('CONFLICT'), { targetsObject: false })).toEqual([]);
    expect(unexpectedErrors(res('CONFLICT'), { targetsObject: true })).toEqual(['CONFLICT: m']);
    expect(unexpectedErrors(res('INTERNAL_SERVER_ERROR'), { targetsObject: false })).toEqual(['INTERNAL_SERVER_ERROR: m']);
  });

  it('harvests B’s objects and secrets from B’s view, leaving out what B shares with A', () => {
    const view = {
      data: {
        customers: {
          nodes: [
            {
              __typename: 'Customer',
              id: uuid(1),
              name: 'B Corp',
              domain: 'b.example',
              externalIds: [{ __typename: 'ExternalId', system: 'b-crm', externalId: 'B-1' }],
            },
          ],
        },
        handoff: {
          __typename: 'Handoff',
          id: shared,
          customer: { __typename: 'Customer', id: uuid(2), name: 'Shared Co', handoffs: [{ __typename: 'Handoff', id: uuid(3), summary: 'zqmark hello' }] },
        },
        partners: { nodes: [{ __typename: 'Partner', id: B, name: 'Globex' }] },
      },
    };
    const h = harvest([view], { sharedHandoffs: new Set([shared]), marker: 'zqmark' });
    expect(h.ids).toEqual({ Customer: [uuid(1)], Handoff: [uuid(3)] });
    expect(h.lookups).toEqual({ domain: ['b.example'], search: ['B Corp'], system: ['b-crm'], externalId: ['B-1'] });
    expect([...h.secrets.keys()].sort()).toEqual([uuid(1), uuid(3), 'B Corp', 'b.example', 'zqmark hello'].sort());
  });
});
