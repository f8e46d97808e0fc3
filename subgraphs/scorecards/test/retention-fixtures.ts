import { Client } from 'pg';
import type { CommercialsSnapshot, CustomerSnapshot, RenewalOutcomeKind } from '../../../shared/eventlog/events';
import { A, B, S, snapshot } from './fixtures';

/**
 * A small fixed revenue history, dated in the past as imported history is: each event is
 * written with the instant it happened (occurred_at), in log order. Figures computed by
 * hand in retention.int.test.ts. Amounts in EUR unless said.
 *
 * Partner A:
 *  R1 SMB/NA     direct from 2024-10-01 (ARR 1000), handed to A 2024-11-15; EXPANDED to 1200 effective 2025-02-01
 *                (recorded 2025-02-01 10:00, with the commercials' echo a minute later)
 *  R2 SMB/NA     direct from 2024-10-01 (ARR 2000, renewal 2025-06-30), handed to A 2024-10-20; CHURNED effective
 *                2025-02-01, before its renewal date; handed back to us 2025-02-03
 *  R4 SMB/EMEA   created by A 2024-10-01, ARR 3000 USD; RENEWED at 3000 effective 2025-02-10
 *  R6 SMB/NA     created by A 2025-02-01 (ARR 800): won in Q1, new business, not retention
 * Partner B:
 *  R3 ENTERPRISE/EMEA  direct from 2024-10-01 (ARR 5000, renewal 2025-03-15), to A 2024-10-05, to B 2025-01-20
 *                (mid-quarter); CONTRACTED to 4000 effective 2025-03-15
 *  R5 MID_MARKET/NA    created by B 2024-10-01 (ARR 1500, renewal 2025-02-20, never recorded)
 *  R8 SMB/NA     created by B 2024-10-01 (ARR 1000 EUR); commercials moved to USD 1100 on 2025-02-01
 * Held directly:
 *  R7 SMB/NA     direct from 2024-10-01 (ARR 1000), to A 2024-10-10, handed back 2025-01-10; ARR 1100 on 2025-03-10
 * Partner P3 (lifetime value, maturity): M1–M11 MID_MARKET/NA created by P3 2024-10-01, ARR 1000 × i (M3 2500, then
 *  EXPANDED to 3000 effective 2025-03-01; M11 4000, CHURNED effective 2025-04-01, before its renewal on 2025-05-01);
 *  M1, M2 RENEWED effective 2025-01-15 and 2025-02-15; M4–M9 RENEWED effective 2025-08-01 (renewal dates
 *  M1 2025-01-15, M2 2025-02-15, M3 2025-03-01, M4–M10 2025-08-01).
 * Handoffs (HandoffProposed): ten to P3 between 2025-05-01 and 2025-05-10, nine with a value; one from S to A
 *  and one to B in January 2025, without.
 */
export const P3 = '0000000c-0000-4000-8000-00000000000c';
export const r = (n: number) => `00000000-0000-4000-9200-0000000000${String(n).padStart(2, '0')}`;
export const m = (n: number) => `00000000-0000-4000-9300-0000000000${String(n).padStart(2, '0')}`;
const outcomeId = (n: number) => `00000000-0000-4000-9400-0000000000${String(n).padStart(2, '0')}`;
const handoffId = (n: number) => `00000000-0000-4000-9500-0000000000${String(n).padStart(2, '0')}`;

interface DatedEvent {
  type: string;
  source: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  visibleTo: string[];
  at: string;
}

const commercials = (arr: string | null, over: Partial<CommercialsSnapshot> = {}): CommercialsSnapshot => ({
  currency: 'EUR',
  arr,
  pipelineValue: null,
  contractValue: null,
  contractTermMonths: 12,
  renewalDate: null,
  ...over,
});

