import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonRole } from '../../../../shared/graphql/enums';
import { TaskState, TaskStatus } from './enums';

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

  /** The person doing it (Task.assignee), always a person of the assignee partner. */
  @Column('uuid', { name: 'assignee_person_id', nullable: true })
  assigneePersonId!: string | null;

  @Field(() => PersonRole, { nullable: true, description: 'The role its playbook meant it for; null when the playbook names none.' })
  @Column('text', { name: 'assignee_role', nullable: true })
  assigneeRole!: PersonRole | null;

  /** When the overdue sweep recorded TaskOverdue (once). */
  @Column('timestamptz', { name: 'overdue_at', nullable: true })
  overdueAt!: Date | null;
}

/** Open past its due time, against `now`: what Task.overdue and Task.state show. */
export const isOverdue = (t: Pick<Task, 'status' | 'dueAt'>, now = new Date()): boolean =>
  t.status === TaskStatus.OPEN && t.dueAt !== null && t.dueAt.getTime() <= now.getTime();

export const taskState = (t: Pick<Task, 'status' | 'dueAt'>, now = new Date()): TaskState =>
  t.status === TaskStatus.DONE ? TaskState.DONE : isOverdue(t, now) ? TaskState.OVERDUE : TaskState.OPEN;
