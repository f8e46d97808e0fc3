import { JSONScalar } from '../../../../shared/graphql/json';
import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { HandoffMoment, HandoffState, HandoffValueSource, RejectionReasonCode } from './enums';
import { ContextPackage } from './handoff-parts';
import type { RoutingRecord } from '../services/routing/types';

/** A handoff's customer-facing actions marked done: position (from 0) → when and by whom. */
export type CustomerActionState = Record<string, { doneAt: string; byPartnerId: string | null }>;

/**
 * A proposal to hand a customer from its owner (or from us, when nobody owns it) to a
 * receiving partner or team, and what became of it. See services/access.ts for who sees it.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A governed transfer of a customer from one owner to the next.' })
@Entity({ name: 'handoffs' })
export class Handoff {
  @Field(() => ID, { description: 'Identifies the handoff; pass it to acceptHandoff, rejectHandoff and the other transitions.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The customer being handed over (always present, even while `customer` is null).' })
  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Field({ description: "The customer's name when the handoff was proposed (part of what the receiver may see before accepting)." })
  @Column('text', { name: 'customer_name' })
  customerName!: string;

  @Field(() => HandoffMoment, { description: 'Which handoff moment this is; it decides the playbook and the SLA policy.' })
  @Column('text')
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'The name of a CUSTOM moment.' })
  @Column('text', { name: 'custom_moment', nullable: true })
  customMoment!: string | null;

  @Field(() => HandoffState, { description: 'Where it stands; see HandoffState for the transitions.' })
  @Column('text')
  state!: HandoffState;

  @Field(() => ID, { nullable: true, description: 'The sender: the owner when it was proposed (null = held directly by us).' })
  @Column('uuid', { name: 'from_partner_id', nullable: true })
  fromPartnerId!: string | null;

  @Field(() => ID, { description: 'The receiver: the partner or internal team that becomes the owner on acceptance.' })
  @Column('uuid', { name: 'to_partner_id' })
  toPartnerId!: string;

  @Field(() => ID, { nullable: true, description: 'Who proposed it: the sender, or an internal team acting for it.' })
  @Column('uuid', { name: 'proposed_by_partner_id', nullable: true })
  proposedByPartnerId!: string | null;

  // The people behind each step, when a person-bound credential took it (Handoff.proposedByPerson …).
  @Column('uuid', { name: 'proposed_by_person_id', nullable: true })
  proposedByPersonId!: string | null;

  @Column('uuid', { name: 'accepted_by_person_id', nullable: true })
  acceptedByPersonId!: string | null;

  @Column('uuid', { name: 'rejected_by_person_id', nullable: true })
  rejectedByPersonId!: string | null;

  @Column('uuid', { name: 'completed_by_person_id', nullable: true })
  completedByPersonId!: string | null;

  @Column('text', { name: 'to_partner_tier', nullable: true })
  toPartnerTier!: string | null;

  @Column('text', { name: 'customer_segment', nullable: true })
  customerSegment!: string | null;

  @Column('text', { name: 'customer_region', nullable: true })
  customerRegion!: string | null;

  @Field(() => ID, { nullable: true, description: 'The id of the playbook version it runs under; null when the moment had no published playbook.' })
  @Column('uuid', { name: 'playbook_id', nullable: true })
  playbookId!: string | null;

  @Field(() => Int, { nullable: true, description: 'The playbook version the handoff runs under.' })
  @Column('int', { name: 'playbook_version', nullable: true })
  playbookVersion!: number | null;

  @Field(() => ContextPackage, { description: 'What the sender packed for the receiver, visible before acceptance.' })
  @Column('jsonb', { name: 'context_package' })
  contextPackage!: ContextPackage;

  @Field({ description: 'What the customer is told about the change.' })
  @Column('text', { name: 'customer_message' })
  customerMessage!: string;

  @Field(() => JSONScalar, { description: 'The data the playbook requires, as the sender provided it.' })
  @Column('jsonb')
  data!: Record<string, unknown>;

  @Field({ description: 'Every field the playbook requires was present and well-typed at proposal.' })
  @Column('boolean', { name: 'required_data_complete' })
  requiredDataComplete!: boolean;

  @Field({ description: 'Paused while waiting on the customer; SLA clocks pause with it.' })
  @Column('boolean', { name: 'on_hold', default: false })
  onHold!: boolean;

  @Field(() => String, { nullable: true, description: 'What the handoff waits for while onHold; null otherwise.' })
  @Column('text', { name: 'hold_reason', nullable: true })
  holdReason!: string | null;

  @Field(() => RejectionReasonCode, { nullable: true, description: 'Set when REJECTED.' })
  @Column('text', { name: 'reason_code', nullable: true })
  reasonCode!: RejectionReasonCode | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected, cancelled or expired.' })
  @Column('text', { nullable: true })
  reason!: string | null;

  @Field(() => JSONScalar, { nullable: true, description: 'What the receiver delivered back at completion.' })
  @Column('jsonb', { nullable: true })
  deliverables!: Record<string, unknown> | null;

  @Field(() => ID, { nullable: true, description: 'The expired handoff an SLA escalation reassigned into this one.' })
  @Column('uuid', { name: 'reassigned_from_id', nullable: true })
  reassignedFromId!: string | null;

  /** How routing chose the receiver (null when the sender named it); resolved per viewer (HandoffResolver.routing). */
  @Column('jsonb', { nullable: true })
  routing!: RoutingRecord | null;

  @Field(() => ID, { nullable: true, description: 'The rejected handoff this one re-routes (the rule’s rerouteOnReject); null otherwise.' })
  @Column('uuid', { name: 'rerouted_from_id', nullable: true })
  reroutedFromId!: string | null;

  /** The value snapshot (services/handoff-value.ts): exact amount, ISO 4217 currency; never changes once written. */
  @Column('numeric', { name: 'value_amount', nullable: true })
  valueAmount!: string | null;

  @Column('text', { name: 'value_currency', nullable: true })
  valueCurrency!: string | null;

  @Field(() => HandoffValueSource, {
    nullable: true,
    description: 'Where `value` was taken from when it was proposed; null with `value`.',
  })
  @Column('text', { name: 'value_source', nullable: true })
  valueSource!: HandoffValueSource | null;

  @Field({ description: 'When it was proposed (UTC); lists of handoffs are ordered by it.' })
  @Column('timestamptz', { name: 'proposed_at' })
  proposedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When the receiver accepted (UTC); null until then.' })
  @Column('timestamptz', { name: 'accepted_at', nullable: true })
  acceptedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the receiver completed it (UTC); null until then.' })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it became REJECTED, CANCELLED or EXPIRED.' })
  @Column('timestamptz', { name: 'closed_at', nullable: true })
  closedAt!: Date | null;

  @Field({ description: 'When anything on it last changed (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;

  /** Which customer-facing actions are done, by position (services/customer-action.service.ts); Handoff.customerActions reads it. */
  @Column('jsonb', { name: 'customer_actions', default: () => "'{}'::jsonb" })
  customerActionState!: CustomerActionState;

  /** Set by a list ordered by PRIORITY: the score SQL ordered it by (text, exact) and the instant it was scored at. */
  priorityScore?: string;
  priorityAsOf?: Date;
}
