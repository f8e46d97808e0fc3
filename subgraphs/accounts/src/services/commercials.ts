import type { EntityManager } from 'typeorm';
import type { CommercialsSnapshot } from '../../../../shared/eventlog/events';
import { amountProblem, Dec, isCurrency } from '../../../../shared/graphql/money';

/**
 * A customer's commercial figures (docs/revenue.md): one currency, amounts as canonical
 * decimal strings ("1250.5", never a number), the term and the renewal date. The same
 * shape as the events carry (CommercialsSnapshot).
 */
export type CommercialsValue = CommercialsSnapshot;

export const AMOUNT_FIELDS = ['arr', 'pipelineValue', 'contractValue'] as const;
export type AmountField = (typeof AMOUNT_FIELDS)[number];

/** What a write asks for, validated: undefined = leave alone; null = clear (updateCustomer only). */
export interface CommercialsPatch {
  currency: string;
  arr?: string | null;
  pipelineValue?: string | null;
  contractValue?: string | null;
  contractTermMonths?: number | null;
  renewalDate?: string | null;
}

/** Where a revision came from (the history's `source`). */
export type CommercialsSource = 'UPDATE' | 'SYNC' | 'RENEWAL_OUTCOME';

export const MAX_TERM_MONTHS = 1200;

export interface FieldProblem {
  field: string;
  message: string;
}

/** Canonical form of a decimal string: no trailing zeros, no exponent ("1250.500000" → "1250.5"). */
export const canonicalAmount = (value: string): string => new Dec(value).toFixed();

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Why an amount is unusable as a commercial figure (a decimal string, not negative). */
export function nonNegativeAmountProblem(value: unknown): string | undefined {
  const problem = amountProblem(value);
  if (problem) return problem;
  if (new Dec(value as string).isNegative() && !new Dec(value as string).isZero()) return 'must not be negative';
  return undefined;
}

/** What an input may carry, as GraphQL or a service caller hands it (loosely typed: checked here). */
export interface CommercialsInputLike {
  currency?: unknown;
  arr?: unknown;
  pipelineValue?: unknown;
  contractValue?: unknown;
  contractTermMonths?: unknown;
  renewalDate?: unknown;
}

/**
 * Validates a commercials input field by field (`at` prefixes the field names, e.g.
 * "input.commercials"). Every problem is reported, so a client fixes them in one go.
 */
export function parseCommercials(input: CommercialsInputLike, at: string): { patch?: CommercialsPatch; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const currency = typeof input.currency === 'string' ? input.currency.trim() : '';
  if (!isCurrency(currency))
    problems.push({ field: `${at}.currency`, message: `"${String(input.currency ?? '')}" is not an ISO 4217 currency code (e.g. "EUR")` });
  const patch: CommercialsPatch = { currency };
  for (const f of AMOUNT_FIELDS) {
    const v = input[f];
    if (v === undefined) continue;
    if (v === null) {
      patch[f] = null;
      continue;
    }
    const problem = nonNegativeAmountProblem(v);
    if (problem) problems.push({ field: `${at}.${f}`, message: f === 'arr' && problem === 'must not be negative' ? 'ARR must not be negative' : problem });
    else patch[f] = canonicalAmount(v as string);
  }
  const term = input.contractTermMonths;
  if (term !== undefined) {
    if (term === null) patch.contractTermMonths = null;
    else if (typeof term !== 'number' || !Number.isInteger(term) || term <= 0 || term > MAX_TERM_MONTHS)
      problems.push({ field: `${at}.contractTermMonths`, message: `must be a whole number of months from 1 to ${MAX_TERM_MONTHS}` });
    else patch.contractTermMonths = term;
  }
  const day = input.renewalDate;
  if (day !== undefined) {
    if (day === null) patch.renewalDate = null;
    else if (!isDay(day)) problems.push({ field: `${at}.renewalDate`, message: 'must be a calendar date written YYYY-MM-DD, e.g. "2027-03-31"' });
    else patch.renewalDate = day;
  }
  return problems.length ? { problems } : { patch, problems };
}

const EMPTY = (currency: string): CommercialsValue => ({
  currency,
  arr: null,
  pipelineValue: null,
  contractValue: null,
  contractTermMonths: null,
  renewalDate: null,
});

/**
 * Applies a patch to the figures a customer has (null: none yet).
 * - `update` (updateCustomer): a field left out stays, null clears it.
 * - `sync` (upsertCustomers): a field left out or null stays (sync never clears).
 * A change of currency must restate every amount the record holds (an amount in the old
 * currency means nothing in the new one): `unrestated` lists the ones it leaves, for the
 * caller to refuse (updateCustomer) or ignore (sync).
 */
export function applyCommercials(
  current: CommercialsValue | null,
  patch: CommercialsPatch,
  mode: 'update' | 'sync',
): { next: CommercialsValue; unrestated: AmountField[] } {
  const next: CommercialsValue = { ...(current ?? EMPTY(patch.currency)), currency: patch.currency };
  const given = (v: unknown) => (mode === 'update' ? v !== undefined : v !== undefined && v !== null);
  for (const f of AMOUNT_FIELDS) if (given(patch[f])) next[f] = patch[f] ?? null;
  if (given(patch.contractTermMonths)) next.contractTermMonths = patch.contractTermMonths ?? null;
  if (given(patch.renewalDate)) next.renewalDate = patch.renewalDate ?? null;
  const unrestated = current && current.currency !== patch.currency ? AMOUNT_FIELDS.filter((f) => current[f] !== null && !given(patch[f])) : [];
  return { next, unrestated };
}

