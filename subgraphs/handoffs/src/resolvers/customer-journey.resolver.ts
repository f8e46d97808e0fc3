import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import { RequireScopes } from '../../../../shared/auth/scopes';
import type { HandoffsContext } from '../context';
import { CustomerJourneyLink, HandoffCustomerAction, JourneyLink } from '../entities/customer-journey.entity';
import { CustomerActionStatus } from '../entities/enums';
import { Handoff } from '../entities/handoff.entity';
import { customerActionsOf, setCustomerActionStatus } from '../services/customer-action.service';
import { issueCustomerJourneyLink, revokeCustomerJourneyLink } from '../services/customer-journey-link.service';

/** The customer's side of a handoff: its journey link and the status of its customer-facing actions (docs/customer-journey.md). */
@Resolver(() => Handoff)
export class CustomerJourneyResolver {
  @RequireScopes('handoffs:write')
  @Mutation(() => CustomerJourneyLink, {
    description:
      'A signed, expiring link for the customer of a handoff to `/journey?token=…`, a page without sign-in that shows what the playbook says the customer should see and know (message, new owner and contact person, customer-facing actions and their status, what it already told us, and the feedback form once COMPLETED). The handoff’s partners and internal teams may issue one; a handoff you are not on is NOT_FOUND; a REJECTED, CANCELLED or EXPIRED one is CONFLICT. Recorded as CustomerJourneyLinkIssued.',
  })
  issueCustomerJourneyLink(
    @Arg('handoffId', () => ID, { description: 'The handoff the customer follows; the link names it and nothing else.' }) handoffId: string,
    @Ctx() ctx: HandoffsContext,
    @Arg('expiresInDays', () => Int, {
      nullable: true,
      description: 'How long the link works, in days: from 1 to HUB_JOURNEY_LINK_MAX_DAYS (default 90); null: HUB_JOURNEY_LINK_DEFAULT_DAYS (default 30).',
    })
    expiresInDays?: number | null,
  ): Promise<CustomerJourneyLink> {
    return issueCustomerJourneyLink(ctx.db, ctx.identity, handoffId, expiresInDays ?? ctx.journey.defaultDays, {
      secret: ctx.identitySecret,
      config: ctx.journey,
    });
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => JourneyLink, {
    description:
      'Withdraws one customer journey link at once (sent to the wrong person, say): its page then says "This link was withdrawn" and shows nothing, and its feedback form no longer takes feedback. Whoever may issue links on the handoff may (its sender, proposer or receiver, internal teams), whatever the handoff’s state; a link of a handoff you are not on is NOT_FOUND, as an unknown id. Revoking a revoked link answers it unchanged (idempotent, no second event). Recorded as CustomerJourneyLinkRevoked.',
  })
  revokeCustomerJourneyLink(
    @Arg('linkId', () => ID, { description: 'The link’s id (CustomerJourneyLink.id, Handoff.journeyLinks).' }) linkId: string,
    @Ctx() ctx: HandoffsContext,
  ): Promise<JourneyLink> {
    return revokeCustomerJourneyLink(ctx.db, ctx.identity, linkId);
  }

  @RequireScopes('handoffs:write')
  @Mutation(() => Handoff, {
    description:
      'Marks one of the handoff’s customer-facing actions DONE (or OPEN again); the customer’s journey page shows it. Only the new owner (the receiver, once it accepted) or an internal team may (FORBIDDEN otherwise); CONFLICT before acceptance or once closed; a handoff you are not on is NOT_FOUND.',
  })
  setCustomerActionStatus(
    @Arg('handoffId', () => ID, { description: 'The handoff.' }) handoffId: string,
    @Arg('position', () => Int, { description: 'The action’s position (from 0) in Handoff.customerActions; BAD_USER_INPUT when the playbook has none there.' })
    position: number,
    @Arg('status', () => CustomerActionStatus, { description: 'DONE or OPEN.' }) status: CustomerActionStatus,
    @Ctx() ctx: HandoffsContext,
  ): Promise<Handoff> {
    return setCustomerActionStatus(ctx.db, ctx.identity, handoffId, position, status);
  }

  @FieldResolver(() => [JourneyLink], {
    description:
      'The customer journey links issued for this handoff, oldest first, each with its status (ACTIVE, EXPIRED, REVOKED); never their tokens. Those issued before links were recorded are listed too (from their CustomerJourneyLinkIssued events).',
  })
  journeyLinks(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<JourneyLink[]> {
    return ctx.loaders.journeyLinksByHandoff.load(h.id);
  }

  @FieldResolver(() => [HandoffCustomerAction], {
    description: 'The playbook version’s customer-facing actions, each with its status on this handoff (setCustomerActionStatus); empty without a playbook.',
  })
  async customerActions(@Root() h: Handoff, @Ctx() ctx: HandoffsContext): Promise<HandoffCustomerAction[]> {
    return customerActionsOf(h, h.playbookId ? await ctx.loaders.playbook.load(h.playbookId) : null);
  }
}
