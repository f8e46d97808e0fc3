import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import pino from 'pino';
import { appendEvents } from '../../../shared/eventlog/event-log';
import { openDataSource } from '../../../shared/db/data-source';
import type { DurableConsumer } from '../../../shared/eventlog/durable-consumer';
import {
  DEMO_EVENT_SOURCE,
  HANDOFF_COMPLETED,
  OWNERSHIP_CHANGED,
  type HandoffMomentName,
  type HandoffSnapshot,
  type OwnershipChangedPayload,
} from '../../../shared/eventlog/events';
import { createTestDatabase } from '../../../test/support/database';
import { createOwnershipConsumer } from '../src/consumers/ownership.consumer';
import { createAccountsDataSource } from '../src/data-source';
import { startAccounts, type AccountsUnderTest } from '../../../test/support/accounts-subgraph';
import { partnerIdentity, subgraphGql } from '../../../test/support/subgraph-client';
import { createRenewalOutcomeConsumer, outcomeFromDeliverables, RENEWAL_OUTCOME_CONSUMER } from '../src/consumers/renewal-outcome.consumer';
import { DEMO_PARTNERS, seedAccounts } from '../src/seed';

/**
 * Completing a SUCCESS_TO_RENEWAL handoff records its renewal outcome in accounts: the
 * consumer reads the deliverables, applies recordRenewalOutcome's rules, keys the outcome by
 * the handoff (a replay records nothing twice) and skips, with a warning, what it cannot use.
 */
const partnerId = (keyPart: string) => DEMO_PARTNERS.find((p) => p.apiKey.includes(keyPart))!.id;
const ACME = partnerIdentity(partnerId('acme'));
const NORTHWIND = partnerId('northwind');

