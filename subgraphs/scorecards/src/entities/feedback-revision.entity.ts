import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({ description: 'An earlier (or the current) version of a feedback.' })
@Entity({ name: 'feedback_revisions' })
export class FeedbackRevision {
  @PrimaryColumn('uuid', { name: 'feedback_id' })
  feedbackId!: string;

  @Field(() => Int, { description: '1 for the first submission, then one more per resubmission.' })
  @PrimaryColumn('int')
  revision!: number;

  @Field(() => Int, { description: '1 (poor) to 5 (excellent).' })
  @Column('smallint')
  rating!: number;

  @Field(() => String, { nullable: true, description: 'Free text.' })
  @Column('text', { nullable: true })
  comment!: string | null;

  @Field(() => [String], { description: 'Its tags.' })
  @Column('text', { array: true })
  tags!: string[];

  @Column('uuid', { name: 'submitted_by_partner_id', nullable: true })
  submittedByPartnerId!: string | null;

  @Field({ description: 'When it was submitted (UTC).' })
  @Column('timestamptz', { name: 'submitted_at' })
  submittedAt!: Date;
}
