import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { HandoffMoment, PartnerTier, Segment, SlaEscalationAction, Weekday } from './enums';

@ObjectType('SlaWorkingHours', { description: 'A stretch of working time on a weekday, local wall time of the calendar.' })
export class SlaWorkingHours {
  @Field(() => Weekday, { description: 'The day of the week.' })
  weekday!: Weekday;

  @Field({ description: '"09:00"' })
  from!: string;

  @Field({ description: '"17:00"; "24:00" is the end of the day.' })
  to!: string;
}

@ObjectType('SlaCalendar', { description: 'When business time runs: an IANA time zone, working hours per weekday, and holidays.' })
export class SlaCalendar {
  @Field({ description: 'IANA time zone, e.g. "Europe/Berlin".' })
  timeZone!: string;

  @Field(() => [SlaWorkingHours], { description: 'The working stretches of each weekday; a weekday not listed has no business time.' })
  workingHours!: SlaWorkingHours[];

  @Field(() => [String], { description: 'Local dates ("2025-12-25") that are not business time.' })
  holidays!: string[];
}

/** What one version of a policy demands; shared by SlaPolicy (the current version) and SlaPolicyVersion. */
@ObjectType('SlaTerms')
export abstract class SlaTerms {
  @Field(() => Int, { description: 'The version: 1 for the policy as first set, then one more per change.' })
  version!: number;

  @Field(() => HandoffMoment, { description: 'The handoff moment it covers.' })
  moment!: HandoffMoment;

  @Field(() => PartnerTier, { nullable: true, description: 'Only handoffs to partners of this tier; null = any tier.' })
  partnerTier!: PartnerTier | null;

  @Field(() => Segment, { nullable: true, description: 'Only customers of this segment; null = any segment.' })
  customerSegment!: Segment | null;

  @Field({ description: 'Time to accept, an ISO-8601 duration in business time (as set).' })
  acceptWithin!: string;

  @Field(() => Int, { description: 'acceptWithin in business seconds on this calendar.' })
  acceptWithinSeconds!: number;

  @Field({ description: 'Time to complete after acceptance, an ISO-8601 duration in business time.' })
  completeWithin!: string;

  @Field(() => Int, { description: 'completeWithin in business seconds on this calendar.' })
  completeWithinSeconds!: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Time to propose a handoff that came due (HandoffDue), from the customer’s stage move, an ISO-8601 duration in business time; null: no PROPOSE clock.',
  })
  proposeWithin!: string | null;

  @Field(() => Int, { nullable: true, description: 'proposeWithin in business seconds on this calendar; null without proposeWithin.' })
  proposeWithinSeconds!: number | null;

  @Field(() => SlaCalendar, { description: 'When business time runs for its clocks.' })
  calendar!: SlaCalendar;

  @Field(() => Int, { description: 'A clock turns AT_RISK at this percent of its target (100 = no warning).' })
  warningThresholdPercent!: number;

  @Field(() => SlaEscalationAction, { description: 'What happens when a clock breaches.' })
  escalation!: SlaEscalationAction;

  @Field(() => ID, { nullable: true, description: 'The partner or team a REASSIGN escalation hands to; null with REASSIGN: the one routing picks.' })
  reassignToPartnerId!: string | null;

  @Field({ description: 'When this version was set.' })
  createdAt!: Date;
}

@Directive('@key(fields: "id")')
@ObjectType('SlaPolicy', {
  description: 'The SLA for a handoff moment, optionally narrowed to a partner tier and/or customer segment; shown at its current version.',
})
export class SlaPolicy extends SlaTerms {
  @Field(() => ID, { description: 'Identifies the policy (its scope); stays the same across versions.' })
  id!: string;
}

@ObjectType('SlaPolicyVersion', { description: 'One immutable version of a policy; a clock runs under the version it started with.' })
export class SlaPolicyVersion extends SlaTerms {
  @Field(() => ID, { description: 'The policy this is a version of.' })
  policyId!: string;
}
