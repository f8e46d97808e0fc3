import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { TaskStatus } from './enums';

/** Work for the new owner, created from the playbook when it accepts. */
@ObjectType({ description: "A to-do for the customer's new owner, from the playbook." })
@Entity({ name: 'tasks' })
export class Task {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'handoff_id' })
  handoffId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'assignee_partner_id' })
  assigneePartnerId!: string;

  @Field()
  @Column('text')
  title!: string;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => TaskStatus)
  @Column('text')
  status!: TaskStatus;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'due_at', nullable: true })
  dueAt!: Date | null;

  @Field()
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  @Column('timestamptz', { name: 'completed_at', nullable: true })
  completedAt!: Date | null;
}
