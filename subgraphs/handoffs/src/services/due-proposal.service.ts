import type { Identity } from '../../../../shared/auth/identity';
import type { NewEvent } from '../../../../shared/eventlog/event-log';
import { HANDOFF_DUE_PROPOSED, HANDOFF_PROPOSED } from '../../../../shared/eventlog/events';
import { HandoffDueState } from '../entities/enums';
import type { HandoffDue } from '../entities/handoff-due.entity';
import type { Handoff } from '../entities/handoff.entity';
import type { PlaybookField } from '../entities/playbook-parts';
import { contextFromRecord, dataFromRecord, hubCustomerMessage, type CustomerKnowledge, type DueProposalTrigger } from './due-data';
import { DUE_COLUMNS, dueEvent, KNOWLEDGE_COLUMNS, toDue } from './handoff-due.service';
import { handoffEvent, recordEvents } from './handoff-events';
import { HANDOFF_COLUMNS, toHandoff } from './handoff-store';
import { routeMany } from './routing/routing.service';
import { handoffRoutedEvent, noRouteEvent } from './routing/routing-events';
import type { RoutingDecision, RoutingRecord } from './routing/types';
import { returned, type Sql } from './sql';
import { COMMERCIALS_COLUMNS, valueColumns, valueSnapshotOf, type CommercialsFigures } from './handoff-value';

/** The hub proposing a due itself: internal rights, no partner. */
export const DUE_PROPOSAL_ACTOR: Identity = { role: 'SERVICE', scopes: ['handoffs:write'] };

/** A due the hub is asked to propose. */
export interface DueProposalRequest {
  dueId: string;
  customerId: string;
  trigger: DueProposalTrigger;
  /** DUE_ESCALATION: the partner the SLA policy names; null (and AUTO_PROPOSE): the routed receiver. */
  toPartnerId: string | null;
}

/** What became of a request. */
export type DueProposalOutcome =
  | { dueId: string; outcome: 'PROPOSED'; handoffId: string; toPartnerId: string; missing: string[] }
  /** autoPropose only: the record lacks required data; the due stays OPEN and lists it. */
  | { dueId: string; outcome: 'MISSING_DATA'; missing: string[] }
  /** Routing found nobody (NoRouteFound recorded); the due stays OPEN. */
  | { dueId: string; outcome: 'NO_ROUTE'; missing: string[] }
  /** The customer has an open handoff (another moment, or one proposed earlier in the batch); the due stays OPEN. */
  | { dueId: string; outcome: 'CUSTOMER_BUSY'; missing: string[] }
  /** No longer OPEN (proposed, dismissed, superseded; a replay): nothing. */
  | { dueId: string; outcome: 'NOT_OPEN' };

interface CustomerRow extends CustomerKnowledge, CommercialsFigures {
  id: string;
  name: string;
  segment: string | null;
  region: string | null;
  owner: string | null;
  busy: boolean;
}

interface DueRow {
  due: HandoffDue;
  requiredFields: PlaybookField[];
  playbookName: string;
}

interface PartnerRow {
  id: string;
  name: string;
  status?: string;
}

/** One handoff to write, with what it came from. */
interface Planned {
  request: DueProposalRequest;
  due: HandoffDue;
  customer: CustomerRow;
  to: PartnerRow;
  routed: RoutingDecision | null;
  data: Record<string, unknown>;
  missing: string[];
  playbookName: string;
  requiredFields: PlaybookField[];
}

const routingRecord = (d: RoutingDecision): RoutingRecord => ({
  ruleId: d.rule!.id,
  ruleVersion: d.rule!.version,
  strategies: d.rule!.strategies,
  rerouteOnReject: d.rule!.rerouteOnReject,
  reasons: d.chosen!.reasons,
});

