import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';

/** One gateway's settlement: what it charged each partner since its last one. */
export interface CostSettlement {
  /** The bucket size and refill rate the gateway enforces (points, points per second). */
  capacity: number;
  restoreRate: number;
  /** Net points charged per partner key since the gateway's last settlement (refunds deducted). */
  spent: Record<string, number>;
}

/**
 * Applies a gateway's charges to the shared buckets, in one statement, and returns what each
 * partner has left. A bucket refills at `restoreRate` up to `capacity`; a debt (several
 * gateways spent the same points before settling) is kept down to −capacity, so a partner
 * that overdrew waits it off instead of being locked out for long.
 */
export async function settleCostBudgets(db: DataSource, s: CostSettlement): Promise<Record<string, number>> {
  const keys = Object.keys(s.spent);
  if (keys.length === 0) return {};
  const rows: { partner_key: string; available: number }[] = await db.query(
    // Background work of the gateways, not a statement of the request being counted.
    `${BACKGROUND}WITH u AS (SELECT k, spent FROM unnest($1::text[], $2::float8[]) AS u(k, spent))
     INSERT INTO accounts.cost_budgets AS b (partner_key, available, updated_at)
       SELECT k, least($3::float8, greatest(-$3::float8, $3::float8 - spent)), clock_timestamp() FROM u
     ON CONFLICT (partner_key) DO UPDATE SET
       available = least($3::float8, greatest(-$3::float8,
         least($3::float8, b.available + extract(epoch FROM clock_timestamp() - b.updated_at) * $4::float8)
         - (SELECT u.spent FROM u WHERE u.k = b.partner_key))),
       updated_at = clock_timestamp()
     RETURNING partner_key, available`,
    [keys, keys.map((k) => s.spent[k]), s.capacity, s.restoreRate],
  );
  return Object.fromEntries(rows.map((r) => [r.partner_key, Number(r.available)]));
}