const customer = (
  type: 'CustomerCreated' | 'CustomerUpdated',
  id: string,
  at: string,
  seg: CustomerSnapshot['segment'],
  region: CustomerSnapshot['region'],
  owner: string | null,
  c: CommercialsSnapshot,
): DatedEvent => ({
  type,
  source: 'accounts',
  aggregateType: 'Customer',
  aggregateId: id,
  payload: {
    customer: {
      id,
      name: `Customer ${id.slice(-2)}`,
      domain: null,
      segment: seg,
      region,
      lifecycleStage: 'CUSTOMER',
      ownerPartnerId: owner,
      version: 1,
      commercials: c,
    },
    changed: type === 'CustomerCreated' ? [] : ['commercials'],
  },
  visibleTo: owner ? [owner] : [],
  at,
});

const ownership = (customerId: string, at: string, from: string | null, to: string | null): DatedEvent => ({
  type: 'OwnershipChanged',
  source: 'handoffs',
  aggregateType: 'Customer',
  aggregateId: customerId,
  payload: {
    id: `${customerId.slice(0, -4)}${at.slice(5, 7)}${at.slice(8, 10)}`,
    customerId,
    fromPartnerId: from,
    toPartnerId: to,
    handoffId: null,
    actorPartnerId: null,
    at,
  },
  visibleTo: [from, to].filter((x): x is string => !!x),
  at,
});

const outcome = (
  n: number,
  customerId: string,
  owner: string | null,
  kind: RenewalOutcomeKind,
  previousArr: string,
  newArr: string,
  effectiveDate: string,
  recordedAt: string,
  currency = 'EUR',
): DatedEvent => ({
  type: 'RenewalOutcomeRecorded',
  source: 'accounts',
  aggregateType: 'Customer',
  aggregateId: customerId,
  payload: {
    outcome: {
      id: outcomeId(n),
      customerId,
      ownerPartnerId: owner,
      kind,
      previousArr,
      newArr,
      currency,
      effectiveDate,
      handoffId: null,
      recordedByPartnerId: owner,
      recordedAt,
    },
  },
  visibleTo: owner ? [owner] : [],
  at: recordedAt,
});

const proposal = (n: number, to: string, at: string, valued: boolean): DatedEvent => {
  const s = {
    ...snapshot(1, { toPartnerId: to, proposedAt: at }),
    id: handoffId(n),
    value: valued ? { amount: '1000.00', currency: 'EUR', source: 'ARR' as const } : null,
  };
  return { type: 'HandoffProposed', source: 'handoffs', aggregateType: 'Handoff', aggregateId: s.id, payload: { handoff: s }, visibleTo: [S, to], at };
};

const T = (day: string, time = '09:00') => `${day}T${time}:00.000Z`;

