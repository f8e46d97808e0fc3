import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { hasScopes, RequireScopes, requireScopes } from '../../../../shared/auth/scopes';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import type { HandoffDueSnapshot } from '../../../../shared/eventlog/events';
import { forbidden } from '../../../../shared/errors';
import { assertId, isUuid } from '../../../../shared/graphql/ids';
import {
  AFTER_DESCRIPTION,
  ConnectionType,
  decodeCursor,
  FIRST_DESCRIPTION,
  pageSize,
  toConnection,
  type Connection,
} from '../../../../shared/graphql/pagination';
import { DUE_TOPIC, type HandoffsContext } from '../context';
import { CustomerRef } from '../entities/customer.stub';
import { HandoffDueState } from '../entities/enums';
import { HandoffDue, StageMove } from '../entities/handoff-due.entity';
import { Handoff } from '../entities/handoff.entity';
import { partnerRef, PartnerRef } from '../entities/partner.stub';
import { Playbook } from '../entities/playbook.entity';
import { dismissHandoffDue, DUE_COLUMNS, toDue } from '../services/handoff-due.service';
import { HandoffDueFilter } from './handoff-due.inputs';
import { Money } from '../../../../shared/graphql/money';
import { valueOfRow } from '../services/handoff-value';
import { ORDER_BY_DESCRIPTION, Priority, priorityKey, priorityPage, WorkOrder } from '../../../../shared/graphql/priority';
import { DUE_PRIORITY_JOINS, duePriority, dueScoreSql } from '../services/priority';
import { listWork } from '../services/work-listing';

import { memoizedByEvent, resolveWithEventLoaders, stream } from './handoff-subscription.resolver';
import { visibleCustomerRef } from './handoff.resolver';

export const HandoffDueConnection = ConnectionType(HandoffDue, 'HandoffDue');

const date = (v: string | null) => (v ? new Date(v) : null);

/** Rebuilds the due a HandoffDue* event carries (JSON has turned its dates into strings). */
export function dueFromEvent(event: HubEvent): HandoffDue {
  const s = event.payload.due as HandoffDueSnapshot;
  return toDue({
    ...s,
    momentKey: '',
    fromStage: s.stageMove.fromStage,
    toStage: s.stageMove.toStage,
    causeEventId: s.stageMove.eventId,
    movedAt: new Date(s.stageMove.at),
    dueAt: date(s.dueAt),
    openedAt: new Date(s.openedAt),
    closedAt: date(s.closedAt),
    valueAmount: s.value?.amount ?? null,
    valueCurrency: s.value?.currency ?? null,
    valueSource: s.value?.source ?? null,
  });
}

const dueOf = memoizedByEvent(dueFromEvent);

/**
 * `_entities` for HandoffDue (slas adds `slaClock` to it): the access of handoffsDue — the
 * handoffs:read scope, then the dues the caller may see (loaders.due, batched: a page of
 * references is one statement). A due the caller may not see is null, as a missing one.
 */
export function resolveHandoffDueReference(ref: { id: string }, ctx: HandoffsContext): Promise<HandoffDue | null> | null {
  if (!isUuid(ref.id) || !hasScopes(ctx.identity, 'handoffs:read')) return null;
  return ctx.loaders.due.load(assertId(ref.id, 'id'));
}

/**
 * Handoffs that came due (docs/journeys.md). Internal teams see every due; a partner the dues
 * it is accountable for or the suggested receiver of, on customers it may see — the rule is
 * the table's row-level security (migration 1733400000000), which the list only narrows.
 */
