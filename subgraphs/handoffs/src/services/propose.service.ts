import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { idempotent } from '../../../../shared/db/idempotency';
import { withSystem } from '../../../../shared/db/tenant-context';
import { badUserInput, conflict, forbidden, hubError, notFound } from '../../../../shared/errors';
import type { NewEvent } from '../../../../shared/eventlog/event-log';
import { HANDOFF_PROPOSED } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import type { HandoffMoment } from '../entities/enums';
import type { ContextPackage } from '../entities/handoff-parts';
import type { Handoff } from '../entities/handoff.entity';
import type { Playbook } from '../entities/playbook.entity';
import type { ProposeHandoffInput } from '../resolvers/handoff.inputs';
import { closeDueByProposal } from './handoff-due.service';
import { handoffEvent, recordEvents } from './handoff-events';
import { customerRelation, HANDOFF_COLUMNS, selectCustomer, selectHandoff, selectPartner, toHandoff } from './handoff-store';
import { checkFields, describeProblems, type FieldProblem } from './playbook-validation';
import { currentPlaybook, customMomentOf, momentKey, playbookById } from './playbook.service';
import { isUniqueViolation, type Sql } from './sql';
import { valueColumns, valueSnapshotOf } from './handoff-value';
import { route } from './routing/routing.service';
import { handoffRoutedEvent, noRouteEvent } from './routing/routing-events';
import type { RoutingDecision, RoutingRecord, RoutingTrigger } from './routing/types';
import { OPEN_STATES } from './state-machine';
import { oneRow } from '../../../../shared/db/rows';

/** A proposal, validated field by field before anything is written. */
export interface Proposal {
  /** A fixed id (demo data); generated otherwise. */
  id?: string;
  customerId: string;
  /** null: routing picks the receiver (services/routing), and the handoff records why. */
  toPartnerId: string | null;
  moment: HandoffMoment;
  customMoment: string | null;
  /** Pin a version; otherwise the moment's current playbook (if any). */
  playbookId: string | null;
  contextPackage: ContextPackage;
  customerMessage: string;
  data: unknown;
  reassignedFromId?: string | null;
  proposedAt?: Date;
  /** How a routed proposal came about (default PROPOSE), and whom it must not go to. */
  routing?: { trigger: RoutingTrigger; excludePartnerIds?: string[]; reroutedFromId?: string | null };
}

/** The NoRouteFound event a NO_ROUTE error stands for, for whoever records it (the failed transaction cannot). */
const noRouteEvents = new WeakMap<Error, NewEvent>();
export const noRouteEventOf = (err: unknown): NewEvent | undefined => (err instanceof Error ? noRouteEvents.get(err) : undefined);

/** BAD_USER_INPUT with `extensions.reason: NO_ROUTE`: routing left no candidate. */
function noRoute(d: RoutingDecision, trigger: RoutingTrigger, identity: Identity, fromHandoffId: string | null): Error {
  const at = d.customMoment ?? d.moment;
  const why = d.rule
    ? `every candidate of routing rule ${d.rule.id} (version ${d.rule.version}) was skipped; routeCandidates says why`
    : `no routing rule applies to it at ${at}`;
  const err = hubError(
    'BAD_USER_INPUT',
    `No partner to route customer ${d.customer.id} to at ${at}: ${why}. Name the receiver in toPartnerId, or fix the rule.`,
    {
      reason: 'NO_ROUTE',
      ruleId: d.rule?.id ?? null,
      ruleVersion: d.rule?.version ?? null,
      fields: [{ field: 'input.toPartnerId', message: 'no routing candidate; name the receiver' }],
    },
  );
  noRouteEvents.set(err, noRouteEvent(d, trigger, fromHandoffId, identity));
  return err;
}

const routingRecord = (d: RoutingDecision): RoutingRecord => ({
  ruleId: d.rule!.id,
  ruleVersion: d.rule!.version,
  strategies: d.rule!.strategies,
  rerouteOnReject: d.rule!.rerouteOnReject,
  reasons: d.chosen!.reasons,
});

export const OPEN_HANDOFF_INDEX = 'handoffs_one_open_per_customer';

function openHandoffConflict(customerId: string, openHandoffId?: string) {
  return conflict(
    `Customer ${customerId} already has an open handoff${openHandoffId ? ` (${openHandoffId})` : ''}; it must be completed, rejected, cancelled or expire before another is proposed`,
    openHandoffId ? { openHandoffId } : {},
  );
}

/**
 * Writes a PROPOSED handoff and its HandoffProposed event in the caller's transaction.
 * The caller must be the customer's owner or internal; the receiver must be another
 * active partner; `data` must satisfy the playbook. Every bad field is reported at once.
 */
