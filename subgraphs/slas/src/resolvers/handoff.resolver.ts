import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SlasContext } from '../context';
import { HandoffRef } from '../entities/handoff.stub';
import { SlaClock } from '../entities/sla-clock.entity';

@Resolver(() => HandoffRef)
export class HandoffSlaResolver {
  @FieldResolver(() => [SlaClock], { description: 'The handoff’s SLA clocks (ACCEPT, then COMPLETE), oldest first; empty when no policy covers it.' })
  async slaClocks(@Root() handoff: HandoffRef, @Ctx() ctx: SlasContext): Promise<SlaClock[]> {
    const found = await ctx.loaders.handoffClocks.load(handoff.id);
    return found.visible ? found.clocks : [];
  }
}
