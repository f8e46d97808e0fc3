import { ArrayMaxSize, IsOptional, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { HandoffMoment, PartnerTier, Segment, SlaClockState, SlaEscalationAction, SlaTarget, Weekday } from '../entities/enums';

@InputType('SlaWorkingHoursInput', { description: 'A stretch of working time on a weekday, in the calendar’s local time.' })
export class SlaWorkingHoursInput {
  @Field(() => Weekday, { description: 'The day of the week.' })
  weekday!: Weekday;

  @Field({ description: '"HH:MM", local time of the calendar.' })
  @MaxLength(5)
  from!: string;

  @Field({ description: '"HH:MM" after `from`; "24:00" = end of day.' })
  @MaxLength(5)
  to!: string;
}

@InputType('SlaCalendarInput', { description: 'For round-the-clock SLAs list every weekday 00:00–24:00.' })
export class SlaCalendarInput {
  @Field({ description: 'IANA time zone, e.g. "Europe/Berlin".' })
  @MaxLength(64)
  timeZone!: string;

  @Field(() => [SlaWorkingHoursInput], { description: 'The working stretches per weekday (several per day allowed, not overlapping); at least one.' })
  @ArrayMaxSize(70)
  @ValidateNested({ each: true })
  workingHours!: SlaWorkingHoursInput[];

  @Field(() => [String], { nullable: true, description: 'Local dates "YYYY-MM-DD" that are not business time.' })
  @IsOptional()
  @ArrayMaxSize(1000)
  holidays?: string[] | null;
}

@InputType('SlaPolicyInput', {
  description:
    'Sets the policy for a scope (moment, optional partnerTier, optional customerSegment), creating its next version. Durations are ISO-8601 business time on `calendar`: H/M/S are business hours, minutes, seconds; D is one working day of the calendar (weekly working time ÷ working weekdays), W its working week; years and months are refused.',
})
export class SlaPolicyInput {
  @Field(() => HandoffMoment, { description: 'The handoff moment it covers.' })
  moment!: HandoffMoment;

  @Field(() => PartnerTier, { nullable: true, description: 'Narrow to handoffs whose receiver has this tier.' })
  @IsOptional()
  partnerTier?: PartnerTier | null;

  @Field(() => Segment, { nullable: true, description: 'Narrow to customers of this segment.' })
  @IsOptional()
  customerSegment?: Segment | null;

  @Field({ description: 'e.g. "PT4H"' })
  @MaxLength(40)
  acceptWithin!: string;

  @Field({ description: 'e.g. "P5D"' })
  @MaxLength(40)
  completeWithin!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'e.g. "P1D": time to propose a handoff that came due, from the customer’s stage move (the PROPOSE target, HandoffDue.slaClock). Leave it out for no PROPOSE clock.',
  })
  @IsOptional()
  @MaxLength(40)
  proposeWithin?: string | null;

  @Field(() => SlaCalendarInput, { description: 'When business time runs for its clocks.' })
  @ValidateNested()
  calendar!: SlaCalendarInput;

  @Field(() => Int, { defaultValue: 80, description: 'Percent of the target at which a clock turns AT_RISK; 100 = no warning.' })
  @Min(1)
  @Max(100)
  warningThresholdPercent!: number;

  @Field(() => SlaEscalationAction, { defaultValue: SlaEscalationAction.NOTIFY, description: 'What happens when a clock breaches. Default: NOTIFY.' })
  escalation!: SlaEscalationAction;

  @Field(() => ID, {
    nullable: true,
    description:
      'For REASSIGN: the partner or team to hand to; leave it out to let the routing rule of the moment pick one (never the breached receiver). Refused for other escalations.',
  })
  @IsOptional()
  reassignToPartnerId?: string | null;

  @Field({
    defaultValue: false,
    description:
      'Move clocks still running under older versions of this policy to the new version. Their elapsed time is recomputed from their start and pauses under the new calendar, so time already paused stays paused.',
  })
  applyToRunningClocks!: boolean;
}

@InputType('SlaClockFilter', { description: 'Narrows a clock list; every field given must match.' })
export class SlaClockFilter {
  @Field(() => [SlaClockState], { nullable: true, description: 'e.g. [AT_RISK] for handoffs at risk.' })
  @IsOptional()
  @ArrayMaxSize(6)
  states?: SlaClockState[] | null;

  @Field(() => SlaTarget, { nullable: true, description: 'Only clocks of this target.' })
  @IsOptional()
  target?: SlaTarget | null;

  @Field(() => ID, { nullable: true, description: 'Clocks on handoffs this partner sends or receives.' })
  @IsOptional()
  partnerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only the clocks of this handoff.' })
  @IsOptional()
  handoffId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only clocks due before this instant.' })
  @IsOptional()
  dueBefore?: Date | null;
}
