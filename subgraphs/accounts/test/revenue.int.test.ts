import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { codes, firstError, type GraphQLResponse } from '../../../test/support/graphql-client';
import { internalIdentity, partnerIdentity, subgraphGql } from '../../../test/support/subgraph-client';
import type { Identity } from '../../../shared/auth/identity';
import { traceSql } from '../../../shared/db/sql-meter';
import { withTenant } from '../../../shared/db/tenant-context';
import { DEMO_PARTNERS } from '../src/seed';

/**
 * Money in accounts (docs/revenue.md): commercials through updateCustomer and
 * upsertCustomers, their history and events; exchange rates and their versions; renewal
 * outcomes and their rules; who reads what (owner, collaborator, another partner, internal).
 */
const partnerId = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!.id;
const ACME = partnerIdentity(partnerId('acme'));
const GLOBEX = partnerIdentity(partnerId('globex'));
const PIXEL = partnerIdentity(partnerId('pixelforge'));
const INTERNAL = internalIdentity(partnerId('revops'));

const COMMERCIALS = `commercials { currency arr { amount currency } pipelineValue { amount currency } contractValue { amount currency } contractTermMonths renewalDate customerVersion }`;
const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id version ${COMMERCIALS} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: UpdateCustomerInput!) { updateCustomer(id: $id, expectedVersion: $v, input: $input) { id version ${COMMERCIALS} } }`;
const READ = `query($id: ID!, $first: Int, $after: String) { customer(id: $id) { id version ${COMMERCIALS}
  commercialsHistory(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor hasPreviousPage }
    nodes { customerVersion currency arr { amount } pipelineValue { amount } contractTermMonths renewalDate source changedBy { id } } }
  renewalOutcomes { totalCount nodes { id kind previousArr { amount currency } newArr { amount currency } effectiveDate handoffId owner { id } recordedBy { id } } } } }`;
const UPSERT = `mutation($system: String!, $input: [UpsertCustomerInput!]!) { upsertCustomers(system: $system, input: $input) {
  rows { outcome customerId version changedFields ignoredFields invalidFields reasonCode reason } } }`;
const SET_RATES = `mutation($input: ExchangeRatesInput!) { setExchangeRates(input: $input) { version reportingCurrency rates { currency day rate version } setBy { id } } }`;
const RATES = `query($filter: ExchangeRateFilter, $first: Int, $after: String) { exchangeRates(filter: $filter, first: $first, after: $after) {
  totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { currency day rate version } } }`;
const RECORD = `mutation($c: ID!, $input: RenewalOutcomeInput!, $key: String) { recordRenewalOutcome(customerId: $c, input: $input, idempotencyKey: $key) {
  id customerId kind previousArr { amount currency } newArr { amount currency } effectiveDate handoffId owner { id } recordedBy { id } } }`;

const fieldsOf = (res: GraphQLResponse) => ((firstError(res).extensions?.fields ?? []) as { field: string }[]).map((f) => f.field).sort();

describe('accounts: money (commercials, exchange rates, renewal outcomes)', () => {
  let a: AccountsUnderTest;
  const q = (query: string, variables: Record<string, unknown> = {}, who: Identity = ACME) => subgraphGql(a.url, query, variables, who);
  const ok = async (query: string, variables: Record<string, unknown> = {}, who: Identity = ACME) => {
    const res = await q(query, variables, who);
    expect(res.errors).toBeUndefined();
    return res.data!;
  };
  const lastEvent = async (aggregateId: string, type: string) =>
    (
      await a.db.query(`SELECT payload, visible_to FROM eventlog.events WHERE aggregate_id = $1 AND type = $2 ORDER BY tx DESC, seq DESC LIMIT 1`, [
        aggregateId,
        type,
      ])
    )[0] as { payload: Record<string, any>; visible_to: string[] } | undefined;
  const rowCounts = async () =>
    (
      await a.db
        .query(`SELECT (SELECT count(*)::int FROM accounts.customer_commercials) AS now, (SELECT count(*)::int FROM accounts.customer_commercials_history) AS history,
        (SELECT count(*)::int FROM accounts.renewal_outcomes) AS outcomes, (SELECT count(*)::int FROM accounts.exchange_rate_versions) AS versions,
        (SELECT count(*)::int FROM eventlog.events) AS events`)
    )[0];
  /** A fresh customer of Acme's, with Globex as a collaborator (as a previous owner would be). */
  const newCustomer = async (name: string, commercials?: Record<string, unknown>) => {
    const created = (await ok(CREATE, { input: { name, segment: 'MID_MARKET', region: 'EMEA', ...(commercials ? { commercials } : {}) } })).createCustomer;
    await a.db.query(`INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')`, [created.id, GLOBEX.partnerId]);
    return created as { id: string; version: number };
  };

  beforeAll(async () => {
    a = await startAccounts();
  });
  afterAll(async () => {
    await a?.stop();
  });

  describe('commercials through createCustomer and updateCustomer', () => {
    it('stores exact figures, bumps the version, keeps history, and says so in the event', async () => {
      const c = await newCustomer('Money One', { currency: 'EUR', arr: '120000.10', pipelineValue: '0.000001', contractTermMonths: 12 });
      expect(c).toMatchObject({
        version: 1,
        commercials: {
          currency: 'EUR',
          arr: { amount: '120000.1', currency: 'EUR' },
          pipelineValue: { amount: '0.000001', currency: 'EUR' },
          contractValue: null,
          contractTermMonths: 12,
          renewalDate: null,
          customerVersion: 1,
        },
      });
      const created = await lastEvent(c.id, 'CustomerCreated');
      expect(created!.payload.changed).toEqual(['commercials']);
      expect(created!.payload.customer.commercials).toEqual({
        currency: 'EUR',
        arr: '120000.1',
        pipelineValue: '0.000001',
        contractValue: null,
        contractTermMonths: 12,
        renewalDate: null,
      });

      const updated = (
        await ok(UPDATE, {
          id: c.id,
          v: 1,
          input: { commercials: { currency: 'EUR', contractValue: '360000.30', pipelineValue: null, renewalDate: '2027-06-30' } },
        })
      ).updateCustomer;
      expect(updated.version).toBe(2);
      expect(updated.commercials).toMatchObject({
        arr: { amount: '120000.1' },
        pipelineValue: null,
        contractValue: { amount: '360000.3' },
        renewalDate: '2027-06-30',
      });
      const event = await lastEvent(c.id, 'CustomerUpdated');
      expect(event!.payload.changed).toEqual(['commercials']);
      expect(event!.payload.customer).toMatchObject({
        version: 2,
        commercials: { arr: '120000.1', pipelineValue: null, contractValue: '360000.3', renewalDate: '2027-06-30' },
      });
      // Stored as numeric, never a float.
      const [types] = await a.db.query(
        `SELECT pg_typeof(arr)::text AS arr, pg_typeof(contract_value)::text AS contract FROM accounts.customer_commercials WHERE customer_id = $1`,
        [c.id],
      );
      expect(types).toEqual({ arr: 'numeric', contract: 'numeric' });

      // An update of other fields keeps the figures in the snapshot and leaves them out of `changed`.
      await ok(UPDATE, { id: c.id, v: 2, input: { name: 'Money One Renamed' } });
      const renamed = await lastEvent(c.id, 'CustomerUpdated');
      expect(renamed!.payload.changed).toEqual(['name']);
      expect(renamed!.payload.customer.commercials.contractValue).toBe('360000.3');
      // The same figures again change nothing of them.
      await ok(UPDATE, { id: c.id, v: 3, input: { commercials: { currency: 'EUR', arr: '120000.100' } } });
      expect((await lastEvent(c.id, 'CustomerUpdated'))!.payload.changed).toEqual([]);

      const read = (await ok(READ, { id: c.id, first: 1 })).customer;
      expect(read.commercialsHistory.totalCount).toBe(2);
      expect(read.commercialsHistory.nodes).toEqual([
        {
          customerVersion: 2,
          currency: 'EUR',
          arr: { amount: '120000.1' },
          pipelineValue: null,
          contractTermMonths: 12,
          renewalDate: '2027-06-30',
          source: 'UPDATE',
          changedBy: { id: ACME.partnerId },
        },
      ]);
      expect(read.commercialsHistory.pageInfo.hasNextPage).toBe(true);
      const next = (await ok(READ, { id: c.id, first: 5, after: read.commercialsHistory.pageInfo.endCursor })).customer.commercialsHistory;
      expect(next.nodes.map((n: { customerVersion: number }) => n.customerVersion)).toEqual([1]);
      expect(next.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    });

    it.each([
      ['a bad currency', { currency: 'EURO' }, ['input.commercials.currency']],
      ['an unknown currency', { currency: 'XYZ' }, ['input.commercials.currency']],
      ['a negative ARR', { currency: 'EUR', arr: '-1' }, ['input.commercials.arr']],
      ['a term of 0 months', { currency: 'EUR', contractTermMonths: 0 }, ['input.commercials.contractTermMonths']],
      ['an impossible renewal date', { currency: 'EUR', renewalDate: '2027-02-30' }, ['input.commercials.renewalDate']],
      [
        'several problems at once',
        { currency: 'eur', pipelineValue: '-5', renewalDate: '31/12/2027' },
        ['input.commercials.currency', 'input.commercials.pipelineValue', 'input.commercials.renewalDate'],
      ],
    ])('refuses %s with BAD_USER_INPUT naming the fields, writing nothing', async (_label, commercials, fields) => {
      const c = await newCustomer(`Bad ${_label}`);
      const before = await rowCounts();
      const res = await q(UPDATE, { id: c.id, v: 1, input: { name: 'Changed too', commercials } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(res)).toEqual(fields);
      expect(await rowCounts()).toEqual(before);
      expect((await a.db.query(`SELECT version, name FROM accounts.customers WHERE id = $1`, [c.id]))[0]).toEqual({ version: 1, name: `Bad ${_label}` });
    });

    it('refuses an amount that is not a decimal string (a JSON number, too many decimals) at the Decimal scalar', async () => {
      const c = await newCustomer('Bad Scalar');
      for (const arr of [1000.5, '1.1234567', '1e5']) {
        const res = await q(UPDATE, { id: c.id, v: 1, input: { commercials: { currency: 'EUR', arr } } });
        expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      }
      expect((await a.db.query(`SELECT count(*)::int AS n FROM accounts.customer_commercials WHERE customer_id = $1`, [c.id]))[0].n).toBe(0);
    });

    it('changes the currency only when every amount held is restated (or cleared)', async () => {
      const c = await newCustomer('Currency Move', { currency: 'EUR', arr: '1000', contractValue: '3000', contractTermMonths: 36 });
      const partial = await q(UPDATE, { id: c.id, v: 1, input: { commercials: { currency: 'USD', arr: '1100' } } });
      expect(codes(partial)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(partial)).toEqual(['input.commercials.contractValue']);
      const moved = (await ok(UPDATE, { id: c.id, v: 1, input: { commercials: { currency: 'USD', arr: '1100', contractValue: null } } })).updateCustomer;
      expect(moved.commercials).toMatchObject({ currency: 'USD', arr: { amount: '1100', currency: 'USD' }, contractValue: null, contractTermMonths: 36 });
    });

    it('lets internal teams write them; refuses a collaborator with FORBIDDEN and another partner with NOT_FOUND', async () => {
      const c = await newCustomer('Who Writes');
      const collaborator = await q(UPDATE, { id: c.id, v: 1, input: { commercials: { currency: 'EUR', arr: '1' } } }, GLOBEX);
      expect(codes(collaborator)).toEqual(['FORBIDDEN']);
      const stranger = await q(UPDATE, { id: c.id, v: 1, input: { commercials: { currency: 'EUR', arr: '1' } } }, PIXEL);
      expect(codes(stranger)).toEqual(['NOT_FOUND']);
      const internal = (await ok(UPDATE, { id: c.id, v: 1, input: { commercials: { currency: 'GBP', arr: '10' } } }, INTERNAL)).updateCustomer;
      expect(internal.commercials.arr).toEqual({ amount: '10', currency: 'GBP' });
      expect((await a.db.query(`SELECT source, changed_by_partner_id FROM accounts.customer_commercials_history WHERE customer_id = $1`, [c.id]))[0]).toEqual({
        source: 'UPDATE',
        changed_by_partner_id: INTERNAL.partnerId,
      });
    });
  });

  describe('who reads them', () => {
    let id: string;
    beforeAll(async () => {
      id = (await newCustomer('Read Access', { currency: 'EUR', arr: '5000' })).id;
      await ok(RECORD, { c: id, input: { kind: 'EXPANDED', newArr: { amount: '6000', currency: 'EUR' }, effectiveDate: '2026-12-01' } });
    });

    it('the owner and internal teams read figures, history and outcomes', async () => {
      for (const who of [ACME, INTERNAL]) {
        const c = (await ok(READ, { id }, who)).customer;
        expect(c.commercials.arr).toEqual({ amount: '6000', currency: 'EUR' });
        expect(c.commercialsHistory.totalCount).toBe(2);
        expect(c.renewalOutcomes.nodes).toHaveLength(1);
      }
    });

    it('a collaborator reads the customer but gets null figures, empty history and no outcomes; another partner gets NOT_FOUND', async () => {
      const c = (await ok(READ, { id }, GLOBEX)).customer;
      expect(c.commercials).toBeNull();
      expect(c.commercialsHistory).toEqual({ totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null, hasPreviousPage: false }, nodes: [] });
      expect(c.renewalOutcomes).toEqual({ totalCount: 0, nodes: [] });
      const stranger = await q(READ, { id }, PIXEL);
      expect([codes(stranger), stranger.data?.customer ?? null]).toEqual([['NOT_FOUND'], null]);
    });

    it('a collaborator’s change feed carries no figures (nor row-level security any row of them); the owner’s feed does', async () => {
      const FEED = `{ changes(first: 250) { nodes { type aggregateId payload } } }`;
      const mine = (await ok(FEED, {}, ACME)).changes.nodes.filter((n: { aggregateId: string }) => n.aggregateId === id);
      const theirs = (await ok(FEED, {}, GLOBEX)).changes.nodes.filter((n: { aggregateId: string }) => n.aggregateId === id);
      const updates = (list: { type: string; payload: Record<string, any> }[]) => list.filter((n) => n.type === 'CustomerUpdated');
      expect(updates(mine).at(-1)!.payload).toMatchObject({ changed: ['commercials'], customer: { commercials: { arr: '6000' } } });
      expect(updates(theirs).length).toBe(updates(mine).length);
      for (const n of updates(theirs)) {
        expect(n.payload.customer).not.toHaveProperty('commercials');
        expect(n.payload.changed).not.toContain('commercials');
      }
      expect(theirs.filter((n: { type: string }) => n.type === 'RenewalOutcomeRecorded')).toEqual([]);
      expect(mine.filter((n: { type: string }) => n.type === 'RenewalOutcomeRecorded')).toHaveLength(1);
      // Row-level security: even a bare SELECT as the collaborator finds nothing.
      const bare = await withTenant(GLOBEX, () => a.db.query(`SELECT customer_id FROM accounts.customer_commercials WHERE customer_id = $1`, [id]));
      expect(bare).toEqual([]);
    });
  });

  describe('commercials through upsertCustomers', () => {
    it('creates and merges figures under the sync rules, with versions and history', async () => {
      const row = {
        externalId: 'M-1',
        name: 'Synced Money',
        segment: 'SMB',
        region: 'NA',
        commercials: { currency: 'USD', arr: '900', contractTermMonths: 12 },
      };
      const [created] = (await ok(UPSERT, { system: 'acme-crm-money', input: [row] })).upsertCustomers.rows;
      expect(created).toMatchObject({ outcome: 'CREATED', version: 1 });
      expect((await lastEvent(created.customerId, 'CustomerCreated'))!.payload.customer.commercials).toMatchObject({
        currency: 'USD',
        arr: '900',
        contractTermMonths: 12,
      });

      // Null and left-out figures stay; a stale expectedVersion writes nothing.
      const [merged] = (
        await ok(UPSERT, { system: 'acme-crm-money', input: [{ externalId: 'M-1', commercials: { currency: 'USD', arr: null, pipelineValue: '50.5' } }] })
      ).upsertCustomers.rows;
      expect(merged).toMatchObject({ outcome: 'UPDATED', version: 2, changedFields: ['commercials'] });
      const read = (await ok(READ, { id: created.customerId })).customer;
      expect(read.commercials).toMatchObject({ arr: { amount: '900' }, pipelineValue: { amount: '50.5' }, contractTermMonths: 12, customerVersion: 2 });
      expect(read.commercialsHistory.nodes.map((n: { source: string; customerVersion: number }) => [n.source, n.customerVersion])).toEqual([
        ['SYNC', 2],
        ['SYNC', 1],
      ]);
      const [stale] = (
        await ok(UPSERT, { system: 'acme-crm-money', input: [{ externalId: 'M-1', expectedVersion: 1, commercials: { currency: 'USD', arr: '1' } }] })
      ).upsertCustomers.rows;
      expect(stale).toMatchObject({ outcome: 'CONFLICT', reasonCode: 'STALE_VERSION' });
      const [same] = (await ok(UPSERT, { system: 'acme-crm-money', input: [{ externalId: 'M-1', commercials: { currency: 'USD', arr: '900.00' } }] }))
        .upsertCustomers.rows;
      expect(same).toMatchObject({ outcome: 'UNCHANGED', version: 2, changedFields: [] });
      // Another currency without every amount held is ignored, the rest of the row applies.
      const [moved] = (
        await ok(UPSERT, { system: 'acme-crm-money', input: [{ externalId: 'M-1', lifecycleStage: 'SQL', commercials: { currency: 'EUR', arr: '800' } }] })
      ).upsertCustomers.rows;
      expect(moved).toMatchObject({ outcome: 'UPDATED', version: 3, changedFields: ['lifecycleStage'], ignoredFields: ['commercials'] });
      expect((await ok(READ, { id: created.customerId })).customer.commercials.currency).toBe('USD');
    });

    it('ignores a collaborator’s figures and reports a bad one as an INVALID row, the others going on', async () => {
      const c = await newCustomer('Sync Shared', { currency: 'EUR', arr: '10' });
      await ok(`mutation($id: ID!, $v: Int!) { updateCustomer(id: $id, expectedVersion: $v, input: { domain: "sync-shared.example.com" }) { version } }`, {
        id: c.id,
        v: 1,
      });
      const [collab] = (
        await ok(
          UPSERT,
          { system: 'globex-crm-money', input: [{ externalId: 'G-1', domain: 'sync-shared.example.com', commercials: { currency: 'EUR', arr: '99' } }] },
          GLOBEX,
        )
      ).upsertCustomers.rows;
      expect(collab).toMatchObject({ outcome: 'MATCHED', ignoredFields: ['commercials'] });
      // A stale row's `current` shows the collaborator the record, not its figures.
      const stale = (
        await ok(
          `mutation($input: [UpsertCustomerInput!]!) { upsertCustomers(system: "globex-crm-money", input: $input) { rows { reasonCode current { id version commercials { currency } } } } }`,
          { input: [{ externalId: 'G-1', expectedVersion: 1, name: 'Renamed' }] },
          GLOBEX,
        )
      ).upsertCustomers.rows[0];
      expect(stale).toEqual({ reasonCode: 'STALE_VERSION', current: { id: c.id, version: 2, commercials: null } });
      const rows = (
        await ok(UPSERT, {
          system: 'acme-crm-money',
          input: [
            { externalId: 'BAD-1', name: 'Bad Money', segment: 'SMB', region: 'NA', commercials: { currency: 'EUR', arr: '-3', contractTermMonths: -1 } },
            { externalId: 'GOOD-1', name: 'Good Money', segment: 'SMB', region: 'NA', commercials: { currency: 'EUR', arr: '3' } },
          ],
        })
      ).upsertCustomers.rows;
      expect(rows[0]).toMatchObject({ outcome: 'INVALID', invalidFields: ['input[0].commercials.arr', 'input[0].commercials.contractTermMonths'] });
      expect(rows[1]).toMatchObject({ outcome: 'CREATED' });
      expect((await ok(READ, { id: c.id })).customer.commercials.arr.amount).toBe('10');
    });
  });

  describe('exchange rates', () => {
    it('is refused to partners, and reportingCurrency is null until set', async () => {
      // The demo sets rates on start; a hub where none was ever set is a database without the demo.
      const bare = await startAccounts({}, { seedDemo: false });
      try {
        const reporting = await subgraphGql(bare.url, `{ reportingCurrency }`, {}, ACME);
        expect(reporting.errors).toBeUndefined();
        expect(reporting.data!.reportingCurrency).toBeNull();
      } finally {
        await bare.stop();
      }
      const versionsBefore = await a.db.query(`SELECT version, reporting_currency FROM accounts.exchange_rate_versions ORDER BY version`);
      const set = await q(SET_RATES, { input: { reportingCurrency: 'EUR', rates: [] } }, ACME);
      expect(codes(set)).toEqual(['FORBIDDEN']);
      const read = await q(RATES, {}, ACME);
      expect(codes(read)).toEqual(['FORBIDDEN']);
      expect(read.data?.exchangeRates ?? null).toBeNull();
      expect(await a.db.query(`SELECT version, reporting_currency FROM accounts.exchange_rate_versions ORDER BY version`)).toEqual(versionsBefore);
    });

    it('keeps versions: the newest rate per currency and day wins, another reporting currency replaces them all', async () => {
      // Versions go on from whatever is on record (the demo's rates, say): read it first.
      const [{ v0 }]: [{ v0: number }] = await a.db.query(`SELECT coalesce(max(version), 0)::int AS v0 FROM accounts.exchange_rate_versions`);
      const v1 = (
        await ok(
          SET_RATES,
          {
            input: {
              reportingCurrency: 'EUR',
              rates: [
                { currency: 'USD', day: '2026-11-02', rate: '0.9200' },
                { currency: 'USD', day: '2026-11-03', rate: '0.93' },
                { currency: 'JPY', day: '2026-11-02', rate: '0.006100' },
              ],
            },
          },
          INTERNAL,
        )
      ).setExchangeRates;
      expect(v1).toEqual({
        version: v0 + 1,
        reportingCurrency: 'EUR',
        rates: [
          { currency: 'USD', day: '2026-11-02', rate: '0.92', version: v0 + 1 },
          { currency: 'USD', day: '2026-11-03', rate: '0.93', version: v0 + 1 },
          { currency: 'JPY', day: '2026-11-02', rate: '0.0061', version: v0 + 1 },
        ],
        setBy: { id: INTERNAL.partnerId },
      });
      const event = await lastEvent(String(v0 + 1), 'ExchangeRatesSet');
      expect(event!.visible_to).toEqual([]);
      expect(event!.payload).toMatchObject({
        version: v0 + 1,
        reportingCurrency: 'EUR',
        setByPartnerId: INTERNAL.partnerId,
        rates: v1.rates.map(({ version: _v, ...r }: { version: number }) => r),
      });

      await ok(
        SET_RATES,
        {
          input: {
            reportingCurrency: 'EUR',
            rates: [
              { currency: 'USD', day: '2026-11-03', rate: '0.94' },
              { currency: 'GBP', day: '2026-11-03', rate: '1.15' },
            ],
          },
        },
        INTERNAL,
      );
      const inForce = (await ok(RATES, {}, INTERNAL)).exchangeRates;
      expect(inForce.nodes).toEqual([
        { currency: 'GBP', day: '2026-11-03', rate: '1.15', version: v0 + 2 },
        { currency: 'JPY', day: '2026-11-02', rate: '0.0061', version: v0 + 1 },
        { currency: 'USD', day: '2026-11-02', rate: '0.92', version: v0 + 1 },
        { currency: 'USD', day: '2026-11-03', rate: '0.94', version: v0 + 2 },
      ]);
      expect(inForce.totalCount).toBe(4);
      const page1 = (await ok(RATES, { first: 3 }, INTERNAL)).exchangeRates;
      const page2 = (await ok(RATES, { first: 3, after: page1.pageInfo.endCursor }, INTERNAL)).exchangeRates;
      expect([page1.pageInfo.hasNextPage, page2.pageInfo.hasNextPage, page2.nodes]).toEqual([true, false, [inForce.nodes[3]]]);
      expect([page1.pageInfo.hasPreviousPage, page2.pageInfo.hasPreviousPage, page2.totalCount]).toEqual([false, true, 4]);
      const usd = (await ok(RATES, { filter: { currency: 'USD', from: '2026-11-03', to: '2026-11-30' } }, INTERNAL)).exchangeRates.nodes;
      expect(usd).toEqual([{ currency: 'USD', day: '2026-11-03', rate: '0.94', version: v0 + 2 }]);
      expect((await ok(`{ reportingCurrency }`, {}, PIXEL)).reportingCurrency).toBe('EUR');

      await ok(SET_RATES, { input: { reportingCurrency: 'USD', rates: [{ currency: 'EUR', day: '2026-11-03', rate: '1.07' }] } }, INTERNAL);
      expect((await ok(RATES, {}, INTERNAL)).exchangeRates.nodes).toEqual([{ currency: 'EUR', day: '2026-11-03', rate: '1.07', version: v0 + 3 }]);
      expect((await ok(`{ reportingCurrency }`, {}, ACME)).reportingCurrency).toBe('USD');
      // Every version stays on record.
      expect(
        (await a.db.query(`SELECT version, reporting_currency FROM accounts.exchange_rate_versions ORDER BY version`)).map(
          (r: { version: number }) => r.version,
        ),
      ).toEqual(Array.from({ length: v0 + 3 }, (_, i) => i + 1));
    });

    it('refuses a bad input with BAD_USER_INPUT naming every problem, writing no version', async () => {
      const before = await rowCounts();
      const res = await q(
        SET_RATES,
        {
          input: {
            reportingCurrency: 'USD',
            rates: [
              { currency: 'US', day: '2026-11-03', rate: '1' },
              { currency: 'USD', day: '2026-11-03', rate: '1' },
              { currency: 'EUR', day: '2026-13-01', rate: '1' },
              { currency: 'GBP', day: '2026-11-03', rate: '0' },
              { currency: 'CHF', day: '2026-11-03', rate: '-1.2' },
              { currency: 'JPY', day: '2026-11-03', rate: '0.01' },
              { currency: 'JPY', day: '2026-11-03', rate: '0.02' },
            ],
          },
        },
        INTERNAL,
      );
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(res)).toEqual([
        'input.rates[0].currency',
        'input.rates[1].currency',
        'input.rates[2].day',
        'input.rates[3].rate',
        'input.rates[4].rate',
        'input.rates[6]',
      ]);
      expect(codes(await q(SET_RATES, { input: { reportingCurrency: 'XXQ', rates: [] } }, INTERNAL))).toEqual(['BAD_USER_INPUT']);
      expect(codes(await q(RATES, { filter: { from: '2026-12-01', to: '2026-11-01' } }, INTERNAL))).toEqual(['BAD_USER_INPUT']);
      expect(await rowCounts()).toEqual(before);
    });
  });

  describe('renewal outcomes', () => {
    it('records an outcome, sets the ARR as a new version and appends both events in one transaction', async () => {
      const c = await newCustomer('Renewal One', { currency: 'EUR', arr: '1000', renewalDate: '2026-12-31' });
      const outcome = (await ok(RECORD, { c: c.id, input: { kind: 'CONTRACTED', newArr: { amount: '800.50', currency: 'EUR' }, effectiveDate: '2027-01-01' } }))
        .recordRenewalOutcome;
      expect(outcome).toMatchObject({
        customerId: c.id,
        kind: 'CONTRACTED',
        previousArr: { amount: '1000', currency: 'EUR' },
        newArr: { amount: '800.5', currency: 'EUR' },
        effectiveDate: '2027-01-01',
        handoffId: null,
        owner: { id: ACME.partnerId },
        recordedBy: { id: ACME.partnerId },
      });
      const read = (await ok(READ, { id: c.id })).customer;
      expect(read).toMatchObject({ version: 2, commercials: { arr: { amount: '800.5' }, renewalDate: '2026-12-31', customerVersion: 2 } });
      expect(read.commercialsHistory.nodes[0]).toMatchObject({ source: 'RENEWAL_OUTCOME', customerVersion: 2 });
      const updated = await lastEvent(c.id, 'CustomerUpdated');
      expect(updated!.payload).toMatchObject({ changed: ['commercials'], customer: { version: 2, commercials: { arr: '800.5' } } });
      const recorded = await lastEvent(c.id, 'RenewalOutcomeRecorded');
      expect(recorded!.visible_to).toEqual([ACME.partnerId]);
      expect(recorded!.payload.outcome).toEqual({
        id: outcome.id,
        customerId: c.id,
        ownerPartnerId: ACME.partnerId,
        kind: 'CONTRACTED',
        previousArr: '1000',
        newArr: '800.5',
        currency: 'EUR',
        effectiveDate: '2027-01-01',
        handoffId: null,
        recordedByPartnerId: ACME.partnerId,
        recordedAt: expect.any(String),
      });
    });

    it.each([
      ['another currency than the commercials’', 'RENEWED', '1000', 'USD', ['input.newArr.currency']],
      ['CHURNED above 0', 'CHURNED', '1', 'EUR', ['input.newArr.amount']],
      ['EXPANDED not above the ARR before', 'EXPANDED', '1000', 'EUR', ['input.newArr.amount']],
      ['CONTRACTED not below it', 'CONTRACTED', '1000', 'EUR', ['input.newArr.amount']],
      ['CONTRACTED to 0', 'CONTRACTED', '0', 'EUR', ['input.newArr.amount']],
      ['RENEWED at another ARR', 'RENEWED', '999.99', 'EUR', ['input.newArr.amount']],
      ['a negative ARR', 'CONTRACTED', '-1', 'EUR', ['input.newArr.amount']],
      ['an unknown currency', 'RENEWED', '1000', 'ABC', ['input.newArr.currency']],
    ])('refuses %s with BAD_USER_INPUT, writing nothing', async (_label, kind, amount, currency, fields) => {
      const c = await newCustomer(`Rule ${_label}`, { currency: 'EUR', arr: '1000' });
      const before = await rowCounts();
      const res = await q(RECORD, { c: c.id, input: { kind, newArr: { amount, currency }, effectiveDate: '2027-01-01' } });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(fieldsOf(res)).toEqual(fields);
      expect(await rowCounts()).toEqual(before);
    });

    it('without an ARR before: RENEWED and CHURNED are recorded (and set the figures), EXPANDED and CONTRACTED are refused', async () => {
      const c = await newCustomer('No ARR Yet');
      const expanded = await q(RECORD, { c: c.id, input: { kind: 'EXPANDED', newArr: { amount: '5', currency: 'EUR' }, effectiveDate: '2027-01-01' } });
      expect([codes(expanded), fieldsOf(expanded)]).toEqual([['BAD_USER_INPUT'], ['input.kind']]);
      const bad = await q(RECORD, { c: c.id, input: { kind: 'RENEWED', newArr: { amount: '5', currency: 'EUR' }, effectiveDate: '2027-02-29' } });
      expect([codes(bad), fieldsOf(bad)]).toEqual([['BAD_USER_INPUT'], ['input.effectiveDate']]);
      const renewed = (await ok(RECORD, { c: c.id, input: { kind: 'RENEWED', newArr: { amount: '5', currency: 'CHF' }, effectiveDate: '2027-01-01' } }))
        .recordRenewalOutcome;
      expect(renewed.previousArr).toBeNull();
      expect((await ok(READ, { id: c.id })).customer.commercials).toMatchObject({ currency: 'CHF', arr: { amount: '5' } });
      const churned = (await ok(RECORD, { c: c.id, input: { kind: 'CHURNED', newArr: { amount: '0', currency: 'CHF' }, effectiveDate: '2028-01-01' } }))
        .recordRenewalOutcome;
      expect(churned.previousArr).toEqual({ amount: '5', currency: 'CHF' });
      const list = (await ok(READ, { id: c.id })).customer.renewalOutcomes.nodes.map((n: { kind: string }) => n.kind);
      expect(list).toEqual(['CHURNED', 'RENEWED']);
    });

    it('RENEWED at the same ARR records the outcome without a new version', async () => {
      const c = await newCustomer('Flat Renewal', { currency: 'EUR', arr: '700' });
      await ok(RECORD, { c: c.id, input: { kind: 'RENEWED', newArr: { amount: '700.00', currency: 'EUR' }, effectiveDate: '2027-01-01' } });
      expect((await ok(READ, { id: c.id })).customer.version).toBe(1);
      expect(await lastEvent(c.id, 'RenewalOutcomeRecorded')).toBeDefined();
    });

    it('only the owner and internal teams record; one outcome per handoff; an idempotency key replays', async () => {
      const c = await newCustomer('Who Records', { currency: 'EUR', arr: '100' });
      const input = {
        kind: 'EXPANDED',
        newArr: { amount: '150', currency: 'EUR' },
        effectiveDate: '2027-01-01',
        handoffId: '00000000-0000-4000-a000-0000000000aa',
      };
      expect(codes(await q(RECORD, { c: c.id, input }, GLOBEX))).toEqual(['FORBIDDEN']);
      expect(codes(await q(RECORD, { c: c.id, input }, PIXEL))).toEqual(['NOT_FOUND']);
      const first = (await ok(RECORD, { c: c.id, input, key: 'renewal-1' }, INTERNAL)).recordRenewalOutcome;
      expect(first).toMatchObject({ handoffId: input.handoffId, recordedBy: { id: INTERNAL.partnerId }, owner: { id: ACME.partnerId } });
      const replay = (await ok(RECORD, { c: c.id, input, key: 'renewal-1' }, INTERNAL)).recordRenewalOutcome;
      expect(replay.id).toBe(first.id);
      const again = await q(RECORD, { c: c.id, input: { ...input, newArr: { amount: '200', currency: 'EUR' } } }, ACME);
      expect(codes(again)).toEqual(['CONFLICT']);
      expect((await a.db.query(`SELECT count(*)::int AS n FROM accounts.renewal_outcomes WHERE customer_id = $1`, [c.id]))[0].n).toBe(1);
    });
  });

  it('a page of customers with their figures, history and outcomes costs one statement per kind of row, whatever its length (no query per row)', async () => {
    // The customers this file made (MID_MARKET, EMEA), most with figures, some with outcomes.
    const LIST = `query($first: Int) { customers(first: $first, filter: { segment: MID_MARKET, region: EMEA }) { nodes { id ${COMMERCIALS}
      commercialsHistory(first: 2) { nodes { customerVersion changedBy { name } } } renewalOutcomes(first: 2) { nodes { kind recordedBy { name } } } } } }`;
    const statements = async (first: number) => {
      const stop = traceSql();
      const data = await ok(LIST, { first }, INTERNAL);
      const sent = stop()
        .map((line) => line.slice(line.indexOf(': ') + 2))
        .filter((text) => !text.startsWith('/* background */') && !/^(START TRANSACTION|COMMIT|ROLLBACK|BEGIN|SELECT set_config)/i.test(text));
      expect(data.customers.nodes.length).toBe(first);
      if (first === 20) {
        const nodes = data.customers.nodes as { commercials: unknown; renewalOutcomes: { nodes: unknown[] } }[];
        expect(nodes.filter((n) => n.commercials !== null).length).toBeGreaterThan(5);
        expect(nodes.filter((n) => n.renewalOutcomes.nodes.length > 0).length).toBeGreaterThan(1);
      }
      return sent;
    };
    // The page itself, then one statement each for the figures, the history pages, the outcome
    // pages and the partners they name (their starts: the log cuts statements short).
    const many = await statements(20);
    const kinds = [
      'SELECT "c"."id" AS "c_id"',
      'SELECT customer_id, currency, arr::text',
      'SELECT * FROM ( SELECT t.id, t.customer_id, t.currency',
      'SELECT * FROM ( SELECT t.id, t.customer_id, t.owner_partner_id, t.kind',
      'SELECT "p"."id" AS "p_id"',
    ];
    // The partners: one batch per field that names them (changedBy, recordedBy) at most — the
    // two batches coincide only when the history and outcome reads finish in the same tick.
    const counts = kinds.map((start) => many.filter((text) => text.startsWith(start)).length);
    expect(counts.slice(0, 4)).toEqual([1, 1, 1, 1]);
    expect(counts[4]).toBeGreaterThanOrEqual(1);
    expect(counts[4]).toBeLessThanOrEqual(2);
    expect(many).toHaveLength(counts.reduce((a, b) => a + b, 0));
    // A smaller page costs no more (and names no partner when it holds no revision).
    expect((await statements(3)).length).toBeLessThanOrEqual(kinds.length + 1);
  });
});
