import { Field, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@ObjectType({ description: 'An earlier (or the current) version of a feedback.' })
@Entity({ name: 'feedback_revisions' })
export class FeedbackRevision {
  @PrimaryColumn('uuid', { name: 'feedback_id' })
  feedbackId!: string;

  @Field(() => Int)
  @PrimaryColumn('int')
  revision!: number;

  @Field(() => Int)
  @Column('smallint')
  rating!: number;

  @Field(() => String, { nullable: true })
  @Column('text', { nullable: true })
  comment!: string | null;

  @Field(() => [String])
  @Column('text', { array: true })
  tags!: string[];

  @Column('uuid', { name: 'submitted_by_partner_id', nullable: true })
  submittedByPartnerId!: string | null;

  @Field()
  @Column('timestamptz', { name: 'submitted_at' })
  submittedAt!: Date;
}
