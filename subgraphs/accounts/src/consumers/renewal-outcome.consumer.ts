import type { DataSource, EntityManager } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { isHubError } from '../../../../shared/errors';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { HANDOFF_COMPLETED, OWNERSHIP_CHANGED, type HandoffEventPayload, type RenewalOutcomeKind } from '../../../../shared/eventlog/events';
import { isUuid } from '../../../../shared/graphql/ids';
import type { MoneyValue } from '../../../../shared/graphql/money';
import type { Logger } from '../../../../shared/logger';
import { readCommercials } from '../services/commercials';
import { OWNERSHIP_CONSUMER } from './ownership.consumer';
import { recordOutcomeIn, RENEWAL_KINDS, type RenewalOutcomeArgs } from '../services/renewal-outcome.service';
import { planOnceArray } from '../../../../shared/db/prepared-statements';

export const RENEWAL_OUTCOME_CONSUMER = 'accounts.renewal-outcomes';

/** The hub records the outcome on the completer's behalf. */
const HUB: Identity = { role: 'SERVICE', scopes: [] };

/**
 * What a completed SUCCESS_TO_RENEWAL handoff's deliverables say of the renewal:
 * `renewalOutcome` (the kind), `newArr` ({ amount, currency }, or a decimal string in the
 * customer's commercials' currency) and `effectiveDate` (YYYY-MM-DD). Returns undefined when
 * the deliverables do not speak of one (no `renewalOutcome`), a reason when they are unusable.
 */
export function outcomeFromDeliverables(
  deliverables: Record<string, unknown> | null | undefined,
  commercialsCurrency: string | null,
): { args: Omit<RenewalOutcomeArgs, 'handoffId'> } | { skip: string } | undefined {
  if (!deliverables || deliverables.renewalOutcome === undefined || deliverables.renewalOutcome === null) return undefined;
  const kind = deliverables.renewalOutcome;
  if (typeof kind !== 'string' || !RENEWAL_KINDS.includes(kind as RenewalOutcomeKind))
    return { skip: `renewalOutcome must be one of ${RENEWAL_KINDS.join(', ')}` };
  const raw = deliverables.newArr;
  let newArr: MoneyValue;
  if (typeof raw === 'string') {
    if (!commercialsCurrency) return { skip: 'newArr is a bare amount and the customer has no commercials currency to read it in; send { amount, currency }' };
    newArr = { amount: raw, currency: commercialsCurrency };
  } else if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const { amount, currency } = raw as Record<string, unknown>;
    if (typeof amount !== 'string' || typeof currency !== 'string') return { skip: 'newArr must be { amount: "<decimal string>", currency: "<ISO 4217>" }' };
    newArr = { amount, currency };
  } else return { skip: 'newArr must be { amount, currency } or a decimal string (never a JSON number)' };
  const effectiveDate = deliverables.effectiveDate;
  if (typeof effectiveDate !== 'string') return { skip: 'effectiveDate must be a date written YYYY-MM-DD' };
  return { args: { kind: kind as RenewalOutcomeKind, newArr, effectiveDate } };
}

/**
 * Completing a SUCCESS_TO_RENEWAL handoff records its renewal outcome (docs/revenue.md):
 * accounts reads the deliverables and records the outcome as recordRenewalOutcome would, with
 * the same rules, keyed by the handoff (a replayed event finds it recorded and does nothing).
 * Deliverables that do not make a valid outcome are logged and skipped; they never stop the
 * consumer. Each event runs under its own savepoint, so a refused one leaves nothing behind.
 */
