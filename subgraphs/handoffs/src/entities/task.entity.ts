import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TaskStatus } from './enums';

/** Work for the new owner, created from the playbook when it accepts. */
@ObjectType({ description: "A to-do for the customer's new owner, from the playbook." })
@Entity({ name: 'tasks' })
export class Task {
  @Field(() => ID, { description: 'Identifies the task; pass it to completeTask.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The handoff that created it.' })
  @Column('uuid', { name: 'handoff_id' })
  handoffId!: string;

  @Field(() => ID, { description: 'The customer it is about.' })
  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Field(() => ID, { description: 'Who must do it: the handoff’s receiver, the customer’s new owner.' })
  @Column('uuid', { name: 'assignee_partner_id' })
  assigneePartnerId!: string;

  @Field({ description: 'What to do, e.g. "Schedule the kickoff call".' })
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true, description: 'Details, from the playbook.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => TaskStatus, { description: 'OPEN until completeTask marks it DONE.' })
  @Column('text')
  status!: TaskStatus;

  @Field(() => Date, { nullable: true, description: 'When it is due (UTC): acceptance plus the playbook’s dueInDays; null when the playbook sets none.' })
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Field({ description: 'When it was created, on acceptance (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was marked DONE (UTC); null while OPEN.' })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;
}
