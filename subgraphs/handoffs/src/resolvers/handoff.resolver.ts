import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { isInternal } from '../../../../shared/auth/identity';
import { notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import {
  AFTER_DESCRIPTION,
  ConnectionType,
  decodeCursor,
  FIRST_DESCRIPTION,
  pageSize,
  toConnection,
  type Connection,
} from '../../../../shared/graphql/pagination';
import type { HandoffsContext } from '../context';
import { CustomerRef } from '../entities/customer.stub';
import { HandoffAction, HandoffState } from '../entities/enums';
import { RequiredDataCheck } from '../entities/handoff-parts';
import { Handoff } from '../entities/handoff.entity';
import { partnerRef, PartnerRef } from '../entities/partner.stub';
import { Playbook } from '../entities/playbook.entity';
import { Task } from '../entities/task.entity';
import { personRef, PersonRef } from '../entities/person.stub';

/** Persons are resolved by accounts, which shows a person to its own partner and internal teams only. */
const PERSON_ACTOR =
  "null when no person did it (a partner-wide credential, the hub) or it has not happened; also null to a caller outside that person's partner (accounts shows a person to its own partner and internal teams).";
import { HandoffRouting } from '../entities/routing.entity';
import { isReceiver, isSender } from '../services/access';
import { handoffRoutingFor } from '../services/routing/redaction';
import { HANDOFF_COLUMNS, toHandoff } from '../services/handoff-store';
import { listWork } from '../services/work-listing';
import { fieldSatisfied } from '../services/playbook-validation';
import { isOpen } from '../services/state-machine';
import { HandoffFilter } from './handoff.inputs';
import { Money } from '../../../../shared/graphql/money';
import { valueOfRow } from '../services/handoff-value';
import { ORDER_BY_DESCRIPTION, Priority, priorityKey, priorityPage, WorkOrder } from '../../../../shared/graphql/priority';
import { HANDOFF_PRIORITY_JOINS, handoffPriority, handoffScoreSql } from '../services/priority';

export const HandoffConnection = ConnectionType(Handoff, 'Handoff');

/** The customer stub, only for callers who may see the record (access.ts rule 3). */
export async function visibleCustomerRef(customerId: string, ctx: HandoffsContext): Promise<CustomerRef | null> {
  const view = await ctx.loaders.customer.load(customerId);
  return ctx.loaders.canSeeRecord(view) ? Object.assign(new CustomerRef(), { id: customerId }) : null;
}

@Resolver(() => Handoff)
export class HandoffResolver {
  @RequireScopes('handoffs:read')
  @Query(() => Handoff, {
    nullable: true,
    description: 'null with a NOT_FOUND error when it does not exist or the caller is neither its sender nor its receiver.',
  })
  async handoff(@Arg('id', () => ID, { description: 'The handoff’s id.' }) id: string, @Ctx() ctx: HandoffsContext): Promise<Handoff | null> {
    const handoff = await ctx.loaders.handoff.load(assertId(id, 'id'));
    if (!handoff) throw notFound('Handoff', id);
    return handoff;
  }

  @RequireScopes('handoffs:read')
  @Query(() => HandoffConnection, {
    description: 'Handoffs the caller sent or received (internal teams: all), newest first (orderBy PRIORITY: most valuable and most at risk first).',
  })
  async handoffs(
    @Ctx() ctx: HandoffsContext,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
    @Arg('filter', () => HandoffFilter, { nullable: true, description: 'Narrows the list; every field given must match.' }) filter?: HandoffFilter,
    @Arg('orderBy', () => WorkOrder, { nullable: true, description: ORDER_BY_DESCRIPTION }) orderBy?: WorkOrder | null,
  ): Promise<Connection<Handoff>> {
    const limit = pageSize(first);
    const priority = priorityPage(orderBy, after, ctx.loaders.asOf);
    const cursor = priority ? undefined : decodeCursor(after, 2);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (!isInternal(ctx.identity)) add((p) => `${p}::uuid IN (h.from_partner_id, h.to_partner_id, h.proposed_by_partner_id)`, ctx.identity.partnerId ?? null);
    if (filter?.customerId) add((p) => `h.customer_id = ${p}`, assertId(filter.customerId, 'filter.customerId'));
    if (filter?.states?.length) add((p) => `h.state = ANY(${p}::text[])`, filter.states);
    if (filter?.moment) add((p) => `h.moment = ${p}`, filter.moment);
    if (filter?.fromPartnerId) add((p) => `h.from_partner_id = ${p}`, assertId(filter.fromPartnerId, 'filter.fromPartnerId'));
    if (filter?.toPartnerId) add((p) => `h.to_partner_id = ${p}`, assertId(filter.toPartnerId, 'filter.toPartnerId'));
    if (filter?.onHold !== undefined && filter?.onHold !== null) add((p) => `h.on_hold = ${p}`, filter.onHold);
    const { rows, probes } = await listWork(
      ctx.db,
      {
        alias: 'h',
        table: 'handoffs.handoffs',
        columns: HANDOFF_COLUMNS,
        timeColumn: 'proposed_at',
        scoreSql: handoffScoreSql,
        joins: HANDOFF_PRIORITY_JOINS,
        where,
        params,
      },
      { priority, cursor },
      limit,
    );
    const handoffs = rows.map(toHandoff);
    for (const h of handoffs) {
      if (priority) h.priorityAsOf = new Date(priority.asOf);
      ctx.loaders.handoff.prime(h.id, h);
    }
    return toConnection(
      handoffs,
      limit,
      (h) => (priority ? priorityKey(priority.asOf, h.priorityScore, h.proposedAt, h.id) : [h.proposedAt.toISOString(), h.id]),
      probes,
    );
  }

  @FieldResolver(() => CustomerRef, {
    nullable: true,
    description: 'The customer record; null while the caller may not see it (a receiver before it accepts). customerId and customerName are always there.',
  })
  customer(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<CustomerRef | null> {
    return visibleCustomerRef(h.customerId, ctx);
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The sender; null when the customer was held directly by us.' })
  from(@Root() h: Handoff): PartnerRef | null {
    return partnerRef(h.fromPartnerId);
  }

  @FieldResolver(() => PartnerRef, { description: 'The receiver.' })
  to(@Root() h: Handoff): PartnerRef {
    return partnerRef(h.toPartnerId)!;
  }

  @FieldResolver(() => PartnerRef, {
    nullable: true,
    description: 'The partner or internal team that proposed it; null for the hub itself (an SLA reassignment).',
  })
  proposedBy(@Root() h: Handoff): PartnerRef | null {
    return partnerRef(h.proposedByPartnerId);
  }

  // proposedBy already names the proposing partner (contract), so the proposing person is proposedByPerson.
  @FieldResolver(() => PersonRef, { nullable: true, description: `The person who proposed it. ${PERSON_ACTOR}` })
  proposedByPerson(@Root() h: Handoff): PersonRef | null {
    return personRef(h.proposedByPersonId);
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: `The person who accepted it. ${PERSON_ACTOR}` })
  acceptedBy(@Root() h: Handoff): PersonRef | null {
    return personRef(h.acceptedByPersonId);
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: `The person who rejected it. ${PERSON_ACTOR}` })
  rejectedBy(@Root() h: Handoff): PersonRef | null {
    return personRef(h.rejectedByPersonId);
  }

  @FieldResolver(() => PersonRef, { nullable: true, description: `The person who completed it. ${PERSON_ACTOR}` })
  completedBy(@Root() h: Handoff): PersonRef | null {
    return personRef(h.completedByPersonId);
  }

  @FieldResolver(() => Playbook, { nullable: true, description: 'The playbook version it runs under.' })
  playbook(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<Playbook | null> | null {
    return h.playbookId ? ctx.loaders.playbook.load(h.playbookId) : null;
  }

  @FieldResolver(() => [RequiredDataCheck], { description: "The playbook's required data against what the handoff carries." })
  async requiredDataChecklist(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<RequiredDataCheck[]> {
    const playbook = h.playbookId ? await ctx.loaders.playbook.load(h.playbookId) : null;
    return (playbook?.requiredFields ?? []).map((f) => ({
      name: f.name,
      type: f.type,
      description: f.description,
      required: f.required,
      present: fieldSatisfied(f, h.data?.[f.name]),
      value: h.data?.[f.name] ?? null,
    }));
  }

  @FieldResolver(() => [Task], { description: "The new owner's tasks, created on acceptance." })
  tasks(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<Task[]> {
    return ctx.loaders.tasksByHandoff.load(h.id);
  }

  @FieldResolver(() => HandoffRouting, {
    nullable: true,
    description: 'How routing chose the receiver: the rule version and the reasons; null when the sender named the receiver.',
  })
  async routing(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<HandoffRouting | null> {
    if (!h.routing) return null;
    // A handoff rebuilt from an event (subscriptions) carries the rule, not the reasons.
    const record = 'fromEvent' in h.routing ? (await ctx.loaders.handoff.load(h.id))?.routing : h.routing;
    return record ? handoffRoutingFor(ctx.identity, h.toPartnerId, record) : null;
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'What the handoff is worth, fixed when it was proposed and never changed afterwards: the amount in the playbook’s VALUE field when the data carries one, else the customer’s pipeline value (MQL_TO_SQL, DIRECT_TO_PARTNER) or ARR (later moments); CUSTOM moments only from the VALUE field. null when none was known. See valueSource.',
  })
  value(@Root() h: Handoff): Money | null {
    const v = valueOfRow(h);
    return v ? { amount: v.amount, currency: v.currency } : null;
  }

  @FieldResolver(() => Priority, {
    description:
      'How urgent it is: its value at stake (converted at its proposal day’s rate) and the risk of missing the SLA target it waits for (docs/handoffs.md#priority). Evaluated now, or at the instant a PRIORITY listing is scored at.',
  })
  async priority(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<Priority> {
    const inputs = (await ctx.loaders.handoffPriority.load(h.id)) ?? {
      id: h.id,
      reportingCurrency: null,
      rate: null,
      clockState: null,
      clockStartedAt: null,
      clockDueAt: null,
      breached: false,
    };
    return handoffPriority(h, inputs, h.priorityAsOf ?? ctx.loaders.asOf);
  }

  @FieldResolver(() => [HandoffAction], { description: 'What the caller may do with it now.' })
  allowedActions(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): HandoffAction[] {
    const actions: HandoffAction[] = [];
    const receiver = isReceiver(ctx.identity, h);
    if (h.state === HandoffState.PROPOSED && receiver) actions.push(HandoffAction.ACCEPT, HandoffAction.REJECT);
    if (h.state === HandoffState.PROPOSED && (isSender(ctx.identity, h) || isInternal(ctx.identity))) actions.push(HandoffAction.CANCEL);
    if (h.state === HandoffState.ACCEPTED && receiver) actions.push(HandoffAction.COMPLETE);
    if (isOpen(h.state)) actions.push(h.onHold ? HandoffAction.RESUME : HandoffAction.HOLD);
    return actions;
  }
}
