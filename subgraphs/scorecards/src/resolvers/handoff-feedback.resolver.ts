import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ScorecardsContext } from '../context';
import { Feedback } from '../entities/feedback.entity';
import { HandoffRef } from '../entities/refs';

@Resolver(() => HandoffRef)
export class HandoffFeedbackResolver {
  @FieldResolver(() => [Feedback], {
    nullable: true,
    description: 'Current feedback per source (CUSTOMER, INTERNAL, PARTNER); null when the caller may not see the handoff.',
  })
  async feedback(@Root() handoff: HandoffRef, @Ctx() ctx: ScorecardsContext): Promise<Feedback[] | null> {
    // Entities reach here through __resolveReference (already checked), but a stub built
    // elsewhere in this subgraph must pass the same gate.
    if (!(await ctx.loaders.visibleHandoff.load(handoff.id))) return null;
    return ctx.loaders.feedbackByHandoff.load(handoff.id);
  }
}