export async function createProposal(sql: Sql, identity: Identity, p: Proposal): Promise<Handoff> {
  const customer = await selectCustomer(sql, p.customerId, true);
  if (!customer) throw notFound('Customer', p.customerId);
  if (!isInternal(identity) && customer.ownerPartnerId !== identity.partnerId) {
    const relation = identity.partnerId ? await customerRelation(sql, customer.id, identity.partnerId) : { access: null, named: false };
    if (!relation.access && !relation.named) throw notFound('Customer', p.customerId);
    throw forbidden(`Only the current owner of customer ${customer.id} (or an internal team) can propose a handoff of it`);
  }

  let toPartnerId = p.toPartnerId;
  let routed: RoutingDecision | null = null;
  const trigger = p.routing?.trigger ?? 'PROPOSE';
  if (!toPartnerId) {
    routed = await route(
      sql,
      { customerId: customer.id, moment: p.moment, customMoment: p.customMoment, excludePartnerIds: p.routing?.excludePartnerIds },
      { commit: true },
    );
    if (!routed.chosen) throw noRoute(routed, trigger, identity, p.routing?.reroutedFromId ?? p.reassignedFromId ?? null);
    toPartnerId = routed.chosen.partnerId;
  }

  const problems: FieldProblem[] = [];
  const to = await selectPartner(sql, toPartnerId);
  if (!to) problems.push({ field: 'input.toPartnerId', message: `no partner ${toPartnerId}` });
  else if (to.status !== 'ACTIVE')
    problems.push({ field: 'input.toPartnerId', message: `partner ${to.name} is ${to.status.toLowerCase()} and cannot receive customers` });
  else if (to.id === customer.ownerPartnerId) problems.push({ field: 'input.toPartnerId', message: `${to.name} already owns this customer` });

  const key = momentKey(p.moment, p.customMoment);
  let playbook: Playbook | null;
  if (p.playbookId) {
    playbook = await playbookById(sql, p.playbookId);
    if (!playbook) problems.push({ field: 'input.playbookId', message: `no playbook ${p.playbookId}` });
    else if (playbook.momentKey !== key) {
      problems.push({ field: 'input.playbookId', message: `is a playbook for ${playbook.customMoment ?? playbook.moment}, not ${p.customMoment ?? p.moment}` });
      playbook = null;
    }
  } else {
    playbook = await currentPlaybook(sql, key);
  }
  if (playbook) problems.push(...checkFields(playbook.requiredFields, p.data, 'input.data'));
  else if (p.data !== undefined && p.data !== null && (typeof p.data !== 'object' || Array.isArray(p.data))) {
    problems.push({ field: 'input.data', message: 'must be a JSON object keyed by field name' });
  }
  if (problems.length) throw badUserInput(describeProblems('Invalid proposal', problems), problems);

  // One statement: the open handoff that forbids this proposal, and whether a due waits for it.
  const [open]: { id: string | null; due: boolean }[] = await sql.query(
    `SELECT (SELECT id FROM handoffs.handoffs WHERE customer_id = $1 AND state = ANY($2::text[]) LIMIT 1) AS id,
            EXISTS (SELECT 1 FROM handoffs.handoff_dues WHERE customer_id = $1 AND moment_key = $3 AND state = 'OPEN') AS due`,
    [customer.id, OPEN_STATES, key],
  );
  if (open?.id) throw openHandoffConflict(customer.id, open.id);
  // Fixed now, whatever the record says later (docs/handoffs.md#value).
  const value = valueColumns(valueSnapshotOf(p.moment, playbook?.requiredFields, p.data, customer));

  const rows: object[] = await sql.query(
    `INSERT INTO handoffs.handoffs AS h (id, customer_id, customer_name, moment, custom_moment, state, from_partner_id, to_partner_id, proposed_by_partner_id,
        to_partner_tier, customer_segment, customer_region, playbook_id, playbook_version, context_package, customer_message, data,
        required_data_complete, reassigned_from_id, proposed_at, updated_at, routing, rerouted_from_id, value_amount, value_currency, value_source,
        proposed_by_person_id)
     VALUES (COALESCE($18, gen_random_uuid()), $1, $2, $3, $4, 'PROPOSED', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, true, $16, COALESCE($17, now()), COALESCE($17, now()), $19, $20,
             $21, $22, $23, $24)
     RETURNING ${HANDOFF_COLUMNS}`,
    [
      customer.id,
      customer.name,
      p.moment,
      p.customMoment,
      customer.ownerPartnerId,
      to!.id,
      identity.partnerId ?? null,
      to!.tier,
      customer.segment,
      customer.region,
      playbook?.id ?? null,
      playbook?.version ?? null,
      JSON.stringify(normalizeContext(p.contextPackage)),
      p.customerMessage.trim(),
      JSON.stringify(p.data ?? {}),
      p.reassignedFromId ?? null,
      p.proposedAt ?? null,
      p.id ?? null,
      routed ? JSON.stringify(routingRecord(routed)) : null,
      p.routing?.reroutedFromId ?? null,
      value.value_amount,
      value.value_currency,
      value.value_source,
      identity.personId ?? null,
    ],
  );
  const handoff = toHandoff(oneRow(rows, 'INSERT INTO handoffs.handoffs'));
  const events = [handoffEvent(HANDOFF_PROPOSED, handoff, identity, p.proposedAt ? { at: p.proposedAt.toISOString() } : {})];
  if (routed) events.push(handoffRoutedEvent(handoff.id, routed, trigger, p.routing?.reroutedFromId ?? null, identity));
  // The due this proposal answers closes with it, in the same transaction (docs/journeys.md).
  if (open?.due) events.push(...(await closeDueByProposal(sql, handoff, key, identity)));
  await recordEvents(sql, events);
  return handoff;
}

