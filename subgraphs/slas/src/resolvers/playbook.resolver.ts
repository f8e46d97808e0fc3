import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SlasContext } from '../context';
import { PlaybookRef } from '../entities/playbook.stub';
import { SlaPolicy } from '../entities/sla-policy.entity';
import { toSlaPolicy } from '../services/policy-rows';

@Resolver(() => PlaybookRef)
export class PlaybookSlaResolver {
  @FieldResolver(() => SlaPolicy, {
    nullable: true,
    description: 'The default SLA policy of the playbook’s moment (narrower tier/segment policies may apply to a given handoff: see effectiveSlaPolicy).',
  })
  async slaPolicy(@Root() playbook: PlaybookRef, @Ctx() ctx: SlasContext): Promise<SlaPolicy | null> {
    const policy = await ctx.loaders.playbookPolicy.load(playbook.id);
    return policy ? toSlaPolicy(policy) : null;
  }
}