/**
 * Proposes dues as the hub, set-based, in the caller's transaction (consumers/due-proposals):
 * a fixed number of statements however many dues — the customers locked (FOR UPDATE, as a
 * proposal locks its customer, so none races this one), the dues locked with their
 * playbooks, the named receivers, one committing routeMany for the rest, the handoffs
 * inserted, the dues closed or annotated, the events — and none for a request list that is
 * empty.
 *
 * Per due, in request order: one no longer OPEN is left alone (exactly once: a replayed
 * event finds it PROPOSED). A customer with an open handoff (one per customer) keeps its due
 * OPEN. The playbook's data comes from what the record holds (services/due-data.ts): for
 * AUTO_PROPOSE a required field missing keeps the due OPEN with `missingData` naming it; an
 * escalation proposes anyway, with `requiredDataComplete: false` and a note in the context
 * package, because an SLA breach that does nothing helps nobody. The receiver is the partner
 * the escalation names when it can receive the customer (known, ACTIVE, not the owner), else
 * the routed one — a committing route, so ROUND_ROBIN advances and HandoffRouted records the
 * decision; no route keeps the due OPEN and records NoRouteFound. A proposal closes its due
 * PROPOSED with HandoffDueProposed, like any proposal.
 *
 * Every routing committed here becomes a proposal (the checks come first), so the rotation
 * moves only for handoffs written. A receiver named by an escalation does not count toward
 * CAPACITY for routings of the same batch.
 */
