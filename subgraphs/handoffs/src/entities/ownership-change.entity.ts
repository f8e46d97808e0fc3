import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { OwnershipChangeReason } from './enums';

/** One line of a customer's ownership history; append-only (a trigger refuses UPDATE and DELETE). */
@ObjectType({ description: 'A change of owner, appended when a handoff is accepted (or reclaimed).' })
@Entity({ name: 'ownership_changes' })
export class OwnershipChange {
  @Field(() => ID, { description: 'Identifies the change.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The customer whose owner changed.' })
  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Field(() => ID, { nullable: true, description: 'null = held directly by us.' })
  @Column('uuid', { name: 'from_partner_id', nullable: true })
  fromPartnerId!: string | null;

  @Field(() => ID, { nullable: true, description: 'null = back with us.' })
  @Column('uuid', { name: 'to_partner_id', nullable: true })
  toPartnerId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The handoff behind it.' })
  @Column('uuid', { name: 'handoff_id', nullable: true })
  handoffId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The partner that made it happen (null for the hub itself, e.g. an SLA escalation).' })
  @Column('uuid', { name: 'actor_partner_id', nullable: true })
  actorPartnerId!: string | null;

  @Field(() => OwnershipChangeReason, { description: 'Why the owner changed.' })
  @Column('text')
  reason!: OwnershipChangeReason;

  @Field({ description: 'When the owner changed (UTC).' })
  @Column('timestamptz')
  at!: Date;
}
