import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import type { SlasContext } from '../context';
import { HandoffMoment, PartnerTier, Segment } from '../entities/enums';
import { PartnerRef } from '../entities/partner.stub';
import { SlaPolicy, SlaPolicyVersion } from '../entities/sla-policy.entity';
import { toSlaPolicy, toSlaPolicyVersion } from '../services/policy-rows';
import { listPolicies, selectPolicy, setSlaPolicy } from '../services/policy.service';
import { SlaPolicyInput } from './sla-policy.inputs';

/** Policies are no secret: every authenticated caller may read them; only internal teams set them. */
@Resolver(() => SlaPolicy)
export class SlaPolicyResolver {
  @Query(() => [SlaPolicy], { description: 'Current policies, optionally of one moment; the moment default first, then narrower ones.' })
  async slaPolicies(
    @Ctx() ctx: SlasContext,
    @Arg('moment', () => HandoffMoment, { nullable: true, description: 'Only the policies of this moment. Default: all moments.' }) moment?: HandoffMoment,
  ): Promise<SlaPolicy[]> {
    return (await listPolicies(ctx.db, moment)).map(toSlaPolicy);
  }

  @Query(() => SlaPolicy, { nullable: true, description: 'null with NOT_FOUND when no such policy exists.' })
  async slaPolicy(@Arg('id', () => ID, { description: 'The policy’s id.' }) id: string, @Ctx() ctx: SlasContext): Promise<SlaPolicy> {
    const policy = await ctx.loaders.policy.load(assertId(id, 'id'));
    if (!policy) throw notFound('SlaPolicy', id);
    return toSlaPolicy(policy);
  }

  @Query(() => SlaPolicy, {
    nullable: true,
    description:
      'The policy a handoff with these attributes gets. Most specific wins: moment + tier + segment, then moment + tier, then moment + segment, then the moment alone; null when none covers the moment.',
  })
  async effectiveSlaPolicy(
    @Arg('moment', () => HandoffMoment, { description: 'The handoff moment.' }) moment: HandoffMoment,
    @Ctx() ctx: SlasContext,
    @Arg('partnerTier', () => PartnerTier, { nullable: true, description: 'The receiving partner’s tier; omit it to ignore tier-specific policies.' })
    partnerTier?: PartnerTier,
    @Arg('customerSegment', () => Segment, { nullable: true, description: 'The customer’s segment; omit it to ignore segment-specific policies.' })
    customerSegment?: Segment,
  ): Promise<SlaPolicy | null> {
    const policy = await selectPolicy(ctx.db, moment, partnerTier ?? null, customerSegment ?? null);
    return policy ? toSlaPolicy(policy) : null;
  }

  @Mutation(() => SlaPolicy, {
    description: 'Internal callers only. Creates the next version of the policy for the input’s scope (none when the input repeats the current one).',
  })
  async setSlaPolicy(
    @Arg('input', () => SlaPolicyInput, { description: 'The scope the policy covers and its targets.' }) input: SlaPolicyInput,
    @Ctx() ctx: SlasContext,
  ): Promise<SlaPolicy> {
    return toSlaPolicy(await setSlaPolicy(ctx.db, ctx.identity, input));
  }

  @FieldResolver(() => [SlaPolicyVersion], { description: 'Every version, newest first.' })
  async versions(@Root() policy: SlaPolicy, @Ctx() ctx: SlasContext): Promise<SlaPolicyVersion[]> {
    return (await ctx.loaders.policyVersions.load(policy.id)).map(toSlaPolicyVersion);
  }

  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The partner a REASSIGN escalation hands to.' })
  reassignToPartner(@Root() policy: SlaPolicy): PartnerRef | null {
    return policy.reassignToPartnerId ? { id: policy.reassignToPartnerId } : null;
  }
}

@Resolver(() => SlaPolicyVersion)
export class SlaPolicyVersionResolver {
  @FieldResolver(() => PartnerRef, { nullable: true, description: 'The partner a REASSIGN escalation hands to.' })
  reassignToPartner(@Root() policy: SlaPolicyVersion): PartnerRef | null {
    return policy.reassignToPartnerId ? { id: policy.reassignToPartnerId } : null;
  }
}
