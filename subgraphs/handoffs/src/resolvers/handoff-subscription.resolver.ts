import { filter, pipe } from '@graphql-yoga/subscription';
import { Arg, ID, Resolver, Root, Subscription } from 'type-graphql';
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
import { toHandoff, toOwnershipChange } from '../services/handoff-store';

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
  if (partnerId && partnerId !== ctx.identity.partnerId) throw forbidden(`You may subscribe to your own partner's events only (${ctx.identity.partnerId ?? 'none'})`);
  if (customerId && !ctx.loaders.canSeeCustomer(await ctx.loaders.customer.load(customerId))) throw notFound('Customer', customerId);
  return { customerId, partnerId };
}

/** Events reach a subscriber only when their visibleTo names it (or it is internal); arguments only narrow. */
const visibleTo = (event: HubEvent, ctx: HandoffsContext) => isInternal(ctx.identity) || event.visibleTo.includes(ctx.identity.partnerId ?? '');

function stream(ctx: HandoffsContext, topic: string, matches: (event: HubEvent) => boolean) {
  return pipe(
    ctx.pubSub.subscribe(topic),
    filter((event: unknown) => visibleTo(event as HubEvent, ctx) && matches(event as HubEvent)),
  );
}

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
    @Arg('customerId', () => ID, { nullable: true }) _customerId?: string,
    @Arg('partnerId', () => ID, { nullable: true }) _partnerId?: string,
  ): OwnershipChange {
    return ownershipChangeFromEvent(event);
  }

  @Subscription(() => Handoff, {
    description: 'Each committed change to a handoff the caller sent or received (proposed, accepted, rejected, cancelled, completed, expired, held, resumed).',
    subscribe: async ({ args, context }) => {
      const f = await authorize(args as SubscriptionArgs, context as HandoffsContext);
      return stream(context as HandoffsContext, HANDOFF_TOPIC, (e) => {
        const h = e.payload.handoff as HandoffSnapshot;
        return (!f.customerId || h.customerId === f.customerId) && (!f.partnerId || [h.fromPartnerId, h.toPartnerId, h.proposedByPartnerId].includes(f.partnerId));
      });
    },
  })
  handoffUpdated(
    @Root() event: HubEvent,
    @Arg('customerId', () => ID, { nullable: true }) _customerId?: string,
    @Arg('partnerId', () => ID, { nullable: true }) _partnerId?: string,
  ): Handoff {
    return handoffFromEvent(event);
  }
}
