import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { HandoffDueState, HandoffMoment, HandoffValueSource, LifecycleStage } from './enums';

@ObjectType({ description: 'The lifecycle stage move that made a handoff due.' })
export class StageMove {
  @Field(() => LifecycleStage, { description: 'The stage the customer left.' })
  fromStage!: LifecycleStage;

  @Field(() => LifecycleStage, { description: 'The stage the customer entered.' })
  toStage!: LifecycleStage;

  @Field(() => ID, { description: 'The CustomerUpdated event that recorded the move (see the change feed).' })
  eventId!: string;

  @Field({ description: 'When the move was recorded (UTC).' })
  at!: Date;
}

/**
 * A handoff the journey says is now due: a customer's stage move matched the trigger of a
 * moment's current playbook (services/handoff-due.service.ts). One per causing event and
 * moment; at most one OPEN per customer and moment. An entity: slas contributes its SLA
 * PROPOSE clock (`slaClock`).
 */
@Directive('@key(fields: "id")')
@ObjectType({
  description:
    'A handoff that came due: the customer moved between the lifecycle stages a playbook’s trigger names, so the accountable party should propose the handoff of that moment (routing suggests the receiver).',
})
@Entity({ name: 'handoff_dues' })
export class HandoffDue {
  @Field(() => ID, { description: 'Identifies the due; pass it to dismissHandoffDue.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The customer the handoff is due for; always there, even when `customer` is null for the caller.' })
  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Field(() => HandoffMoment, { description: 'The handoff moment that is due.' })
  @Column('text')
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'The name of a CUSTOM moment; null otherwise.' })
  @Column('text', { name: 'custom_moment', nullable: true })
  customMoment!: string | null;

  /** `moment`, or `CUSTOM:<name>` (playbook.service momentKey). */
  @Column('text', { name: 'moment_key' })
  momentKey!: string;

  @Column('uuid', { name: 'playbook_id' })
  playbookId!: string;

  @Field(() => Int, { description: 'The version of the moment’s playbook whose trigger fired.' })
  @Column('int', { name: 'playbook_version' })
  playbookVersion!: number;

  @Column('text', { name: 'from_stage' })
  fromStage!: LifecycleStage;

  @Column('text', { name: 'to_stage' })
  toStage!: LifecycleStage;

  @Column('uuid', { name: 'cause_event_id' })
  causeEventId!: string;

  @Column('timestamptz', { name: 'moved_at' })
  movedAt!: Date;

  /** The customer's owner when it came due, or the internal team the playbook names; null: any internal team. */
  @Column('uuid', { name: 'accountable_partner_id', nullable: true })
  accountablePartnerId!: string | null;

  /** Routing's first candidate when it came due (a preview: no rotation moved); null when routing found nobody. */
  @Column('uuid', { name: 'suggested_partner_id', nullable: true })
  suggestedPartnerId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The routing rule that suggested the receiver; null when no rule applied.' })
  @Column('uuid', { name: 'suggestion_rule_id', nullable: true })
  suggestionRuleId!: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The playbook trigger’s proposeWithin (ISO-8601 duration, e.g. "P2D") when it came due; null when the playbook sets none.',
  })
  @Column('text', { name: 'propose_within', nullable: true })
  proposeWithin!: string | null;

  @Field(() => Date, {
    nullable: true,
    description:
      'The stage move’s time plus proposeWithin, in wall-clock UTC; null without proposeWithin. The SLA PROPOSE target (slas) times the same duration in business hours.',
  })
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Field({ description: 'The playbook trigger’s autoPropose when it came due.' })
  @Column('boolean', { name: 'auto_propose' })
  autoPropose!: boolean;

  @Field(() => [String], {
    description:
      'The names of the playbook’s required fields the customer’s record does not hold (or holds in the wrong type), as of when it opened or the hub last tried to propose it; empty when the record holds them all. An autoPropose due stays OPEN while any is missing; a handoff the hub proposes anyway (an SLA escalation) carries requiredDataComplete false.',
  })
  @Column('text', { name: 'missing_data', array: true, default: () => `'{}'` })
  missingData!: string[];

  @Field(() => HandoffDueState, { description: 'Where it stands.' })
  @Column('text')
  state!: HandoffDueState;

  @Column('uuid', { name: 'handoff_id', nullable: true })
  handoffId!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was dismissed; null unless DISMISSED.' })
  @Column('text', { name: 'dismissed_reason', nullable: true })
  dismissedReason!: string | null;

  @Column('uuid', { name: 'dismissed_by_partner_id', nullable: true })
  dismissedByPartnerId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The CustomerUpdated event of the later stage move that superseded it; null unless SUPERSEDED.' })
  @Column('uuid', { name: 'superseded_by_event_id', nullable: true })
  supersededByEventId!: string | null;

  /** The value snapshot (services/handoff-value.ts): exact amount, ISO 4217 currency; never changes once written. */
  @Column('numeric', { name: 'value_amount', nullable: true })
  valueAmount!: string | null;

  @Column('text', { name: 'value_currency', nullable: true })
  valueCurrency!: string | null;

  @Field(() => HandoffValueSource, {
    nullable: true,
    description: 'Where `value` was taken from when the due opened; null with `value`.',
  })
  @Column('text', { name: 'value_source', nullable: true })
  valueSource!: HandoffValueSource | null;

  @Field({ description: 'When it opened (UTC).' })
  @Column('timestamptz', { name: 'opened_at' })
  openedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it left OPEN (UTC); null while OPEN.' })
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  /** Set by a list ordered by PRIORITY: the score SQL ordered it by (text, exact) and the instant it was scored at. */
  priorityScore?: string;
  priorityAsOf?: Date;
}