const normalizeContext = (c: ContextPackage): ContextPackage => ({
  summary: c.summary.trim(),
  customerSaid: c.customerSaid ?? [],
  goals: c.goals ?? [],
  contacts: (c.contacts ?? []).map((x) => ({ name: x.name, email: x.email ?? null, role: x.role ?? null, phone: x.phone ?? null })),
  links: c.links ?? [],
  notes: c.notes ?? null,
});

/** Options for {@link proposeHandoff}. */
export interface ProposeOptions {
  /** Brings the accounts projection up to date (a customer or partner created a moment ago). */
  catchUp?: () => Promise<void>;
}

/** proposeHandoff: idempotent per (caller, key); nothing is written when anything is wrong. */
export async function proposeHandoff(
  db: DataSource,
  identity: Identity,
  input: ProposeHandoffInput,
  idempotencyKey: string | null | undefined,
  opts: ProposeOptions = {},
): Promise<Handoff> {
  const customerId = assertId(input.customerId, 'input.customerId');
  const toPartnerId = input.toPartnerId ? assertId(input.toPartnerId, 'input.toPartnerId') : null;
  const playbookId = input.playbookId ? assertId(input.playbookId, 'input.playbookId') : null;
  const customMoment = customMomentOf(input.moment, input.customMoment, 'input.customMoment');
  if (!input.customerMessage.trim())
    throw badUserInput('input.customerMessage must not be empty', [{ field: 'input.customerMessage', message: 'must not be empty' }]);
  if (!input.contextPackage.summary.trim())
    throw badUserInput('input.contextPackage.summary must not be empty', [{ field: 'input.contextPackage.summary', message: 'must not be empty' }]);

  if (opts.catchUp) {
    // As the hub: whether the projection is behind, not whether the caller may see the
    // customer (a customer it may not see is NOT_FOUND below, with no catch-up first).
    const known: { customer: boolean; partner: boolean } = oneRow(
      await withSystem(() =>
        db.query(
          `SELECT EXISTS (SELECT 1 FROM handoffs.customers WHERE id = $1) AS customer, EXISTS (SELECT 1 FROM handoffs.partners WHERE id = $2) AS partner`,
          [customerId, toPartnerId],
        ),
      ),
      'EXISTS (customer, partner)',
    );
    if (!known.customer || (toPartnerId && !known.partner)) await opts.catchUp();
  }
  try {
    return await db.transaction(async (manager) => {
      const { id } = await idempotent(
        manager,
        {
          schema: 'handoffs',
          caller: identity.partnerId ?? identity.credentialId ?? identity.role,
          operation: 'proposeHandoff',
          key: idempotencyKey,
          request: input,
        },
        async () =>
          (
            await createProposal(manager, identity, {
              customerId,
              toPartnerId,
              moment: input.moment,
              customMoment,
              playbookId,
              contextPackage: input.contextPackage,
              customerMessage: input.customerMessage,
              data: input.data,
            })
          ).id,
      );
      return (await selectHandoff(manager, id, false))!;
    });
  } catch (err) {
    // Two proposals racing past the check above: the partial unique index decides.
    if (isUniqueViolation(err, OPEN_HANDOFF_INDEX)) throw openHandoffConflict(customerId);
    // The proposal rolled back; the routing that found nobody is still on the record.
    const gap = noRouteEventOf(err);
    if (gap) await withSystem(() => db.transaction((m) => recordEvents(m, [gap])));
    throw err;
  }
}
