import type { Identity } from '../../../shared/auth/identity';
import { withTenant } from '../../../shared/db/tenant-context';
import { appendEvents } from '../../../shared/eventlog/event-log';
import { HANDOFF_DUE_OPENED, HANDOFF_HELD, HANDOFF_PROPOSED, PLAYBOOK_PUBLISHED } from '../../../shared/eventlog/events';
import { internalIdentity, partnerIdentity } from '../../../test/support/subgraph-client';
import { ALWAYS_ON } from '../src/calendar/business-calendar';
import { HandoffMoment } from '../src/entities/enums';
import { createSlasLoaders } from '../src/loaders/slas.loaders';
import { createClockConsumer } from '../src/consumers/clock.consumer';
import { createDueClockConsumer } from '../src/consumers/due-clock.consumer';
import { setSlaPolicy } from '../src/services/policy.service';
import { seedSlas } from '../src/seed';
import { due, emit, emitDues, handoff, log, policyInput, startSlasDb, type SlasDb } from './support';
import { present } from '../../../test/support/present';

/**
 * The database half of partner isolation for slas: with the caller's tenant on the
 * connection, a bare SELECT with no WHERE clause returns only what the resolvers would
 * show, and no partner request can write slas' rows — even if a resolver forgot a check.
 */
const A = '00000000-0000-4000-8000-0000000005a1';
const B = '00000000-0000-4000-8000-0000000005b1';
const X = '00000000-0000-4000-8000-0000000005c1';
const Y = '00000000-0000-4000-8000-0000000005d1';
const NO_PARTNER: Identity = { role: 'PARTNER', scopes: [] };
const T0 = new Date('2025-03-03T08:00:00Z');

const hA = handoff({ fromPartnerId: A, toPartnerId: X, proposedAt: T0.toISOString() });
const hB = handoff({ fromPartnerId: B, toPartnerId: Y, proposedAt: T0.toISOString() });
const hAB = handoff({ fromPartnerId: A, toPartnerId: B, proposedAt: T0.toISOString() });
const PLAYBOOK = '00000000-0000-4000-8000-0000000005e1';
/** Dues A and B are accountable for, and one internal teams are (no partner). */
const dA = due({
  moment: 'DIRECT_TO_PARTNER',
  accountablePartnerId: A,
  stageMove: { fromStage: 'SQL', toStage: 'OPPORTUNITY', eventId: X, at: T0.toISOString() },
});
const dB = due({
  moment: 'DIRECT_TO_PARTNER',
  accountablePartnerId: B,
  stageMove: { fromStage: 'SQL', toStage: 'OPPORTUNITY', eventId: Y, at: T0.toISOString() },
});
const dHq = due({
  moment: 'DIRECT_TO_PARTNER',
  accountablePartnerId: null,
  stageMove: { fromStage: 'SQL', toStage: 'OPPORTUNITY', eventId: A, at: T0.toISOString() },
});

