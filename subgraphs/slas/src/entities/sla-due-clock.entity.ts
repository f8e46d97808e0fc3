import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { HandoffDueSnapshot } from '../../../../shared/eventlog/events';
import type { CalendarSpec } from '../calendar/business-calendar';
import { SlaClockState, SlaTarget } from './enums';

/**
 * A PROPOSE clock on a handoff that came due (handoffs' HandoffDue). Business-time fields are
 * computed when read, against the calendar of the policy version the clock runs under. A
 * due is never on hold, so the clock runs from its start until it stops.
 */
@ObjectType('SlaDueClock', {
  description:
    'Times the PROPOSE target of a handoff that came due: from the customer’s stage move to the proposal, in business time against the SLA policy of the moment.',
})
export class SlaDueClock {
  @Field(() => ID, { description: 'Identifies the clock.' })
  id!: string;

  @Field(() => SlaTarget, { description: 'What the clock times: always PROPOSE.' })
  target!: SlaTarget;

  @Field(() => SlaClockState, {
    description:
      'RUNNING, AT_RISK, then MET (proposed in time), BREACHED (past its target; stays BREACHED once stopped) or CANCELLED (dismissed or superseded in time).',
  })
  state!: SlaClockState;

  @Field({ description: 'When the clock started: the customer’s stage move that made the handoff due (UTC).' })
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the target is reached in business time (UTC); null when the calendar has no business time left.' })
  dueAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the clock turns (or turned) AT_RISK; null when the policy’s warning threshold is 100.' })
  warningAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it turned AT_RISK (UTC); null if it has not.' })
  atRiskAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it passed its target (UTC); null if it has not.' })
  breachedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it stopped (UTC): the due was proposed, dismissed or superseded; null while running.' })
  stoppedAt!: Date | null;

  @Field(() => Int, { description: 'The target (the policy’s proposeWithin) in business seconds.' })
  targetBusinessSeconds!: number;

  @Field(() => ID, { nullable: true, description: 'The partner the clock holds to account (the due’s accountable party); null: internal teams.' })
  accountablePartnerId!: string | null;

  dueId!: string;
  customerId!: string;
  moment!: string;
  policyId!: string;
  policyVersion!: number;
  calendar!: CalendarSpec;
  targetMs!: number;
  warningMs!: number;
  /** Business ms used; final once stopped (a running clock counts from startedAt). */
  elapsedMs!: number;
  decidedAt!: Date | null;
  /** The due as its last HandoffDue* event carried it. */
  due!: HandoffDueSnapshot;
}
