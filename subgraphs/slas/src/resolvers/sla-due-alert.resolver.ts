import { Arg, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { SLA_DUE_AT_RISK, SLA_DUE_BREACHED, type SlaDueEventPayload } from '../../../../shared/eventlog/events';
import type { SlasContext } from '../context';
import { SlaAlertKind, SlaEscalationAction } from '../entities/enums';
import { SlaDueAlert } from '../entities/sla-alert.entity';
import { SlaDueClock } from '../entities/sla-due-clock.entity';

function dueAlertFromEvent(event: HubEvent): SlaDueAlert {
  const payload = event.payload as unknown as SlaDueEventPayload & { escalation?: SlaEscalationAction | null };
  return Object.assign(new SlaDueAlert(), {
    id: event.id,
    kind: event.type === SLA_DUE_BREACHED ? SlaAlertKind.BREACHED : SlaAlertKind.AT_RISK,
    occurredAt: new Date(event.occurredAt),
    due: { id: payload.due.id },
    escalation: event.type === SLA_DUE_BREACHED ? (payload.escalation ?? null) : null,
  });
}

@Resolver(() => SlaDueAlert)
export class SlaDueAlertResolver {
  @Subscription(() => SlaDueAlert, {
    topics: [SLA_DUE_AT_RISK, SLA_DUE_BREACHED],
    description:
      'AT_RISK and BREACHED alerts on the PROPOSE clocks of handoffs that came due which the caller is accountable for (internal: all), optionally only those of `partnerId`. slaAlert carries handoffs’ clocks; a due has no handoff yet, so its alerts come here.',
    // As slaAlert: visibility comes from the event's audience (the due's accountable partner), never the arguments.
    filter: ({ payload, args, context }: { payload: HubEvent; args: { partnerId?: string | null }; context: SlasContext }) =>
      (isInternal(context.identity) || payload.visibleTo.includes(context.identity.partnerId ?? '')) &&
      (!args.partnerId || payload.visibleTo.includes(args.partnerId.toLowerCase())),
  })
  slaDueAlert(
    @Root() event: HubEvent,
    @Arg('partnerId', () => ID, {
      nullable: true,
      description: 'Only alerts on dues this partner is accountable for. You never receive alerts on dues you are not accountable for, whatever you name.',
    })
    _partnerId?: string,
  ): SlaDueAlert {
    return dueAlertFromEvent(event);
  }

  @FieldResolver(() => SlaDueClock, { nullable: true, description: 'The PROPOSE clock as it is now.' })
  clock(@Root() alert: SlaDueAlert, @Ctx() ctx: SlasContext): Promise<SlaDueClock | null> {
    // A subscription keeps one context for all its events: read the clock afresh each time.
    return ctx.loaders.dueClock.clear(alert.due.id).load(alert.due.id);
  }
}