export function revenueHistory(): DatedEvent[] {
  const e: DatedEvent[] = [];
  const start = T('2024-10-01');
  e.push(customer('CustomerCreated', r(1), start, 'SMB', 'NA', null, commercials('1000.00')));
  e.push(customer('CustomerCreated', r(2), start, 'SMB', 'NA', null, commercials('2000.00', { renewalDate: '2025-06-30' })));
  e.push(customer('CustomerCreated', r(3), start, 'ENTERPRISE', 'EMEA', null, commercials('5000.00', { renewalDate: '2025-03-15' })));
  e.push(customer('CustomerCreated', r(4), start, 'SMB', 'EMEA', A, commercials('3000.00', { currency: 'USD' })));
  e.push(customer('CustomerCreated', r(5), start, 'MID_MARKET', 'NA', B, commercials('1500.00', { renewalDate: '2025-02-20' })));
  e.push(customer('CustomerCreated', r(7), start, 'SMB', 'NA', null, commercials('1000.00')));
  e.push(customer('CustomerCreated', r(8), start, 'SMB', 'NA', B, commercials('1000.00')));
  const renewal = (i: number) => (i === 1 ? '2025-01-15' : i === 2 ? '2025-02-15' : i === 3 ? '2025-03-01' : i === 11 ? '2025-05-01' : '2025-08-01');
  for (let i = 1; i <= 11; i++) {
    const arr = i === 3 ? '2500.00' : i === 11 ? '4000.00' : `${i * 1000}.00`;
    e.push(customer('CustomerCreated', m(i), start, 'MID_MARKET', 'NA', P3, commercials(arr, { renewalDate: renewal(i) })));
  }
  e.push(ownership(r(3), T('2024-10-05'), null, A));
  e.push(ownership(r(7), T('2024-10-10'), null, A));
  e.push(ownership(r(2), T('2024-10-20'), null, A));
  e.push(ownership(r(1), T('2024-11-15'), null, A));
  e.push(ownership(r(7), T('2025-01-10'), A, null));
  e.push(outcome(1, m(1), P3, 'RENEWED', '1000.00', '1000.00', '2025-01-15', T('2025-01-15')));
  e.push(ownership(r(3), T('2025-01-20'), A, B));
  e.push(outcome(2, r(1), A, 'EXPANDED', '1000.00', '1200.00', '2025-02-01', T('2025-02-01', '10:00')));
  // accounts' echo of the outcome in the commercials, a minute after it recorded it.
  e.push(customer('CustomerUpdated', r(1), T('2025-02-01', '10:01'), 'SMB', 'NA', A, commercials('1200.00')));
  e.push(outcome(3, r(2), A, 'CHURNED', '2000.00', '0', '2025-02-01', T('2025-02-02')));
  e.push(customer('CustomerCreated', r(6), T('2025-02-01'), 'SMB', 'NA', A, commercials('800.00')));
  e.push(customer('CustomerUpdated', r(8), T('2025-02-01'), 'SMB', 'NA', B, commercials('1100.00', { currency: 'USD' })));
  e.push(ownership(r(2), T('2025-02-03'), A, null));
  e.push(outcome(4, r(4), A, 'RENEWED', '3000.00', '3000.00', '2025-02-10', T('2025-02-10'), 'USD'));
  e.push(outcome(5, m(2), P3, 'RENEWED', '2000.00', '2000.00', '2025-02-15', T('2025-02-15')));
  e.push(outcome(6, m(3), P3, 'EXPANDED', '2500.00', '3000.00', '2025-03-01', T('2025-03-01')));
  e.push(customer('CustomerUpdated', r(7), T('2025-03-10'), 'SMB', 'NA', null, commercials('1100.00')));
  e.push(outcome(7, r(3), B, 'CONTRACTED', '5000.00', '4000.00', '2025-03-15', T('2025-03-16')));
  e.push(outcome(8, m(11), P3, 'CHURNED', '4000.00', '0', '2025-04-01', T('2025-04-01')));
  for (let i = 4; i <= 9; i++) e.push(outcome(10 + i, m(i), P3, 'RENEWED', `${i * 1000}.00`, `${i * 1000}.00`, '2025-08-01', T('2025-08-01')));
  e.push(proposal(1, A, T('2025-01-06'), false), proposal(2, B, T('2025-01-07'), false));
  for (let i = 0; i < 10; i++) e.push(proposal(10 + i, P3, T(`2025-05-${String(i + 1).padStart(2, '0')}`), i !== 0));
  return e.sort((x, y) => Date.parse(x.at) - Date.parse(y.at));
}

/** Writes the history as the hub's log would hold it (one transaction, in order), with each event's own instant. */
export async function appendDatedHistory(adminUrl: string, events: DatedEvent[]): Promise<void> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    for (const ev of events) {
      await client.query(
        `INSERT INTO eventlog.events (type, source, aggregate_type, aggregate_id, payload, visible_to, occurred_at) VALUES ($1, $2, $3, $4, $5::jsonb, $6::uuid[], $7)`,
        [ev.type, ev.source, ev.aggregateType, ev.aggregateId, JSON.stringify(ev.payload), ev.visibleTo, ev.at],
      );
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }
}