const sameAmount = (a: string | null, b: string | null) => (a === null || b === null ? a === b : new Dec(a).equals(new Dec(b)));

/** Whether two sets of figures say the same (amounts compared as numbers: "10" equals "10.00"). */
export function sameCommercials(a: CommercialsValue | null, b: CommercialsValue | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.currency === b.currency &&
    AMOUNT_FIELDS.every((f) => sameAmount(a[f], b[f])) &&
    a.contractTermMonths === b.contractTermMonths &&
    a.renewalDate === b.renewalDate
  );
}

/** A commercials row as SQL returns it (amounts and dates as text). */
interface CommercialsRow {
  customer_id: string;
  currency: string;
  arr: string | null;
  pipeline_value: string | null;
  contract_value: string | null;
  contract_term_months: number | null;
  renewal_date: string | null;
}

export const COMMERCIALS_SELECT = `customer_id, currency, arr::text AS arr, pipeline_value::text AS pipeline_value, contract_value::text AS contract_value,
  contract_term_months, to_char(renewal_date, 'YYYY-MM-DD') AS renewal_date`;

export const commercialsFromRow = (r: CommercialsRow): CommercialsValue => ({
  currency: r.currency,
  arr: r.arr === null ? null : canonicalAmount(r.arr),
  pipelineValue: r.pipeline_value === null ? null : canonicalAmount(r.pipeline_value),
  contractValue: r.contract_value === null ? null : canonicalAmount(r.contract_value),
  contractTermMonths: r.contract_term_months,
  renewalDate: r.renewal_date,
});

/**
 * The figures of these customers, one statement, as whoever runs it may see them (row-level
 * security: a partner sees the figures of customers it owns). `lock` takes them FOR UPDATE.
 */
export async function readCommercials(
  manager: EntityManager,
  customerIds: string[],
  opts: { lock?: boolean; prefix?: string } = {},
): Promise<Map<string, CommercialsValue>> {
  if (customerIds.length === 0) return new Map();
  const rows: CommercialsRow[] = await manager.query(
    `${opts.prefix ?? ''}SELECT ${COMMERCIALS_SELECT} FROM accounts.customer_commercials WHERE customer_id = ANY($1::uuid[])${opts.lock ? ' ORDER BY customer_id FOR UPDATE' : ''}`,
    [customerIds],
  );
  return new Map(rows.map((r) => [r.customer_id, commercialsFromRow(r)]));
}

/** One revision to write: the figures after it, at the customer's new version. */
export interface CommercialsWrite {
  customerId: string;
  customerVersion: number;
  value: CommercialsValue;
}

/**
 * Writes the figures now (upsert) and appends one history row each, in two statements
 * whatever the count. Runs as the caller: row-level security lets only the owner and
 * internal teams (and the hub) write them.
 */
export async function writeCommercials(
  manager: EntityManager,
  writes: CommercialsWrite[],
  source: CommercialsSource,
  byPartnerId: string | null,
  opts: { prefix?: string } = {},
): Promise<void> {
  if (writes.length === 0) return;
  const rows = JSON.stringify(
    writes.map((w) => ({
      customer_id: w.customerId,
      customer_version: w.customerVersion,
      currency: w.value.currency,
      arr: w.value.arr,
      pipeline_value: w.value.pipelineValue,
      contract_value: w.value.contractValue,
      contract_term_months: w.value.contractTermMonths,
      renewal_date: w.value.renewalDate,
    })),
  );
  const recordset = `jsonb_to_recordset($1::jsonb) AS x(customer_id uuid, customer_version int, currency text, arr numeric, pipeline_value numeric,
      contract_value numeric, contract_term_months int, renewal_date date)`;
  const prefix = opts.prefix ?? '';
  await manager.query(
    `${prefix}INSERT INTO accounts.customer_commercials (customer_id, currency, arr, pipeline_value, contract_value, contract_term_months, renewal_date,
            customer_version, updated_by_partner_id, updated_at)
     SELECT x.customer_id, x.currency, x.arr, x.pipeline_value, x.contract_value, x.contract_term_months, x.renewal_date, x.customer_version, $2::uuid, clock_timestamp()
       FROM ${recordset}
     ON CONFLICT (customer_id) DO UPDATE SET currency = EXCLUDED.currency, arr = EXCLUDED.arr, pipeline_value = EXCLUDED.pipeline_value,
            contract_value = EXCLUDED.contract_value, contract_term_months = EXCLUDED.contract_term_months, renewal_date = EXCLUDED.renewal_date,
            customer_version = EXCLUDED.customer_version, updated_by_partner_id = EXCLUDED.updated_by_partner_id, updated_at = EXCLUDED.updated_at`,
    [rows, byPartnerId],
  );
  await manager.query(
    `${prefix}INSERT INTO accounts.customer_commercials_history (customer_id, customer_version, currency, arr, pipeline_value, contract_value,
            contract_term_months, renewal_date, source, changed_by_partner_id)
     SELECT x.customer_id, x.customer_version, x.currency, x.arr, x.pipeline_value, x.contract_value, x.contract_term_months, x.renewal_date, $2, $3::uuid
       FROM ${recordset}`,
    [rows, source, byPartnerId],
  );
}