export async function proposeDues(sql: Sql, requests: DueProposalRequest[]): Promise<DueProposalOutcome[]> {
  // One request per due: an escalation outranks the autoPropose of the same due.
  const byDue = new Map<string, DueProposalRequest>();
  for (const r of requests) {
    const seen = byDue.get(r.dueId);
    if (!seen || (seen.trigger === 'AUTO_PROPOSE' && r.trigger === 'DUE_ESCALATION')) byDue.set(r.dueId, r);
  }
  const wanted = [...byDue.values()];
  if (!wanted.length) return [];

  const customers = new Map(
    (
      (await sql.query(
        `SELECT c.id, c.name, c.segment, c.region, c.owner_partner_id AS owner, ${KNOWLEDGE_COLUMNS}, ${COMMERCIALS_COLUMNS},
                EXISTS (SELECT 1 FROM handoffs.handoffs o WHERE o.customer_id = c.id AND o.state IN ('PROPOSED', 'ACCEPTED')) AS busy
           FROM handoffs.customers c WHERE c.id = ANY($1::uuid[]) ORDER BY c.id FOR UPDATE OF c`,
        [[...new Set(wanted.map((r) => r.customerId))]],
      )) as CustomerRow[]
    ).map((c) => [c.id, c]),
  );
  const dues = new Map(
    (
      (await sql.query(
        `SELECT ${DUE_COLUMNS}, p.required_fields AS "requiredFields", p.name AS "playbookName"
           FROM handoffs.handoff_dues d JOIN handoffs.playbooks p ON p.id = d.playbook_id
          WHERE d.id = ANY($1::uuid[]) ORDER BY d.id FOR UPDATE OF d`,
        [wanted.map((r) => r.dueId)],
      )) as (object & { requiredFields: PlaybookField[]; playbookName: string })[]
    ).map(({ requiredFields, playbookName, ...row }): [string, DueRow] => {
      const due = toDue(row);
      return [due.id, { due, requiredFields, playbookName }];
    }),
  );
  const named = [...new Set(wanted.map((r) => r.toPartnerId).filter((id): id is string => !!id))];
  const partners = new Map<string, PartnerRow>(
    named.length
      ? ((await sql.query(`SELECT id, name, status FROM handoffs.partners WHERE id = ANY($1::uuid[]) ORDER BY id FOR SHARE`, [named])) as PartnerRow[]).map(
          (p) => [p.id, p],
        )
      : [],
  );

  const outcomes = new Map<string, DueProposalOutcome>();
  const missingOf = new Map<string, string[]>();
  const ready: Omit<Planned, 'to' | 'routed'>[] = [];
  const taken = new Set<string>();
  for (const request of wanted) {
    const row = dues.get(request.dueId);
    const customer = customers.get(request.customerId);
    if (!row || row.due.state !== HandoffDueState.OPEN || !customer || customer.id !== row.due.customerId) {
      outcomes.set(request.dueId, { dueId: request.dueId, outcome: 'NOT_OPEN' });
      continue;
    }
    const { data, missing } = dataFromRecord(row.requiredFields, customer);
    missingOf.set(row.due.id, missing);
    if (customer.busy || taken.has(customer.id)) {
      outcomes.set(request.dueId, { dueId: request.dueId, outcome: 'CUSTOMER_BUSY', missing });
      continue;
    }
    if (missing.length && request.trigger === 'AUTO_PROPOSE') {
      outcomes.set(request.dueId, { dueId: request.dueId, outcome: 'MISSING_DATA', missing });
      continue;
    }
    taken.add(customer.id);
    ready.push({ request, due: row.due, customer, data, missing, playbookName: row.playbookName, requiredFields: row.requiredFields });
  }

  // The named receiver when it can take the customer; routing for the rest.
  const canReceive = (p: PartnerRow | undefined, owner: string | null): p is PartnerRow => !!p && p.status === 'ACTIVE' && p.id !== owner;
  const toRoute = ready.filter((r) => !canReceive(r.request.toPartnerId ? partners.get(r.request.toPartnerId) : undefined, r.customer.owner));
  const decisions = await routeMany(
    sql,
    toRoute.map((r) => ({ customerId: r.customer.id, moment: r.due.moment, customMoment: r.due.customMoment })),
    { commit: true },
  );
  const decisionOf = new Map(toRoute.map((r, i) => [r, decisions[i]!]));
  const events: NewEvent[] = [];
  const planned: Planned[] = [];
  for (const r of ready) {
    const decision = decisionOf.get(r);
    if (!decision) {
      planned.push({ ...r, to: partners.get(r.request.toPartnerId!)!, routed: null });
    } else if (decision.chosen) {
      planned.push({ ...r, to: { id: decision.chosen.partnerId, name: decision.chosen.name ?? decision.chosen.partnerId }, routed: decision });
    } else {
      outcomes.set(r.due.id, { dueId: r.due.id, outcome: 'NO_ROUTE', missing: r.missing });
      taken.delete(r.customer.id);
      events.push(noRouteEvent(decision, r.request.trigger, null, DUE_PROPOSAL_ACTOR, r.due.id));
    }
  }

  let written = new Map<string, Handoff>();
  if (planned.length) {
    const rows = planned.map((p) => ({
      customer_id: p.customer.id,
      customer_name: p.customer.name,
      moment: p.due.moment,
      custom_moment: p.due.customMoment,
      from_partner_id: p.customer.owner,
      to_partner_id: p.to.id,
      customer_segment: p.customer.segment,
      customer_region: p.customer.region,
      playbook_id: p.due.playbookId,
      playbook_version: p.due.playbookVersion,
      context_package: contextFromRecord(p.due, p.customer.name, p.playbookName, p.customer.record, p.request.trigger, p.missing),
      customer_message: hubCustomerMessage(p.to.name, p.playbookName),
      data: p.data,
      required_data_complete: p.missing.length === 0,
      routing: p.routed ? routingRecord(p.routed) : null,
      // The value at this proposal (not the due's, taken when it opened): the commercials may have moved since.
      ...valueColumns(valueSnapshotOf(p.due.moment, p.requiredFields, p.data, p.customer)),
    }));
    const inserted = returned<object>(
      await sql.query(
        `INSERT INTO handoffs.handoffs AS h (customer_id, customer_name, moment, custom_moment, state, from_partner_id, to_partner_id, proposed_by_partner_id,
            to_partner_tier, customer_segment, customer_region, playbook_id, playbook_version, context_package, customer_message, data,
            required_data_complete, proposed_at, updated_at, routing, value_amount, value_currency, value_source)
         SELECT r.customer_id, r.customer_name, r.moment, r.custom_moment, 'PROPOSED', r.from_partner_id, r.to_partner_id, NULL, tp.tier,
                r.customer_segment, r.customer_region, r.playbook_id, r.playbook_version, r.context_package, r.customer_message, r.data,
                r.required_data_complete, now(), now(), r.routing, r.value_amount, r.value_currency, r.value_source
           FROM jsonb_to_recordset($1::jsonb) AS r(customer_id uuid, customer_name text, moment text, custom_moment text, from_partner_id uuid,
                to_partner_id uuid, customer_segment text, customer_region text, playbook_id uuid, playbook_version int,
                context_package jsonb, customer_message text, data jsonb, required_data_complete boolean, routing jsonb,
                value_amount numeric, value_currency text, value_source text)
           -- The receiver's tier as the handoff snapshots it (its row is locked FOR SHARE: named above, routed by routeMany).
           JOIN handoffs.partners tp ON tp.id = r.to_partner_id
         RETURNING ${HANDOFF_COLUMNS}`,
        [JSON.stringify(rows)],
      ),
    ).map(toHandoff);
    written = new Map(inserted.map((h) => [h.customerId, h]));
  }

  // The dues: PROPOSED with their handoff, or OPEN with what the record lacks now, and
  // whether routing found nobody (an ownership gap: NO_ROUTE).
  const changes: { id: string; handoff_id: string | null; missing: string[]; no_route: boolean }[] = [];
  for (const p of planned) {
    const h = written.get(p.customer.id)!;
    changes.push({ id: p.due.id, handoff_id: h.id, missing: p.missing, no_route: false });
    outcomes.set(p.due.id, { dueId: p.due.id, outcome: 'PROPOSED', handoffId: h.id, toPartnerId: p.to.id, missing: p.missing });
    events.push(handoffEvent(HANDOFF_PROPOSED, h, DUE_PROPOSAL_ACTOR));
    if (p.routed) events.push(handoffRoutedEvent(h.id, p.routed, p.request.trigger, null, DUE_PROPOSAL_ACTOR));
  }
  for (const [dueId, missing] of missingOf) {
    const row = dues.get(dueId)!;
    const outcome = outcomes.get(dueId)?.outcome;
    if (outcome === 'NO_ROUTE' || (outcome !== 'PROPOSED' && JSON.stringify(row.due.missingData) !== JSON.stringify(missing))) {
      changes.push({ id: dueId, handoff_id: null, missing, no_route: outcome === 'NO_ROUTE' });
    }
  }
  if (changes.length) {
    const closed = returned<object>(
      await sql.query(
        `UPDATE handoffs.handoff_dues d
            SET missing_data = c.missing,
                state = CASE WHEN c.handoff_id IS NULL THEN d.state ELSE 'PROPOSED' END,
                handoff_id = COALESCE(c.handoff_id, d.handoff_id),
                closed_at = CASE WHEN c.handoff_id IS NULL THEN d.closed_at ELSE now() END,
                no_route_at = CASE WHEN c.no_route THEN COALESCE(d.no_route_at, now()) ELSE d.no_route_at END
           FROM jsonb_to_recordset($1::jsonb) AS c(id uuid, handoff_id uuid, missing text[], no_route boolean)
          WHERE d.id = c.id
         RETURNING ${DUE_COLUMNS}`,
        [JSON.stringify(changes)],
      ),
    ).map(toDue);
    for (const d of closed) if (d.state === HandoffDueState.PROPOSED) events.push(dueEvent(HANDOFF_DUE_PROPOSED, d, DUE_PROPOSAL_ACTOR));
  }
  if (events.length) await recordEvents(sql, events);
  return wanted.map((r) => outcomes.get(r.dueId)!);
}
