import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { CalendarSpec } from '../calendar/business-calendar';
import { SlaClockState, SlaTarget } from './enums';

/**
 * An SLA clock on one handoff. Business-time fields are computed when read, against the
 * calendar of the policy version the clock runs under.
 */
@Directive('@key(fields: "id")')
@ObjectType('SlaClock', { description: 'Times one target of a handoff (accept or complete) in business time against its SLA policy.' })
export class SlaClock {
  @Field(() => ID, { description: 'Identifies the clock.' })
  id!: string;

  @Field(() => SlaTarget, { description: 'What the clock times.' })
  target!: SlaTarget;

  @Field(() => SlaClockState, { description: 'Where the clock stands.' })
  state!: SlaClockState;

  @Field({ description: 'When the clock started: the proposal (ACCEPT) or the acceptance (COMPLETE), UTC.' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the target is reached if the clock keeps running; null while paused or once stopped before it.' })
  dueAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clock turns (or turned) AT_RISK if it keeps running.' })
  warningAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it turned AT_RISK (UTC); null if it has not.' })
  atRiskAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it passed its target (UTC); null if it has not.' })
  breachedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it stopped (UTC): target reached by the handoff, or the handoff closed; null while running.' })
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
  /** Set by slaClocks ordered by PRIORITY: the score SQL ordered it by (text, exact) and the instant it was scored at. */
  priorityScore?: string;
  priorityAsOf?: Date;
}

@ObjectType('SlaPause', { description: 'A stretch of time a clock was paused, with its reason.' })
export class SlaPause {
  @Field({ description: 'When the pause began (UTC).' })
  pausedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'null while still paused.' })
  resumedAt!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why, as given to holdHandoff.' })
  reason!: string | null;

  @Field({ description: 'Business time the pause took out of the clock, ISO-8601 (so far, while still paused).' })
  businessTime!: string;

  clockId!: string;
}

@ObjectType('SlaAttainment', { description: 'How a partner kept its SLAs in a period: clocks decided MET or BREACHED in it.' })
export class SlaAttainment {
  @Field({ description: 'The period, as asked.' })
  period!: string;

  @Field({ description: 'Start of the period (UTC).' })
  from!: Date;

  @Field({ description: 'End of the period, exclusive (UTC).' })
  to!: Date;

  @Field(() => Int, { description: 'Clocks that stopped within target in the period.' })
  met!: number;

  @Field(() => Int, { description: 'Clocks that breached in the period.' })
  breached!: number;

  @Field(() => Number, { nullable: true, description: 'met / (met + breached) × 100; null when nothing was decided.' })
  percent!: number | null;
}
