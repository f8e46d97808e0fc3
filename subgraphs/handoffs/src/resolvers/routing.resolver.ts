import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { isInternal } from '../../../../shared/auth/identity';
import { RequireScopes } from '../../../../shared/auth/scopes';
import { forbidden, notFound } from '../../../../shared/errors';
import { HandoffMoment } from '../../../../shared/graphql/enums';
import { assertId } from '../../../../shared/graphql/ids';
import type { HandoffsContext } from '../context';
import { CustomerRef } from '../entities/customer.stub';
import { partnerRef, PartnerRef } from '../entities/partner.stub';
import { RouteCandidate, RoutingCandidate, RoutingDecision, RoutingRule } from '../entities/routing.entity';
import { customerRelation, selectCustomer } from '../services/handoff-store';
import { customMomentOf } from '../services/playbook.service';
import { decisionFor } from '../services/routing/redaction';
import { route } from '../services/routing/routing.service';
import { listRoutingRules, setRoutingRule, toRoutingRule } from '../services/routing/rules.service';
import { RoutingRuleInput } from './routing.inputs';

/** Routing rules are internal configuration; routeCandidates is for the customer's owner and internal teams. */
@Resolver()
export class RoutingResolver {
  @RequireScopes('admin')
  @Query(() => [RoutingRule], {
    description:
      'Internal teams only (FORBIDDEN for partners). The current version of each routing rule (optionally of one moment); with allVersions, every version, newest first.',
  })
  async routingRules(
    @Ctx() ctx: HandoffsContext,
    @Arg('moment', () => HandoffMoment, { nullable: true, description: 'Only the rules of this moment. Default: all moments.' }) moment?: HandoffMoment,
    @Arg('allVersions', () => Boolean, {
      nullable: true,
      defaultValue: false,
      description: 'Every version, newest first, instead of the current one of each scope.',
    })
    allVersions?: boolean,
  ): Promise<RoutingRule[]> {
    if (!isInternal(ctx.identity)) throw forbidden('Routing rules are visible to internal teams only');
    return (await listRoutingRules(ctx.db.manager, moment ?? null, allVersions ?? false)).map(toRoutingRule);
  }

  @RequireScopes('admin')
  @Mutation(() => RoutingRule, {
    description:
      'Internal teams only. Sets the next version of the routing rule of a scope; repeating the current terms returns it unchanged. BAD_USER_INPUT names every problem: an unknown partner, a candidate listed twice, two ranking strategies.',
  })
  async setRoutingRule(
    @Arg('input', () => RoutingRuleInput, { description: 'The whole rule of the scope, as the new version will read.' }) input: RoutingRuleInput,
    @Ctx() ctx: HandoffsContext,
  ): Promise<RoutingRule> {
    return toRoutingRule(await setRoutingRule(ctx.db, ctx.identity, input, { catchUp: ctx.catchUp }));
  }

  @RequireScopes('handoffs:read')
  @Query(() => RoutingDecision, {
    description:
      'Whom proposeHandoff without toPartnerId would pick for the customer at the moment right now, every candidate ranked with its reasons; changes nothing. Internal teams ask for any customer; a partner for the customers it owns (NOT_FOUND for one it cannot see, FORBIDDEN for one it sees but does not own), and reads other candidates’ ranks and public reasons only.',
  })
  async routeCandidates(
    @Arg('customerId', () => ID, { description: 'The customer to route.' }) customerId: string,
    @Arg('moment', () => HandoffMoment, { description: 'The handoff moment to route it at.' }) moment: HandoffMoment,
    @Ctx() ctx: HandoffsContext,
    @Arg('customMoment', () => String, { nullable: true, description: 'Required when moment is CUSTOM.' }) customMoment?: string,
  ): Promise<RoutingDecision> {
    const id = assertId(customerId, 'customerId');
    const custom = customMomentOf(moment, customMoment, 'customMoment');
    // As the caller: row-level security hides customers it may not see.
    const customer = await selectCustomer(ctx.db.manager, id, false);
    if (!customer) throw notFound('Customer', id);
    if (!isInternal(ctx.identity) && customer.ownerPartnerId !== ctx.identity.partnerId) {
      const relation = ctx.identity.partnerId ? await customerRelation(ctx.db.manager, id, ctx.identity.partnerId) : { access: null, named: false };
      if (!relation.access && !relation.named) throw notFound('Customer', id);
      throw forbidden(`Only the owner of customer ${id} (or an internal team) can ask where it would be routed`);
    }
    const decision = await route(ctx.db.manager, { customerId: id, moment, customMoment: custom }, { commit: false });
    return decisionFor(ctx.identity, decision);
  }
}

@Resolver(() => RoutingDecision)
export class RoutingDecisionResolver {
  @FieldResolver(() => CustomerRef, { description: 'The customer routed (the caller owns it, or is an internal team).' })
  customer(@Root() d: RoutingDecision): CustomerRef {
    return Object.assign(new CustomerRef(), { id: d.customerId });
  }
}

@Resolver(() => RouteCandidate)
export class RouteCandidateResolver {
  @FieldResolver(() => PartnerRef, { description: 'The candidate in the partner directory (name, kind, region, tier).' })
  partner(@Root() c: RouteCandidate): PartnerRef {
    return partnerRef(c.partnerId)!;
  }
}

@Resolver(() => RoutingCandidate)
export class RoutingCandidateResolver {
  @FieldResolver(() => PartnerRef, { description: 'The candidate in the partner directory.' })
  partner(@Root() c: RoutingCandidate): PartnerRef {
    return partnerRef(c.partnerId)!;
  }
}
