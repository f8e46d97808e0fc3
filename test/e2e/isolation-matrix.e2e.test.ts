import type { Client } from 'graphql-ws';
import { HANDOFF_PROPOSED, HANDOFF_REJECTED } from '../../shared/eventlog/events';
import { TestReceiver, until, type Received } from '../../subgraphs/accounts/test/webhook-receiver';
import { DEMO_PEOPLE } from '../../subgraphs/accounts/src/seed';
import { gql, Subscription, wsClient, type GraphQLResponse } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { partnerIdentity, subgraphGql } from '../support/subgraph-client';
import { findLeaks, harvest, unexpectedErrors, type Finding, type Secrets } from '../security/isolation-matrix.detect';
import {
  B_WEBHOOK_EVENTS,
  BRows,
  Caller,
  makeDue,
  markerValue,
  FAST_POLICY,
  FAST_PROPOSE_POLICY,
  newMarker,
  OPS,
  party,
  plantedCustomer,
  plantNote,
  proposal,
  sharedCustomersOfB,
  sharedHandoffs,
  type RowsSnapshot,
  type Scenario,
} from '../security/isolation-matrix.fixture';
import { entityCases, entityFieldNames, loadContracts, rootCases, rootFieldNames, type MatrixCase, type Targets } from '../security/isolation-matrix.schema';
import { present } from '../support/present';

/**
 * Partner isolation: partner A's credentials against everything of partner B.
 * The cases come from the composed contracts (see isolation-matrix.schema.ts), so a field
 * added to any subgraph is probed without editing this file. For each scenario B first
 * plants data (customers, handoffs both ways, feedback, a webhook, an API key, an SLA
 * breach) while A listens on every subscription it can name; then A runs every query,
 * `_entities` representation and mutation aimed at B's objects. Nothing of B's may reach
 * A (isolation-matrix.detect.ts), errors carry a stable code, and B's rows stay as they were.
 */

const contracts = loadContracts();
const acme = party('acme');
const globex = party('globex');
const initech = party('initech');
const northwind = party('northwind');
const pixelforge = party('pixelforge');
const revops = party('revops');

const SCENARIOS: Scenario[] = [
  { title: 'Acme Reseller probing Globex Channel', a: acme, b: globex, third: pixelforge },
  { title: 'Globex Channel probing Acme Reseller', a: globex, b: acme, third: pixelforge },
  // Initech rejected Northwind's demo handoff of Blue Yonder Air: it keeps that handoff, nothing else.
  { title: 'Initech (rejected a handoff) probing its sender Northwind', a: initech, b: northwind, third: pixelforge },
];

/**
 * The handoffs the scenarios propose between A and B (step 3): a later scenario of the same
 * pair, the roles turned round, shares them just as the demo handoffs of the pair.
 */
const handoffsBetween: { parties: string[]; id: string }[] = [];
const sharedSoFar = (s: Scenario) => handoffsBetween.filter((h) => h.parties.includes(s.a.id) && h.parties.includes(s.b.id)).map((h) => h.id);

/** Limits are tested elsewhere (security-limits); here they must not refuse a probe before it runs. */
const ENV = {
  HUB_MAX_DEPTH: '40',
  HUB_MAX_TOKENS: '1000000',
  HUB_MAX_QUERY_COST: '100000000',
  HUB_COST_BUCKET_SIZE: '1000000000',
  HUB_COST_RESTORE_RATE: '1000000000',
  HUB_MAX_BODY_BYTES: '10000000',
  HUB_WS_MAX_SUBSCRIPTIONS: '1000',
  HUB_WEBHOOK_ALLOW_LOOPBACK: 'true',
  HUB_WEBHOOK_POLL_MS: '50',
  HUB_WEBHOOK_RETRY_BASE_MS: '50',
};

/**
 * Requests in flight at once. The hub runs in this process: past a handful, more only queue
 * up in its event loop, fewer leave it waiting on the database.
 */
const CONCURRENCY = 8;

async function inParallel<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

const describeCase = (c: MatrixCase) => `${c.field} [${c.label}]`;
const requestOf = (c: MatrixCase) => `${c.query}\n${JSON.stringify(c.variables)}`;

/** Problems of one answer to A: leaks and unexpected error codes. */
function judge(c: MatrixCase, response: unknown, secrets: Secrets): string[] {
  const leaks = findLeaks(response, requestOf(c), secrets).map((f: Finding) => `${describeCase(c)} leaks ${f.what} at ${f.where}`);
  const errors = unexpectedErrors(response, { targetsObject: c.targetsObject }).map((e) => `${describeCase(c)} fails with ${e}`);
  return [...leaks, ...errors];
}

/**
 * Rows the generator does not write: the lists ordered by PRIORITY (an optional enum the
 * generated probes leave at its default) and the money fields of B's handoffs by id.
 */
const MONEY = `id customerId value { amount currency } valueSource priority { score valuePart riskPart reasons valueAtStake { amount currency } }`;
const moneyCases = (t: Targets): MatrixCase[] => {
  const q = (field: string, label: string, query: string, variables: Record<string, unknown>, aimsAtB: boolean, targetsObject = false): MatrixCase => ({
    kind: 'query',
    field,
    label,
    query,
    variables,
    targetsObject,
    aimsAtB,
  });
  return [
    ...[null, { toPartnerId: t.partnerId }, { fromPartnerId: t.partnerId }].map((filter) =>
      q(
        'Query.handoffs(orderBy: PRIORITY)',
        `filter=${JSON.stringify(filter)}`,
        `query($filter: HandoffFilter) { handoffs(orderBy: PRIORITY, filter: $filter) { edges { cursor node { ${MONEY} } } } }`,
        { filter },
        filter !== null,
      ),
    ),
    ...[null, { partnerId: t.partnerId }].map((filter) =>
      q(
        'Query.handoffsDue(orderBy: PRIORITY)',
        `filter=${JSON.stringify(filter)}`,
        `query($filter: HandoffDueFilter) { handoffsDue(orderBy: PRIORITY, filter: $filter) { edges { cursor node { ${MONEY} } } } }`,
        { filter },
        filter !== null,
      ),
    ),
    q(
      'Partner.inbox(orderBy: PRIORITY)',
      "B's inbox",
      `query($id: ID!) { partner(id: $id) { inbox(orderBy: PRIORITY) { edges { cursor node { ${MONEY} } } } } }`,
      { id: t.partnerId },
      true,
    ),
    ...(t.ids.Handoff ?? []).map((id) =>
      q('Query.handoff { value priority }', `id=<B's Handoff>`, `query($id: ID!) { handoff(id: $id) { ${MONEY} } }`, { id }, true, true),
    ),
  ];
};

/** The cases of one kind, generated once per scenario (from its targets), by field. */
function byField<C extends MatrixCase>(cases: C[]): Map<string, C[]> {
  const out = new Map<string, C[]>();
  for (const c of cases) out.set(c.field, [...(out.get(c.field) ?? []), c]);
  return out;
}

