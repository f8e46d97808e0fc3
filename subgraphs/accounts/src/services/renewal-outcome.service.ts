import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { idempotent } from '../../../../shared/db/idempotency';
import { asHub } from '../../../../shared/db/tenant-context';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import { RENEWAL_OUTCOME_RECORDED, type RenewalOutcomeKind, type RenewalOutcomePayload } from '../../../../shared/eventlog/events';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import { assertId, isUuid } from '../../../../shared/graphql/ids';
import { Dec, moneyProblem, type MoneyValue } from '../../../../shared/graphql/money';
import { Customer } from '../entities/customer.entity';
import { applyCommercials, canonicalAmount, isDay, readCommercials, sameCommercials, writeCommercials, type FieldProblem } from './commercials';
import { CUSTOMER_UPDATED, recordCustomerEvent } from './customer-events';

export const RENEWAL_KINDS: readonly RenewalOutcomeKind[] = ['RENEWED', 'EXPANDED', 'CONTRACTED', 'CHURNED'];

export interface RenewalOutcomeArgs {
  kind: RenewalOutcomeKind;
  newArr: MoneyValue;
  effectiveDate: string;
  handoffId?: string | null;
}

/** A recorded outcome, as the services hand it around (the event's `outcome`). */
export type RenewalOutcomeValue = RenewalOutcomePayload['outcome'];

interface OutcomeRow {
  id: string;
  customer_id: string;
  owner_partner_id: string | null;
  kind: RenewalOutcomeKind;
  previous_arr: string | null;
  new_arr: string;
  currency: string;
  effective_date: string;
  handoff_id: string | null;
  recorded_by_partner_id: string | null;
  recorded_at: Date;
  seq: string;
}

/** The columns outcomeFromRow reads, of the table aliased `t` (or unaliased). */
export const outcomeSelect = (t = '') => {
  const c = (col: string) => (t ? `${t}.${col}` : col);
  return `${c('id')}, ${c('customer_id')}, ${c('owner_partner_id')}, ${c('kind')}, ${c('previous_arr')}::text AS previous_arr, ${c('new_arr')}::text AS new_arr,
  ${c('currency')}, to_char(${c('effective_date')}, 'YYYY-MM-DD') AS effective_date, ${c('handoff_id')}, ${c('recorded_by_partner_id')}, ${c('recorded_at')}, ${c('seq')}::text AS seq`;
};
const OUTCOME_SELECT = outcomeSelect();

export const outcomeFromRow = (r: OutcomeRow): RenewalOutcomeValue & { seq: string } => ({
  id: r.id,
  customerId: r.customer_id,
  ownerPartnerId: r.owner_partner_id,
  kind: r.kind,
  previousArr: r.previous_arr === null ? null : canonicalAmount(r.previous_arr),
  newArr: canonicalAmount(r.new_arr),
  currency: r.currency,
  effectiveDate: r.effective_date,
  handoffId: r.handoff_id,
  recordedByPartnerId: r.recorded_by_partner_id,
  recordedAt: new Date(r.recorded_at).toISOString(),
  seq: r.seq,
});

/** What the input alone says is wrong (before any record is read). */
function inputProblems(input: RenewalOutcomeArgs): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!RENEWAL_KINDS.includes(input.kind)) problems.push({ field: 'input.kind', message: `must be one of ${RENEWAL_KINDS.join(', ')}` });
  const money = moneyProblem(input.newArr);
  if (money) problems.push({ field: money.includes('currency') ? 'input.newArr.currency' : 'input.newArr.amount', message: money });
  else if (new Dec(input.newArr.amount).isNegative() && !new Dec(input.newArr.amount).isZero())
    problems.push({ field: 'input.newArr.amount', message: 'ARR must not be negative' });
  if (!isDay(input.effectiveDate)) problems.push({ field: 'input.effectiveDate', message: 'must be a calendar date written YYYY-MM-DD' });
  if (input.handoffId != null && !isUuid(input.handoffId)) problems.push({ field: 'input.handoffId', message: 'not a handoff id' });
  return problems;
}

/**
 * The consistency rules (docs/revenue.md#renewal-outcomes) against the customer's figures:
 * the currency is theirs; CHURNED is 0; RENEWED equals the ARR before (when there is one);
 * EXPANDED is above it and CONTRACTED between 0 and it, so both need one.
 */
function ruleProblems(kind: RenewalOutcomeKind, newArr: MoneyValue, currency: string | null, previous: string | null): FieldProblem[] {
  const amount = new Dec(newArr.amount);
  const problems: FieldProblem[] = [];
  if (currency !== null && newArr.currency !== currency)
    problems.push({ field: 'input.newArr.currency', message: `must be ${currency}, the currency of the customer’s commercials` });
  const prev = previous === null ? null : new Dec(previous);
  const had = prev === null ? '' : ` (the ARR before is ${previous} ${currency})`;
  switch (kind) {
    case 'CHURNED':
      if (!amount.isZero()) problems.push({ field: 'input.newArr.amount', message: 'must be "0" for CHURNED' });
      break;
    case 'RENEWED':
      if (amount.isZero()) problems.push({ field: 'input.newArr.amount', message: 'must be above 0 for RENEWED (a renewal at 0 is CHURNED)' });
      else if (prev !== null && !amount.equals(prev))
        problems.push({ field: 'input.newArr.amount', message: `must equal the ARR before for RENEWED${had}; use EXPANDED or CONTRACTED` });
      break;
    case 'EXPANDED':
      if (prev === null)
        problems.push({
          field: 'input.kind',
          message: 'EXPANDED compares with the ARR before, and the customer has none recorded: record it first, or use RENEWED',
        });
      else if (!amount.greaterThan(prev)) problems.push({ field: 'input.newArr.amount', message: `must be above the ARR before for EXPANDED${had}` });
      break;
    case 'CONTRACTED':
      if (prev === null)
        problems.push({
          field: 'input.kind',
          message: 'CONTRACTED compares with the ARR before, and the customer has none recorded: record it first, or use RENEWED',
        });
      else if (amount.isZero() || !amount.lessThan(prev))
        problems.push({ field: 'input.newArr.amount', message: `must be above 0 and below the ARR before for CONTRACTED${had}; 0 is CHURNED` });
      break;
  }
  return problems;
}

