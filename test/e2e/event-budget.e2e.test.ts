import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { DurableConsumer } from '../../shared/eventlog/durable-consumer';
import { acquireEventReader } from '../../shared/eventlog/event-reader';
import { createLogger } from '../../shared/logger';
import { sqlCounts, traceSql, type SqlCounts } from '../../shared/db/sql-meter';
import { DEMO_PARTNERS } from '../../subgraphs/accounts/src/seed';
import { gql } from '../support/graphql-client';
import { startTestHub, type TestHub } from '../support/hub';

/**
 * The event backbone's statement budget: one propose + accept through the gateway, on the
 * whole hub in one process (every consumer, relay and worker running), costs at most
 * BUDGET Postgres transactions and statements hub-wide, counted from the moment the hub is
 * quiet until every consumer has applied the handoff's events and the hub is quiet again.
 * Counts, not times: the safety-net polls are pushed out of the window and quiet is a
 * state (no consumer has an event of its types to apply, no hub session is busy), not a sleep.
 *
 * One handoff alone is the worst case: nothing shares a read or a consumer transaction with
 * it (15 transactions and 90 statements when this was written; the design it replaced cost
 * 130 and 344 here). Under load, bursts share them: P6 measures that against the issue's
 * targets (≤ 12 and ≤ 60 per pair in one process).
 */
// + routing's SCORECARD figures: the accept counts itself (an upsert, as the hub: 3
// statements) and the MET of its ACCEPT clock is one handoffs consumer transaction (5).
// + money and priority: scorecards' retention facts (the handoff's value at proposal, the
// ownership at acceptance: a consumer transaction each, its customer histories read in one
// statement) and handoffs' copy of the SLA clock states that priority ranks by (a consumer
// transaction per clock event): 20 and 116 when they landed.
// + notifications: the fan-out's transaction for the proposal (the receiver's people) and for
// the acceptance (the proposer's), each one read of recipients, preferences and partner names
// and one insert (2 transactions, about 10 statements); with no SMTP server configured the
// sender is not woken for e-mail.
const BUDGET = { transactions: 22, statements: 128 };

// The bench's handoff (bench/handoff-ops.ts, which jest cannot load: bench/support needs ESM).
const partner = (name: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(name))!;
const FROM = partner('acme');
const TO = partner('northwind');
const CREATE_CUSTOMER = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const PROPOSE = `mutation($input: ProposeHandoffInput!) { proposeHandoff(input: $input) { id state } }`;
const ACCEPT = `mutation($id: ID!) { acceptHandoff(id: $id) { id state } }`;
const proposal = (customerId: string) => ({
  customerId,
  toPartnerId: TO.id,
  moment: 'CLOSED_WON_TO_ONBOARDING',
  contextPackage: { summary: 'Budget handoff', customerSaid: ['Fast please'], goals: ['Live soon'] },
  customerMessage: 'Northwind Services will onboard you from here.',
  data: {
    contractValue: 1000,
    startDate: '2026-04-01',
    successCriteria: ['Live'],
    executiveSponsor: 'cio@example.com',
    contractUrl: 'https://contracts.example.com/budget',
  },
});