/** One read probe: a case sent as A (to judge) or as B (the control), under the test that checks it. */
interface Probe {
  test: string;
  c: MatrixCase;
  asB: boolean;
  send: () => Promise<unknown>;
}

/** What one test's probes answered: A's answers to its cases, B's to its controls (index-aligned). */
interface Answered {
  cases: MatrixCase[];
  answers: unknown[];
  controls: MatrixCase[];
  bAnswers: unknown[];
}

/** Sends every read probe of a scenario, CONCURRENCY at a time, and files the answers under their tests. */
async function answerAll(probes: Probe[]): Promise<Map<string, Answered>> {
  const answers = await inParallel(probes, (p) => p.send());
  const out = new Map<string, Answered>();
  probes.forEach((p, i) => {
    let group = out.get(p.test);
    if (!group) out.set(p.test, (group = { cases: [], answers: [], controls: [], bAnswers: [] }));
    if (p.asB) {
      group.controls.push(p.c);
      group.bAnswers.push(answers[i]);
    } else {
      group.cases.push(p.c);
      group.answers.push(answers[i]);
    }
  });
  return out;
}

const NONE: Answered = { cases: [], answers: [], controls: [], bAnswers: [] };

interface ScenarioRun {
  secrets: Secrets;
  targets: Targets;
  /** The generated cases aimed at B's objects, by field. */
  queries: Map<string, MatrixCase[]>;
  mutations: Map<string, MatrixCase[]>;
  entities: Map<string, (MatrixCase & { subgraph: string })[]>;
  /** Ids whose rows in the database count as B's. */
  bRowIds: string[];
  subscriptionProblems: Map<string, string[]>;
  subscriptionCounts: Map<string, number>;
  /** The event types A's webhook received while B worked, and those of the deliveries about the A–B handoff. */
  aWebhookTypes: string[];
  aWebhookAboutShared: string[];
  webhookProblems: string[];
  bWebhookDeliveries: number;
}

/** A webhook delivery, not one of the notification channel's posts (B's Slack channel posts to B's receiver too). */
const isDelivery = (r: Received) => typeof r.headers['x-hub-webhook-id'] === 'string';

/** Every id (UUID) a delivery's body names. */
const idsIn = (text: string) => text.match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi) ?? [];

