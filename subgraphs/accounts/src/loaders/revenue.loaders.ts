import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { COMMERCIALS_SELECT, commercialsFromRow, type CommercialsValue } from '../services/commercials';
import { outcomeFromRow, outcomeSelect, type RenewalOutcomeValue } from '../services/renewal-outcome.service';
import type { CommercialsSource } from '../services/commercials';

/** The figures now, with when they were last set. */
export type CommercialsNow = CommercialsValue & { customerVersion: number; updatedAt: Date };

export type CommercialsRevisionRow = CommercialsValue & {
  id: string;
  customerVersion: number;
  source: CommercialsSource;
  changedByPartnerId: string | null;
  changedAt: Date;
};

export type RenewalOutcomeRow = RenewalOutcomeValue & { seq: string };

/** One page of one customer's list: `before` is the sort key of the cursor (exclusive), `limit` rows plus one to tell if more follow. */
export interface PageKey {
  customerId: string;
  limit: number;
  before: string | null;
}

export interface RevenueLoaders {
  /** The customer's figures now; null when none or when the caller may not see them (row-level security). */
  commercials: DataLoader<string, CommercialsNow | null>;
  /** Pages of commercialsHistory, newest revision first; every key of a batch in one statement. */
  commercialsHistory: DataLoader<PageKey, CommercialsRevisionRow[], string>;
  /** Pages of renewalOutcomes, newest first; every key of a batch in one statement. */
  renewalOutcomes: DataLoader<PageKey, RenewalOutcomeRow[], string>;
}

const pageKey = (k: PageKey) => `${k.customerId}|${k.limit}|${k.before ?? ''}`;

/**
 * Rows of many pages at once: each key's customer, after its cursor, its first `limit + 1`
 * rows in `order` (a window per key), so a list of customers each asking for a page is one
 * statement. The caller's tenant applies: row-level security shows only what it may read.
 */
async function pages<R>(
  db: DataSource,
  keys: readonly PageKey[],
  table: string,
  select: string,
  cursorColumn: string,
  cursorType: string,
): Promise<Map<string, R[]>> {
  const rows: (R & { page_key: string })[] = await db.query(
    `SELECT * FROM (
       SELECT ${select}, k.page_key, row_number() OVER (PARTITION BY k.page_key ORDER BY t.${cursorColumn} DESC) AS page_row, k.page_limit
         FROM jsonb_to_recordset($1::jsonb) AS k(page_key text, customer_id uuid, page_limit int, before text)
         JOIN accounts.${table} t ON t.customer_id = k.customer_id AND (k.before IS NULL OR t.${cursorColumn} < k.before::${cursorType})
     ) s WHERE s.page_row <= s.page_limit + 1 ORDER BY s.page_key, s.page_row`,
    [JSON.stringify(keys.map((k) => ({ page_key: pageKey(k), customer_id: k.customerId, page_limit: k.limit, before: k.before })))],
  );
  const out = new Map<string, R[]>();
  for (const r of rows) out.set(r.page_key, [...(out.get(r.page_key) ?? []), r]);
  return out;
}

/** One loader set per request, like the other accounts loaders. */
export function createRevenueLoaders(db: DataSource): RevenueLoaders {
  return {
    commercials: new DataLoader(async (ids) => {
      const rows: (Parameters<typeof commercialsFromRow>[0] & { customer_version: number; updated_at: Date })[] = await db.query(
        `SELECT ${COMMERCIALS_SELECT}, customer_version, updated_at FROM accounts.customer_commercials WHERE customer_id = ANY($1::uuid[])`,
        [ids],
      );
      const byId = new Map(
        rows.map((r) => [r.customer_id, { ...commercialsFromRow(r), customerVersion: r.customer_version, updatedAt: new Date(r.updated_at) }]),
      );
      return ids.map((id) => byId.get(id) ?? null);
    }),
    commercialsHistory: new DataLoader(
      async (keys) => {
        const select = `t.id, t.customer_id, t.currency, t.arr::text AS arr, t.pipeline_value::text AS pipeline_value, t.contract_value::text AS contract_value,
          t.contract_term_months, to_char(t.renewal_date, 'YYYY-MM-DD') AS renewal_date, t.customer_version, t.source, t.changed_by_partner_id, t.changed_at`;
        const found = await pages<
          Parameters<typeof commercialsFromRow>[0] & {
            id: string;
            customer_version: number;
            source: CommercialsSource;
            changed_by_partner_id: string | null;
            changed_at: Date;
          }
        >(db, keys, 'customer_commercials_history', select, 'customer_version', 'int');
        return keys.map((k) =>
          (found.get(pageKey(k)) ?? []).map((r) => ({
            ...commercialsFromRow(r),
            id: r.id,
            customerVersion: r.customer_version,
            source: r.source,
            changedByPartnerId: r.changed_by_partner_id,
            changedAt: new Date(r.changed_at),
          })),
        );
      },
      { cacheKeyFn: pageKey },
    ),
    renewalOutcomes: new DataLoader(
      async (keys) => {
        const found = await pages<Parameters<typeof outcomeFromRow>[0]>(db, keys, 'renewal_outcomes', outcomeSelect('t'), 'seq', 'bigint');
        return keys.map((k) => (found.get(pageKey(k)) ?? []).map(outcomeFromRow));
      },
      { cacheKeyFn: pageKey },
    ),
  };
}