describe('event backbone statement budget', () => {
  let hub: TestHub;
  let probe: Client;

  beforeAll(async () => {
    hub = await startTestHub({
      env: {
        // Out of the measured window: the safety nets (each a statement or two when it fires).
        HUB_EVENT_POLL_MS: '600000',
        HUB_SLA_POLL_MS: '600000',
        HUB_WEBHOOK_POLL_MS: '600000',
        // Budget settlement is the gateway's, once per interval whatever the traffic: not per handoff.
        HUB_COST_SYNC_MS: '0',
        HUB_AUTH_CACHE_MS: '600000',
      },
    });
    // Not a hub connection (application_name does not start with "hub"): not counted.
    probe = new Client({ connectionString: hub.databaseUrl, application_name: 'budget-probe' });
    await probe.connect();
  });
  afterAll(async () => {
    await probe?.end();
    await hub?.stop();
  });

  /** No consumer has an event of its types left to apply, no hub session is in a statement or transaction. */
  async function quiet(): Promise<void> {
    let last: SqlCounts | undefined;
    for (let i = 0; i < 500; i++) {
      const [{ lag, busy }] = (
        await probe.query(`SELECT
          (SELECT count(*)::int FROM eventlog.consumers c JOIN eventlog.events e
             ON (e.tx, e.seq) > (c.tx, c.seq) AND (c.types IS NULL OR e.type = ANY(c.types))) AS lag,
          (SELECT count(*)::int FROM pg_stat_activity
            WHERE datname = current_database() AND application_name LIKE 'hub%' AND pid <> pg_backend_pid()
              AND state IN ('active', 'idle in transaction')) AS busy`)
      ).rows;
      const now = sqlCounts();
      if (lag === 0 && busy === 0 && last && now.statements === last.statements) return;
      last = now;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the hub did not become quiet');
  }

  const handoff = async (customerId: string) => {
    const proposed = await gql(hub.gatewayUrl, PROPOSE, { input: proposal(customerId) }, FROM.apiKey);
    expect(proposed.errors).toBeUndefined();
    const accepted = await gql(hub.gatewayUrl, ACCEPT, { id: proposed.data!.proposeHandoff.id }, TO.apiKey);
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptHandoff.state).toBe('ACCEPTED');
  };

  it(`propose + accept costs at most ${BUDGET.transactions} transactions and ${BUDGET.statements} statements hub-wide`, async () => {
    const customers: { id: string }[] = [];
    for (const name of ['Budget one', 'Budget two']) {
      const created = await gql(hub.gatewayUrl, CREATE_CUSTOMER, { input: { name, segment: 'SMB', region: 'NA', lifecycleStage: 'CLOSED_WON' } }, FROM.apiKey);
      expect(created.errors).toBeUndefined();
      customers.push(created.data!.createCustomer);
    }
    await quiet();
    // Warm: API keys resolved and cached, loaders and plans compiled.
    await handoff(customers[0]!.id);
    await quiet();
    const before = sqlCounts();
    const trace = traceSql();
    await handoff(customers[1]!.id);
    await quiet();
    const after = sqlCounts();
    const statements = trace();
    const used = { transactions: after.transactions - before.transactions, statements: after.statements - before.statements };
    // The handoff really went through every consumer: its events are applied, not skipped.
    const [{ n }] = (
      await probe.query(`SELECT count(*)::int AS n FROM slas.clocks c JOIN slas.handoffs h ON h.id = c.handoff_id WHERE h.customer_id = $1`, [customers[1]!.id])
    ).rows;
    expect(n).toBeGreaterThan(0);
    // Over budget: the statements, in order, say where it went.
    const report = `${used.transactions} transactions, ${used.statements} statements:\n${statements.filter((s) => s.startsWith('hub')).join('\n')}`;
    expect({ ...used, report }).toEqual({ ...used, report });
    if (used.transactions > BUDGET.transactions || used.statements > BUDGET.statements)
      throw new Error(`over budget (${BUDGET.transactions} / ${BUDGET.statements}): ${report}`);
    expect(used.transactions).toBeLessThanOrEqual(BUDGET.transactions);
    expect(used.statements).toBeLessThanOrEqual(BUDGET.statements);
  });

  it('a consumer added for a type the handoff does not append adds no statement to it', async () => {
    const services = hub.dataSources.handoffs!;
    const url = (services.options as { url: string }).url;
    const own = await new DataSource({
      type: 'postgres',
      url,
      applicationName: 'hub-extra-consumer',
      extra: { max: 1, options: '-c hub.tenant=system' },
    }).initialize();
    const { reader, release } = await acquireEventReader({ url, log: createLogger('budget', 'silent') });
    const extra = new DurableConsumer({
      name: 'test.extra',
      dataSource: own,
      log: createLogger('budget', 'silent'),
      types: ['NeverAppended'],
      handle: async () => undefined,
    });
    try {
      await extra.start(reader);
      const created = await gql(
        hub.gatewayUrl,
        CREATE_CUSTOMER,
        { input: { name: 'Budget three', segment: 'SMB', region: 'NA', lifecycleStage: 'CLOSED_WON' } },
        FROM.apiKey,
      );
      await quiet();
      const before = sqlCounts((a) => a === 'hub-extra-consumer');
      await handoff(created.data!.createCustomer.id);
      await quiet();
      expect(sqlCounts((a) => a === 'hub-extra-consumer')).toEqual(before);
    } finally {
      await extra.stop();
      await release();
      await own.destroy();
    }
  });
});
