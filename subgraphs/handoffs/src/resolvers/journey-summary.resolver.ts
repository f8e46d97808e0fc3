import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { forbidden } from '../../../../shared/errors';
import { HandoffMoment } from '../../../../shared/graphql/enums';
import { assertId } from '../../../../shared/graphql/ids';
import type { HandoffsContext } from '../context';
import { HandoffDueSummary, RoutingRuleDecisions } from '../entities/journey-summary.entity';
import { checkWindow, dueSummary, routingDecisions } from '../services/journey-summary.service';

const FROM = 'Start of the window (UTC, inclusive).';
const TO = 'End of the window (UTC, exclusive); after `from`, at most two years on (BAD_USER_INPUT otherwise).';

/** The journey in figures, for the dashboard's Journey panel and anyone's own reports. */
@Resolver()
export class JourneySummaryResolver {
  @RequireScopes('handoffs:read')
  @Query(() => [HandoffDueSummary], {
    description:
      'Handoffs due per moment: open and overdue now, and how the dues opened in the window ended (proposed, dismissed, superseded). Counts the dues the caller may see, as handoffsDue lists them; moments with none are left out.',
  })
  async handoffDueSummary(
    @Ctx() ctx: HandoffsContext,
    @Arg('from', () => Date, { description: FROM }) from: Date,
    @Arg('to', () => Date, { description: TO }) to: Date,
    @Arg('partnerId', () => ID, { nullable: true, description: 'Only the dues this partner is accountable for (a partner: its own; another is FORBIDDEN).' })
    partnerId?: string,
  ): Promise<HandoffDueSummary[]> {
    const window = checkWindow(from, to);
    const partner = partnerId ? assertId(partnerId, 'partnerId') : null;
    if (partner && !isInternal(ctx.identity) && partner !== ctx.identity.partnerId)
      throw forbidden('A partner summarises only the handoffs due it is accountable for');
    return dueSummary(ctx.db.manager, window, partner);
  }

  @RequireScopes('admin')
  @Query(() => [RoutingRuleDecisions], {
    description:
      'Internal teams only (FORBIDDEN for partners). Per current routing rule: the handoffs it routed in the window and each candidate’s share against the share its weight asks for.',
  })
  async routingDecisions(
    @Ctx() ctx: HandoffsContext,
    @Arg('from', () => Date, { description: FROM }) from: Date,
    @Arg('to', () => Date, { description: TO }) to: Date,
    @Arg('moment', () => HandoffMoment, { nullable: true, description: 'Only the rules of this moment. Default: all moments.' }) moment?: HandoffMoment,
  ): Promise<RoutingRuleDecisions[]> {
    if (!isInternal(ctx.identity)) throw forbidden('Routing decisions are visible to internal teams only');
    return routingDecisions(ctx.db.manager, checkWindow(from, to), moment ?? null);
  }
}
