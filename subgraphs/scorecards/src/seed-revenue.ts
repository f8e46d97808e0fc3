import type { DataSource } from 'typeorm';
import type { Identity } from '../../../shared/auth/identity';
import { appendEvents, type NewEvent } from '../../../shared/eventlog/event-log';
import {
  DEMO_EVENT_SOURCE,
  OWNERSHIP_CHANGED,
  RENEWAL_OUTCOME_RECORDED,
  type OwnershipChangedPayload,
  type RenewalOutcomePayload,
} from '../../../shared/eventlog/events';
import { DEMO_RENEWAL_CUSTOMERS, demoArrAfterRenewal, demoBaseArr, demoCurrency, demoRenewalDaysAgo, demoRenewalKind } from '../../../shared/demo/revenue-plan';
import { Segment } from './entities/enums';
import { setGrossMargin } from './services/lifetime-value';

/**
 * The revenue part of the demo history (docs/revenue.md, "Demo data"): for each of the twenty
 * demo customers, who has held it since before its renewals (an OwnershipChanged to its demo
 * owner, dated back), and two renewals a year apart — the earlier one RENEWED at its base ARR,
 * the latest one RENEWED, EXPANDED, CONTRACTED or CHURNED within the last year — so revenue
 * retention (NRR, GRR, cohorts) and lifetime value have a year of figures on first start.
 * Written as events with source 'demo', like the handoff history: the retention consumer
 * folds them, accounts' consumers leave them alone (accounts' own renewal outcomes stay
 * empty until a real one is recorded).
 *
 * The formulas are copies of accounts' (subgraphs/accounts/src/seed-revenue.ts): the latest
 * renewal leaves the ARR accounts' demo commercials hold, so the commercials snapshot at the
 * first start changes nothing. The owners are accounts' demo owners (customer i: the i % 7th).
 */

const DAY_MS = 24 * 3600_000;
const OWNERS = [
  '00000000-0000-4000-8000-000000000011',
  '00000000-0000-4000-8000-000000000012',
  '00000000-0000-4000-8000-000000000021',
  '00000000-0000-4000-8000-000000000022',
  '00000000-0000-4000-8000-000000000031',
  '00000000-0000-4000-8000-000000000032',
  null,
] as const;
/** The internal team the demo says recorded the renewals and set the margins. */
const REVOPS = '00000000-0000-4000-8000-000000000001';
const customerId = (i: number) => `00000000-0000-4000-9000-${String(i + 1).padStart(12, '0')}`;
const uuidOf = (kind: string, n: number) => `00000000-0000-4000-${kind}-${String(n + 1).padStart(12, '0')}`;
const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
/** The first event of the revenue history: its presence means it was written. */
export const demoOwnershipId = (i: number) => uuidOf('f500', i);
export const demoRenewalId = (n: number) => uuidOf('f600', n);

/** The demo renewals, in effective order per customer: what the history below records (and tests compare with). */
export function demoRenewals(now: Date): RenewalOutcomePayload['outcome'][] {
  const out: RenewalOutcomePayload['outcome'][] = [];
  for (let i = 0; i < DEMO_RENEWAL_CUSTOMERS; i++) {
    const latest = now.getTime() - demoRenewalDaysAgo(i) * DAY_MS;
    const earlier = latest - 365 * DAY_MS;
    const base = demoBaseArr(i);
    const kind = demoRenewalKind(i);
    const common = {
      customerId: customerId(i),
      ownerPartnerId: OWNERS[i % OWNERS.length] ?? null,
      currency: demoCurrency(i),
      handoffId: null,
      recordedByPartnerId: REVOPS,
    };
    out.push({
      ...common,
      id: demoRenewalId(2 * i),
      kind: 'RENEWED',
      previousArr: null,
      newArr: base.toFixed(),
      effectiveDate: dayOf(earlier),
      recordedAt: new Date(earlier + DAY_MS).toISOString(),
    });
    out.push({
      ...common,
      id: demoRenewalId(2 * i + 1),
      kind,
      previousArr: base.toFixed(),
      newArr: demoArrAfterRenewal(i).toFixed(),
      effectiveDate: dayOf(latest),
      recordedAt: new Date(Math.min(latest + DAY_MS, now.getTime())).toISOString(),
    });
  }
  return out;
}

/** Customer i's owner since this many days before the first start: before its earlier renewal, spread over several quarters (cohorts). */
const ownedSinceDaysAgo = (i: number) => demoRenewalDaysAgo(i) + 365 + 20 + (i % 3) * 75;

/** The revenue history's events: the owners dated back, then the renewals. */
export function generateDemoRevenueHistory(now: Date): NewEvent[] {
  const events: NewEvent[] = [];
  const actor = { role: 'SERVICE' as const, scopes: ['seed'] };
  for (let i = 0; i < DEMO_RENEWAL_CUSTOMERS; i++) {
    const owner = OWNERS[i % OWNERS.length] ?? null;
    if (!owner) continue; // held directly from its creation: no ownership to date back
    const change: OwnershipChangedPayload = {
      id: demoOwnershipId(i),
      customerId: customerId(i),
      fromPartnerId: null,
      toPartnerId: owner,
      handoffId: null,
      actorPartnerId: REVOPS,
      at: new Date(now.getTime() - ownedSinceDaysAgo(i) * DAY_MS).toISOString(),
    };
    events.push({
      type: OWNERSHIP_CHANGED,
      source: DEMO_EVENT_SOURCE,
      aggregateType: 'Customer',
      aggregateId: change.customerId,
      payload: change as unknown as Record<string, unknown>,
      visibleTo: [owner],
      actor,
    });
  }
  for (const outcome of demoRenewals(now)) {
    const payload: RenewalOutcomePayload = { outcome };
    events.push({
      type: RENEWAL_OUTCOME_RECORDED,
      source: DEMO_EVENT_SOURCE,
      aggregateType: 'Customer',
      aggregateId: outcome.customerId,
      payload: payload as unknown as Record<string, unknown>,
      visibleTo: outcome.ownerPartnerId ? [outcome.ownerPartnerId] : [],
      actor,
    });
  }
  return events;
}

/** The demo's gross margins: hub-wide, and a thinner one for SMB. */
export const DEMO_GROSS_MARGINS: { margin: string; segment: Segment | null }[] = [
  { margin: '0.72', segment: null },
  { margin: '0.6', segment: Segment.SMB },
];

/**
 * Writes the revenue history once (its first OwnershipChanged marks it; concurrent first
 * starts are serialised) and sets the demo gross margins through setGrossMargin, as an
 * internal team would, when none is set.
 */
export async function seedScorecardsRevenue(db: DataSource, now: Date): Promise<void> {
  const written = await db.transaction(async (manager) => {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('scorecards-demo-revenue-seed'))`);
    const marker: unknown[] = await manager.query(`SELECT 1 FROM eventlog.events WHERE source = $1 AND type = $2 AND aggregate_id = $3 LIMIT 1`, [
      DEMO_EVENT_SOURCE,
      OWNERSHIP_CHANGED,
      customerId(0),
    ]);
    if (marker.length > 0) return false;
    await appendEvents(manager, generateDemoRevenueHistory(now));
    const [{ n }]: [{ n: number }] = await manager.query(`SELECT count(*)::int AS n FROM scorecards.gross_margins`);
    return n === 0;
  });
  if (!written) return;
  const internal: Identity = { role: 'INTERNAL', partnerId: REVOPS, scopes: ['seed'] };
  for (const m of DEMO_GROSS_MARGINS) await setGrossMargin(db, internal, m);
}
