import { Arg, Ctx, ID, Resolver, Root, Subscription } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { requireScopes } from '../../../../shared/auth/scopes';
import { forbidden, notFound } from '../../../../shared/errors';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import type { HandoffSnapshot, OwnershipChangedPayload } from '../../../../shared/eventlog/events';
import { assertId } from '../../../../shared/graphql/ids';
import { HANDOFF_TOPIC, OWNERSHIP_TOPIC, type HandoffsContext } from '../context';
import type { ContextPackage } from '../entities/handoff-parts';
import { Handoff } from '../entities/handoff.entity';
import { OwnershipChange } from '../entities/ownership-change.entity';
import { OwnershipChangeReason } from '../entities/enums';
import { createHandoffsLoaders, type HandoffsLoaders } from '../loaders/handoffs.loaders';
import { toHandoff, toOwnershipChange } from '../services/handoff-store';
import { topicFanout } from './handoff-subscription-fanout';

interface SubscriptionArgs {
  customerId?: string | null;
  partnerId?: string | null;
}

const date = (v: string | null | undefined) => (v ? new Date(v) : null);

/** Rebuilds the handoff an event carries (JSON has turned its dates into strings). */
export function handoffFromEvent(event: HubEvent): Handoff {
  const s = event.payload.handoff as HandoffSnapshot;
  return toHandoff({
    ...s,
    customerName: s.customerName ?? '',
    proposedByPartnerId: s.proposedByPartnerId ?? null,
    contextPackage: (s.contextPackage ?? { summary: '', customerSaid: [], goals: [], contacts: [], links: [] }) as unknown as ContextPackage,
    customerMessage: s.customerMessage ?? '',
    data: s.data ?? {},
    deliverables: s.deliverables ?? null,
    holdReason: s.holdReason ?? null,
    reasonCode: s.reasonCode ?? null,
    reason: s.reason ?? null,
    reassignedFromId: s.reassignedFromId ?? null,
    // The event carries the rule, not the reasons: Handoff.routing reads those from the row.
    routing: s.routing ? { ...s.routing, strategies: [], reasons: [], fromEvent: true } : null,
    reroutedFromId: s.reroutedFromId ?? null,
    valueAmount: s.value?.amount ?? null,
    valueCurrency: s.value?.currency ?? null,
    valueSource: s.value?.source ?? null,
    proposedAt: new Date(s.proposedAt),
    acceptedAt: date(s.acceptedAt),
    completedAt: date(s.completedAt),
    closedAt: date(s.closedAt),
    updatedAt: date(s.updatedAt) ?? event.occurredAt,
  });
}

export function ownershipChangeFromEvent(event: HubEvent): OwnershipChange {
  const p = event.payload as unknown as OwnershipChangedPayload;
  return toOwnershipChange({ ...p, reason: p.reason ?? OwnershipChangeReason.HANDOFF_ACCEPTED, at: new Date(p.at) });
}

/**
 * Refuses, before anything streams, a subscription the caller may not hold: another
 * partner's stream (FORBIDDEN) or a customer it cannot see (NOT_FOUND, as everywhere).
 */
async function authorize(args: SubscriptionArgs, ctx: HandoffsContext): Promise<{ customerId?: string; partnerId?: string }> {
  requireScopes(ctx, 'handoffs:read');
  const customerId = args.customerId ? assertId(args.customerId, 'customerId') : undefined;
  const partnerId = args.partnerId ? assertId(args.partnerId, 'partnerId') : undefined;
  if (isInternal(ctx.identity)) return { customerId, partnerId };
  if (partnerId && partnerId !== ctx.identity.partnerId)
    throw forbidden(`You may subscribe to your own partner's events only (${ctx.identity.partnerId ?? 'none'})`);
  if (customerId && !ctx.loaders.canSeeCustomer(await ctx.loaders.customer.load(customerId))) throw notFound('Customer', customerId);
  return { customerId, partnerId };
}

/**
 * Events reach a subscriber only when their visibleTo names it (or it is internal), decided
 * in memory by the fan-out's index; arguments only narrow.
 */
export const stream = (ctx: HandoffsContext, topic: string, matches: (event: HubEvent) => boolean) =>
  topicFanout(ctx.pubSub, topic).subscribe(ctx.identity, matches);