@Resolver(() => HandoffDue)
export class HandoffDueResolver {
  @RequireScopes('handoffs:read')
  @Query(() => HandoffDueConnection, {
    description:
      'Handoffs that came due because a customer moved between the lifecycle stages a playbook’s trigger names, newest first (orderBy PRIORITY: most valuable and closest to their due time first). Internal teams see all; a partner sees those it is accountable for or the suggested receiver of, on customers it may see.',
  })
  async handoffsDue(
    @Ctx() ctx: HandoffsContext,
    @Arg('filter', () => HandoffDueFilter, { nullable: true, description: 'Narrows the list; every field given must match.' }) filter?: HandoffDueFilter,
    @Arg('first', () => Int, { nullable: true, description: FIRST_DESCRIPTION }) first?: number,
    @Arg('after', () => String, { nullable: true, description: AFTER_DESCRIPTION }) after?: string,
    @Arg('orderBy', () => WorkOrder, { nullable: true, description: ORDER_BY_DESCRIPTION }) orderBy?: WorkOrder | null,
  ): Promise<Connection<HandoffDue>> {
    const limit = pageSize(first);
    const priority = priorityPage(orderBy, after, ctx.loaders.asOf);
    const cursor = priority ? undefined : decodeCursor(after, 2);
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(sql(`$${params.length}`));
    };
    if (filter?.partnerId) {
      const partnerId = assertId(filter.partnerId, 'filter.partnerId');
      if (!isInternal(ctx.identity) && partnerId !== ctx.identity.partnerId) throw forbidden('A partner lists only the handoffs due that name it');
      add((p) => `${p}::uuid IN (d.accountable_partner_id, d.suggested_partner_id)`, partnerId);
    }
    if (filter?.moment) add((p) => `d.moment = ${p}`, filter.moment);
    if (filter?.state) add((p) => `d.state = ${p}`, filter.state);
    if (filter?.overdue === true) where.push(`d.state = 'OPEN' AND d.due_at < now()`);
    if (filter?.overdue === false) where.push(`NOT (d.state = 'OPEN' AND d.due_at IS NOT NULL AND d.due_at < now())`);
    const { rows, probes } = await listWork(
      ctx.db,
      {
        alias: 'd',
        table: 'handoffs.handoff_dues',
        columns: DUE_COLUMNS,
        timeColumn: 'opened_at',
        scoreSql: dueScoreSql,
        joins: DUE_PRIORITY_JOINS,
        where,
        params,
      },
      { priority, cursor },
      limit,
    );
    const dues = rows.map(toDue);
    if (priority) for (const d of dues) d.priorityAsOf = new Date(priority.asOf);
    return toConnection(
      dues,
      limit,
      (d) => (priority ? priorityKey(priority.asOf, d.priorityScore, d.openedAt, d.id) : [d.openedAt.toISOString(), d.id]),
      probes,
    );
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => HandoffDue, {
    description:
      'The accountable partner (or an internal team) decides the due handoff is not needed, with a reason: DISMISSED. NOT_FOUND when the caller may not see the due, FORBIDDEN when it is not accountable for it, CONFLICT unless OPEN, BAD_USER_INPUT for an empty reason.',
  })
  dismissHandoffDue(
    @Arg('id', () => ID, { description: 'The due to dismiss.' }) id: string,
    @Arg('reason', () => String, { description: 'Why no handoff is needed, e.g. "Customer stays with the direct team this year" (1–2000 characters).' })
    reason: string,
    @Ctx() ctx: HandoffsContext,
  ): Promise<HandoffDue> {
    return dismissHandoffDue(ctx.db, ctx.identity, id, reason);
  }

  @Subscription(() => HandoffDue, {
    description:
      'Each committed change to a handoff due (opened, dismissed, superseded, proposed) the caller is accountable for; internal teams get every one. Optionally narrowed to the dues naming one partner (your own).',
    subscribe: async ({ args, context }) => {
      const ctx = context as HandoffsContext;
      requireScopes(ctx, 'handoffs:read');
      const raw = (args as { partnerId?: string | null }).partnerId;
      const partnerId = raw ? assertId(raw, 'partnerId') : undefined;
      if (partnerId && !isInternal(ctx.identity) && partnerId !== ctx.identity.partnerId) {
        throw forbidden(`You may subscribe to your own partner's events only (${ctx.identity.partnerId ?? 'none'})`);
      }
      return stream(ctx, DUE_TOPIC, (e) => {
        const d = e.payload.due as HandoffDueSnapshot;
        return !partnerId || d.accountablePartnerId === partnerId || d.suggestedPartnerId === partnerId;
      });
    },
  })
  handoffDue(
    @Root() event: HubEvent,
    @Ctx() ctx: HandoffsContext,
    @Arg('partnerId', () => ID, {
      nullable: true,
      description: 'Only dues naming this partner as accountable or suggested receiver; a partner may name only itself (FORBIDDEN otherwise).',
    })
    _partnerId?: string,
  ): HandoffDue {
    resolveWithEventLoaders(event, ctx);
    return dueOf(event);
  }

  @FieldResolver(() => CustomerRef, { nullable: true, description: 'The customer record; null while the caller may not see it. customerId is always there.' })
  customer(@Root() d: HandoffDue, @Ctx() ctx: HandoffsContext): Promise<CustomerRef | null> {
    return visibleCustomerRef(d.customerId, ctx);
  }

  @FieldResolver(() => StageMove, { description: 'The lifecycle stage move that made it due.' })
  stageMove(@Root() d: HandoffDue): StageMove {
    return Object.assign(new StageMove(), { fromStage: d.fromStage, toStage: d.toStage, eventId: d.causeEventId, at: d.movedAt });
  }

  @FieldResolver(() => Playbook, { nullable: true, description: 'The playbook version whose trigger fired.' })
  playbook(@Root() d: HandoffDue, @Ctx() ctx: HandoffsContext): Promise<Playbook | null> {
    return ctx.loaders.playbook.load(d.playbookId);
  }

  @FieldResolver(() => PartnerRef, {
    nullable: true,
    description:
      'Who should propose the handoff: the customer’s owner when it came due, or the internal team the playbook’s trigger names for a customer we hold directly; null: any internal team.',
  })
  accountable(@Root() d: HandoffDue): PartnerRef | null {
    return partnerRef(d.accountablePartnerId);
  }

  @FieldResolver(() => PartnerRef, {
    nullable: true,
    description:
      'The receiver routing ranked first when it came due (routeCandidates gives the reasons; asking changed no rotation); null when no rule applies or every candidate was skipped.',
  })
  suggestedReceiver(@Root() d: HandoffDue): PartnerRef | null {
    return partnerRef(d.suggestedPartnerId);
  }

  @FieldResolver(() => Money, {
    nullable: true,
    description:
      'What the due handoff is worth, from the customer’s commercials when it opened (pipeline value pre-sale, ARR post-sale; none for CUSTOM moments), never changed afterwards; the handoff proposed from it takes its own value at proposal. null when unknown.',
  })
  value(@Root() d: HandoffDue): Money | null {
    const v = valueOfRow(d);
    return v ? { amount: v.amount, currency: v.currency } : null;
  }

  @FieldResolver(() => Priority, {
    description:
      'How urgent it is: its value at stake (converted at the rate of the day it opened) and the time left to dueAt (docs/handoffs.md#priority). Evaluated now, or at the instant a PRIORITY listing is scored at.',
  })
  async priority(@Root() d: HandoffDue, @Ctx() ctx: HandoffsContext): Promise<Priority> {
    const inputs = (await ctx.loaders.duePriority.load(d.id)) ?? { id: d.id, reportingCurrency: null, rate: null };
    return duePriority(d, inputs, d.priorityAsOf ?? ctx.loaders.asOf);
  }

  @FieldResolver(() => Boolean, { description: 'OPEN and past dueAt.' })
  overdue(@Root() d: HandoffDue): boolean {
    return d.state === HandoffDueState.OPEN && d.dueAt !== null && d.dueAt.getTime() < Date.now();
  }

  @FieldResolver(() => Handoff, {
    nullable: true,
    description: 'The handoff whose proposal closed it; null unless PROPOSED, or while the caller may not see that handoff.',
  })
  handoff(@Root() d: HandoffDue, @Ctx() ctx: HandoffsContext): Promise<Handoff | null> | null {
    return d.handoffId ? ctx.loaders.handoff.load(d.handoffId) : null;
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The partner or internal team that dismissed it; null unless DISMISSED.' })
  dismissedBy(@Root() d: HandoffDue): PartnerRef | null {
    return partnerRef(d.dismissedByPartnerId);
  }
}
