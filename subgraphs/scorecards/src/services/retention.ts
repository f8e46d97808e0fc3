import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { planOnceArray } from '../../../../shared/db/prepared-statements';
import { badUserInput, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { Dec, roundToCurrency } from '../../../../shared/graphql/money';
import type { Region, Segment } from '../entities/enums';
import { RetentionDimension } from '../entities/retention-dimension';
import type { RevenueRetentionRow } from '../entities/retention.type';
import { addAcc, readCells } from './retention-cells';

/**
 * Revenue retention (docs/scorecards.md, "Revenue retention"). Each customer's ARR history
 * and owners are read once (four statements, whatever the number of customers or periods)
 * and every figure is computed here from them, exactly, in decimal.js.
 */

/** How far apart a commercials snapshot and an outcome's recording may be for the snapshot to be the outcome's echo. */
const ECHO_MS = 5 * 60_000;
/** A range covers at most this many quarters. */
export const MAX_QUARTERS = 40;

/** A change of a customer's ARR: from a commercials snapshot (at its event) or a renewal outcome (at its effective date). */
export interface ArrPoint {
  at: number;
  value: Dec;
  currency: string;
}

/** The owner from `at` on (null: held directly by us). */
export interface OwnerPoint {
  at: number;
  partnerId: string | null;
}

export interface OutcomeFact {
  id: string;
  ownerPartnerId: string | null;
  kind: string;
  newArr: Dec;
  currency: string;
  /** Start of the effective day (UTC), ms. */
  effectiveAt: number;
  recordedAt: number;
}

/** What retention and lifetime value know of one customer. */
export interface CustomerHistory {
  id: string;
  segment: string;
  region: string;
  createdAt: number;
  owners: OwnerPoint[];
  /** In time order; only points with a known ARR. */
  arr: ArrPoint[];
  outcomes: OutcomeFact[];
  /** Renewal dates its commercials ever named (YYYY-MM-DD). */
  renewalDates: string[];
}

export interface HistoryScope {
  /** Only customers this partner owned at some point; null = every customer. */
  partnerId: string | null;
  /** Only these customers (the retention consumer's batch). */
  customerIds?: string[];
  /** The consumer's reads: not a request's statements. */
  background?: boolean;
  segment?: string | null;
  region?: string | null;
}

/**
 * Four statements (run together): the customers in scope, their owners, their ARR
 * snapshots, their renewal outcomes. Row-level security narrows them again for a partner.
 */
/** The four tables of the histories, as rows. */
type HistoryRows = [
  { id: string; segment: string; region: string; created_at: Date }[],
  { customer_id: string; at: Date; partner_id: string | null }[],
  { customer_id: string; at: Date; arr: string | null; currency: string; renewal_date: string | null }[],
  {
    id: string;
    customer_id: string;
    owner_partner_id: string | null;
    kind: string;
    new_arr: string;
    currency: string;
    effective_date: string;
    recorded_at: Date;
  }[],
];

export async function fetchHistories(db: Pick<DataSource, 'query'>, scope: HistoryScope): Promise<CustomerHistory[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (scope.partnerId) {
    params.push(scope.partnerId);
    where.push(`EXISTS (SELECT 1 FROM scorecards.retention_owners o WHERE o.customer_id = c.id AND o.partner_id = $${params.length})`);
  }
  // The position of the ids among the parameters (0: none).
  const ids = scope.customerIds ? params.push(scope.customerIds) : 0;
  if (ids) where.push(`c.id = ANY($${ids}::uuid[])`);
  if (scope.segment) {
    params.push(scope.segment);
    where.push(`c.segment = $${params.length}`);
  }
  if (scope.region) {
    params.push(scope.region);
    where.push(`c.region = $${params.length}`);
  }
  // The consumer's batch names its customers: an index lookup each, never a scan of the table.
  const customers = ids && where.length === 1 ? planOnceArray(ids, 'uuid[]') : null;
  const sub = `SELECT c.id FROM scorecards.retention_customers c${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
  const inScope = (column: string) => (customers ? `${column} = ANY(${customers})` : `${column} IN (${sub})`);
  const bg = scope.background ? BACKGROUND : '';
  // The consumer's transaction is one connection: its statements go one after another.
  const all = <T extends unknown[]>(thunks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> =>
    scope.background
      ? (thunks.reduce<Promise<unknown[]>>(async (acc, t) => [...(await acc), await t()], Promise.resolve([])) as Promise<T>)
      : (Promise.all(thunks.map((t) => t())) as Promise<T>);
  const [cs, owners, arr, outcomes]: HistoryRows = customers
    ? await historiesOf(db, bg, customers, params)
    : await all<HistoryRows>([
        () => db.query(`${bg}SELECT id, segment, region, created_at FROM scorecards.retention_customers WHERE ${inScope('id')}`, params),
        () =>
          db.query(
            `${bg}SELECT customer_id, at, partner_id FROM scorecards.retention_ownership WHERE ${inScope('customer_id')} ORDER BY customer_id, at, tx, seq`,
            params,
          ),
        () =>
          db.query(
            `${bg}SELECT customer_id, at, arr::text AS arr, currency, renewal_date::text AS renewal_date FROM scorecards.retention_arr
        WHERE ${inScope('customer_id')} ORDER BY customer_id, at, tx, seq`,
            params,
          ),
        () =>
          db.query(
            `${bg}SELECT id, customer_id, owner_partner_id, kind, new_arr::text AS new_arr, currency, effective_date::text AS effective_date, recorded_at
         FROM scorecards.renewal_outcomes WHERE ${inScope('customer_id')} ORDER BY customer_id, effective_date, recorded_at`,
            params,
          ),
      ]);
  const byId = new Map<string, CustomerHistory & { snapshots: { at: number; value: Dec | null; currency: string }[] }>();
  for (const c of cs) {
    byId.set(c.id, {
      id: c.id,
      segment: c.segment,
      region: c.region,
      createdAt: c.created_at.getTime(),
      owners: [],
      arr: [],
      outcomes: [],
      renewalDates: [],
      snapshots: [],
    });
  }
  for (const o of owners) byId.get(o.customer_id)?.owners.push({ at: o.at.getTime(), partnerId: o.partner_id });
  for (const a of arr) {
    const h = byId.get(a.customer_id);
    if (!h) continue;
    h.snapshots.push({ at: a.at.getTime(), value: a.arr === null ? null : new Dec(a.arr), currency: a.currency });
    if (a.renewal_date && !h.renewalDates.includes(a.renewal_date)) h.renewalDates.push(a.renewal_date);
  }
  for (const o of outcomes) {
    byId.get(o.customer_id)?.outcomes.push({
      id: o.id,
      ownerPartnerId: o.owner_partner_id,
      kind: o.kind,
      newArr: new Dec(o.new_arr),
      currency: o.currency,
      effectiveAt: Date.parse(`${o.effective_date}T00:00:00Z`),
      recordedAt: o.recorded_at.getTime(),
    });
  }
  return [...byId.values()].map(({ snapshots, ...h }) => ({ ...h, arr: arrPoints(snapshots, h.outcomes) }));
}

/**
 * The ARR history: renewal outcomes at their effective date, and commercials snapshots at
 * their event, except a snapshot that only echoes an outcome (same ARR and currency,
 * written within {@link ECHO_MS} of its recording): accounts updates the commercials when
 * it records an outcome, and the outcome's effective date is when the change took effect.
 * A snapshot without an ARR (null) says nothing about it and is skipped.
 */
export function arrPoints(snapshots: { at: number; value: Dec | null; currency: string }[], outcomes: OutcomeFact[]): ArrPoint[] {
  const points: (ArrPoint & { order: number })[] = [];
  snapshots.forEach((s, i) => {
    if (s.value === null) return;
    const echo = outcomes.some((o) => o.currency === s.currency && o.newArr.eq(s.value!) && Math.abs(o.recordedAt - s.at) <= ECHO_MS);
    if (!echo) points.push({ at: s.at, value: s.value, currency: s.currency, order: i });
  });
  outcomes.forEach((o, i) => points.push({ at: o.effectiveAt, value: o.newArr, currency: o.currency, order: snapshots.length + i }));
  points.sort((a, b) => a.at - b.at || a.order - b.order);
  return points.map(({ order: _order, ...p }) => p);
}

/** The ARR in force just before `t` (the last change strictly before it), or null when none was known. */
export function arrBefore(points: ArrPoint[], t: number): ArrPoint | null {
  let found: ArrPoint | null = null;
  for (const p of points) {
    if (p.at >= t) break;
    found = p;
  }
  return found;
}

/** The owner at `t` (the last ownership at or before it); held directly before any. */
export function ownerAt(owners: OwnerPoint[], t: number): string | null {
  let owner: string | null = null;
  for (const o of owners) {
    if (o.at > t) break;
    owner = o.partnerId;
  }
  return owner;
}

/**
 * The partner a customer's period counts for: the one that held it longest in
 * [from, until) — `until` is its churn, if it churned in the period, so that handing a
 * customer back right after it churned does not move the churn. A tie goes to the later
 * holder; an empty span to the owner at `from`.
 */
export function holderOf(owners: OwnerPoint[], from: number, until: number): string | null {
  if (until <= from) return ownerAt(owners, from);
  const held = new Map<string | null, { ms: number; last: number }>();
  let owner = ownerAt(owners, from);
  let since = from;
  const add = (to: number) => {
    const h = held.get(owner) ?? { ms: 0, last: 0 };
    h.ms += to - since;
    h.last = to;
    held.set(owner, h);
  };
  for (const o of owners) {
    if (o.at <= from) continue;
    if (o.at >= until) break;
    add(o.at);
    owner = o.partnerId;
    since = o.at;
  }
  add(until);
  let best: string | null = null;
  let bestHeld = { ms: -1, last: -1 };
  for (const [partner, h] of held) {
    if (h.ms > bestHeld.ms || (h.ms === bestHeld.ms && h.last > bestHeld.last)) {
      best = partner;
      bestHeld = h;
    }
  }
  return best;
}

/** "2025-Q1" of an instant (UTC). */
export const quarterOf = (t: number): string => {
  // Plain UTC arithmetic: this runs for every customer in every quarter.
  const d = new Date(t);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};

/** When the holder last got the customer before `until`: the start of its latest spell (the customer's creation when it never changed hands). */
export function handedAt(h: CustomerHistory, holder: string | null, until: number): number {
  let start: number | null = null;
  let previous: string | null | undefined;
  for (const o of h.owners) {
    if (o.at >= until) break;
    if (o.partnerId === holder && previous !== holder) start = o.at;
    previous = o.partnerId;
  }
  return start ?? h.createdAt;
}

/** One customer in one period: what it started and ended with, and whom it counts for. */
export interface RetentionUnit {
  customerId: string;
  holder: string | null;
  cohort: string;
  currency: string;
  start: Dec;
  end: Dec;
  /** Its ARR moved to another currency in the period: counted, but not in the figures. */
  mixedCurrency: boolean;
}

/**
 * A customer's unit for [from, to), or null when it is not in the period's starting cohort
 * (no ARR, or zero, just before `from`: a customer won in the period is new business, not
 * retention).
 */
export function unitOf(h: CustomerHistory, from: number, to: number): RetentionUnit | null {
  const start = arrBefore(h.arr, from);
  if (!start || start.value.lte(0)) return null;
  const inPeriod = h.arr.filter((p) => p.at >= from && p.at < to);
  const end = arrBefore(h.arr, to) ?? start;
  const churnAt = inPeriod.find((p) => p.value.isZero())?.at ?? to;
  const holder = holderOf(h.owners, from, churnAt);
  return {
    customerId: h.id,
    holder,
    cohort: quarterOf(handedAt(h, holder, Math.max(churnAt, from + 1))),
    currency: start.currency,
    start: start.value,
    end: end.value,
    mixedCurrency: inPeriod.some((p) => p.currency !== start.currency),
  };
}

/** What {@link queryRevenueRetention} needs; the GraphQL input maps onto it. */
export interface RetentionQuery {
  partnerId?: string | null;
  segment?: Segment | null;
  region?: Region | null;
  /** YYYY-Qn: the quarter the customer was handed to the partner its period counts for. */
  cohort?: string | null;
  from?: Date | null;
  to?: Date | null;
  /** YYYY-Qn: the range is that quarter (instead of from/to). */
  quarter?: string | null;
  groupBy: RetentionDimension[];
}

const QUARTER = /^(\d{4})-Q([1-4])$/;

/** The [start, end) of a "YYYY-Qn" quarter; BAD_USER_INPUT naming `field` otherwise. */
export function parseQuarter(value: string, field: string): { start: Date; end: Date } {
  const m = QUARTER.exec(value);
  if (!m) throw badUserInput(`"${field}" must be a quarter written YYYY-Qn, such as "2025-Q1"`, [{ field, message: 'not a quarter (YYYY-Qn)' }]);
  const start = DateTime.utc(Number(m[1]), (Number(m[2]) - 1) * 3 + 1, 1);
  return { start: start.toJSDate(), end: start.plus({ months: 3 }).toJSDate() };
}

/** The periods a query covers: one for the whole range, or its calendar quarters (clipped to the range) when grouped by PERIOD. */
export function periodsOf(q: RetentionQuery, now: Date): { from: Date; to: Date }[] {
  if (q.quarter && (q.from || q.to)) {
    throw badUserInput('Give either "filter.quarter" or "filter.period", not both', [{ field: 'filter.quarter', message: 'not with filter.period' }]);
  }
  let from: Date;
  let to: Date;
  if (q.quarter) ({ start: from, end: to } = parseQuarter(q.quarter, 'filter.quarter'));
  else {
    to = q.to ?? now;
    from = q.from ?? DateTime.fromJSDate(to, { zone: 'utc' }).startOf('quarter').minus({ quarters: 3 }).toJSDate();
  }
  if (from >= to) throw badUserInput('"filter.period.from" must be before "filter.period.to"', [{ field: 'filter.period.from', message: 'must be before to' }]);
  const quarters: { from: Date; to: Date }[] = [];
  for (let s = DateTime.fromJSDate(from, { zone: 'utc' }).startOf('quarter'); s.toJSDate() < to; s = s.plus({ quarters: 1 })) {
    const e = s.plus({ quarters: 1 }).toJSDate();
    quarters.push({ from: new Date(Math.max(s.toMillis(), from.getTime())), to: new Date(Math.min(e.getTime(), to.getTime())) });
  }
  if (quarters.length > MAX_QUARTERS) {
    throw badUserInput(`A retention range covers at most ${MAX_QUARTERS} quarters; narrow "filter.period"`, [
      { field: 'filter.period.from', message: `range spans more than ${MAX_QUARTERS} quarters` },
    ]);
  }
  return q.groupBy.includes(RetentionDimension.PERIOD) ? quarters : [{ from, to }];
}

/** The one partner a caller's figures are limited to: itself for a partner, the one asked (or none) for internal teams. */
export function scopePartner(identity: Identity, requested: string | null | undefined, field = 'filter.partnerId'): string | null {
  const id = requested ? assertId(requested, field) : null;
  if (isInternal(identity)) return id;
  const own = identity.partnerId;
  if (!own) throw notFound('Revenue figures of partner', id ?? 'unknown');
  if (id && id !== own) throw notFound('Revenue figures of partner', id);
  return own;
}

/** Sums of a group of units (or of a stored cell). */
export interface Acc {
  start: Dec;
  churned: Dec;
  contracted: Dec;
  expanded: Dec;
  customers: number;
  churnedCustomers: number;
  contractedCustomers: number;
  expandedCustomers: number;
  excludedCustomers: number;
}

export const newAcc = (): Acc => ({
  start: new Dec(0),
  churned: new Dec(0),
  contracted: new Dec(0),
  expanded: new Dec(0),
  customers: 0,
  churnedCustomers: 0,
  contractedCustomers: 0,
  expandedCustomers: 0,
  excludedCustomers: 0,
});

export function addUnit(acc: Acc, u: RetentionUnit) {
  if (u.mixedCurrency) {
    acc.excludedCustomers += 1;
    return;
  }
  acc.customers += 1;
  acc.start = acc.start.plus(u.start);
  if (u.end.lte(0)) {
    acc.churned = acc.churned.plus(u.start);
    acc.churnedCustomers += 1;
  } else if (u.end.lt(u.start)) {
    acc.contracted = acc.contracted.plus(u.start.minus(u.end));
    acc.contractedCustomers += 1;
  } else if (u.end.gt(u.start)) {
    acc.expanded = acc.expanded.plus(u.end.minus(u.start));
    acc.expandedCustomers += 1;
  }
}

/** A ratio as an exact decimal string with four places (half to even); null without a base. */
export const ratio = (n: Dec, d: Dec): string | null => (d.isZero() ? null : n.div(d).toDecimalPlaces(4, Dec.ROUND_HALF_EVEN).toFixed(4));

const money = (amount: Dec, currency: string) => ({ amount: roundToCurrency(amount, currency), currency });

/** The figures of a set of units (in one currency), as the row shows them. */
export function figuresOf(acc: Acc, currency: string | null) {
  const retained = acc.start.minus(acc.churned).minus(acc.contracted);
  const ending = retained.plus(acc.expanded);
  const m = (d: Dec) => (currency ? money(d, currency) : null);
  return {
    currency,
    startingArr: m(acc.start),
    churnedArr: m(acc.churned),
    contractedArr: m(acc.contracted),
    expandedArr: m(acc.expanded),
    endingArr: m(ending),
    grossRevenueRetention: ratio(retained, acc.start),
    netRevenueRetention: ratio(ending, acc.start),
    customers: acc.customers,
    churnedCustomers: acc.churnedCustomers,
    contractedCustomers: acc.contractedCustomers,
    expandedCustomers: acc.expandedCustomers,
    excludedCustomers: acc.excludedCustomers,
  };
}

/** The units of every customer in every period, as the filters keep them (pure). */
export function unitsOf(histories: CustomerHistory[], periods: { from: Date; to: Date }[], filter: { holder?: string | null; cohort?: string | null }) {
  const out: { period: { from: Date; to: Date }; unit: RetentionUnit; segment: string; region: string }[] = [];
  for (const period of periods) {
    for (const h of histories) {
      const unit = unitOf(h, period.from.getTime(), period.to.getTime());
      if (!unit) continue;
      if (filter.holder !== undefined && filter.holder !== null && unit.holder !== filter.holder) continue;
      if (filter.cohort && unit.cohort !== filter.cohort) continue;
      out.push({ period, unit, segment: h.segment, region: h.region });
    }
  }
  return out;
}

const cmp = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/** A period is a whole calendar quarter (what the stored cells hold). */
const isWholeQuarter = (p: { from: Date; to: Date }) => {
  const start = DateTime.fromJSDate(p.from, { zone: 'utc' });
  return start.equals(start.startOf('quarter')) && start.plus({ quarters: 1 }).toMillis() === p.to.getTime();
};

/**
 * GRR and NRR rows, grouped as asked, one per currency (ratios are of amounts in one
 * currency: nothing is converted). A partner sees only the periods of customers attributed
 * to it; a partner asked for (or calling) with nothing measured in a period still gets a
 * row for it, with zero customers and no ratios.
 *
 * Whole calendar quarters up to the horizon come from the stored cells (two statements);
 * any other period (a custom range, the current quarter up to now, a quarter past the
 * horizon), and any query by cohort, is worked out from the histories (four more). Both give the same figures
 * (tested); `opts.cells: false` forces the histories.
 */
export async function queryRevenueRetention(
  db: Pick<DataSource, 'query'>,
  identity: Identity,
  q: RetentionQuery,
  now = new Date(),
  opts: { cells?: boolean } = {},
): Promise<RevenueRetentionRow[]> {
  const periods = periodsOf(q, now);
  const partner = scopePartner(identity, q.partnerId);
  if (q.cohort) parseQuarter(q.cohort, 'filter.cohort');
  const by = new Set(q.groupBy);
  const groups = new Map<string, { row: Omit<RevenueRetentionRow, keyof ReturnType<typeof figuresOf>>; currency: string; acc: Acc }>();
  const groupOf = (period: { from: Date; to: Date }, holder: string | null, segment: string, region: string, cohort: string, currency: string) => {
    const dims = {
      periodStart: period.from,
      periodEnd: period.to,
      partnerId: by.has(RetentionDimension.PARTNER) ? holder : null,
      heldDirectly: by.has(RetentionDimension.PARTNER) && holder === null,
      segment: by.has(RetentionDimension.SEGMENT) ? (segment as Segment) : null,
      region: by.has(RetentionDimension.REGION) ? (region as Region) : null,
      cohort: by.has(RetentionDimension.COHORT) ? cohort : null,
    };
    const key = [period.from.toISOString(), dims.partnerId, dims.heldDirectly, dims.segment, dims.region, dims.cohort, currency].join('|');
    let g = groups.get(key);
    if (!g) {
      g = { row: { ...dims, partner: dims.partnerId ? { id: dims.partnerId } : null }, currency, acc: newAcc() };
      groups.set(key, g);
    }
    return g.acc;
  };

  let live = periods;
  // The cells keep no cohorts (retention-cells.ts): by cohort, everything comes from the histories.
  if (opts.cells !== false && !q.cohort && !by.has(RetentionDimension.COHORT)) {
    const whole = periods.filter(isWholeQuarter);
    if (whole.length > 0) {
      const partnerLevel = !q.segment && !q.region && !by.has(RetentionDimension.SEGMENT) && !by.has(RetentionDimension.REGION);
      const { horizon, cells } = await readCells(db, whole, { holder: partner, segment: q.segment, region: q.region }, partnerLevel);
      const fromCells = whole.filter((p) => horizon !== null && p.from.getTime() <= horizon.getTime());
      const byQuarter = new Map(fromCells.map((p) => [p.from.getTime(), p]));
      for (const c of cells) {
        const period = byQuarter.get(c.quarter.getTime());
        if (period) addAcc(groupOf(period, c.holder, c.segment, c.region, c.cohort, c.currency), c.acc);
      }
      live = periods.filter((p) => !fromCells.includes(p));
    }
  }
  if (live.length > 0) {
    const histories = await fetchHistories(db, { partnerId: partner, segment: q.segment, region: q.region });
    for (const { period, unit, segment, region } of unitsOf(histories, live, { holder: partner, cohort: q.cohort })) {
      addUnit(groupOf(period, unit.holder, segment, region, unit.cohort, unit.currency), unit);
    }
  }
  const rows: RevenueRetentionRow[] = [...groups.values()].map((g) => ({ ...g.row, ...figuresOf(g.acc, g.currency) }));
  if (partner) {
    for (const period of periods) {
      if (rows.some((r) => r.periodStart.getTime() === period.from.getTime())) continue;
      const named = by.has(RetentionDimension.PARTNER) ? partner : null;
      rows.push({
        periodStart: period.from,
        periodEnd: period.to,
        partnerId: named,
        partner: named ? { id: named } : null,
        heldDirectly: false,
        segment: null,
        region: null,
        cohort: null,
        ...figuresOf(newAcc(), null),
      });
    }
  }
  rows.sort(
    (a, b) =>
      a.periodStart.getTime() - b.periodStart.getTime() ||
      cmp(a.partnerId, b.partnerId) ||
      Number(a.heldDirectly) - Number(b.heldDirectly) ||
      cmp(a.segment, b.segment) ||
      cmp(a.region, b.region) ||
      cmp(a.cohort, b.cohort) ||
      cmp(a.currency, b.currency),
  );
  return rows;
}

/**
 * The consumer's read of the histories of the customers its batch names: the four tables in
 * one statement (each as a JSON array in the order the histories need), since a consumer's
 * transaction sends its statements one after another and each costs a round trip. Instants
 * travel as whole milliseconds, as pg's own Date parsing gives them.
 */
async function historiesOf(db: Pick<DataSource, 'query'>, bg: string, ids: string, params: unknown[]): Promise<HistoryRows> {
  const ms = (column: string) => `floor(extract(epoch FROM ${column}) * 1000)::bigint`;
  const [row] = (await db.query(
    `${bg}SELECT
       (SELECT coalesce(json_agg(json_build_object('id', id, 'segment', segment, 'region', region, 'created_at', ${ms('created_at')})), '[]')
          FROM scorecards.retention_customers WHERE id = ANY(${ids})) AS cs,
       (SELECT coalesce(json_agg(json_build_object('customer_id', customer_id, 'at', ${ms('at')}, 'partner_id', partner_id) ORDER BY customer_id, at, tx, seq), '[]')
          FROM scorecards.retention_ownership WHERE customer_id = ANY(${ids})) AS owners,
       (SELECT coalesce(json_agg(json_build_object('customer_id', customer_id, 'at', ${ms('at')}, 'arr', arr::text, 'currency', currency,
                                                   'renewal_date', renewal_date::text) ORDER BY customer_id, at, tx, seq), '[]')
          FROM scorecards.retention_arr WHERE customer_id = ANY(${ids})) AS arr,
       (SELECT coalesce(json_agg(json_build_object('id', id, 'customer_id', customer_id, 'owner_partner_id', owner_partner_id, 'kind', kind,
                                                   'new_arr', new_arr::text, 'currency', currency, 'effective_date', effective_date::text,
                                                   'recorded_at', ${ms('recorded_at')}) ORDER BY customer_id, effective_date, recorded_at), '[]')
          FROM scorecards.renewal_outcomes WHERE customer_id = ANY(${ids})) AS outcomes`,
    params,
  )) as {
    cs: (Omit<HistoryRows[0][number], 'created_at'> & { created_at: number })[];
    owners: (Omit<HistoryRows[1][number], 'at'> & { at: number })[];
    arr: (Omit<HistoryRows[2][number], 'at'> & { at: number })[];
    outcomes: (Omit<HistoryRows[3][number], 'recorded_at'> & { recorded_at: number })[];
  }[];
  const r = row!;
  return [
    r.cs.map((c) => ({ ...c, created_at: new Date(c.created_at) })),
    r.owners.map((o) => ({ ...o, at: new Date(o.at) })),
    r.arr.map((a) => ({ ...a, at: new Date(a.at) })),
    r.outcomes.map((o) => ({ ...o, recorded_at: new Date(o.recorded_at) })),
  ];
}
