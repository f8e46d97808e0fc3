import { loadavg } from 'node:os';
import { Client } from 'pg';
import { DEMO_PARTNERS } from '../subgraphs/accounts/src/seed';
import { realisticCustomerRow } from '../test/support/sync-rows';
import { arg, bearer, benchDatabase, onCleanup, post, round, runBench, scrape, sleep, startServices, summary } from './support';

/**
 * `npm run bench:dues [-- --customers=10000]`: a stage move of 10,000 customers at once,
 * through the real API. One partner (Acme, the owner) syncs its customers at CLOSED_WON with
 * `upsertCustomers` (1,000 rows a call, the API's maximum), waits until handoffs' projection
 * holds them, then sends the same rows at ONBOARDING — the demo CLOSED_WON_TO_ONBOARDING
 * playbook's trigger — as ten calls one after another. accounts emits one CustomerUpdated
 * per row; handoffs' projection opens a HandoffDue for each, with routing's suggestion (the
 * demo rule: CAPACITY, ROUND_ROBIN), in batches of 500 events.
 *
 * Measures dues opened per second (from the first call of the move until the last due is
 * committed and visible) and the lag from the last call's answer until the last due exists,
 * polling every 20 ms; and the handoffs process's statements over the move
 * (hub_db_statements_total). Target: ≥ 1,000 dues/s. Prints JSON.
 */
const N = Number(arg('customers') ?? 10_000);
const BATCH = 1000;
const UPSERT = `mutation($system: String!, $input: [UpsertCustomerInput!]!) {
  upsertCustomers(system: $system, input: $input) { created updated unchanged invalid conflicts }
}`;

runBench('HandoffDues from a stage move', async () => {
  const url = await benchDatabase();
  const svc = await startServices(url, ['accounts', 'handoffs', 'gateway']);
  const pg = new Client({ connectionString: url });
  await pg.connect();
  onCleanup(() => pg.end());
  const acme = DEMO_PARTNERS.find((p) => p.apiKey.includes('acme'))!;
  const headers = { 'content-type': 'application/json', ...bearer(acme.apiKey) };

  const sync = async (stage: string) => {
    const latencies: number[] = [];
    for (let b = 0; b < Math.ceil(N / BATCH); b++) {
      const input = Array.from({ length: Math.min(BATCH, N - b * BATCH) }, (_, i) => ({
        ...realisticCustomerRow('DUES', b * BATCH + i),
        lifecycleStage: stage,
      }));
      const t = performance.now();
      const res = await post(svc.gateway.url, JSON.stringify({ query: UPSERT, variables: { system: 'dues-crm', input } }), headers);
      latencies.push(performance.now() - t);
      const parsed = JSON.parse(res.body) as { errors?: unknown[] };
      if (res.status !== 200 || parsed.errors) throw new Error(`upsert batch ${b} failed (${res.status}): ${res.body.slice(0, 500)}`);
    }
    return latencies;
  };
  const waitFor = async (what: string, sql: string, want: number, timeoutMs = 600_000) => {
    const start = performance.now();
    for (;;) {
      const [row] = (await pg.query(sql)).rows as { n: number }[];
      if ((row?.n ?? 0) >= want) return performance.now();
      if (performance.now() - start > timeoutMs) throw new Error(`${what}: ${row?.n ?? 0} of ${want} after ${timeoutMs} ms`);
      await sleep(20);
    }
  };

  // The customers, at CLOSED_WON, in handoffs' projection.
  await sync('CLOSED_WON');
  await waitFor('projected customers', `SELECT count(*)::int AS n FROM handoffs.customers WHERE name LIKE 'DUES %' AND lifecycle_stage = 'CLOSED_WON'`, N);
  await sleep(1000);

  const loadBefore = round(loadavg()[0] ?? NaN, 2);
  const statementsBefore = await scrape(svc.handoffs.url, 'hub_db_statements_total');
  const t0 = performance.now();
  const calls = await sync('ONBOARDING');
  const callsDone = performance.now();
  const dues = `SELECT count(*)::int AS n FROM handoffs.handoff_dues WHERE moment = 'CLOSED_WON_TO_ONBOARDING' AND to_stage = 'ONBOARDING'`;
  const lastSeen = await waitFor('dues', dues, N);
  const statementsAfter = await scrape(svc.handoffs.url, 'hub_db_statements_total');
  const loadAfter = round(loadavg()[0] ?? NaN, 2);

  const [facts] = (
    await pg.query(
      `SELECT count(*)::int AS dues, count(*) FILTER (WHERE state = 'OPEN')::int AS open, count(suggested_partner_id)::int AS suggested,
              count(DISTINCT suggested_partner_id)::int AS receivers, extract(epoch FROM max(opened_at) - min(opened_at)) * 1000 AS "openingSpanMs"
         FROM handoffs.handoff_dues WHERE moment = 'CLOSED_WON_TO_ONBOARDING' AND to_stage = 'ONBOARDING'`,
    )
  ).rows as { dues: number; open: number; suggested: number; receivers: number; openingSpanMs: number }[];
  const seconds = (lastSeen - t0) / 1000;
  return {
    customers: N,
    callsOf: BATCH,
    moveCallsMs: summary(calls),
    moveCallsSeconds: round((callsDone - t0) / 1000, 2),
    duesOpened: facts!.dues,
    duesOpen: facts!.open,
    duesWithSuggestion: facts!.suggested,
    suggestedReceivers: facts!.receivers,
    duesPerSecond: Math.round(N / seconds),
    secondsUntilLastDue: round(seconds, 2),
    lagAfterLastCallMs: Math.round(lastSeen - callsDone),
    openingSpanMs: Math.round(Number(facts!.openingSpanMs)),
    handoffsStatementsPerDue: round((statementsAfter - statementsBefore) / N, 3),
    targetDuesPerSecond: 1000,
    met: N / seconds >= 1000,
    loadAverage1mBefore: loadBefore,
    loadAverage1mAfter: loadAfter,
  };
});
