import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { DeliveryStatus } from './webhook.enums';

/** One event queued for one endpoint: the durable worker's unit of work. */
@ObjectType({ description: 'One event sent (or to be sent) to one webhook, with its attempts.' })
@Entity({ name: 'webhook_deliveries' })
export class WebhookDelivery {
  @Field(() => ID, { description: 'Identifies the delivery; pass it to redeliver.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'bigint', insert: false, update: false })
  seq!: string;

  @Column('uuid', { name: 'webhook_id' })
  webhookId!: string;

  @Field(() => ID, { description: 'The event id, also sent in the body: dedupe on it.' })
  @Column('uuid', { name: 'event_id' })
  eventId!: string;

  @Field({ description: 'The event’s type, e.g. HandoffAccepted.' })
  @Column('text', { name: 'event_type' })
  eventType!: string;

  @Field(() => DeliveryStatus, { description: 'PENDING until it succeeds or its retries run out.' })
  @Column('text')
  status!: DeliveryStatus;

  @Field(() => Int, { description: 'HTTP attempts made so far.' })
  @Column('int')
  attempts!: number;

  @Field(() => Date, { nullable: true, description: 'When the next attempt is due (PENDING only).' })
  @Column('timestamptz', { name: 'next_attempt_at' })
  nextAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status of the last attempt; null when none answered.' })
  @Column('int', { name: 'last_status_code', nullable: true })
  lastStatusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed (e.g. a timeout or a non-2xx answer); null after a success.' })
  @Column('text', { name: 'last_error', nullable: true })
  lastError!: string | null;

  @Field(() => Int, { nullable: true, description: 'Milliseconds the last attempt took.' })
  @Column('int', { name: 'last_latency_ms', nullable: true })
  lastLatencyMs!: number | null;

  @Field(() => Date, { nullable: true, description: 'When an attempt succeeded (UTC); null until then.' })
  @Column('timestamptz', { name: 'delivered_at', nullable: true })
  deliveredAt!: Date | null;

  @Field({ description: 'When the delivery was queued (UTC).' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@ObjectType({ description: 'One HTTP attempt of a delivery.' })
export class WebhookAttempt {
  @Field({ description: 'When the attempt started (UTC).' })
  attemptedAt!: Date;

  @Field(() => Int, { nullable: true, description: 'null when no response arrived (timeout, refused, worker lost).' })
  statusCode!: number | null;

  @Field(() => Int, { nullable: true, description: 'Milliseconds until the answer (or the failure).' })
  latencyMs!: number | null;

  @Field(() => String, { nullable: true, description: 'Why it failed; null on success.' })
  error!: string | null;
}
