import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { SLA_AT_RISK, SLA_BREACHED, type SlaEventPayload } from '../../../../shared/eventlog/events';
import type { SlasContext } from '../context';
import { SlaAlertKind, SlaEscalationAction } from '../entities/enums';
import { SlaAlert } from '../entities/sla-alert.entity';
import { SlaClock } from '../entities/sla-clock.entity';

function alertFromEvent(event: HubEvent): SlaAlert {
  const payload = event.payload as unknown as SlaEventPayload & { escalation?: SlaEscalationAction };
  return Object.assign(new SlaAlert(), {
    id: event.id,
    kind: event.type === SLA_BREACHED ? SlaAlertKind.BREACHED : SlaAlertKind.AT_RISK,
    occurredAt: new Date(event.occurredAt),
    handoff: { id: payload.handoff.id },
    escalation: event.type === SLA_BREACHED ? (payload.escalation ?? null) : null,
    clockId: payload.clock.id,
  });
}

@Resolver(() => SlaAlert)
export class SlaAlertResolver {
  @Subscription(() => SlaAlert, {
    topics: [SLA_AT_RISK, SLA_BREACHED],
    description: 'AT_RISK and BREACHED alerts on handoffs the caller sends or receives (internal: all), optionally only those involving `partnerId`.',
    // Visibility comes from the event's audience, checked against the subscriber's identity, never its arguments.
    filter: ({ payload, args, context }: { payload: HubEvent; args: { partnerId?: string | null }; context: SlasContext }) =>
      (isInternal(context.identity) || payload.visibleTo.includes(context.identity.partnerId ?? '')) &&
      (!args.partnerId || payload.visibleTo.includes(args.partnerId.toLowerCase())),
  })
  slaAlert(
    @Root() event: HubEvent,
    @Arg('partnerId', () => ID, {
      nullable: true,
      description: 'Only alerts on handoffs this partner sends or receives. You never receive alerts on handoffs you are not part of, whatever you name.',
    })
    _partnerId?: string,
  ): SlaAlert {
    return alertFromEvent(event);
  }

  @FieldResolver(() => SlaClock, { nullable: true, description: 'The clock as it is now.' })
  clock(@Root() alert: SlaAlert, @Ctx() ctx: SlasContext): Promise<SlaClock | null> {
    // A subscription keeps one context for all its events: read the clock afresh each time.
    return ctx.loaders.clock.clear(alert.clockId).load(alert.clockId);
  }
}
