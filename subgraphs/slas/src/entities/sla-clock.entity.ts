import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { CalendarSpec } from '../calendar/business-calendar';
import { SlaClockState, SlaTarget } from './enums';

/**
 * An SLA clock on one handoff. Business-time fields are computed when read, against the
 * calendar of the policy version the clock runs under.
 */
@Directive('@key(fields: "id")')
@ObjectType('SlaClock')
export class SlaClock {
  @Field(() => ID)
  id!: string;

  @Field(() => SlaTarget)
  target!: SlaTarget;

  @Field(() => SlaClockState)
  state!: SlaClockState;

  @Field()
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the target is reached if the clock keeps running; null while paused or once stopped before it.' })
  dueAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clock turns (or turned) AT_RISK if it keeps running.' })
  warningAt!: Date | null;

  @Field(() => Date, { nullable: true })
  atRiskAt!: Date | null;

  @Field(() => Date, { nullable: true })
  breachedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  stoppedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'Set while paused.' })
  pausedSince!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it is paused, while paused.' })
  pauseReason!: string | null;

  @Field(() => Int, { description: 'The target in business seconds.' })
  targetBusinessSeconds!: number;

  @Field(() => ID, { description: 'The partner the clock holds to account (the receiver).' })
  accountablePartnerId!: string;

  handoffId!: string;
  policyId!: string;
  policyVersion!: number;
  calendar!: CalendarSpec;
  runningSince!: Date | null;
  /** Business ms of closed running stretches. */
  elapsedMs!: number;
  /** Business ms of closed pauses. */
  pausedMs!: number;
  targetMs!: number;
}

@ObjectType('SlaPause', { description: 'A stretch of time a clock was paused, with its reason.' })
export class SlaPause {
  @Field()
  pausedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'null while still paused.' })
  resumedAt!: Date | null;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field({ description: 'Business time the pause took out of the clock, ISO-8601 (so far, while still paused).' })
  businessTime!: string;

  clockId!: string;
}

@ObjectType('SlaAttainment', { description: 'How a partner kept its SLAs in a period: clocks decided MET or BREACHED in it.' })
export class SlaAttainment {
  @Field()
  period!: string;

  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => Int)
  met!: number;

  @Field(() => Int)
  breached!: number;

  @Field(() => Number, { nullable: true, description: 'met / (met + breached) × 100; null when nothing was decided.' })
  percent!: number | null;
}