export function createRenewalOutcomeConsumer(dataSource: DataSource, log: Logger, opts: { batchSize?: number } = {}): DurableConsumer {
  return new DurableConsumer({
    name: RENEWAL_OUTCOME_CONSUMER,
    dataSource,
    log,
    batchSize: opts.batchSize,
    types: [HANDOFF_COMPLETED],
    async handle(events, manager) {
      const renewals = events.filter((e) => (e.payload as unknown as HandoffEventPayload).handoff?.moment === 'SUCCESS_TO_RENEWAL');
      if (renewals.length === 0) return;
      await assertOwnershipApplied(manager, renewals);
      const handoffIds = renewals.map((e) => (e.payload as unknown as HandoffEventPayload).handoff.id.toLowerCase()).filter(isUuid);
      const done: { handoff_id: string }[] = await manager.query(
        `${BACKGROUND}SELECT handoff_id FROM accounts.renewal_outcomes WHERE handoff_id = ANY(${planOnceArray(1, 'uuid[]')})`,
        [handoffIds],
      );
      const recorded = new Set(done.map((r) => r.handoff_id));
      for (const event of renewals) await recordOne(manager, event, recorded, log);
    },
  });
}

/** A batch put off until the ownership consumer has applied what it needs. */
export class OwnershipPending extends Error {}

/**
 * The outcome names the customer's owner (and only the owner sees it), so it waits for the
 * ownership consumer: while an OwnershipChanged of one of these customers is not applied yet
 * (it is after that consumer's stored position) — the receiver's acceptance, typically, a
 * moment before its completion — the batch fails and is retried shortly, rather than
 * record the previous owner and show it the outcome. One statement.
 */
async function assertOwnershipApplied(manager: EntityManager, renewals: HubEvent[]) {
  const customers = [...new Set(renewals.map((e) => String((e.payload as unknown as HandoffEventPayload).handoff.customerId).toLowerCase()))];
  const pending: { aggregate_id: string }[] = await manager.query(
    // No position row yet: that consumer has applied nothing.
    `${BACKGROUND}SELECT DISTINCT e.aggregate_id FROM eventlog.events e LEFT JOIN eventlog.consumers c ON c.name = $2
      WHERE e.aggregate_type = 'Customer' AND e.aggregate_id = ANY($1::text[]) AND e.type = $3
        AND (e.tx, e.seq) > (coalesce(c.tx, '0'::xid8), coalesce(c.seq, 0))`,
    [customers, OWNERSHIP_CONSUMER, OWNERSHIP_CHANGED],
  );
  if (pending.length > 0) throw new OwnershipPending(`waiting for the ownership of ${pending.map((p) => p.aggregate_id).join(', ')} to be applied`);
}

async function recordOne(manager: EntityManager, event: HubEvent, recorded: Set<string>, log: Logger) {
  const { handoff } = event.payload as unknown as HandoffEventPayload;
  const handoffId = handoff.id.toLowerCase();
  const context = { event: event.id, handoffId, customerId: handoff.customerId };
  if (!isUuid(handoffId) || !isUuid(handoff.customerId)) {
    log.warn(context, 'HandoffCompleted with malformed ids; no renewal outcome recorded');
    return;
  }
  if (recorded.has(handoffId)) return;
  const currency =
    (await readCommercials(manager, [handoff.customerId.toLowerCase()], { prefix: BACKGROUND })).get(handoff.customerId.toLowerCase())?.currency ?? null;
  const parsed = outcomeFromDeliverables(handoff.deliverables, currency);
  if (parsed === undefined) return;
  if ('skip' in parsed) {
    log.warn({ ...context, reason: parsed.skip }, 'renewal handoff completed with unusable deliverables; no renewal outcome recorded');
    return;
  }
  await manager.query(`${BACKGROUND}SAVEPOINT renewal_outcome`);
  try {
    await recordOutcomeIn(
      manager,
      HUB,
      handoff.customerId.toLowerCase(),
      { ...parsed.args, handoffId },
      { recordedBy: handoff.toPartnerId ?? null, trusted: true },
    );
    await manager.query(`${BACKGROUND}RELEASE SAVEPOINT renewal_outcome`);
    recorded.add(handoffId);
  } catch (err) {
    if (!isHubError(err)) throw err;
    await manager.query(`${BACKGROUND}ROLLBACK TO SAVEPOINT renewal_outcome`);
    log.warn({ ...context, reason: err.message, code: err.extensions.code }, 'renewal handoff completed with an outcome the rules refuse; none recorded');
  }
}