describe('partner isolation matrix (generated from the composed contracts)', () => {
  let hub: TestHub;
  let rows: BRows;
  const receivers: TestReceiver[] = [];
  const clients: Client[] = [];

  beforeAll(async () => {
    hub = await startTestHub({ env: ENV });
    rows = await BRows.open(hub.databaseUrl);
    // Policies are internal-only; this one makes B's proposals to the third party breach in seconds.
    await new Caller(hub.gatewayUrl, revops).ok(OPS.setPolicy, { input: FAST_POLICY });
    await new Caller(hub.gatewayUrl, revops).ok(OPS.setPolicy, { input: FAST_PROPOSE_POLICY });
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) await c.dispose();
    for (const r of receivers) await r.down();
    await rows?.close();
    await hub?.stop();
  });

  it('covers every root field and every @key entity of every subgraph', () => {
    expect(rootFieldNames(contracts, 'query').length).toBeGreaterThan(0);
    expect(rootFieldNames(contracts, 'mutation').length).toBeGreaterThan(0);
    expect(rootFieldNames(contracts, 'subscription').length).toBeGreaterThan(0);
    expect(contracts.subgraphs.map((s) => s.name).sort()).toEqual(['accounts', 'handoffs', 'scorecards', 'slas']);
    expect(contracts.contributedFields.Partner).toEqual(expect.arrayContaining(['inbox', 'scorecard', 'slaAttainment']));
  });

  /**
   * Routing on top of the generated probes: its rules are internal configuration, a partner
   * asks routeCandidates only about its own customers, and reads other candidates' ranks and
   * public reasons, never their figures (open counts, scorecards, weights).
   */
  describe('routing, as a partner', () => {
    const DEMO = (n: number) => `00000000-0000-4000-9000-${String(n).padStart(12, '0')}`;
    const ROUTE = `query($c: ID!) { routeCandidates(customerId: $c, moment: CLOSED_WON_TO_ONBOARDING) {
      ruleId chosenPartnerId candidates { partnerId outcome rank score reasons { code message } } } }`;
    const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;

    it('routingRules and setRoutingRule are FORBIDDEN to partners', async () => {
      const asAcme = new Caller(hub.gatewayUrl, acme);
      const rules = await asAcme.raw(`{ routingRules { id candidates { partnerId maxOpen weight } } }`);
      expect([codeOf(rules), rules.data?.routingRules ?? null]).toEqual(['FORBIDDEN', null]);
      const set = await asAcme.raw(
        `mutation { setRoutingRule(input: { moment: MQL_TO_SQL, strategies: [], candidates: [{ partnerId: "${acme.id}" }] }) { id } }`,
      );
      expect(codeOf(set)).toBe('FORBIDDEN');
    });

    it('routeCandidates for another partner’s customer is NOT_FOUND', async () => {
      // Demo customer 2 belongs to Globex Channel; Acme has no part in it.
      const res = await new Caller(hub.gatewayUrl, acme).raw(ROUTE, { c: DEMO(2) });
      expect([codeOf(res), res.data?.routeCandidates ?? null]).toEqual(['NOT_FOUND', null]);
    });

    it('routeCandidates for its own customer shows ranks and public reasons; internal teams read the figures', async () => {
      // Demo customer 1 belongs to Acme; the demo onboarding rule takes turns between two service providers.
      const mine = await new Caller(hub.gatewayUrl, acme).ok(ROUTE, { c: DEMO(1) });
      const internal = await new Caller(hub.gatewayUrl, revops).ok(ROUTE, { c: DEMO(1) });
      const candidates = mine.routeCandidates.candidates as {
        partnerId: string;
        rank: number | null;
        score: number | null;
        reasons: { code: string; message: string }[];
      }[];
      expect(candidates.length).toBeGreaterThan(0);
      expect(mine.routeCandidates.chosenPartnerId).toBe(internal.routeCandidates.chosenPartnerId);
      for (const c of candidates) {
        expect(c.score).toBeNull();
        // No figure of another partner: the only digits are its rank.
        for (const r of c.reasons)
          expect({ partner: c.partnerId, message: r.message.replace(/^rank \d+/, 'rank') }).toEqual({
            partner: c.partnerId,
            message: expect.not.stringMatching(/\d/),
          });
      }
      const figures = (internal.routeCandidates.candidates as { reasons: { message: string }[] }[]).flatMap((c) => c.reasons.map((r) => r.message));
      expect(figures).toEqual(expect.arrayContaining([expect.stringMatching(/^kept: \d+\/20 open handoffs$/)]));
    });
  });

  /**
   * Revenue figures on top of the generated probes: a partner reads only the retention and
   * lifetime-value rows attributed to itself, naming another partner is NOT_FOUND, and the
   * gross margin is internal configuration.
   */
  describe('revenue figures, as a partner', () => {
    const RETENTION = `query($f: RevenueRetentionFilter) { revenueRetention(filter: $f, groupBy: [PARTNER, PERIOD, COHORT]) { partnerId heldDirectly currency customers startingArr { amount } } }`;
    const CLV = `query($f: LifetimeValueFilter) { customerLifetimeValue(filter: $f) { partnerId segment currency sample { customers outcomes } } }`;
    const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;

    it('revenueRetention and customerLifetimeValue show a partner its own rows only', async () => {
      for (const [caller, other] of [
        [acme, globex],
        [globex, acme],
      ] as const) {
        const asCaller = new Caller(hub.gatewayUrl, caller);
        const own = await asCaller.ok(RETENTION, { f: {} });
        expect(own.revenueRetention.length).toBeGreaterThan(0);
        expect(own.revenueRetention.every((r: { partnerId: string; heldDirectly: boolean }) => r.partnerId === caller.id && !r.heldDirectly)).toBe(true);
        const lifetime = await asCaller.ok(CLV, { f: {} });
        expect(lifetime.customerLifetimeValue.map((r: { partnerId: string }) => r.partnerId)).toEqual(expect.arrayContaining([caller.id]));
        expect(lifetime.customerLifetimeValue.every((r: { partnerId: string }) => r.partnerId === caller.id)).toBe(true);
        for (const [query, field] of [
          [RETENTION, 'revenueRetention'],
          [CLV, 'customerLifetimeValue'],
        ] as const) {
          const probe = await asCaller.raw(query, { f: { partnerId: other.id } });
          expect([codeOf(probe), probe.data?.[field] ?? null]).toEqual(['NOT_FOUND', null]);
        }
      }
      // Internal teams read any partner's rows: the same ones that partner reads.
      const asAcme = await new Caller(hub.gatewayUrl, acme).ok(RETENTION, { f: {} });
      const forAcme = await new Caller(hub.gatewayUrl, revops).ok(RETENTION, { f: { partnerId: acme.id } });
      expect(forAcme.revenueRetention).toEqual(asAcme.revenueRetention);
    });

    it('setGrossMargin is FORBIDDEN to partners', async () => {
      const res = await new Caller(hub.gatewayUrl, acme).raw(`mutation { setGrossMargin(input: { margin: "0.9" }) { version } }`);
      expect([codeOf(res), res.data?.setGrossMargin ?? null]).toEqual(['FORBIDDEN', null]);
    });
  });

  /**
   * People and their tasks on top of the generated probes: a partner lists and resolves only
   * its own people, another partner's tasks are FORBIDDEN, myTasks needs a person, and a
   * deactivated person's key stops at the gateway at once.
   */
  describe('people and tasks, as a partner', () => {
    const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
    const globexPerson = DEMO_PEOPLE.find((p) => p.partnerId === globex.id)!;
    const acmePerson = DEMO_PEOPLE.find((p) => p.partnerId === acme.id)!;

    it('people and Partner.people show a partner its own people; another partner’s are FORBIDDEN or null', async () => {
      const asAcme = new Caller(hub.gatewayUrl, acme);
      const own = await asAcme.ok(`{ people(first: 100) { nodes { id partnerId email } } }`);
      expect(own.people.nodes.length).toBeGreaterThan(0);
      expect(own.people.nodes.every((p: { partnerId: string }) => p.partnerId === acme.id)).toBe(true);
      const probe = await asAcme.raw(`query($p: ID) { people(partnerId: $p) { nodes { id email } } }`, { p: globex.id });
      expect([codeOf(probe), probe.data?.people ?? null]).toEqual(['FORBIDDEN', null]);
      const directory = await asAcme.ok(`query($p: ID!) { partner(id: $p) { id people { id email } } }`, { p: globex.id });
      expect(directory.partner).toEqual({ id: globex.id, people: null });
      const internal = await new Caller(hub.gatewayUrl, revops).ok(`query($p: ID) { people(partnerId: $p) { totalCount } }`, { p: globex.id });
      expect(internal.people.totalCount).toBeGreaterThan(0);
    });

    it('_entities of Person resolves a partner’s own people only', async () => {
      const ENTITIES = `query($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id email } } }`;
      const r = [acmePerson, globexPerson].map((p) => ({ __typename: 'Person', id: p.id }));
      const asAcme = await subgraphGql(hub.subgraphUrls.accounts!, ENTITIES, { r }, partnerIdentity(acme.id));
      expect(asAcme.data?._entities).toEqual([{ id: acmePerson.id, email: acmePerson.email }, null]);
      const asGlobex = await subgraphGql(hub.subgraphUrls.accounts!, ENTITIES, { r }, partnerIdentity(globex.id));
      expect(asGlobex.data?._entities).toEqual([null, { id: globexPerson.id, email: globexPerson.email }]);
    });

    it('tasks of another partner are FORBIDDEN, myTasks needs a person; Task.assignee never shows another partner’s person', async () => {
      const asAcme = new Caller(hub.gatewayUrl, acme);
      const probe = await asAcme.raw(`query($p: ID) { tasks(partnerId: $p) { nodes { id } } }`, { p: globex.id });
      expect([codeOf(probe), probe.data?.tasks ?? null]).toEqual(['FORBIDDEN', null]);
      const mine = await asAcme.raw(`{ myTasks { nodes { id } } }`);
      expect([codeOf(mine), mine.data?.myTasks ?? null]).toEqual(['FORBIDDEN', null]);
      // Tasks A sees as a party of a handoff (as its sender, say) name the receiver's person by id at most, never by name or e-mail.
      const own = await asAcme.ok(`{ handoffs(first: 100) { nodes { toPartnerId: to { id } tasks { assignee { id name email partnerId } } } } }`);
      for (const h of own.handoffs.nodes as { toPartnerId: { id: string }; tasks: { assignee: { partnerId: string } | null }[] }[]) {
        for (const t of h.tasks) if (t.assignee) expect(t.assignee.partnerId).toBe(acme.id);
      }
    });

    it('a person-bound key acts as the person (myTasks), and stops at once when the person is deactivated', async () => {
      const asAcme = new Caller(hub.gatewayUrl, acme);
      const person = (
        await asAcme.ok(`mutation { addPerson(input: { name: "Iso Person", email: "iso.person@acme.example.com", role: ONBOARDING_LEAD }) { id } }`)
      ).addPerson;
      const key = (await asAcme.ok(`mutation($p: ID!) { createApiKey(input: { label: "iso person", personId: $p }) { secret } }`, { p: person.id }))
        .createApiKey;
      const before = await gql(hub.gatewayUrl, `{ myTasks { totalCount } }`, {}, key.secret);
      expect(before.errors).toBeUndefined();
      expect(before.data!.myTasks.totalCount).toBe(0);
      await asAcme.ok(`mutation($id: ID!) { deactivatePerson(id: $id) { status } }`, { id: person.id });
      const after = await gql(hub.gatewayUrl, `{ myTasks { totalCount } }`, {}, key.secret);
      expect(codeOf(after)).toBe('UNAUTHENTICATED');
    });
  });

  /**
   * ScorecardRow.value on top of the generated probes (which cannot tell one partner's
   * amounts from another's): a partner's value figures are those of its own rows exactly, and
   * asking for another partner's is NOT_FOUND, at the root and under Partner.scorecard.
   */
  describe('scorecard value, as a partner', () => {
    const VALUE = `value { reportingCurrency valuedHandoffs proposed accepted completed revenueAtRisk
      leakage { rejected expired cancelled stalled total neverProposed } unconvertible { figure currency amount handoffs } }`;
    const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
    const grandValue = (data: { scorecard: { level: string; value: { valuedHandoffs: number } }[] }) =>
      present(
        data.scorecard.find((r) => r.level === 'GRAND_TOTAL'),
        'a grand total row',
      ).value;

    it('is NOT_FOUND for another partner’s rows, at the root and under Partner.scorecard', async () => {
      const asAcme = new Caller(hub.gatewayUrl, acme);
      const root = await asAcme.raw(`query($p: ID!) { scorecard(filter: { partnerIds: [$p], groupBy: [] }) { level ${VALUE} } }`, { p: globex.id });
      expect([codeOf(root), root.data?.scorecard ?? null]).toEqual(['NOT_FOUND', null]);
      const nested = await asAcme.raw(`query($p: ID!) { partner(id: $p) { id scorecard { level ${VALUE} } } }`, { p: globex.id });
      expect(codeOf(nested)).toBe('NOT_FOUND');
      expect(nested.data?.partner?.scorecard ?? null).toBeNull();
    });

    it('sums exactly the partner’s own rows: what an internal team sees of that partner alone', async () => {
      const query = `query($p: [ID!]) { scorecard(filter: { period: QUARTER, partnerIds: $p, groupBy: [] }) { level ${VALUE} } }`;
      const own = grandValue(await new Caller(hub.gatewayUrl, acme).ok(query, {}));
      const asInternal = new Caller(hub.gatewayUrl, revops);
      const ofAcme = grandValue(await asInternal.ok(query, { p: [acme.id] }));
      const everyone = grandValue(await asInternal.ok(query, {}));
      expect(own.valuedHandoffs).toBeGreaterThan(0);
      expect(own).toEqual(ofAcme);
      expect(everyone.valuedHandoffs).toBeGreaterThan(own.valuedHandoffs);
    });
  });

  describe.each(SCENARIOS)('$title', (scenario) => {
    const { a, b, third } = scenario;
    const marker = newMarker();
    /** The strings of the A–B handoff: A is its receiver, so they are A's to read (not B's marker). */
    const sharedMarker = newMarker();
    /** Handoffs (and demo history events) A and B both took part in. */
    let shared: Set<string>;
    let run: ScenarioRun;

    /** B's own view of the hub: every query B can run about itself, as B. */
    const bView = async (bCaller: Caller): Promise<unknown[]> => {
      const own: Targets = { ids: {}, partnerId: b.id, lookups: {}, ownUrl: 'http://127.0.0.1:9/unused' };
      // Only what names nothing or names B: a stand-in id for a type B owns nothing of tells nothing.
      return inParallel(
        rootCases(contracts, 'query', own).filter((c) => c.aimsAtB || !c.targetsObject),
        (c) => bCaller.raw(c.query, c.variables),
      );
    };

    beforeAll(async () => {
      const url = hub.gatewayUrl;
      const asA = new Caller(url, a);
      const asB = new Caller(url, b);
      const asThird = new Caller(url, third);
      const receiver = async () => {
        const r = await new TestReceiver().up();
        receivers.push(r);
        return r;
      };
      const [history, bReceiver, aReceiver] = await Promise.all([rows.demoHistoryOf(a.id, b.id), receiver(), receiver()]);
      shared = new Set([...sharedHandoffs(scenario), ...sharedSoFar(scenario), ...history.sharedHandoffs, ...history.sharedEvents]);

      // 1. B's webhook and API key, B's planted customer; the third party's customer B will receive; A's webhook.
      // B's notification settings: a team channel (its label planted) and a preference of it; the
      // proposal B receives below writes B's people's notifications to B's log. (Independent writes: sent together.)
      const [hook, key, x, y, channel] = await Promise.all([
        asB.ok(OPS.createWebhook, { url: bReceiver.url, events: B_WEBHOOK_EVENTS, secret: `${marker}-webhook-secret-${b.id.slice(-2)}` }),
        asB.ok(OPS.createApiKey, { label: `${marker} key label` }),
        asB.ok(OPS.createCustomer, { input: plantedCustomer(marker, 'x', 'STRATEGIC') }).then((r) => r.createCustomer),
        asThird.ok(OPS.createCustomer, { input: plantedCustomer(marker, 'y', 'SMB') }).then((r) => r.createCustomer),
        asB
          .ok(OPS.addChannel, { input: { kind: 'SLACK', label: `${marker} channel label`, url: `${bReceiver.url}/slack/${marker}-slack-secret` } })
          .then((r) => r.addNotificationChannel),
        asA.ok(OPS.createWebhook, { url: aReceiver.url, events: ['*'] }),
      ]);
      await asB.ok(OPS.setPreference, { input: { channelId: channel.id, eventType: 'HandoffAccepted', enabled: false } });

      // 2. What A can name of B's now: every subscription argument gets it.
      const early = harvest(await bView(asB), { sharedHandoffs: shared, marker });
      const subscribeTargets: Targets = { ids: early.ids, partnerId: b.id, lookups: early.lookups, ownUrl: aReceiver.url };
      const aWs = wsClient(url, { authorization: `Bearer ${a.apiKey}` });
      const bWs = wsClient(url, { authorization: `Bearer ${b.apiKey}` });
      clients.push(aWs, bWs);
      const aSubs = rootCases(contracts, 'subscription', subscribeTargets).map((c) => ({ c, sub: new Subscription(aWs, c.query, c.variables) }));
      // B subscribes the same way: per field, B's own events must reach B (else A seeing nothing would prove nothing).
      const bSubs = rootCases(contracts, 'subscription', subscribeTargets).map((c) => ({ c, sub: new Subscription(bWs, c.query, c.variables) }));
      await Subscription.settle(500);

      // 3. B acts: edits records (its planted one, a demo one, those it shares with A), hands a
      // customer on (it breaches), receives one and accepts it, gives feedback, issues a customer link,
      // and proposes a customer of its own to A (the A–B handoff: A's webhook has something to
      // receive, so that receiving nothing else of B's means something; A turns it down after step 4).
      // Five chains of work run side by side, each on customers of its own (no record is written by two).
      const demoOfB = early.ids.Customer?.find((id) => id !== x.id);
      const [link, , , , toA] = await Promise.all([
        (async () => {
          // hy carries a value of its own (the onboarding playbook's VALUE field): B's, never A's to read.
          const hyInput = proposal(marker, 'hy', y.id, b.id, 'CLOSED_WON_TO_ONBOARDING');
          const hy = (await asThird.okEventually(OPS.propose, { input: { ...hyInput, data: { ...hyInput.data, signedValue: markerValue(marker, 'hy') } } }))
            .proposeHandoff;
          await asB.ok(OPS.accept, { id: hy.id });
          await asB.okEventually(OPS.feedback, {
            input: { handoffId: hy.id, source: 'PARTNER', rating: 4, comment: `${marker} feedback comment`, tags: [`${marker}-tag`] },
          });
          const { token } = (await asB.okEventually(OPS.feedbackToken, { id: hy.id })).issueCustomerFeedbackToken as { token: string };
          // A journey link of B's handoff: its id is what A's revokeCustomerJourneyLink probes aim at.
          const journey = (await asB.ok(OPS.journeyLink, { id: hy.id })).issueCustomerJourneyLink as { url: string };
          return { token, journeyUrl: journey.url };
        })(),
        (async () => {
          await plantNote(asB, x.id, `${marker} x notes v2`);
          // MQL → SQL matches the demo MQL_TO_SQL playbook's trigger: a HandoffDue B is accountable for (the proposal below closes it).
          await makeDue(asB, x.id, 'SQL');
          await asB.okEventually(OPS.propose, { input: proposal(marker, 'hx', x.id, third.id, 'MQL_TO_SQL') });
        })(),
        (async () => {
          // A second one stays OPEN: summaries of dues (handoffDueSummary.oldestOpen) name it to B.
          const w = (await asB.ok(OPS.createCustomer, { input: plantedCustomer(marker, 'w', 'SMB') })).createCustomer;
          await makeDue(asB, w.id, 'SQL');
        })(),
        (async () => {
          if (demoOfB) await plantNote(asB, demoOfB, `${marker} demo customer notes`);
          for (const customerId of sharedCustomersOfB(scenario)) await plantNote(asB, customerId, `${marker} shared customer record notes`);
          // A customer B shares with A through a closed handoff can be handed on again: A must not see that one.
          for (const customerId of sharedCustomersOfB(scenario)) {
            await asB.raw(OPS.propose, { input: proposal(marker, 'again', customerId, third.id, 'SUCCESS_TO_RENEWAL') });
          }
        })(),
        (async () => {
          const z = (await asB.ok(OPS.createCustomer, { input: plantedCustomer(sharedMarker, 'ab', 'SMB') })).createCustomer as { id: string };
          const h = (await asB.okEventually(OPS.propose, { input: proposal(sharedMarker, 'ab', z.id, a.id, 'MQL_TO_SQL') })).proposeHandoff as { id: string };
          // A is a party: the handoff is A's to see, and so the customer it names (B's final view is harvested without them).
          shared.add(h.id);
          handoffsBetween.push({ parties: [a.id, b.id], id: h.id });
          return h;
        })(),
      ]);

      // 4. Each subscription field delivered B's events to B. One SLA alert is enough: a
      // scheduler that comes late (a loaded machine) finds the clock past its due time and
      // announces only the breach, not the AT_RISK it skipped.
      const delivered = (field: string) => bSubs.some(({ c, sub }) => c.field === field && sub.received.some((r) => r.data));
      const fields = rootFieldNames(contracts, 'subscription');
      await until(() => fields.every((f) => delivered(f)), 20_000, "B's own subscriptions to receive B's events").catch((err: Error) => {
        const state = bSubs.map(({ c, sub }) => `${describeCase(c)}: ${sub.received.length} ${JSON.stringify(sub.error ?? sub.received[0]?.errors ?? '')}`);
        throw new Error(`${err.message}\n${state.join('\n')}`);
      });
      await until(() => bReceiver.received.some(isDelivery), 20_000, "B's webhook to receive B's events");

      // A turns B's proposal down: in the log its rejection comes after B's work above, and a
      // webhook gets its deliveries in log order, so once A's webhook has the rejection it has
      // every earlier event the fan-out gave it (it is awaited alongside B's final view).
      await asA.ok(OPS.reject, { id: toA.id, reason: `${sharedMarker} not for us` });
      const aboutShared = (r: Received) => (r.json.payload.handoff as { id?: string } | undefined)?.id === toA.id;
      const aGotRejection = until(
        () => aReceiver.received.some((r) => aboutShared(r) && r.json.type === HANDOFF_REJECTED),
        15_000,
        "A's webhook to receive its rejection of B's proposal",
      );

      // 5. B's final view: its objects, its secrets, what A must not see.
      const [finalView] = await Promise.all([bView(asB), aGotRejection]);
      const final = harvest(finalView, { sharedHandoffs: shared, marker });
      const ids = { ...final.ids };
      const known = new Set([...final.sharedIds, ...final.publicIds, ...(ids.Handoff ?? [])]);
      const shadow = (await rows.scorecardHandoffs(b.id, a.id, 6)).filter((h) => !known.has(h)).slice(0, 3);
      ids.Handoff = [...(ids.Handoff ?? []), ...shadow];
      const strings = new Map(final.secrets);
      for (const h of shadow) strings.set(h, "id of B's Handoff (scorecards history)");
      strings.set(hook.createWebhook.secret, "B's webhook signing secret");
      strings.set(`${marker}-slack-secret`, "B's Slack webhook URL");
      strings.set(key.createApiKey.secret, "B's API key");
      strings.set(key.createApiKey.apiKey.prefix, "B's API key prefix");
      strings.set(b.apiKey, "B's demo API key");
      strings.set(link.token, "B's customer feedback token");
      strings.set(new URL(link.journeyUrl).searchParams.get('token')!, "B's customer journey link token");
      if (!ids.JourneyLink?.length) throw new Error("B's view lists no JourneyLink: revokeCustomerJourneyLink would probe only a stand-in id");
      strings.set(markerValue(marker, 'hy').amount, "the value of B's handoff hy");
      // What B's webhook deliveries carry besides B's records: the ids of B's webhook and its
      // deliveries, their signatures, and the ids of the events A is not in the audience of
      // (the A–B handoff's events reach both webhooks: those ids are A's too).
      const bDeliveries = bReceiver.received.filter(isDelivery);
      const bEventIds = [...new Set(bDeliveries.map((r) => r.json.id))];
      for (const id of await rows.eventsHiddenFrom(a.id, bEventIds)) strings.set(id, "id of an event of B's (B's webhook delivery)");
      const carried = {
        'x-hub-webhook-id': "id of B's webhook",
        'x-hub-delivery-id': "id of B's webhook delivery",
        'x-hub-signature': "signature of B's webhook delivery",
        'webhook-signature': "Standard Webhooks signature of B's webhook delivery",
      };
      for (const { headers } of bDeliveries)
        for (const [header, what] of Object.entries(carried)) {
          const value = headers[header];
          if (typeof value !== 'string' || !value) throw new Error(`B's webhook delivery without ${header}`);
          strings.set(value, what);
        }
      // Ids A's own demo history names (it was party to those handoffs): A may know them, not see their records.
      for (const id of history.known) strings.delete(id);
      const secrets: Secrets = {
        strings,
        objects: new Set(Object.entries(ids).flatMap(([type, list]) => list.map((id) => `${type}:${id}`))),
        partnerId: b.id,
        sharedHandoffs: shared,
        partnerPrivateFields: contracts.contributedFields.Partner ?? [],
        marker,
      };
      const targets: Targets = { ids, partnerId: b.id, lookups: final.lookups, ownUrl: aReceiver.url };
      const queries = byField(rootCases(contracts, 'query', targets));
      const mutations = byField(rootCases(contracts, 'mutation', targets));
      const entities = byField(entityCases(contracts, targets));

      // 6. What A's subscriptions and webhook got meanwhile.
      await Subscription.settle(300);
      const subscriptionProblems = new Map<string, string[]>();
      const subscriptionCounts = new Map<string, number>();
      for (const { c, sub } of aSubs) {
        const problems = [
          ...sub.received.flatMap((r) => judge(c, r, secrets)),
          ...(sub.error ? [`${describeCase(c)} failed: ${JSON.stringify(sub.error)}`] : []),
        ];
        subscriptionProblems.set(c.field, [...(subscriptionProblems.get(c.field) ?? []), ...problems]);
        subscriptionCounts.set(c.field, (subscriptionCounts.get(c.field) ?? 0) + 1);
        sub.close();
      }
      for (const { sub } of bSubs) sub.close();
      // A's deliveries: nothing B planted (records, keys, B's deliveries), and no event naming one
      // of B's objects outside what A and B share (B's view reaches the A–B handoff's customer
      // through the handoff: the harvest counts it as shared, not as B's).
      const bObjects = new Set(Object.values(ids).flat());
      const webhookProblems = aReceiver.received.flatMap((r) => [
        ...findLeaks({ data: r.json, headers: r.headers }, '', secrets).map((f) => `A's webhook got ${r.json.type} ${r.json.id}: ${f.what} at ${f.where}`),
        ...[...new Set(idsIn(r.body))]
          .filter((id) => bObjects.has(id) && !shared.has(id))
          .map((id) => `A's webhook got ${r.json.type} ${r.json.id} about B's object ${id}`),
      ]);

      run = {
        secrets,
        targets,
        queries,
        mutations,
        entities,
        bRowIds: [b.id, ...new Set(Object.values(ids).flat())],
        subscriptionProblems,
        subscriptionCounts,
        aWebhookTypes: aReceiver.received.map((r) => r.json.type),
        aWebhookAboutShared: aReceiver.received.filter(aboutShared).map((r) => r.json.type),
        webhookProblems,
        bWebhookDeliveries: bReceiver.received.filter(isDelivery).length,
      };
    }, 90_000);

    describe('subscriptions over WebSocket, while B works', () => {
      it.each(rootFieldNames(contracts, 'subscription'))('%s delivers nothing of B’s, with every filter A can name', (field) => {
        expect(run.subscriptionCounts.get(field) ?? 0).toBeGreaterThan(0);
        expect(run.subscriptionProblems.get(field)).toEqual([]);
      });

      it('A’s webhook receives the A–B handoff’s events and nothing else of B’s (B’s webhook received B’s events)', () => {
        expect(run.bWebhookDeliveries).toBeGreaterThan(0);
        expect(run.aWebhookTypes.length).toBeGreaterThan(0);
        expect(run.aWebhookAboutShared).toEqual(expect.arrayContaining([HANDOFF_PROPOSED, HANDOFF_REJECTED]));
        expect(run.webhookProblems).toEqual([]);
      });
    });

    /**
     * Every probe also runs as B: where it names something of B's, B's own answer must
     * show B's data (findLeaks fires on it). A probe B gets nothing from proves nothing.
     */
    const controlMisses = (cases: MatrixCase[], bAnswers: unknown[]) =>
      cases.some((c) => c.aimsAtB) && !cases.some((c, i) => c.aimsAtB && findLeaks(bAnswers[i], requestOf(c), run.secrets).length > 0)
        ? [`${cases[0]!.field}: no probe aimed at B returned B's data to B itself`]
        : [];

    /** Every read probe's answers (queries, PRIORITY orderings, `_entities`), by the test that judges them. */
    let answered: Map<string, Answered>;

    // The reads are independent of each other: all of them go out together, the tests below judge the answers.
    beforeAll(async () => {
      const asA = new Caller(hub.gatewayUrl, a);
      const asB = new Caller(hub.gatewayUrl, b);
      const overHttp = (test: string, c: MatrixCase): Probe[] => [
        { test, c, asB: false, send: () => asA.raw(c.query, c.variables) },
        ...(c.aimsAtB ? [{ test, c, asB: true, send: () => asB.raw(c.query, c.variables) }] : []),
      ];
      const toSubgraph = (c: MatrixCase & { subgraph: string }): Probe[] =>
        [a, b].map((who) => ({
          test: `entities ${c.field}`,
          c,
          asB: who === b,
          send: () => subgraphGql(hub.subgraphUrls[c.subgraph as keyof typeof hub.subgraphUrls]!, c.query, c.variables, partnerIdentity(who.id)),
        }));
      answered = await answerAll([
        ...[...run.queries.values()].flat().flatMap((c) => overHttp(`query ${c.field}`, c)),
        ...moneyCases(run.targets).flatMap((c) => overHttp('money', c)),
        ...[...run.entities.values()].flat().flatMap(toSubgraph),
      ]);
    }, 120_000);

    describe('queries over HTTP', () => {
      it.each(rootFieldNames(contracts, 'query'))('%s answers A with nothing of B’s', (field) => {
        const { cases, answers, controls, bAnswers } = answered.get(`query ${field}`) ?? NONE;
        expect(cases.length).toBeGreaterThan(0);
        const problems = cases.flatMap((c, i) => judge(c, answers[i], run.secrets));
        expect([...problems, ...controlMisses(controls, bAnswers)]).toEqual([]);
      });
    });

    /**
     * Rows the generator does not write: the lists ordered by PRIORITY (an optional enum the
     * generated probes leave at its default) and the money fields of B's handoffs by id (moneyCases).
     */
    describe('money and priority over HTTP', () => {
      it('the PRIORITY orderings and B’s handoffs’ values answer A with nothing of B’s (B gets its own)', () => {
        const { cases, answers, controls, bAnswers } = answered.get('money') ?? NONE;
        expect(cases.length).toBeGreaterThan(6);
        const problems = cases.flatMap((c, i) => judge(c, answers[i], run.secrets));
        // B reads the value of hy back: the probe would see it leak.
        const value = markerValue(marker, 'hy').amount;
        expect(bAnswers.some((r) => JSON.stringify(r).includes(value))).toBe(true);
        expect([...problems, ...controlMisses(controls, bAnswers)]).toEqual([]);
      });
    });

    describe('_entities straight to each subgraph, with a signed identity of A', () => {
      it.each(entityFieldNames(contracts))('%s resolves nothing of B’s', (field) => {
        const { cases, answers, controls, bAnswers } = answered.get(`entities ${field}`) ?? NONE;
        expect(cases).toHaveLength(1);
        const problems = cases.flatMap((c, i) => judge(c, answers[i], run.secrets));
        expect([...problems, ...controlMisses(controls, bAnswers)]).toEqual([]);
      });
    });

    describe('mutations over HTTP', () => {
      let baseline: RowsSnapshot;
      let selfCheck: string[];

      beforeAll(async () => {
        // The comparison must see a change of B's rows when there is one: B edits its own record once.
        const before = await rows.settle(run.bRowIds);
        await plantNote(new Caller(hub.gatewayUrl, b), present(run.targets.ids.Customer?.[0], "one of B's customers"), `${marker} self-check notes`);
        selfCheck = (await rows.changedSince(before, run.bRowIds)).changed;
        baseline = await rows.settle(run.bRowIds);
      }, 60_000);

      it('sees B’s own change of B’s rows (so that it would see A’s)', () => {
        expect(selfCheck).toEqual(expect.arrayContaining(['accounts.customers', 'eventlog.events']));
      });

      it.each(rootFieldNames(contracts, 'mutation'))('%s aimed at B’s objects changes and reveals nothing of B’s', async (field) => {
        const cases = run.mutations.get(field) ?? [];
        expect(cases.length).toBeGreaterThan(0);
        const asA = new Caller(hub.gatewayUrl, a);
        // A field's variants go out together and B's rows are compared once all have answered: a
        // change (or an event about B's objects) is seen all the same, named with the variants sent.
        // Only a sibling that writes can keep a variant from writing, and that write is seen.
        const answers = await inParallel(cases, (c) => asA.raw(c.query, c.variables));
        const problems = cases.flatMap((c, i) => judge(c, answers[i], run.secrets));
        const { changed, after } = await rows.changedSince(baseline, run.bRowIds);
        if (changed.length) problems.push(`${cases.map(describeCase).join(' or ')} changed B's rows in ${changed.join(', ')}`);
        baseline = after;
        expect(problems).toEqual([]);
      });
    });
  });
  /**
   * Money on top of the generated probes (run last: the hand-over below makes customers the
   * scenarios would count as B's). A customer's figures, their history and its renewal
   * outcomes are its owner's: Globex owns one with figures, hands it to Acme at
   * SUCCESS_TO_RENEWAL, and Acme completes the handoff with the renewal outcome. Globex,
   * now a collaborator (the previous owner), reads the customer but none of its money,
   * through queries, the change feed or a webhook; Pixelforge, unrelated, not even the
   * customer. Exchange rates are internal configuration; the reporting currency is public.
   */
  describe('revenue, as a partner', () => {
    const ARR_BEFORE = '987654.321';
    const ARR_AFTER = '1000000.5';
    const READ = `query($id: ID!) { customer(id: $id) { id commercials { currency arr { amount currency } contractValue { amount } }
      commercialsHistory { totalCount nodes { source arr { amount } } } renewalOutcomes { totalCount nodes { kind handoffId previousArr { amount } newArr { amount currency } recordedBy { id } } } } }`;
    const RECORD = `mutation($c: ID!) { recordRenewalOutcome(customerId: $c, input: { kind: RENEWED, newArr: { amount: "${ARR_AFTER}", currency: "EUR" }, effectiveDate: "2027-07-01" }) { id } }`;
    const codeOf = (res: GraphQLResponse) => res.errors?.[0]?.extensions?.code;
    const money = (res: unknown) => [ARR_BEFORE, ARR_AFTER, '987654321'].filter((x) => JSON.stringify(res).includes(x));
    let customerId: string;
    let handoffId: string;
    let feedStart: string;
    let globexHook: TestReceiver;

    beforeAll(async () => {
      const asGlobex = new Caller(hub.gatewayUrl, globex);
      const asAcme = new Caller(hub.gatewayUrl, acme);
      globexHook = await new TestReceiver().up();
      receivers.push(globexHook);
      await asGlobex.ok(OPS.createWebhook, { url: globexHook.url, events: ['CustomerUpdated', 'RenewalOutcomeRecorded'] });
      feedStart = (await asGlobex.ok(`{ changesHead }`)).changesHead;
      const input = {
        ...plantedCustomer(newMarker(), 'money', 'ENTERPRISE'),
        lifecycleStage: 'ACTIVE',
        commercials: { currency: 'EUR', arr: ARR_BEFORE, contractValue: '2962962.963', contractTermMonths: 36, renewalDate: '2027-06-30' },
      };
      customerId = (await asGlobex.ok(OPS.createCustomer, { input })).createCustomer.id;
      handoffId = (await asGlobex.okEventually(OPS.propose, { input: proposal('money', 'renewal', customerId, acme.id, 'SUCCESS_TO_RENEWAL') })).proposeHandoff
        .id;
      await asAcme.ok(OPS.accept, { id: handoffId });
      // Accounts applies the new owner from the event log a moment later.
      await until(async () => (await asGlobex.ok(READ, { id: customerId })).customer.commercials === null, 15_000, 'Globex to lose the figures');
      await asAcme.ok(`mutation($id: ID!, $d: JSON) { completeHandoff(id: $id, deliverables: $d) { state } }`, {
        id: handoffId,
        d: {
          renewalQuoteSent: true,
          quotedArr: 1000000,
          renewalOutcome: 'EXPANDED',
          newArr: { amount: ARR_AFTER, currency: 'EUR' },
          effectiveDate: '2027-07-01',
        },
      });
      await until(
        async () => (await asAcme.ok(READ, { id: customerId })).customer.renewalOutcomes.totalCount > 0,
        15_000,
        'the renewal outcome to be recorded',
      );
    }, 60_000);

    it('the new owner reads the figures it took over, the outcome its completion recorded, and their history', async () => {
      const { customer } = await new Caller(hub.gatewayUrl, acme).ok(READ, { id: customerId });
      expect(customer.commercials).toEqual({ currency: 'EUR', arr: { amount: ARR_AFTER, currency: 'EUR' }, contractValue: { amount: '2962962.963' } });
      expect(customer.renewalOutcomes.nodes).toEqual([
        { kind: 'EXPANDED', handoffId, previousArr: { amount: ARR_BEFORE }, newArr: { amount: ARR_AFTER, currency: 'EUR' }, recordedBy: { id: acme.id } },
      ]);
      expect(customer.commercialsHistory.nodes.map((n: { source: string }) => n.source)).toEqual(['RENEWAL_OUTCOME', 'UPDATE']);
      const internal = await new Caller(hub.gatewayUrl, revops).ok(READ, { id: customerId });
      expect(internal.customer.commercials.arr.amount).toBe(ARR_AFTER);
    });

    it('commercials, commercialsHistory and renewalOutcomes: null and empty for the previous owner (a collaborator), NOT_FOUND for another partner', async () => {
      const mine = await new Caller(hub.gatewayUrl, globex).raw(READ, { id: customerId });
      expect(mine.errors).toBeUndefined();
      expect(mine.data!.customer).toEqual({
        id: customerId,
        commercials: null,
        commercialsHistory: { totalCount: 0, nodes: [] },
        renewalOutcomes: { totalCount: 0, nodes: [] },
      });
      const stranger = await new Caller(hub.gatewayUrl, pixelforge).raw(READ, { id: customerId });
      expect([codeOf(stranger), stranger.data?.customer ?? null, money(stranger)]).toEqual(['NOT_FOUND', null, []]);
      // Straight to accounts as a federated reference: the same answer.
      const entity = await subgraphGql(
        hub.subgraphUrls.accounts!,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id commercials { currency } renewalOutcomes { totalCount } } } }`,
        { r: [{ __typename: 'Customer', id: customerId }] },
        partnerIdentity(globex.id),
      );
      expect(entity.data?._entities).toEqual([{ id: customerId, commercials: null, renewalOutcomes: { totalCount: 0 } }]);
    });

    it('the previous owner’s change feed and webhook carry the customer’s changes without a figure', async () => {
      const feed = await new Caller(hub.gatewayUrl, globex).ok(
        `query($after: String) { changes(after: $after, first: 250) { nodes { type aggregateId payload } } }`,
        {
          after: feedStart,
        },
      );
      const about = (feed.changes.nodes as { type: string; aggregateId: string; payload: Record<string, any> }[]).filter((n) => n.aggregateId === customerId);
      expect(about.map((n) => n.type)).toEqual(expect.arrayContaining(['CustomerCreated', 'CustomerUpdated']));
      expect(about.map((n) => n.type)).not.toContain('RenewalOutcomeRecorded');
      // While it owned the customer, Globex's feed carried the figures (CustomerCreated); the
      // updates made after the hand-over carry none, nor say that they changed.
      const afterHandover = about.filter((n) => n.type === 'CustomerUpdated' && n.payload.customer.ownerPartnerId === acme.id);
      expect(afterHandover.length).toBeGreaterThan(0);
      expect(money(afterHandover)).toEqual([]);
      for (const n of afterHandover)
        expect([n.payload.customer.commercials, n.payload.changed]).toEqual([undefined, expect.not.arrayContaining(['commercials'])]);
      const acmeFeed = await new Caller(hub.gatewayUrl, acme).ok(
        `query($after: String) { changes(after: $after, first: 250) { nodes { type aggregateId payload } } }`,
        {
          after: feedStart,
        },
      );
      const acmeAbout = (acmeFeed.changes.nodes as { type: string; aggregateId: string; payload: Record<string, any> }[]).filter(
        (n) => n.aggregateId === customerId,
      );
      expect(acmeAbout.filter((n) => n.type === 'RenewalOutcomeRecorded')).toHaveLength(1);
      expect(money(acmeAbout)).toContain(ARR_AFTER);
      const customerOf = (r: Received) => (r.json.payload.customer ?? {}) as { id?: string; ownerPartnerId?: string };
      const ours = (r: Received) => customerOf(r).id === customerId && customerOf(r).ownerPartnerId === acme.id;
      await until(() => globexHook.received.some(ours), 15_000, 'Globex’s webhook to get the update');
      const delivered = globexHook.received.filter(ours);
      expect(money(delivered.map((r) => r.json))).toEqual([]);
      expect(globexHook.received.filter((r) => r.json.type === 'RenewalOutcomeRecorded')).toEqual([]);
    });

    it('customerUpdated delivers the owner’s change of the figures to the previous owner without them', async () => {
      const SUB = `subscription($id: ID) { customerUpdated(customerId: $id) { id version commercials { arr { amount } } commercialsHistory { totalCount } } }`;
      const subscribe = (p: typeof acme) => {
        const client = wsClient(hub.gatewayUrl, { authorization: `Bearer ${p.apiKey}` });
        clients.push(client);
        return new Subscription(client, SUB, { id: customerId });
      };
      const [asOwner, asPrevious] = [subscribe(acme), subscribe(globex)];
      await Subscription.settle(500);
      const owner = new Caller(hub.gatewayUrl, acme);
      const { customer } = await owner.ok(`query($id: ID!) { customer(id: $id) { version } }`, { id: customerId });
      await owner.ok(OPS.updateCustomer, { id: customerId, v: customer.version, input: { commercials: { currency: 'EUR', contractValue: '3000000' } } });
      const [mine, theirs] = await Promise.all([asOwner.waitFor(1, 15_000), asPrevious.waitFor(1, 15_000)]);
      expect(mine.data!.customerUpdated.commercials).toEqual({ arr: { amount: ARR_AFTER } });
      expect(theirs.data!.customerUpdated).toEqual({ id: customerId, version: customer.version + 1, commercials: null, commercialsHistory: { totalCount: 0 } });
      asOwner.close();
      asPrevious.close();
    });

    it('writing the figures or an outcome is FORBIDDEN to the collaborator and NOT_FOUND to another partner, and changes nothing', async () => {
      const update = `mutation($id: ID!) { updateCustomer(id: $id, expectedVersion: 99, input: { commercials: { currency: "EUR", arr: "1" } }) { id } }`;
      expect(codeOf(await new Caller(hub.gatewayUrl, globex).raw(RECORD, { c: customerId }))).toBe('FORBIDDEN');
      expect(codeOf(await new Caller(hub.gatewayUrl, pixelforge).raw(RECORD, { c: customerId }))).toBe('NOT_FOUND');
      expect(codeOf(await new Caller(hub.gatewayUrl, pixelforge).raw(update, { id: customerId }))).toBe('NOT_FOUND');
      const { customer } = await new Caller(hub.gatewayUrl, acme).ok(READ, { id: customerId });
      expect([customer.commercials.arr.amount, customer.renewalOutcomes.totalCount]).toEqual([ARR_AFTER, 1]);
    });

    it('exchangeRates and setExchangeRates are FORBIDDEN to partners; reportingCurrency is public; ExchangeRatesSet reaches no partner', async () => {
      const revopsCaller = new Caller(hub.gatewayUrl, revops);
      const head = (await new Caller(hub.gatewayUrl, acme).ok(`{ changesHead }`)).changesHead;
      await revopsCaller.ok(
        `mutation { setExchangeRates(input: { reportingCurrency: "EUR", rates: [{ currency: "USD", day: "2026-11-02", rate: "0.92" }] }) { version } }`,
      );
      for (const p of [acme, globex, pixelforge]) {
        const caller = new Caller(hub.gatewayUrl, p);
        const rates = await caller.raw(`{ exchangeRates { nodes { currency day rate version } } }`);
        expect([codeOf(rates), rates.data?.exchangeRates ?? null]).toEqual(['FORBIDDEN', null]);
        const set = await caller.raw(`mutation { setExchangeRates(input: { reportingCurrency: "USD", rates: [] }) { version } }`);
        expect(codeOf(set)).toBe('FORBIDDEN');
        expect((await caller.ok(`{ reportingCurrency }`)).reportingCurrency).toBe('EUR');
        const feed = await caller.ok(`query($after: String) { changes(after: $after, first: 250) { nodes { type } } }`, { after: head });
        expect(feed.changes.nodes.filter((n: { type: string }) => n.type === 'ExchangeRatesSet')).toEqual([]);
      }
      expect((await revopsCaller.ok(`{ exchangeRates { nodes { currency rate } } }`)).exchangeRates.nodes).toEqual([{ currency: 'USD', rate: '0.92' }]);
    });
  });
});
