import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { SlasContext } from '../context';
import { HandoffDueRef } from '../entities/handoff-due.stub';
import { SlaDueClock } from '../entities/sla-due-clock.entity';

@Resolver(() => HandoffDueRef)
export class HandoffDueSlaResolver {
  @FieldResolver(() => SlaDueClock, {
    nullable: true,
    description:
      'The SLA PROPOSE clock: how long the accountable party is taking to propose it, in business time under the moment’s SLA policy. null when that policy sets no proposeWithin, and to a partner that is not the due’s accountable party (internal teams see every one).',
  })
  slaClock(@Root() due: HandoffDueRef, @Ctx() ctx: SlasContext): Promise<SlaDueClock | null> {
    return ctx.loaders.dueClock.load(due.id);
  }
}