/**
 * Loader sets for one event, shared by every subscriber that resolves it as the same caller
 * (internal or not, and partner id: all that createHandoffsLoaders depends on). However many subscribers
 * an event reaches, the SQL it costs grows with the tenants among them, not their number;
 * and nothing is cached from one event to the next (a subscription lives for hours, and
 * what its caller may see changes).
 */
const eventLoaders = new WeakMap<HubEvent, Map<string, HandoffsLoaders>>();

export function resolveWithEventLoaders(event: HubEvent, ctx: HandoffsContext): void {
  let byTenant = eventLoaders.get(event);
  if (!byTenant) eventLoaders.set(event, (byTenant = new Map()));
  const tenant = `${isInternal(ctx.identity) ? 'internal' : 'partner'}:${ctx.identity.partnerId ?? ''}`;
  let loaders = byTenant.get(tenant);
  if (!loaders) byTenant.set(tenant, (loaders = createHandoffsLoaders(ctx.db, ctx.identity, { catchUp: ctx.catchUp })));
  // One subscription resolves its events one at a time, so its context can carry this event's set.
  ctx.loaders = loaders;
}

/** What one event becomes, built once for all its subscribers (resolvers only read it). */
export function memoizedByEvent<T>(build: (event: HubEvent) => T): (event: HubEvent) => T {
  const built = new WeakMap<HubEvent, T>();
  return (event) => {
    let value = built.get(event);
    if (value === undefined) built.set(event, (value = build(event)));
    return value;
  };
}

const ownershipChangeOf = memoizedByEvent(ownershipChangeFromEvent);
const handoffOf = memoizedByEvent(handoffFromEvent);

@Resolver()
export class HandoffSubscriptionResolver {
  @Subscription(() => OwnershipChange, {
    description: 'Each committed change of owner the caller may see, optionally of one customer or involving one partner (your own).',
    subscribe: async ({ args, context }) => {
      const f = await authorize(args as SubscriptionArgs, context as HandoffsContext);
      return stream(context as HandoffsContext, OWNERSHIP_TOPIC, (e) => {
        const p = e.payload as unknown as OwnershipChangedPayload;
        return (!f.customerId || p.customerId === f.customerId) && (!f.partnerId || p.fromPartnerId === f.partnerId || p.toPartnerId === f.partnerId);
      });
    },
  })
  ownershipChanged(
    @Root() event: HubEvent,
    @Ctx() ctx: HandoffsContext,
    @Arg('customerId', () => ID, { nullable: true, description: 'Only changes of this customer; one you may not see is NOT_FOUND.' }) _customerId?: string,
    @Arg('partnerId', () => ID, {
      nullable: true,
      description: 'Only changes involving this partner, as sender or receiver; a partner may name only itself (FORBIDDEN otherwise).',
    })
    _partnerId?: string,
  ): OwnershipChange {
    resolveWithEventLoaders(event, ctx);
    return ownershipChangeOf(event);
  }

  @Subscription(() => Handoff, {
    description: 'Each committed change to a handoff the caller sent or received (proposed, accepted, rejected, cancelled, completed, expired, held, resumed).',
    subscribe: async ({ args, context }) => {
      const f = await authorize(args as SubscriptionArgs, context as HandoffsContext);
      return stream(context as HandoffsContext, HANDOFF_TOPIC, (e) => {
        const h = e.payload.handoff as HandoffSnapshot;
        return (
          (!f.customerId || h.customerId === f.customerId) && (!f.partnerId || [h.fromPartnerId, h.toPartnerId, h.proposedByPartnerId].includes(f.partnerId))
        );
      });
    },
  })
  handoffUpdated(
    @Root() event: HubEvent,
    @Ctx() ctx: HandoffsContext,
    @Arg('customerId', () => ID, { nullable: true, description: 'Only handoffs of this customer; one you may not see is NOT_FOUND.' }) _customerId?: string,
    @Arg('partnerId', () => ID, {
      nullable: true,
      description: 'Only handoffs this partner sends or receives; a partner may name only itself (FORBIDDEN otherwise).',
    })
    _partnerId?: string,
  ): Handoff {
    resolveWithEventLoaders(event, ctx);
    return handoffOf(event);
  }
}
