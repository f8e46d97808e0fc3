import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { formatBusinessDuration } from '../calendar/business-duration';
import type { SlasContext } from '../context';
import { HandoffDueRef } from '../entities/handoff-due.stub';
import { SlaDueClock } from '../entities/sla-due-clock.entity';
import { SlaPolicyVersion } from '../entities/sla-policy.entity';
import { dueClockElapsedMs } from '../services/due-clock.service';
import { toSlaPolicyVersion } from '../services/policy-rows';

@Resolver(() => SlaDueClock)
export class SlaDueClockResolver {
  @FieldResolver(() => String, { description: 'Business time used so far (in total once stopped), ISO-8601, e.g. "PT3H20M".' })
  businessTimeElapsed(@Root() clock: SlaDueClock): string {
    return formatBusinessDuration(dueClockElapsedMs(clock, new Date()));
  }

  @FieldResolver(() => Int, { description: 'businessTimeElapsed in seconds.' })
  businessSecondsElapsed(@Root() clock: SlaDueClock): number {
    return Math.floor(dueClockElapsedMs(clock, new Date()) / 1000);
  }

  @FieldResolver(() => String, { description: 'Business time left before the target ("PT0S" once reached).' })
  businessTimeRemaining(@Root() clock: SlaDueClock): string {
    return formatBusinessDuration(clock.targetMs - dueClockElapsedMs(clock, new Date()));
  }

  @FieldResolver(() => SlaPolicyVersion, { description: 'The policy version the clock runs under (its proposeWithin is the target).' })
  async policy(@Root() clock: SlaDueClock, @Ctx() ctx: SlasContext): Promise<SlaPolicyVersion> {
    return toSlaPolicyVersion((await ctx.loaders.policyVersion.load(`${clock.policyId}:${clock.policyVersion}`))!);
  }

  @FieldResolver(() => HandoffDueRef, { description: 'The handoff that came due, which the clock times.' })
  due(@Root() clock: SlaDueClock): HandoffDueRef {
    return { id: clock.dueId };
  }
}
