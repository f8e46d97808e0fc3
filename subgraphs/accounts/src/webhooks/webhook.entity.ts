import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { WebhookStatus } from './webhook.enums';

/** A partner's HTTPS endpoint that receives signed event deliveries. */
@ObjectType({ description: 'An endpoint that receives signed deliveries of the events its owner may see.' })
@Entity({ name: 'webhooks' })
export class Webhook {
  @Field(() => ID, { description: 'Identifies the webhook; pass it to pauseWebhook, resumeWebhook or deleteWebhook.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'partner_id' })
  partnerId!: string;

  /** Fixed at creation: an internal owner's webhook receives every event. */
  @Column('boolean', { name: 'owner_internal' })
  ownerInternal!: boolean;

  @Field({ description: 'Where deliveries are POSTed.' })
  @Column('text')
  url!: string;

  @Field(() => [String], { description: 'Event types delivered; "*" means all.' })
  @Column('text', { array: true })
  events!: string[];

  /** Never exposed after creation; signs each delivery. */
  @Column('text', { select: false })
  secret!: string;

  @Field(() => WebhookStatus, { description: 'ACTIVE, PAUSED by you, or DISABLED by the hub after failing for too long (see disabledReason).' })
  @Column('text')
  status!: WebhookStatus;

  @Field(() => String, { nullable: true, description: 'Why the hub disabled it (set when status is DISABLED).' })
  @Column('text', { name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @Field(() => Int, { description: 'Failed attempts since the last success.' })
  @Column('int', { name: 'consecutive_failures' })
  consecutiveFailures!: number;

  @Field(() => Date, { nullable: true, description: 'Start of the current run of failures.' })
  @Column('timestamptz', { name: 'failing_since', nullable: true })
  failingSince!: Date | null;

  @Column('text', { name: 'start_tx' })
  startTx!: string;

  @Column('text', { name: 'start_seq' })
  startSeq!: string;

  @Field({ description: 'When the webhook was created (UTC); it receives events committed from then on.' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When its settings or status last changed (UTC).' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
