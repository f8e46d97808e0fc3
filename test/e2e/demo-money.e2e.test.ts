import type { DataSource } from 'typeorm';
import { Dec, roundToCurrency } from '../../shared/graphql/money';
import { ALL_DEMO_CUSTOMERS, DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

const key = (part: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(part))!.apiKey;
const id = (part: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(part))!.id;
const ACME = id('acme');
const DAY_MS = 86_400_000;

interface Outcome {
  customer_id: string;
  owner_partner_id: string | null;
  kind: string;
  new_arr: string;
  currency: string;
  effective_date: string;
}

/**
 * What the demo holds in money on first start (docs/revenue.md, "Demo data"), checked
 * against the rows the seeds wrote rather than against constants: every demo customer's
 * commercials (USD and EUR both), a year of daily EUR→USD rates in USD, a year of renewal
 * outcomes of every kind, and a demo partner's retention and value figures as they follow
 * from those rows.
 */
describe('the demo’s money', () => {
  let hub: TestHub;
  let accounts: DataSource;
  let scorecards: DataSource;
  const ok = async (query: string, variables: Record<string, unknown>, apiKey: string) => {
    const res = await gql(hub.gatewayUrl, query, variables, apiKey);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };

  beforeAll(async () => {
    hub = await startTestHub();
    accounts = hub.dataSources.accounts!;
    scorecards = hub.dataSources.scorecards!;
    // The demo's events reach scorecards through its consumers: wait until the renewals and rates are folded in.
    const folded = async () => {
      const [r]: { outcomes: number; rates: number; events: number }[] = await scorecards.query(
        `SELECT (SELECT count(*)::int FROM scorecards.renewal_outcomes) AS outcomes, (SELECT count(*)::int FROM scorecards.effective_rates) AS rates,
                (SELECT count(*)::int FROM eventlog.events WHERE type = 'RenewalOutcomeRecorded') AS events`,
      );
      return r!.events > 0 && r!.outcomes === r!.events && r!.rates > 0;
    };
    for (let deadline = Date.now() + 30_000; Date.now() < deadline && !(await folded());) await new Promise((r) => setTimeout(r, 200));
  }, 90_000);
  afterAll(async () => {
    await hub?.stop();
  });

  it('gives every demo customer commercials, in USD or EUR (both present), readable by its owner', async () => {
    const rows: { id: string; owner: string | null; currency: string | null; arr: string | null }[] = await accounts.query(
      `SELECT c.id, c.owner_partner_id AS owner, m.currency, m.arr::text AS arr
         FROM accounts.customers c LEFT JOIN accounts.customer_commercials m ON m.customer_id = c.id WHERE c.id = ANY($1::uuid[])`,
      [ALL_DEMO_CUSTOMERS.map((c) => c.id)],
    );
    expect(rows).toHaveLength(ALL_DEMO_CUSTOMERS.length);
    expect(rows.filter((r) => r.currency !== 'USD' && r.currency !== 'EUR')).toEqual([]);
    expect(new Set(rows.map((r) => r.currency))).toEqual(new Set(['USD', 'EUR']));
    expect(rows.every((r) => r.arr !== null)).toBe(true);
    const acmes = rows.find((r) => r.owner === ACME)!;
    const read = await ok(`query($id: ID!) { customer(id: $id) { commercials { currency arr { amount currency } } } }`, { id: acmes.id }, key('acme'));
    expect(read.customer.commercials.currency).toBe(acmes.currency);
    expect(new Dec(read.customer.commercials.arr.amount).eq(acmes.arr!)).toBe(true);
  });

  it('sets a year of daily EUR→USD rates, USD the reporting currency', async () => {
    const [v]: { reporting_currency: string; n: number; first: string; last: string }[] = await accounts.query(
      `SELECT v.reporting_currency, count(r.*)::int AS n, min(r.day)::text AS first, max(r.day)::text AS last
         FROM accounts.exchange_rate_versions v JOIN accounts.exchange_rates r ON r.version = v.version WHERE r.currency = 'EUR' GROUP BY 1`,
    );
    expect(v!.reporting_currency).toBe('USD');
    const days = (Date.parse(v!.last) - Date.parse(v!.first)) / DAY_MS + 1;
    expect(days).toBeGreaterThanOrEqual(365);
    expect(v!.n).toBe(days); // one a day, none missing
    const api = await ok(`{ reportingCurrency exchangeRates(filter: { currency: "EUR" }, first: 1) { totalCount } }`, {}, key('revops'));
    expect(api).toEqual({ reportingCurrency: 'USD', exchangeRates: { totalCount: v!.n } });
  });

  it('records renewals of every kind across the last year, ending at the ARR accounts holds', async () => {
    const outcomes: Outcome[] = await scorecards.query(
      `SELECT customer_id, owner_partner_id, kind, new_arr::text AS new_arr, currency, effective_date::text AS effective_date
         FROM scorecards.renewal_outcomes ORDER BY customer_id, effective_date`,
    );
    const yearAgo = new Date(Date.now() - 365 * DAY_MS).toISOString().slice(0, 10);
    const lastYear = outcomes.filter((o) => o.effective_date >= yearAgo);
    expect(new Set(lastYear.map((o) => o.kind))).toEqual(new Set(['RENEWED', 'EXPANDED', 'CONTRACTED', 'CHURNED']));
    const dates = lastYear.map((o) => Date.parse(o.effective_date)).sort((a, b) => a - b);
    expect((dates.at(-1)! - dates[0]!) / DAY_MS).toBeGreaterThan(270); // spread over the year, not one day
    // Each customer's latest renewal left the ARR its commercials hold now.
    const latest = new Map(outcomes.map((o) => [o.customer_id, o]));
    const figures: { customer_id: string; arr: string; currency: string }[] = await accounts.query(
      `SELECT customer_id, arr::text AS arr, currency FROM accounts.customer_commercials WHERE customer_id = ANY($1::uuid[])`,
      [[...latest.keys()]],
    );
    expect(figures).toHaveLength(latest.size);
    for (const f of figures) {
      expect([f.currency, new Dec(f.arr).toFixed()]).toEqual([latest.get(f.customer_id)!.currency, new Dec(latest.get(f.customer_id)!.new_arr).toFixed()]);
    }
  });

  it('gives a demo partner retention figures that follow from its renewals', async () => {
    const to = new Date();
    const from = new Date(to.getTime() - 365 * DAY_MS);
    const outcomes: Outcome[] = await scorecards.query(
      `SELECT customer_id, owner_partner_id, kind, new_arr::text AS new_arr, currency, effective_date::text AS effective_date
         FROM scorecards.renewal_outcomes WHERE owner_partner_id = $1 ORDER BY customer_id, effective_date`,
      [ACME],
    );
    // Per currency: the ARR just before the year (the last renewal effective before it) and at its end.
    const expected = new Map<string, { start: Dec; end: Dec; lost: Dec; customers: number }>();
    for (const customer of new Set(outcomes.map((o) => o.customer_id))) {
      const mine = outcomes.filter((o) => o.customer_id === customer);
      const before = mine.filter((o) => Date.parse(`${o.effective_date}T00:00:00Z`) < from.getTime()).at(-1);
      if (!before || new Dec(before.new_arr).lte(0)) continue;
      const end = new Dec(mine.at(-1)!.new_arr);
      const start = new Dec(before.new_arr);
      const e = expected.get(before.currency) ?? { start: new Dec(0), end: new Dec(0), lost: new Dec(0), customers: 0 };
      expected.set(before.currency, {
        start: e.start.plus(start),
        end: e.end.plus(end),
        lost: e.lost.plus(end.lt(start) ? start.minus(end) : 0),
        customers: e.customers + 1,
      });
    }
    expect(expected.size).toBeGreaterThan(0);
    const rows = (
      await ok(
        `query($f: RevenueRetentionFilter!) { revenueRetention(filter: $f, groupBy: [PARTNER]) {
          partnerId currency customers startingArr { amount } endingArr { amount } grossRevenueRetention netRevenueRetention } }`,
        { f: { partnerId: ACME, period: { from: from.toISOString(), to: to.toISOString() } } },
        key('acme'),
      )
    ).revenueRetention as {
      partnerId: string;
      currency: string;
      customers: number;
      startingArr: { amount: string };
      endingArr: { amount: string };
      grossRevenueRetention: string;
      netRevenueRetention: string;
    }[];
    const ratio = (a: Dec, b: Dec) => a.div(b).toDecimalPlaces(4, Dec.ROUND_HALF_EVEN).toFixed(4);
    expect(
      rows
        .filter((r) => r.customers > 0)
        .map((r) => r.currency)
        .sort(),
    ).toEqual([...expected.keys()].sort());
    for (const [currency, e] of expected) {
      const row = rows.find((r) => r.currency === currency)!;
      expect(row).toMatchObject({ partnerId: ACME, customers: e.customers });
      expect(new Dec(row.startingArr.amount).eq(e.start)).toBe(true);
      expect(new Dec(row.endingArr.amount).eq(e.end)).toBe(true);
      expect(row.netRevenueRetention).toBe(ratio(e.end, e.start));
      expect(row.grossRevenueRetention).toBe(ratio(e.start.minus(e.lost), e.start));
    }
    const clv = (
      await ok(
        `query($p: ID) { customerLifetimeValue(filter: { partnerId: $p }) { currency averageArr { amount } sample { customers outcomes } } }`,
        { p: ACME },
        key('acme'),
      )
    ).customerLifetimeValue as { currency: string | null; averageArr: { amount: string } | null; sample: { outcomes: number } }[];
    expect(clv.length).toBeGreaterThan(0);
    expect(clv.every((r) => r.currency !== null && r.averageArr !== null)).toBe(true);
  });

  it('gives a demo partner value figures in USD: its handoffs’ values at their proposal day’s rate', async () => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - 200 * DAY_MS);
    // Each handoff as its latest event left it (whichever source wrote it), and the rates in force.
    const handoffs: { id: string; to: string | null; proposed_at: string; amount: string | null; currency: string | null }[] = await scorecards.query(
      `SELECT DISTINCT ON (aggregate_id) aggregate_id AS id, payload->'handoff'->>'toPartnerId' AS to, payload->'handoff'->>'proposedAt' AS proposed_at,
              payload->'handoff'->'value'->>'amount' AS amount, payload->'handoff'->'value'->>'currency' AS currency
         FROM eventlog.events WHERE aggregate_type = 'Handoff' AND payload ? 'handoff' ORDER BY aggregate_id, tx DESC, seq DESC`,
    );
    const rates = new Map(
      (
        (await scorecards.query(`SELECT currency, day::text AS day, rate::text AS rate FROM scorecards.effective_rates`)) as {
          currency: string;
          day: string;
          rate: string;
        }[]
      ).map((r) => [`${r.currency}|${r.day}`, new Dec(r.rate)]),
    );
    let sum = new Dec(0);
    let valued = 0;
    for (const h of handoffs) {
      if (h.to !== ACME || !h.amount || !h.currency || Date.parse(h.proposed_at) < from.getTime()) continue;
      const rate = h.currency === 'USD' ? new Dec(1) : rates.get(`${h.currency}|${h.proposed_at.slice(0, 10)}`);
      expect(rate).toBeDefined(); // the demo's rates cover every demo handoff's day
      sum = sum.plus(new Dec(h.amount).times(rate!));
      valued++;
    }
    expect(valued).toBeGreaterThan(0);
    const rows = (
      await ok(
        `query($f: ScorecardFilter!) { scorecard(filter: $f) { level partnerId value { reportingCurrency valuedHandoffs proposed unconvertible { currency } } } }`,
        {
          f: {
            period: 'QUARTER',
            from: from.toISOString(),
            to: to.toISOString(),
            partnerIds: [ACME],
            groupBy: ['PARTNER'],
            collapsePeriods: true,
            includeTotals: false,
          },
        },
        key('acme'),
      )
    ).scorecard as { partnerId: string; value: { reportingCurrency: string; valuedHandoffs: number; proposed: string; unconvertible: unknown[] } }[];
    const row = rows.find((r) => r.partnerId === ACME)!;
    expect(row.value).toMatchObject({ reportingCurrency: 'USD', valuedHandoffs: valued, unconvertible: [] });
    expect(row.value.proposed).toBe(roundToCurrency(sum, 'USD'));
  });

  it('orders a demo inbox by priority: the demo handoffs waiting carry their customer’s value, at stake in USD', async () => {
    const waiting: { to: string }[] = await hub.dataSources.handoffs!.query(
      `SELECT DISTINCT to_partner_id AS to FROM handoffs.handoffs WHERE state = 'PROPOSED'`,
    );
    expect(waiting.length).toBeGreaterThan(0);
    for (const { to } of waiting) {
      const data = await ok(
        `query($id: ID!) { partner(id: $id) { inbox(orderBy: PRIORITY, first: 50) { nodes { id value { amount currency } priority { score valueAtStake { amount currency } } } } } }`,
        { id: to },
        key('revops'),
      );
      const nodes = data.partner.inbox.nodes as { value: { amount: string } | null; priority: { score: number; valueAtStake: { currency: string } | null } }[];
      expect(nodes.length).toBeGreaterThan(0);
      expect(nodes.every((n) => n.value !== null && n.priority.valueAtStake?.currency === 'USD')).toBe(true);
      const scores = nodes.map((n) => n.priority.score);
      expect(scores).toEqual([...scores].sort((a, b) => b - a));
    }
  });
});
