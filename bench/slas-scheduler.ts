import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDataSource } from '../shared/db/data-source';
import { startEmbeddedPostgres } from '../shared/db/embedded-postgres';
import { countQueries } from '../shared/db/query-counter';
import { createLogger } from '../shared/logger';
import { ALWAYS_ON } from '../subgraphs/slas/src/calendar/business-calendar';
import { createSlasDataSource } from '../subgraphs/slas/src/data-source';
import { createSlasLoaders } from '../subgraphs/slas/src/loaders/slas.loaders';
import { CLOCK_CONSUMER } from '../subgraphs/slas/src/consumers/clock.consumer';
import { SlaScheduler } from '../subgraphs/slas/src/services/sla-scheduler';

/**
 * `npm run build && node dist/bench/slas-scheduler.js [-- --clocks=100000 --due=2000 --database=postgres://…]`
 * Loads N running clocks (a few due during the run, the rest far ahead), then measures:
 * the cost of an idle sweep over them, breach-detection lateness (detected − due) with the
 * real scheduler polling, the time to flip a burst of clocks all due at once, and the SQL
 * statements `Handoff.slaClocks` needs for 100 handoffs. Prints JSON.
 * Targets: lateness at most a few seconds; slaClocks for 100 handoffs = 1 statement.
 */
const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const CLOCKS = Number(arg('clocks', '100000'));
const DUE = Number(arg('due', '2000'));
const BURST = Number(arg('burst', '10000'));
const POLICY = '00000000-0000-4000-a000-0000000000b1';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : null;
};

async function main() {
  const log = createLogger('bench', 'warn');
  let dir: string | undefined;
  let pg: { url: string; stop(): Promise<void> } | undefined;
  let url = arg('database', '');
  if (!url) {
    dir = mkdtempSync(join(tmpdir(), 'hub-bench-slas-'));
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: 54000 + Math.floor(Math.random() * 1000), persistent: false });
    url = pg.url;
  }
  const db = await openDataSource(createSlasDataSource(url, 10));
  try {
    await db.query(`INSERT INTO slas.policies (id, moment, current_version) VALUES ($1, 'MQL_TO_SQL', 1) ON CONFLICT DO NOTHING`, [POLICY]);
    await db.query(
      `INSERT INTO slas.policy_versions (policy_id, version, accept_within, accept_ms, complete_within, complete_ms, calendar, warning_percent, escalation)
       VALUES ($1, 1, 'PT1H', 3600000, 'PT2H', 7200000, $2, 100, 'NOTIFY') ON CONFLICT DO NOTHING`,
      [POLICY, JSON.stringify(ALWAYS_ON())],
    );
    const load = Date.now();
    // Running clocks: the first DUE come due over the next 10 s, the rest in days to weeks.
    await db.query(
      `INSERT INTO slas.handoffs (id, customer_id, moment, from_partner_id, to_partner_id, participants, state, snapshot)
       SELECT md5('h' || i)::uuid, md5('c' || i)::uuid, 'MQL_TO_SQL', md5('p' || (i % 50))::uuid, md5('q' || (i % 50))::uuid,
              ARRAY[md5('p' || (i % 50))::uuid, md5('q' || (i % 50))::uuid], 'PROPOSED',
              jsonb_build_object('id', md5('h' || i)::uuid, 'fromPartnerId', md5('p' || (i % 50))::uuid, 'toPartnerId', md5('q' || (i % 50))::uuid)
         FROM generate_series(1, $1) AS i`,
      [CLOCKS],
    );
    await db.query(
      `INSERT INTO slas.clocks (handoff_id, target, state, policy_id, policy_version, accountable_partner_id, target_ms, warning_ms, started_at, running_since,
                                due_at, next_action, next_action_at, started_by_event)
       SELECT md5('h' || i)::uuid, 'ACCEPT', 'RUNNING', $2, 1, md5('q' || (i % 50))::uuid, 3600000, 3600000, now(), now(), d, 'BREACH', d, gen_random_uuid()
         FROM (SELECT i, CASE WHEN i <= $3 THEN now() + interval '3 seconds' + (i * interval '7 seconds') / $3
                              ELSE now() + interval '1 day' + i * interval '10 seconds' END AS d
                 FROM generate_series(1, $1) AS i) s`,
      [CLOCKS, POLICY, DUE],
    );
    await db.query(`ANALYZE slas.clocks`);
    const loadMs = Date.now() - load;

    // Idle sweep: nothing due yet (the first clocks are 3 s out).
    const idle = new SlaScheduler({ dataSource: db, log, consumerName: CLOCK_CONSUMER, now: () => new Date(Date.now() - 60_000) });
    const idleTimes: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = process.hrtime.bigint();
      await idle.sweep();
      idleTimes.push(Number(process.hrtime.bigint() - t) / 1e6);
    }

    // Lateness: the real scheduler, default poll, until every near clock is breached.
    const scheduler = new SlaScheduler({ dataSource: db, log, consumerName: CLOCK_CONSUMER });
    scheduler.start();
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM slas.clocks WHERE state = 'BREACHED'`);
      if (n >= DUE || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await scheduler.stop();
    const lateness: { ms: number }[] = await db.query(
      `SELECT extract(epoch FROM (e.occurred_at - (e.payload->'clock'->>'dueAt')::timestamptz)) * 1000 AS ms
         FROM eventlog.events e WHERE e.type = 'SlaBreached'`,
    );
    const late = lateness.map((r) => Number(r.ms));

    // Burst: BURST clocks all due now, one scheduler.
    await db.query(
      `UPDATE slas.clocks SET due_at = now() - interval '1 second', next_action_at = now() - interval '1 second'
        WHERE id IN (SELECT id FROM slas.clocks WHERE state = 'RUNNING' ORDER BY id LIMIT $1)`,
      [BURST],
    );
    const burst = new SlaScheduler({ dataSource: db, log, consumerName: CLOCK_CONSUMER });
    const b0 = Date.now();
    const flipped = await burst.sweep();
    const burstMs = Date.now() - b0;

    // Handoff.slaClocks for 100 handoffs: statements issued by one batch.
    const ids: { id: string }[] = await db.query(`SELECT id FROM slas.handoffs ORDER BY id LIMIT 100`);
    const loaders = createSlasLoaders(db, { role: 'INTERNAL', scopes: [] });
    const t0 = process.hrtime.bigint();
    const { count } = await countQueries(() => Promise.all(ids.map((r) => loaders.handoffClocks.load(r.id))));
    const batchMs = Number(process.hrtime.bigint() - t0) / 1e6;

    console.log(
      JSON.stringify(
        {
          clocks: CLOCKS,
          loadMs,
          idleSweepMs: { p50: pct(idleTimes, 50), p95: pct(idleTimes, 95), max: Math.max(...idleTimes) },
          breachLatenessMs: { count: late.length, p50: pct(late, 50), p95: pct(late, 95), max: late.length ? Math.max(...late) : null },
          burst: { clocks: BURST, flipped, ms: burstMs, perSecond: Math.round((flipped / burstMs) * 1000) },
          slaClocksFor100Handoffs: { statements: count, ms: batchMs },
        },
        null,
        2,
      ),
    );
  } finally {
    await db.destroy();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
