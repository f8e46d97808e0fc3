import type { Client } from 'graphql-ws';
import { TestReceiver, until } from '../../subgraphs/accounts/test/webhook-receiver';
import { Subscription, wsClient, type GraphQLResponse } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';
import { partnerIdentity, subgraphGql } from '../support/subgraph-client';
import { findLeaks, harvest, unexpectedErrors, type Finding, type Secrets } from '../security/isolation-matrix.detect';
import {
  B_WEBHOOK_EVENTS,
  BRows,
  Caller,
  makeDue,
  FAST_POLICY,
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

const CONCURRENCY = 4;

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

interface ScenarioRun {
  secrets: Secrets;
  targets: Targets;
  /** Ids whose rows in the database count as B's. */
  bRowIds: string[];
  subscriptionProblems: Map<string, string[]>;
  subscriptionCounts: Map<string, number>;
  webhookProblems: string[];
  bWebhookDeliveries: number;
}

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

  describe.each(SCENARIOS)('$title', (scenario) => {
    const { a, b, third } = scenario;
    const marker = newMarker();
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
      const history = await rows.demoHistoryOf(a.id, b.id);
      shared = new Set([...sharedHandoffs(scenario), ...history.sharedHandoffs, ...history.sharedEvents]);

      // 1. B's webhook and API key, B's planted customer; the third party's customer B will receive; A's webhook.
      const bReceiver = await new TestReceiver().up();
      const aReceiver = await new TestReceiver().up();
      receivers.push(bReceiver, aReceiver);
      const hook = await asB.ok(OPS.createWebhook, { url: bReceiver.url, events: B_WEBHOOK_EVENTS, secret: `${marker}-webhook-secret-${b.id.slice(-2)}` });
      const key = await asB.ok(OPS.createApiKey, { label: `${marker} key label` });
      const x = (await asB.ok(OPS.createCustomer, { input: plantedCustomer(marker, 'x', 'STRATEGIC') })).createCustomer;
      const y = (await asThird.ok(OPS.createCustomer, { input: plantedCustomer(marker, 'y', 'SMB') })).createCustomer;
      await asA.ok(OPS.createWebhook, { url: aReceiver.url, events: ['*'] });

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
      // customer on (it breaches), receives one and accepts it, gives feedback, issues a customer link.
      await plantNote(asB, x.id, `${marker} x notes v2`);
      // MQL → SQL matches the demo MQL_TO_SQL playbook's trigger: a HandoffDue B is accountable for (the proposal below closes it).
      await makeDue(asB, x.id, 'SQL');
      const demoOfB = early.ids.Customer?.find((id) => id !== x.id);
      if (demoOfB) await plantNote(asB, demoOfB, `${marker} demo customer notes`);
      for (const customerId of sharedCustomersOfB(scenario)) await plantNote(asB, customerId, `${marker} shared customer record notes`);
      await asB.okEventually(OPS.propose, { input: proposal(marker, 'hx', x.id, third.id, 'MQL_TO_SQL') });
      const hy = (await asThird.okEventually(OPS.propose, { input: proposal(marker, 'hy', y.id, b.id, 'CLOSED_WON_TO_ONBOARDING') })).proposeHandoff;
      await asB.ok(OPS.accept, { id: hy.id });
      await asB.okEventually(OPS.feedback, {
        input: { handoffId: hy.id, source: 'PARTNER', rating: 4, comment: `${marker} feedback comment`, tags: [`${marker}-tag`] },
      });
      const link = (await asB.okEventually(OPS.feedbackToken, { id: hy.id })).issueCustomerFeedbackToken;
      // A customer B shares with A through a closed handoff can be handed on again: A must not see that one.
      for (const customerId of sharedCustomersOfB(scenario)) {
        await asB.raw(OPS.propose, { input: proposal(marker, 'again', customerId, third.id, 'SUCCESS_TO_RENEWAL') });
      }

      // 4. Each subscription field delivered B's events to B. One SLA alert is enough: a
      // scheduler that comes late (a loaded machine) finds the clock past its due time and
      // announces only the breach, not the AT_RISK it skipped.
      const delivered = (field: string) => bSubs.some(({ c, sub }) => c.field === field && sub.received.some((r) => r.data));
      const fields = rootFieldNames(contracts, 'subscription');
      await until(() => fields.every((f) => delivered(f)), 20_000, "B's own subscriptions to receive B's events").catch((err: Error) => {
        const state = bSubs.map(({ c, sub }) => `${describeCase(c)}: ${sub.received.length} ${JSON.stringify(sub.error ?? sub.received[0]?.errors ?? '')}`);
        throw new Error(`${err.message}\n${state.join('\n')}`);
      });
      await until(() => bReceiver.received.length > 0, 20_000, "B's webhook to receive B's events");

      // 5. B's final view: its objects, its secrets, what A must not see.
      const final = harvest(await bView(asB), { sharedHandoffs: shared, marker });
      const ids = { ...final.ids };
      const known = new Set([...final.sharedIds, ...final.publicIds, ...(ids.Handoff ?? [])]);
      const shadow = (await rows.scorecardHandoffs(b.id, a.id, 6)).filter((h) => !known.has(h)).slice(0, 3);
      ids.Handoff = [...(ids.Handoff ?? []), ...shadow];
      const strings = new Map(final.secrets);
      for (const h of shadow) strings.set(h, "id of B's Handoff (scorecards history)");
      strings.set(hook.createWebhook.secret, "B's webhook signing secret");
      strings.set(key.createApiKey.secret, "B's API key");
      strings.set(key.createApiKey.apiKey.prefix, "B's API key prefix");
      strings.set(b.apiKey, "B's demo API key");
      strings.set(link.token, "B's customer feedback token");
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
      const webhookProblems = aReceiver.received.flatMap((r) =>
        findLeaks({ data: r.json }, '', secrets).map((f) => `A's webhook got ${r.json.type} ${r.json.id}: ${f.what} at ${f.where}`),
      );

      run = {
        secrets,
        targets,
        bRowIds: [b.id, ...new Set(Object.values(ids).flat())],
        subscriptionProblems,
        subscriptionCounts,
        webhookProblems,
        bWebhookDeliveries: bReceiver.received.length,
      };
    }, 90_000);

    describe('subscriptions over WebSocket, while B works', () => {
      it.each(rootFieldNames(contracts, 'subscription'))('%s delivers nothing of B’s, with every filter A can name', (field) => {
        expect(run.subscriptionCounts.get(field) ?? 0).toBeGreaterThan(0);
        expect(run.subscriptionProblems.get(field)).toEqual([]);
      });

      it('A’s webhook receives nothing of B’s (B’s webhook received B’s events)', () => {
        expect(run.bWebhookDeliveries).toBeGreaterThan(0);
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

    describe('queries over HTTP', () => {
      it.each(rootFieldNames(contracts, 'query'))('%s answers A with nothing of B’s', async (field) => {
        const cases = rootCases(contracts, 'query', run.targets).filter((c) => c.field === field);
        expect(cases.length).toBeGreaterThan(0);
        const asA = new Caller(hub.gatewayUrl, a);
        const asB = new Caller(hub.gatewayUrl, b);
        const runs = [...cases.map((c) => ({ c, who: asA })), ...cases.filter((c) => c.aimsAtB).map((c) => ({ c, who: asB }))];
        const answers = await inParallel(runs, ({ c, who }) => who.raw(c.query, c.variables));
        const problems = runs.flatMap(({ c, who }, i) => (who === asA ? judge(c, answers[i], run.secrets) : []));
        const controls = runs.filter(({ who }) => who === asB);
        expect([
          ...problems,
          ...controlMisses(
            controls.map(({ c }) => c),
            answers.slice(cases.length),
          ),
        ]).toEqual([]);
      });
    });

    describe('_entities straight to each subgraph, with a signed identity of A', () => {
      it.each(entityFieldNames(contracts))('%s resolves nothing of B’s', async (field) => {
        const cases = entityCases(contracts, run.targets).filter((c) => c.field === field);
        expect(cases).toHaveLength(1);
        const send = (c: (typeof cases)[number], who: string) =>
          subgraphGql(hub.subgraphUrls[c.subgraph as keyof typeof hub.subgraphUrls]!, c.query, c.variables, partnerIdentity(who));
        const problems = (await inParallel(cases, async (c) => judge(c, await send(c, a.id), run.secrets))).flat();
        const bAnswers = await inParallel(cases, (c) => send(c, b.id));
        expect([...problems, ...controlMisses(cases, bAnswers)]).toEqual([]);
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
        const cases = rootCases(contracts, 'mutation', run.targets).filter((c) => c.field === field);
        expect(cases.length).toBeGreaterThan(0);
        const asA = new Caller(hub.gatewayUrl, a);
        const problems: string[] = [];
        for (const c of cases) {
          const res: GraphQLResponse = await asA.raw(c.query, c.variables);
          problems.push(...judge(c, res, run.secrets));
          const { changed, after } = await rows.changedSince(baseline, run.bRowIds);
          if (changed.length) problems.push(`${describeCase(c)} changed B's rows in ${changed.join(', ')}`);
          baseline = after;
        }
        expect(problems).toEqual([]);
      });
    });
  });
});