describe('slas row-level security (real Postgres, the app role)', () => {
  let s: SlasDb;
  const as = <T>(identity: Identity, fn: () => Promise<T>) => withTenant(identity, fn);
  const ids = async (sql: string) => ((await s.db.query(sql)) as { id: string }[]).map((r) => r.id).sort();
  const rowsAffected = async (sql: string, params: unknown[] = []) => ((await s.db.query(sql, params)) as [unknown[], number])[1];
  const clockOf = async (handoffId: string) =>
    present(
      ((await s.db.query(`SELECT id, state FROM slas.clocks WHERE handoff_id = $1`, [handoffId])) as { id: string; state: string }[])[0],
      `a clock of handoff ${handoffId}`,
    );

  beforeAll(async () => {
    s = await startSlasDb();
    // Fixtures as the hub: demo policies, a round-the-clock default for the handoffs' moment,
    // three handoffs (A's, B's, one A sends B) with a clock each, two of them on hold.
    await seedSlas(s.db);
    await setSlaPolicy(s.db, { role: 'SERVICE', scopes: ['test'] }, policyInput({ calendar: ALWAYS_ON('UTC'), proposeWithin: 'PT8H' }));
    for (const h of [hA, hB, hAB]) await emit(s.db, HANDOFF_PROPOSED, h);
    for (const h of [hA, hB]) await emit(s.db, HANDOFF_HELD, { ...h, onHold: true }, { at: new Date(T0.getTime() + 3_600_000), reason: 'waiting' });
    await s.db.transaction((m) =>
      appendEvents(m, [
        {
          type: PLAYBOOK_PUBLISHED,
          source: 'handoffs',
          aggregateType: 'Playbook',
          aggregateId: PLAYBOOK,
          payload: { playbook: { id: PLAYBOOK, moment: 'DIRECT_TO_PARTNER' } },
          visibleTo: [],
          actor: null,
        },
      ]),
    );
    await emitDues(
      s.db,
      [dA, dB, dHq].map((d) => ({ type: HANDOFF_DUE_OPENED, due: d })),
    );
    for (const consumer of [createClockConsumer(s.db, log), createDueClockConsumer(s.db, log)]) {
      await consumer.drain();
      await consumer.stop();
    }
  });

  afterAll(async () => {
    await s?.stop();
  });

  it('has RLS enabled and forced, with a policy per command, on every slas table', async () => {
    const rows: { name: string; enabled: boolean; forced: boolean; commands: string[] }[] = await s.db.query(
      `SELECT c.relname AS name, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
              ARRAY(SELECT p.polcmd::text FROM pg_policy p WHERE p.polrelid = c.oid ORDER BY 1) AS commands
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'slas' AND c.relkind = 'r' AND c.relname <> 'migrations' ORDER BY 1`,
    );
    expect(rows.map((r) => r.name)).toEqual([
      'applied_events',
      'clock_pauses',
      'clocks',
      'due_clocks',
      'exchange_rate_settings',
      'exchange_rates',
      'handoffs',
      'playbooks',
      'policies',
      'policy_versions',
    ]);
    // r = SELECT, a = INSERT, w = UPDATE, d = DELETE
    for (const r of rows) expect(r).toMatchObject({ enabled: true, forced: true, commands: ['a', 'd', 'r', 'w'] });
  });

  describe('reads with no WHERE clause', () => {
    it('handoffs: a partner sees those it sends or receives; internal all; no partner nothing', async () => {
      const sql = `SELECT id FROM slas.handoffs`;
      expect(await as(partnerIdentity(A), () => ids(sql))).toEqual([hA.id, hAB.id].sort());
      expect(await as(partnerIdentity(B), () => ids(sql))).toEqual([hB.id, hAB.id].sort());
      expect(await as(partnerIdentity(X), () => ids(sql))).toEqual([hA.id]);
      expect(await as(internalIdentity(A), () => ids(sql))).toEqual([hA.id, hB.id, hAB.id].sort());
      expect(await as(NO_PARTNER, () => ids(sql))).toEqual([]);
    });

    it('clocks: only those on the partner’s handoffs', async () => {
      const sql = `SELECT handoff_id AS id FROM slas.clocks`;
      expect(await ids(sql)).toEqual([hA.id, hB.id, hAB.id].sort());
      expect(await as(partnerIdentity(A), () => ids(sql))).toEqual([hA.id, hAB.id].sort());
      expect(await as(partnerIdentity(B), () => ids(sql))).toEqual([hB.id, hAB.id].sort());
      expect(await as(partnerIdentity(Y), () => ids(sql))).toEqual([hB.id]);
      expect(await as(internalIdentity(A), () => ids(sql))).toEqual([hA.id, hB.id, hAB.id].sort());
      expect(await as(NO_PARTNER, () => ids(sql))).toEqual([]);
    });

    it('due_clocks: a partner sees the PROPOSE clocks it is accountable for; internal all; no partner nothing', async () => {
      const sql = `SELECT due_id AS id FROM slas.due_clocks`;
      expect(await ids(sql)).toEqual([dA.id, dB.id, dHq.id].sort());
      expect(await as(partnerIdentity(A), () => ids(sql))).toEqual([dA.id]);
      expect(await as(partnerIdentity(B), () => ids(sql))).toEqual([dB.id]);
      expect(await as(partnerIdentity(X), () => ids(sql))).toEqual([]);
      expect(await as(internalIdentity(A), () => ids(sql))).toEqual([dA.id, dB.id, dHq.id].sort());
      expect(await as(NO_PARTNER, () => ids(sql))).toEqual([]);
    });

    it('clock_pauses: only those of clocks the partner sees', async () => {
      const sql = `SELECT c.handoff_id AS id FROM slas.clock_pauses p JOIN slas.clocks c ON c.id = p.clock_id`;
      const bare = `SELECT clock_id AS id FROM slas.clock_pauses`;
      expect(await ids(sql)).toEqual([hA.id, hB.id].sort());
      expect(await as(partnerIdentity(A), () => ids(sql))).toEqual([hA.id]);
      expect(await as(partnerIdentity(B), () => ids(sql))).toEqual([hB.id]);
      expect(await as(partnerIdentity(A), () => ids(bare))).toHaveLength(1);
      expect(await as(internalIdentity(A), () => ids(bare))).toHaveLength(2);
      expect(await as(NO_PARTNER, () => ids(bare))).toEqual([]);
    });

    it('applied_events: the consumer’s bookkeeping, for the hub only', async () => {
      const sql = `SELECT event_id AS id FROM slas.applied_events`;
      const all = await ids(sql);
      expect(all.length).toBeGreaterThanOrEqual(6);
      expect(await as(internalIdentity(A), () => ids(sql))).toEqual(all);
      expect(await as(partnerIdentity(A), () => ids(sql))).toEqual([]);
      expect(await as(NO_PARTNER, () => ids(sql))).toEqual([]);
    });

    it('policies, their versions and the playbook projection are reference data every caller reads', async () => {
      for (const sql of [
        `SELECT id FROM slas.policies`,
        `SELECT policy_id || ':' || version AS id FROM slas.policy_versions`,
        `SELECT id FROM slas.playbooks`,
      ]) {
        const all = await ids(sql);
        expect(all.length).toBeGreaterThan(0);
        for (const who of [partnerIdentity(A), partnerIdentity(B), internalIdentity(A), NO_PARTNER]) expect(await as(who, () => ids(sql))).toEqual(all);
      }
    });
  });

  describe('writes', () => {
    it('a partner can write no slas row, not even on its own handoff', async () => {
      const own = await clockOf(hA.id);
      const other = await clockOf(hB.id);
      await as(partnerIdentity(A), async () => {
        // Projections and clocks are the consumer's and the scheduler's.
        await expect(
          s.db.query(
            `INSERT INTO slas.handoffs (id, customer_id, moment, to_partner_id, participants, state, snapshot) VALUES (gen_random_uuid(), gen_random_uuid(), 'DIRECT_TO_PARTNER', $1, ARRAY[$1::uuid], 'PROPOSED', '{}')`,
            [A],
          ),
        ).rejects.toMatchObject({ code: '42501' });
        expect(await rowsAffected(`UPDATE slas.handoffs SET participants = participants || $1::uuid`, [A])).toBe(0);
        expect(await rowsAffected(`DELETE FROM slas.handoffs`)).toBe(0);
        for (const clock of [own, other]) {
          expect(await rowsAffected(`UPDATE slas.clocks SET state = 'MET' WHERE id = $1`, [clock?.id])).toBe(0);
          await expect(s.db.query(`INSERT INTO slas.clock_pauses (clock_id, paused_at) VALUES ($1, now())`, [clock?.id])).rejects.toMatchObject({
            code: '42501',
          });
        }
        await expect(
          s.db.query(
            `INSERT INTO slas.clocks (handoff_id, target, state, policy_id, policy_version, accountable_partner_id, target_ms, warning_ms, started_at, started_by_event)
             SELECT handoff_id, 'COMPLETE', 'MET', policy_id, policy_version, $2, 1, 1, now(), gen_random_uuid() FROM slas.clocks WHERE id = $1`,
            [own?.id, A],
          ),
        ).rejects.toMatchObject({ code: '42501' });
        expect(await rowsAffected(`UPDATE slas.clock_pauses SET reason = 'mine'`)).toBe(0);
        // PROPOSE clocks are the due consumer's and the scheduler's, even the partner's own.
        expect(await rowsAffected(`UPDATE slas.due_clocks SET state = 'MET'`)).toBe(0);
        expect(await rowsAffected(`DELETE FROM slas.due_clocks`)).toBe(0);
        await expect(
          s.db.query(
            `INSERT INTO slas.due_clocks (id, due_id, customer_id, moment, accountable_partner_id, state, policy_id, policy_version, target_ms, warning_ms, started_at, due, started_by_event)
             SELECT gen_random_uuid(), gen_random_uuid(), customer_id, moment, $1, 'MET', policy_id, policy_version, 1, 1, now(), due, gen_random_uuid() FROM slas.due_clocks`,
            [A],
          ),
        ).rejects.toMatchObject({ code: '42501' });
        expect(await rowsAffected(`DELETE FROM slas.clocks`)).toBe(0);
        expect(await rowsAffected(`DELETE FROM slas.clock_pauses`)).toBe(0);
        // Policies are internal teams' to set, even though every partner reads them.
        await expect(s.db.query(`INSERT INTO slas.policies (moment, current_version) VALUES ('MQL_TO_SQL', 0)`)).rejects.toMatchObject({ code: '42501' });
        expect(await rowsAffected(`UPDATE slas.policies SET current_version = current_version + 1`)).toBe(0);
        expect(await rowsAffected(`UPDATE slas.policy_versions SET warning_percent = 99`)).toBe(0);
        await expect(
          s.db.query(
            `INSERT INTO slas.policy_versions (policy_id, version, accept_within, accept_ms, complete_within, complete_ms, calendar, warning_percent, escalation)
             SELECT policy_id, version + 100, accept_within, accept_ms, complete_within, complete_ms, calendar, warning_percent, escalation FROM slas.policy_versions LIMIT 1`,
          ),
        ).rejects.toMatchObject({ code: '42501' });
        await expect(s.db.query(`INSERT INTO slas.playbooks (id, moment) VALUES (gen_random_uuid(), 'MQL_TO_SQL')`)).rejects.toMatchObject({ code: '42501' });
        await expect(s.db.query(`INSERT INTO slas.applied_events (event_id) VALUES (gen_random_uuid())`)).rejects.toMatchObject({ code: '42501' });
      });
      expect(await clockOf(hA.id)).toEqual(own);
      expect(await clockOf(hB.id)).toEqual(other);
    });

    it('a request without a partner writes nothing either', async () => {
      await as(NO_PARTNER, async () => {
        await expect(s.db.query(`INSERT INTO slas.applied_events (event_id) VALUES (gen_random_uuid())`)).rejects.toMatchObject({ code: '42501' });
        expect(await rowsAffected(`UPDATE slas.policies SET current_version = current_version + 1`)).toBe(0);
      });
    });

    it('an internal team sets policies and moves running clocks, but does not rewrite the projections', async () => {
      const before = await clockOf(hAB.id);
      const policy = await as(internalIdentity(A), () =>
        setSlaPolicy(s.db, internalIdentity(A), policyInput({ calendar: ALWAYS_ON('UTC'), acceptWithin: 'PT12H', applyToRunningClocks: true })),
      );
      const [moved] = await s.db.query(`SELECT policy_id, policy_version FROM slas.clocks WHERE id = $1`, [before.id]);
      expect(moved).toEqual({ policy_id: policy.id, policy_version: policy.version });
      await as(internalIdentity(A), async () => {
        await expect(s.db.query(`INSERT INTO slas.applied_events (event_id) VALUES (gen_random_uuid())`)).rejects.toMatchObject({ code: '42501' });
        expect(await rowsAffected(`UPDATE slas.handoffs SET state = 'EXPIRED'`)).toBe(0);
      });
    });
  });

  describe('the loaders, under a partner’s tenant', () => {
    it('return nothing of another partner’s even when a resolver forgot the check', async () => {
      // Loaders built as if the caller were internal (the check "forgotten"), run as partner A.
      const loaders = createSlasLoaders(s.db, internalIdentity(A));
      const [mine, theirs, shared] = await as(partnerIdentity(A), () => loaders.handoffClocks.loadMany([hA.id, hB.id, hAB.id]));
      const [myDue, theirDue, hqDue] = await as(partnerIdentity(A), () => loaders.dueClock.loadMany([dA.id, dB.id, dHq.id]));
      expect([myDue, theirDue, hqDue]).toEqual([expect.objectContaining({ dueId: dA.id }), null, null]);
      expect(mine).toMatchObject({ known: true, visible: true, clocks: [{ handoffId: hA.id }] });
      expect(theirs).toEqual({ known: false, visible: false, clocks: [] });
      expect(shared).toMatchObject({ known: true, visible: true, clocks: [{ handoffId: hAB.id }] });
      const bClock = await clockOf(hB.id);
      expect(await as(partnerIdentity(A), () => createSlasLoaders(s.db, internalIdentity(A)).clock.load(bClock.id))).toBeNull();
      expect(await as(partnerIdentity(A), () => createSlasLoaders(s.db, internalIdentity(A)).pauses.load(bClock.id))).toEqual([]);
    });

    it('show a partner everything the resolvers grant it', async () => {
      const system = createSlasLoaders(s.db, partnerIdentity(B));
      const expected = await system.handoffClocks.loadMany([hB.id, hAB.id]);
      const asB = await as(partnerIdentity(B), () => createSlasLoaders(s.db, partnerIdentity(B)).handoffClocks.loadMany([hB.id, hAB.id]));
      expect(asB).toEqual(expected);
      const bClock = await clockOf(hB.id);
      const pauses = await as(partnerIdentity(B), () => createSlasLoaders(s.db, partnerIdentity(B)).pauses.load(bClock.id));
      expect(pauses).toHaveLength(1);
      const playbook = await as(partnerIdentity(B), () => createSlasLoaders(s.db, partnerIdentity(B)).playbookPolicy.load(PLAYBOOK));
      expect(playbook).toMatchObject({ moment: HandoffMoment.DIRECT_TO_PARTNER });
    });
  });

  describe('exchange rates: reference data every caller reads and only the hub writes', () => {
    const RATES = `SELECT currency || ' ' || rate AS id FROM slas.exchange_rates`;
    beforeAll(async () => {
      // As the exchange-rates consumer writes them (the hub).
      await s.db.query(`INSERT INTO slas.exchange_rate_settings (reporting_currency, version) VALUES ('EUR', 1)`);
      await s.db.query(`INSERT INTO slas.exchange_rates (currency, day, rate, version) VALUES ('USD', '2026-12-01', 0.9, 1)`);
    });

    it('every caller with a tenant reads them; no request writes them', async () => {
      for (const who of [partnerIdentity(A), partnerIdentity(X), internalIdentity(A)]) expect(await as(who, () => ids(RATES))).toEqual(['USD 0.9']);
      expect(await as(NO_PARTNER, () => ids(RATES))).toEqual([]);
      for (const who of [partnerIdentity(A), internalIdentity(A)]) {
        await expect(
          as(who, () => s.db.query(`INSERT INTO slas.exchange_rates (currency, day, rate, version) VALUES ('GBP', '2026-12-01', 1.1, 2)`)),
        ).rejects.toMatchObject({ code: '42501' });
        expect(await as(who, () => rowsAffected(`UPDATE slas.exchange_rates SET rate = 1`))).toBe(0);
        expect(await as(who, () => rowsAffected(`UPDATE slas.exchange_rate_settings SET reporting_currency = 'USD'`))).toBe(0);
        expect(await as(who, () => rowsAffected(`DELETE FROM slas.exchange_rates`))).toBe(0);
      }
    });
  });
});
