import { totalQueryCount } from '../../shared/db/query-counter';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { demoHandoffId } from '../../subgraphs/scorecards/src/seed';
import { codes, gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const key = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.apiKey;
const id = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!.id;
const SCORECARD = `query($f: ScorecardFilter!) { scorecard(filter: $f) { level partner { id name } moment proposed accepted conversion { acceptRate } velocity { timeToAccept { medianSeconds } } } }`;
const quarter = { period: 'MONTH', groupBy: ['PARTNER'], collapsePeriods: true };

describe('scorecards through the gateway', () => {
  let hub: TestHub;
  let base: string;

  beforeAll(async () => {
    hub = await startTestHub({ services: ['accounts', 'scorecards', 'gateway'] });
    base = hub.gatewayUrl.replace(/\/graphql$/, '');
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('shows internal teams every partner, with names resolved by accounts', async () => {
    const res = await gql(hub.gatewayUrl, SCORECARD, { f: quarter }, key('revops'));
    expect(res.errors).toBeUndefined();
    const groups = res.data!.scorecard.filter((r: any) => r.level === 'GROUP');
    expect(groups.length).toBe(7);
    expect(groups.map((r: any) => r.partner.name)).toContain('Acme Reseller');
    expect(groups.every((r: any) => r.proposed > 0 && r.velocity.timeToAccept.medianSeconds > 0)).toBe(true);
  });

  it('shows a partner its own rows and hides the others', async () => {
    const own = await gql(hub.gatewayUrl, SCORECARD, { f: quarter }, key('acme'));
    expect(own.data!.scorecard.filter((r: any) => r.level === 'GROUP').map((r: any) => r.partner.id)).toEqual([id('acme')]);
    const other = await gql(hub.gatewayUrl, SCORECARD, { f: { ...quarter, partnerIds: [id('globex')] } }, key('acme'));
    expect(codes(other)).toEqual(['NOT_FOUND']);
    const viaPartner = await gql(
      hub.gatewayUrl,
      `query($id: ID!) { partner(id: $id) { name scorecard(filter: { period: QUARTER, groupBy: [] }) { level proposed } } }`,
      { id: id('acme') },
      key('acme'),
    );
    expect(viaPartner.errors).toBeUndefined();
    expect(viaPartner.data!.partner.scorecard.find((r: any) => r.level === 'GRAND_TOTAL').proposed).toBeGreaterThan(50);
    const maturity = await gql(
      hub.gatewayUrl,
      `query($id: ID!) { maturity(partnerId: $id) { overallStage partner { name } dimensions { dimension stage } } }`,
      { id: id('globex') },
      key('acme'),
    );
    expect(codes(maturity)).toEqual(['NOT_FOUND']);
    expect(codes(await gql(hub.gatewayUrl, SCORECARD, { f: quarter }))).toEqual(['UNAUTHENTICATED']);
  });

  it('answers Partner.scorecard for a page of partners in a constant number of statements, each partner as on its own', async () => {
    const PAGE = `query($n: Int) { partners(first: $n) { nodes { id scorecard(filter: { period: MONTH, groupBy: [MOMENT], collapsePeriods: true }) { level moment proposed velocity { timeToAccept { medianSeconds p90Seconds } } leakage { stalled { count } } } } } }`;
    const measure = async (n: number) => {
      const before = totalQueryCount();
      const res = await gql(hub.gatewayUrl, PAGE, { n }, key('revops'));
      expect(res.errors).toBeUndefined();
      return { statements: totalQueryCount() - before, nodes: res.data!.partners.nodes as { id: string; scorecard: any[] }[] };
    };
    await measure(1); // authenticates and warms the gateway's caches
    const small = await measure(1);
    const large = await measure(20);
    const scored = large.nodes.filter((p) => p.scorecard.some((r) => r.proposed > 0));
    expect(scored.length).toBeGreaterThanOrEqual(5);
    expect(large.statements).toBe(small.statements);
    // Each partner's rows in the batch are the rows of its own scorecard query.
    for (const p of scored.slice(0, 3)) {
      const alone = await gql(
        hub.gatewayUrl,
        `query($id: ID!) { partner(id: $id) { scorecard(filter: { period: MONTH, groupBy: [MOMENT], collapsePeriods: true }) { level moment proposed velocity { timeToAccept { medianSeconds p90Seconds } } leakage { stalled { count } } } } }`,
        { id: p.id },
        key('revops'),
      );
      expect(alone.data!.partner.scorecard).toEqual(p.scorecard);
    }
    // A partner gets its own scorecard and NOT_FOUND for the others on the same page.
    const asAcme = await gql(
      hub.gatewayUrl,
      `query { partners(first: 20) { nodes { id scorecard(filter: { period: MONTH, groupBy: [] }) { level } } } }`,
      {},
      key('acme'),
    );
    const nodes = asAcme.data!.partners.nodes as { id: string; scorecard: unknown[] | null }[];
    expect(nodes.filter((p) => p.scorecard !== null).map((p) => p.id)).toEqual([id('acme')]);
    expect(new Set(codes(asAcme))).toEqual(new Set(['NOT_FOUND']));
  });

  it('scores the demo partners differently on maturity', async () => {
    const q = `query($a: ID!, $b: ID!) { a: maturity(partnerId: $a) { overallStage handoffs } b: maturity(partnerId: $b) { overallStage handoffs } }`;
    const res = await gql(hub.gatewayUrl, q, { a: id('northwind'), b: id('pixelforge') }, key('revops'));
    expect(res.errors).toBeUndefined();
    expect(res.data!.a.overallStage).toBeGreaterThan(res.data!.b.overallStage);
  });

  it('takes a customer’s feedback once through the gateway’s /feedback page', async () => {
    const handoffId = demoHandoffId(0);
    const before = (
      await gql(
        hub.gatewayUrl,
        `query($f: ScorecardFilter!) { scorecard(filter: $f) { level feedback { customer { count } } } }`,
        { f: { period: 'QUARTER', groupBy: [], from: new Date(Date.now() - 300 * 86400_000).toISOString() } },
        key('acme'),
      )
    ).data!.scorecard.find((r: any) => r.level === 'GRAND_TOTAL').feedback.customer.count;
    const issued = await gql(
      hub.gatewayUrl,
      `mutation($id: ID!) { issueCustomerFeedbackToken(handoffId: $id) { token path } }`,
      { id: handoffId },
      key('acme'),
    );
    expect(issued.errors).toBeUndefined();
    const { token, path } = issued.data!.issueCustomerFeedbackToken;
    const page = await fetch(`${base}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('How did the handover go?');
    const post = (body: unknown) =>
      fetch(`${base}/feedback/api`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await post({ token, rating: 4, tags: ['clear next steps'] })).status).toBe(201);
    expect((await post({ token, rating: 1 })).status).toBe(409);
    // The projection picks the FeedbackSubmitted event up from the log.
    const customerRatings = async () =>
      (
        await gql(
          hub.gatewayUrl,
          `query($f: ScorecardFilter!) { scorecard(filter: $f) { level feedback { customer { count } } } }`,
          { f: { period: 'QUARTER', groupBy: [], from: new Date(Date.now() - 300 * 86400_000).toISOString() } },
          key('acme'),
        )
      ).data!.scorecard.find((r: any) => r.level === 'GRAND_TOTAL').feedback.customer.count;
    const deadline = Date.now() + 10_000;
    while ((await customerRatings()) !== before + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await customerRatings()).toBe(before + 1);
  });
});
