import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { oneRow } from '../../../../shared/db/rows';
import { fetchHistories, ownerAt, unitsOf } from './retention';

/** An outcome within this many days of a renewal date records that renewal. */
export const RENEWAL_MATCH_DAYS = 90;
/** NRR is measured over this many months, ending now. */
export const NRR_WINDOW_MONTHS = 12;

/** The revenue figures of a partner's measurement & accountability (docs/scorecards.md, "Maturity"). */
export interface RevenueStats {
  /** Handoffs the partner sent or received in the window, from their HandoffProposed events. */
  value_handoffs: number;
  /** Of those, with a value fixed at proposal (HandoffSnapshot.value). */
  valued: number;
  /** Renewal dates (commercials) that passed in the window while the partner owned the customer. */
  renewals_due: number;
  /** Of those, with a renewal outcome recorded (effective within 90 days of the date, or a churn before it). */
  renewals_recorded: number;
  /** Customers in the partner's NRR cohort over the last 12 months (ARR above zero at its start, one currency). */
  nrr_customers: number;
}

/**
 * Five statements: the share of valued handoffs (handoff_values), and the partner's
 * customers' revenue histories (the retention service's four), from which the due
 * renewals and the NRR cohort are worked out as revenueRetention works them out.
 */
export async function revenueStats(db: Pick<DataSource, 'query'>, partnerId: string, windowStart: Date, now: Date): Promise<RevenueStats> {
  const [valueRows, histories] = await Promise.all([
    db.query(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE has_value)::int AS valued FROM scorecards.handoff_values
        WHERE (to_partner_id = $1 OR from_partner_id = $1) AND proposed_at >= $2 AND proposed_at < $3`,
      [partnerId, windowStart, now],
    ) as Promise<{ n: number; valued: number }[]>,
    fetchHistories(db, { partnerId }),
  ]);
  const values = oneRow(valueRows, 'maturity handoff values');
  const from = windowStart.getTime();
  const to = now.getTime();
  const match = RENEWAL_MATCH_DAYS * 86_400_000;
  let due = 0;
  let recorded = 0;
  for (const h of histories) {
    for (const date of h.renewalDates) {
      const d = Date.parse(`${date}T00:00:00Z`);
      if (d < from || d >= to || ownerAt(h.owners, d) !== partnerId) continue;
      due += 1;
      if (h.outcomes.some((o) => Math.abs(o.effectiveAt - d) <= match || (o.kind === 'CHURNED' && o.effectiveAt < d))) recorded += 1;
    }
  }
  const nrrFrom = DateTime.fromJSDate(now, { zone: 'utc' }).minus({ months: NRR_WINDOW_MONTHS }).toJSDate();
  const cohort = unitsOf(histories, [{ from: nrrFrom, to: now }], { holder: partnerId }).filter((u) => !u.unit.mixedCurrency);
  return { value_handoffs: values.n, valued: values.valued, renewals_due: due, renewals_recorded: recorded, nrr_customers: cohort.length };
}