describe('accounts: renewal outcomes from completed renewal handoffs', () => {
  let a: AccountsUnderTest;
  const warnings: { msg: string; reason?: string; handoffId?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) warnings.push(JSON.parse(line) as { msg: string });
      done();
    },
  });

  const handoff = (customerId: string, deliverables: Record<string, unknown> | null, moment: HandoffMomentName = 'SUCCESS_TO_RENEWAL'): HandoffSnapshot => ({
    id: randomUUID(),
    customerId,
    moment,
    customMoment: null,
    state: 'COMPLETED',
    fromPartnerId: ACME.partnerId!,
    toPartnerId: NORTHWIND,
    toPartnerTier: 'GOLD',
    customerSegment: 'ENTERPRISE',
    customerRegion: 'EMEA',
    playbookId: null,
    playbookVersion: null,
    requiredDataComplete: true,
    onHold: false,
    proposedAt: new Date().toISOString(),
    acceptedAt: new Date().toISOString(),
    completedAt: new Date().toISOString(),
    closedAt: null,
    deliverables,
  });
  /** Appends HandoffCompleted events as handoffs would, and waits for accounts to apply them. */
  const complete = async (handoffs: HandoffSnapshot[], source = 'handoffs') => {
    await a.db.transaction((m) =>
      appendEvents(
        m,
        handoffs.map((h) => ({
          type: HANDOFF_COMPLETED,
          source,
          aggregateType: 'Handoff',
          aggregateId: h.id,
          payload: { handoff: h } as unknown as Record<string, unknown>,
          visibleTo: [h.fromPartnerId!, h.toPartnerId],
          actor: null,
        })),
      ),
    );
    await a.server.events.consumer(RENEWAL_OUTCOME_CONSUMER).catchUp();
  };
  const outcomes = (customerId: string) =>
    a.db.query(
      `SELECT kind, previous_arr::text AS previous_arr, new_arr::text AS new_arr, currency, to_char(effective_date, 'YYYY-MM-DD') AS effective_date, handoff_id, recorded_by_partner_id, owner_partner_id
         FROM accounts.renewal_outcomes WHERE customer_id = $1 ORDER BY seq`,
      [customerId],
    );
  const eventCount = async (customerId: string) =>
    (await a.db.query(`SELECT type, count(*)::int AS n FROM eventlog.events WHERE aggregate_id = $1 GROUP BY type ORDER BY type`, [customerId])) as {
      type: string;
      n: number;
    }[];
  const newCustomer = async (arr: string | null) => {
    const res = await subgraphGql(
      a.url,
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
      {
        input: {
          name: `Renewing ${randomUUID()}`,
          segment: 'ENTERPRISE',
          region: 'EMEA',
          lifecycleStage: 'RENEWAL',
          ...(arr ? { commercials: { currency: 'EUR', arr } } : {}),
        },
      },
      ACME,
    );
    expect(res.errors).toBeUndefined();
    return res.data!.createCustomer.id as string;
  };

  beforeAll(async () => {
    a = await startAccounts({ log: pino({ level: 'warn' }, sink) });
  });
  afterAll(async () => {
    await a?.stop();
  });

  it('records the outcome the deliverables give, by the receiver, and sets the ARR', async () => {
    const c = await newCustomer('1000');
    const h = handoff(c, { renewalQuoteSent: true, renewalOutcome: 'EXPANDED', newArr: { amount: '1250.50', currency: 'EUR' }, effectiveDate: '2027-01-01' });
    await complete([h]);
    expect(await outcomes(c)).toEqual([
      {
        kind: 'EXPANDED',
        previous_arr: '1000.000000',
        new_arr: '1250.500000',
        currency: 'EUR',
        effective_date: '2027-01-01',
        handoff_id: h.id,
        recorded_by_partner_id: NORTHWIND,
        owner_partner_id: ACME.partnerId,
      },
    ]);
    const [row] = await a.db.query(`SELECT arr::text AS arr FROM accounts.customer_commercials WHERE customer_id = $1`, [c]);
    expect(row.arr).toBe('1250.500000');
    const [event] = await a.db.query(`SELECT payload, visible_to FROM eventlog.events WHERE aggregate_id = $1 AND type = 'RenewalOutcomeRecorded'`, [c]);
    expect(event.visible_to).toEqual([ACME.partnerId]);
    expect(event.payload.outcome).toMatchObject({ handoffId: h.id, kind: 'EXPANDED', previousArr: '1000', newArr: '1250.5', recordedByPartnerId: NORTHWIND });
    const [updated] = await a.db.query(`SELECT payload FROM eventlog.events WHERE aggregate_id = $1 AND type = 'CustomerUpdated'`, [c]);
    expect(updated.payload).toMatchObject({ changed: ['commercials'], customer: { version: 2, commercials: { arr: '1250.5' } } });
  });

  it('reads a bare decimal string in the commercials’ currency', async () => {
    const c = await newCustomer('1000');
    await complete([handoff(c, { renewalOutcome: 'CHURNED', newArr: '0', effectiveDate: '2027-03-01' })]);
    expect(await outcomes(c)).toEqual([expect.objectContaining({ kind: 'CHURNED', new_arr: '0.000000', currency: 'EUR' })]);
  });

  it('logs and skips deliverables it cannot use, and goes on with the next event', async () => {
    const c = await newCustomer('1000');
    const bare = await newCustomer(null);
    const before = await eventCount(c);
    warnings.length = 0;
    const bad = [
      handoff(c, { renewalOutcome: 'GREW', newArr: { amount: '1', currency: 'EUR' }, effectiveDate: '2027-01-01' }),
      handoff(c, { renewalOutcome: 'EXPANDED', newArr: 1500, effectiveDate: '2027-01-01' }),
      handoff(c, { renewalOutcome: 'EXPANDED', newArr: { amount: '900', currency: 'EUR' }, effectiveDate: '2027-01-01' }),
      handoff(c, { renewalOutcome: 'RENEWED', newArr: { amount: '1000', currency: 'USD' }, effectiveDate: '2027-01-01' }),
      handoff(c, { renewalOutcome: 'RENEWED', newArr: { amount: '1000', currency: 'EUR' }, effectiveDate: 'next year' }),
      handoff(bare, { renewalOutcome: 'RENEWED', newArr: '10', effectiveDate: '2027-01-01' }),
      handoff(randomUUID(), { renewalOutcome: 'RENEWED', newArr: { amount: '1', currency: 'EUR' }, effectiveDate: '2027-01-01' }),
    ];
    // Not about a renewal outcome at all: ignored without a word.
    const quiet = [
      handoff(c, { renewalQuoteSent: true }),
      handoff(c, null),
      handoff(c, { renewalOutcome: 'CHURNED', newArr: '0', effectiveDate: '2027-01-01' }, 'ONBOARDING_TO_SUCCESS'),
    ];
    const good = handoff(c, { renewalOutcome: 'CONTRACTED', newArr: { amount: '900', currency: 'EUR' }, effectiveDate: '2027-01-01' });
    await complete([...bad, ...quiet, good]);
    expect((await outcomes(c)).map((o: { handoff_id: string }) => o.handoff_id)).toEqual([good.id]);
    expect(await outcomes(bare)).toEqual([]);
    expect(warnings.map((w) => w.handoffId).sort()).toEqual(bad.map((h) => h.id).sort());
    expect(warnings.every((w) => typeof w.reason === 'string' && w.reason.length > 0)).toBe(true);
    // Nothing half-written by the refused ones: one outcome's events only.
    const after = await eventCount(c);
    const delta = (type: string) => (after.find((e) => e.type === type)?.n ?? 0) - (before.find((e) => e.type === type)?.n ?? 0);
    expect([delta('CustomerUpdated'), delta('RenewalOutcomeRecorded')]).toEqual([1, 1]);
  });

  it('skips the demo history', async () => {
    const c = await newCustomer('1000');
    await complete([handoff(c, { renewalOutcome: 'RENEWED', newArr: '1000', effectiveDate: '2025-01-01' })], DEMO_EVENT_SOURCE);
    expect(await outcomes(c)).toEqual([]);
  });

  it('records nothing twice when the log is replayed from the start', async () => {
    const c = await newCustomer('1000');
    await complete([handoff(c, { renewalOutcome: 'RENEWED', newArr: '1000', effectiveDate: '2027-01-01' })]);
    const snapshot = async () => ({
      outcomes: (await a.db.query(`SELECT id, handoff_id FROM accounts.renewal_outcomes ORDER BY seq`)) as unknown[],
      events: (await a.db.query(`SELECT count(*)::int AS n FROM eventlog.events`))[0].n as number,
      history: (await a.db.query(`SELECT count(*)::int AS n FROM accounts.customer_commercials_history`))[0].n as number,
    });
    const before = await snapshot();
    expect(before.outcomes.length).toBeGreaterThan(2);
    // Back to the start of the log, applied by a fresh instance (as after a restore): every
    // completed renewal handoff so far comes again.
    await a.db.query(`UPDATE eventlog.consumers SET tx = '0', seq = 0 WHERE name = $1`, [RENEWAL_OUTCOME_CONSUMER]);
    const replay = createRenewalOutcomeConsumer(a.db, pino({ level: 'silent' }));
    await replay.drain();
    await replay.stop();
    expect(await snapshot()).toEqual(before);
    const [position] = await a.db.query(`SELECT tx::text AS tx FROM eventlog.consumers WHERE name = $1`, [RENEWAL_OUTCOME_CONSUMER]);
    expect(position.tx).not.toBe('0');
  });

  it('waits for the ownership consumer: the outcome names (and shows itself to) the owner who completed it, never the previous one', async () => {
    // Its own database, with no server: each consumer is drained by hand, renewals first.
    const database = await createTestDatabase();
    const db = await openDataSource(createAccountsDataSource(database.url, 4));
    try {
      await seedAccounts(db);
      // A customer of Acme's of its own, with figures of its own (the demo's customers have theirs).
      const customer = randomUUID();
      await db.query(
        `INSERT INTO accounts.customers (id, name, segment, region, lifecycle_stage, owner_partner_id) VALUES ($1, 'Renewing Co', 'SMB', 'EMEA', 'RENEWAL', $2)`,
        [customer, ACME.partnerId],
      );
      await db.query(`INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')`, [customer, ACME.partnerId]);
      await db.query(`INSERT INTO accounts.customer_commercials (customer_id, currency, arr, customer_version) VALUES ($1, 'EUR', 100, 1)`, [customer]);
      const h = { ...handoff(customer, { renewalOutcome: 'EXPANDED', newArr: '150', effectiveDate: '2027-01-01' }) };
      const accepted: OwnershipChangedPayload = {
        id: randomUUID(),
        customerId: customer,
        fromPartnerId: ACME.partnerId!,
        toPartnerId: NORTHWIND,
        handoffId: h.id,
        actorPartnerId: NORTHWIND,
        at: new Date().toISOString(),
        reason: 'HANDOFF_ACCEPTED',
      };
      await db.transaction((m) =>
        appendEvents(m, [
          {
            type: OWNERSHIP_CHANGED,
            source: 'handoffs',
            aggregateType: 'Customer',
            aggregateId: customer,
            payload: accepted as unknown as Record<string, unknown>,
            visibleTo: [],
            actor: null,
          },
          {
            type: HANDOFF_COMPLETED,
            source: 'handoffs',
            aggregateType: 'Handoff',
            aggregateId: h.id,
            payload: { handoff: h } as unknown as Record<string, unknown>,
            visibleTo: [],
            actor: null,
          },
        ]),
      );
      const drain = async (consumer: DurableConsumer) => {
        await consumer.drain(1000);
        await consumer.stop();
      };
      const quiet = pino({ level: 'silent' });
      await drain(createRenewalOutcomeConsumer(db, quiet));
      expect(await db.query(`SELECT id FROM accounts.renewal_outcomes`)).toEqual([]);
      await drain(createOwnershipConsumer(db, quiet));
      await drain(createRenewalOutcomeConsumer(db, quiet));
      expect(await db.query(`SELECT owner_partner_id, new_arr::text AS new_arr FROM accounts.renewal_outcomes`)).toEqual([
        { owner_partner_id: NORTHWIND, new_arr: '150.000000' },
      ]);
      const [event] = await db.query(`SELECT visible_to FROM eventlog.events WHERE type = 'RenewalOutcomeRecorded'`);
      expect(event.visible_to).toEqual([NORTHWIND]);
    } finally {
      await db.destroy();
      await database.drop();
    }
  });

  describe('outcomeFromDeliverables', () => {
    it.each([
      [{ renewalOutcome: 'RENEWED', newArr: { amount: '5', currency: 'EUR' }, effectiveDate: '2027-01-01' }, 'EUR', 'args'],
      [{ renewalOutcome: 'RENEWED', newArr: '5', effectiveDate: '2027-01-01' }, null, 'skip'],
      [{ renewalOutcome: 'RENEWED', newArr: ['5'], effectiveDate: '2027-01-01' }, 'EUR', 'skip'],
      [{ renewalOutcome: 'RENEWED', newArr: { amount: 5, currency: 'EUR' }, effectiveDate: '2027-01-01' }, 'EUR', 'skip'],
      [{ renewalOutcome: 'RENEWED', newArr: '5', effectiveDate: 20270101 }, 'EUR', 'skip'],
      [{ renewalOutcome: 7 }, 'EUR', 'skip'],
      [{ quotedArr: 5 }, 'EUR', 'none'],
    ])('%j (commercials in %s) → %s', (deliverables, currency, expected) => {
      const parsed = outcomeFromDeliverables(deliverables, currency);
      expect(parsed === undefined ? 'none' : 'skip' in parsed ? 'skip' : 'args').toBe(expected);
    });
  });
});
