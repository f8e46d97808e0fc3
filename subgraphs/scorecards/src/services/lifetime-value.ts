import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { oneRow } from '../../../../shared/db/rows';
import { badUserInput, forbidden } from '../../../../shared/errors';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { GROSS_MARGIN_SET, type GrossMarginSetPayload } from '../../../../shared/eventlog/events';
import { amountProblem, Dec, roundToCurrency } from '../../../../shared/graphql/money';
import type { Segment } from '../entities/enums';
import type { GrossMargin, LifetimeValueRow } from '../entities/retention.type';
import { arrBefore, fetchHistories, ownerAt, ratio, scopePartner } from './retention';

/** Below this many customers, an average ARR is too thin for a lifetime value. */
export const CLV_MIN_CUSTOMERS = 10;
/** Below this many renewal outcomes in the window, a churn rate is too thin. */
export const CLV_MIN_OUTCOMES = 3;
/** The churn rate's window, ending now. */
export const CLV_WINDOW_MONTHS = 12;

interface MarginRow {
  version: number;
  segment: string | null;
  margin: string;
  set_by_partner_id: string | null;
  set_at: Date;
}

const marginFromRow = (r: MarginRow): GrossMargin => ({
  version: r.version,
  segment: r.segment as Segment | null,
  margin: new Dec(r.margin).toFixed(),
  setByPartnerId: r.set_by_partner_id,
  setAt: r.set_at,
});

/** The newest version per segment (and the hub-wide one, segment null). */
async function currentMargins(db: Pick<DataSource, 'query'>): Promise<Map<string | null, GrossMargin>> {
  const rows: MarginRow[] = await db.query(
    `SELECT DISTINCT ON (coalesce(segment, '')) version, segment, margin::text AS margin, set_by_partner_id, set_at
       FROM scorecards.gross_margins ORDER BY coalesce(segment, ''), version DESC`,
  );
  return new Map(rows.map((r) => [r.segment, marginFromRow(r)]));
}

/** Internal teams set a new version of the gross margin (hub-wide, or for one segment), evented in the same transaction. */
export async function setGrossMargin(db: DataSource, identity: Identity, input: { margin: string; segment?: Segment | null }): Promise<GrossMargin> {
  if (!isInternal(identity)) throw forbidden('Only internal teams set the gross margin');
  const problem = amountProblem(input.margin);
  if (problem) throw badUserInput(`"input.margin": ${problem}`, [{ field: 'input.margin', message: problem }]);
  const m = new Dec(input.margin);
  if (m.lte(0) || m.gt(1) || m.decimalPlaces() > 6) {
    throw badUserInput('"input.margin" is a fraction of revenue above 0 and at most 1, with at most 6 decimals ("0.72" is 72 %)', [
      { field: 'input.margin', message: 'must be > 0 and ≤ 1, at most 6 decimals' },
    ]);
  }
  return db.transaction(async (manager) => {
    const rows: MarginRow[] = await manager.query(
      `INSERT INTO scorecards.gross_margins (segment, margin, set_by_partner_id) VALUES ($1, $2, $3)
       RETURNING version, segment, margin::text AS margin, set_by_partner_id, set_at`,
      [input.segment ?? null, m.toFixed(), identity.partnerId ?? null],
    );
    const margin = marginFromRow(oneRow(rows, 'gross margin insert'));
    const payload: GrossMarginSetPayload = {
      margin: {
        version: margin.version,
        segment: margin.segment,
        margin: margin.margin,
        setByPartnerId: margin.setByPartnerId,
        setAt: margin.setAt.toISOString(),
      },
    };
    await appendEvent(manager, {
      type: GROSS_MARGIN_SET,
      source: 'scorecards',
      aggregateType: 'GrossMargin',
      aggregateId: margin.segment ?? 'ALL',
      payload: payload as unknown as Record<string, unknown>,
      visibleTo: [],
      actor: identity,
    });
    return margin;
  });
}

/** What {@link queryLifetimeValue} needs. */
export interface LifetimeValueQuery {
  partnerId?: string | null;
  segment?: Segment | null;
}

/**
 * Lifetime value per partner × segment × currency (docs/scorecards.md): the partner's
 * customers now (owner now, ARR above zero), their average ARR, the gross margin, and the
 * share of CHURNED among the renewal outcomes of the last 12 months of the partner's
 * customers in the segment (outcomes are attributed to the owner when they took effect).
 * Five statements whatever the number of partners (the histories' four and the margins).
 */