const invalid = (problems: FieldProblem[]) =>
  badUserInput(`The renewal outcome is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

/**
 * Records an outcome inside `manager`'s transaction: the outcome row, the customer's new ARR
 * (a new version, a commercials revision and CustomerUpdated, when the ARR moves) and
 * RenewalOutcomeRecorded (visible to the owner). `actor` is checked (owner or internal)
 * unless `trusted` (the hub's consumer of completed renewal handoffs); `recordedBy` is who
 * recorded it. Throws BAD_USER_INPUT, FORBIDDEN, NOT_FOUND or CONFLICT, having written nothing
 * the transaction keeps.
 */
export async function recordOutcomeIn(
  manager: EntityManager,
  actor: Identity,
  customerId: string,
  input: RenewalOutcomeArgs,
  opts: { recordedBy: string | null; trusted?: boolean },
): Promise<RenewalOutcomeValue> {
  const problems = inputProblems(input);
  if (problems.length) throw invalid(problems);
  const customer = await manager
    .getRepository(Customer)
    .createQueryBuilder('c')
    .setLock('pessimistic_write')
    .where('c.id = :id', { id: customerId })
    .andWhere(
      opts.trusted || isInternal(actor) ? 'true' : 'EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = c.id AND a.partner_id = :partner)',
      { partner: actor.partnerId ?? null },
    )
    .getOne();
  if (!customer) throw notFound('Customer', customerId);
  if (!opts.trusted && !isInternal(actor) && customer.ownerPartnerId !== actor.partnerId)
    throw forbidden('Only the customer’s owner and internal teams record its renewal outcomes');
  const handoffId = input.handoffId ? input.handoffId.toLowerCase() : null;
  if (handoffId) {
    // As the hub: one outcome per handoff, whoever recorded it.
    const taken: unknown[] = await asHub(manager, () => manager.query(`SELECT 1 FROM accounts.renewal_outcomes WHERE handoff_id = $1`, [handoffId]));
    if (taken.length) throw conflict(`An outcome of handoff ${handoffId} is already recorded`, { field: 'input.handoffId' });
  }
  const before = (await readCommercials(manager, [customer.id], { lock: true })).get(customer.id) ?? null;
  const previousArr = before?.arr ?? null;
  const rules = ruleProblems(input.kind, input.newArr, before?.currency ?? null, previousArr);
  if (rules.length) throw invalid(rules);
  const newArr = canonicalAmount(input.newArr.amount);
  const [row]: OutcomeRow[] = await manager.query(
    `INSERT INTO accounts.renewal_outcomes (customer_id, owner_partner_id, kind, previous_arr, new_arr, currency, effective_date, handoff_id, recorded_by_partner_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${OUTCOME_SELECT}`,
    [customer.id, customer.ownerPartnerId, input.kind, previousArr, newArr, input.newArr.currency, input.effectiveDate, handoffId, opts.recordedBy],
  );
  const { seq: _seq, ...outcome } = outcomeFromRow(row!);
  const after = applyCommercials(before, { currency: input.newArr.currency, arr: newArr }, 'update').next;
  if (!sameCommercials(before, after)) {
    customer.version += 1;
    await manager.save(customer);
    await writeCommercials(manager, [{ customerId: customer.id, customerVersion: customer.version, value: after }], 'RENEWAL_OUTCOME', opts.recordedBy);
    await recordCustomerEvent(manager, CUSTOMER_UPDATED, customer, actor, ['commercials'], after);
  }
  const payload: RenewalOutcomePayload = { outcome };
  await appendEvent(manager, {
    type: RENEWAL_OUTCOME_RECORDED,
    source: 'accounts',
    aggregateType: 'Customer',
    aggregateId: customer.id,
    payload: payload as unknown as Record<string, unknown>,
    visibleTo: customer.ownerPartnerId ? [customer.ownerPartnerId] : [],
    actor,
  });
  return outcome;
}

/** recordRenewalOutcome: one transaction; a replayed idempotency key returns the outcome recorded first. */
export async function recordRenewalOutcome(
  db: DataSource,
  identity: Identity,
  rawCustomerId: string,
  input: RenewalOutcomeArgs,
  idempotencyKey?: string | null,
): Promise<RenewalOutcomeValue> {
  const customerId = assertId(rawCustomerId, 'customerId');
  const problems = inputProblems(input);
  if (problems.length) throw invalid(problems);
  return db.transaction(async (manager) => {
    const { id } = await idempotent(
      manager,
      { schema: 'accounts', caller: identity.partnerId ?? 'internal', operation: 'recordRenewalOutcome', key: idempotencyKey, request: { customerId, input } },
      async () => (await recordOutcomeIn(manager, identity, customerId, input, { recordedBy: identity.partnerId ?? null })).id,
    );
    const [row]: OutcomeRow[] = await manager.query(`SELECT ${OUTCOME_SELECT} FROM accounts.renewal_outcomes WHERE id = $1`, [id]);
    if (!row) throw notFound('Renewal outcome', id);
    const { seq: _seq, ...outcome } = outcomeFromRow(row);
    return outcome;
  });
}