export async function queryLifetimeValue(
  db: Pick<DataSource, 'query'>,
  identity: Identity,
  q: LifetimeValueQuery,
  now = new Date(),
): Promise<LifetimeValueRow[]> {
  const partner = scopePartner(identity, q.partnerId);
  const [histories, margins] = await Promise.all([fetchHistories(db, { partnerId: partner, segment: q.segment }), currentMargins(db)]);
  const windowStart = DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months: CLV_WINDOW_MONTHS }).toJSDate();
  const t = now.getTime();

  const customers = new Map<string, { partnerId: string; segment: string; currency: string; arr: Dec[] }>();
  const outcomes = new Map<string, { n: number; churned: number }>();
  for (const h of histories) {
    const owner = ownerAt(h.owners, t);
    const arr = arrBefore(h.arr, t + 1);
    if (owner && (!partner || owner === partner) && arr && arr.value.gt(0)) {
      const key = [owner, h.segment, arr.currency].join('|');
      const g = customers.get(key) ?? { partnerId: owner, segment: h.segment, currency: arr.currency, arr: [] };
      g.arr.push(arr.value);
      customers.set(key, g);
    }
    for (const o of h.outcomes) {
      if (!o.ownerPartnerId || (partner && o.ownerPartnerId !== partner)) continue;
      if (o.effectiveAt < windowStart.getTime() || o.effectiveAt > t) continue;
      const key = `${o.ownerPartnerId}|${h.segment}`;
      const g = outcomes.get(key) ?? { n: 0, churned: 0 };
      g.n += 1;
      if (o.kind === 'CHURNED') g.churned += 1;
      outcomes.set(key, g);
    }
  }

  const rows: LifetimeValueRow[] = [...customers.values()].map((g) => {
    const out = outcomes.get(`${g.partnerId}|${g.segment}`) ?? { n: 0, churned: 0 };
    const margin = margins.get(g.segment) ?? margins.get(null) ?? null;
    const average = g.arr.reduce((s, v) => s.plus(v), new Dec(0)).div(g.arr.length);
    const churnRate = out.n > 0 ? new Dec(out.churned).div(out.n) : null;
    let reason: string | null = null;
    if (g.arr.length < CLV_MIN_CUSTOMERS) reason = `too few customers: ${g.arr.length} (the minimum is ${CLV_MIN_CUSTOMERS})`;
    else if (out.n < CLV_MIN_OUTCOMES)
      reason = `too few renewal outcomes in the last ${CLV_WINDOW_MONTHS} months: ${out.n} (the minimum is ${CLV_MIN_OUTCOMES})`;
    else if (!margin) reason = 'no gross margin is set (setGrossMargin)';
    else if (out.churned === 0) reason = `no churn among the ${out.n} renewal outcomes of the last ${CLV_WINDOW_MONTHS} months: the lifetime has no bound`;
    const value = reason === null && margin && churnRate ? average.times(margin.margin).div(churnRate) : null;
    return {
      partnerId: g.partnerId,
      partner: { id: g.partnerId },
      segment: g.segment as Segment,
      currency: g.currency,
      averageArr: { amount: roundToCurrency(average, g.currency), currency: g.currency },
      grossMargin: margin?.margin ?? null,
      grossMarginVersion: margin?.version ?? null,
      annualChurnRate: churnRate ? ratio(new Dec(out.churned), new Dec(out.n)) : null,
      lifetimeValue: value ? { amount: roundToCurrency(value, g.currency), currency: g.currency } : null,
      unavailableReason: reason,
      sample: { customers: g.arr.length, outcomes: out.n, churned: out.churned, windowStart, windowEnd: now },
    };
  });
  if (partner && rows.length === 0) {
    rows.push({
      partnerId: partner,
      partner: { id: partner },
      segment: q.segment ?? null,
      currency: null,
      averageArr: null,
      grossMargin: null,
      grossMarginVersion: null,
      annualChurnRate: null,
      lifetimeValue: null,
      unavailableReason: 'the partner owns no customer with ARR' + (q.segment ? ` in ${q.segment}` : ''),
      sample: { customers: 0, outcomes: 0, churned: 0, windowStart, windowEnd: now },
    });
  }
  const cmp = (a: string | null, b: string | null) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  rows.sort((a, b) => cmp(a.partnerId, b.partnerId) || cmp(a.segment, b.segment) || cmp(a.currency, b.currency));
  return rows;
}
