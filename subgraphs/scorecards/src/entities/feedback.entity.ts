import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { FeedbackSource } from './enums';
import { HandoffRef, PartnerRef } from './refs';

/** One per source per handoff; a resubmission updates it and keeps the earlier revisions. */
@ObjectType({ description: 'Feedback on a handoff from the customer, an internal team or a partner.' })
@Entity({ name: 'feedback' })
export class Feedback {
  @Field(() => ID, { description: 'Identifies the feedback (one per source and handoff).' })
  @PrimaryColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The handoff it is about.' })
  @Column('uuid', { name: 'handoff_id' })
  handoffId!: string;

  @Field(() => HandoffRef, { description: 'The handoff it is about.' })
  handoff(): HandoffRef {
    return { id: this.handoffId };
  }

  @Field(() => FeedbackSource, { description: 'Who gave it.' })
  @Column('text')
  source!: FeedbackSource;

  @Field(() => Int, { description: '1 (poor) to 5 (excellent).' })
  @Column('smallint')
  rating!: number;

  @Field(() => String, { nullable: true, description: 'Free text, at most 2,000 characters.' })
  @Column('text', { nullable: true })
  comment!: string | null;

  @Field(() => [String], { description: 'e.g. "had to repeat information", "late", "clear next steps".' })
  @Column('text', { array: true })
  tags!: string[];

  @Field(() => Int, { description: 'Raised by each resubmission; see `history`.' })
  @Column('int')
  revision!: number;

  @Column('uuid', { name: 'submitted_by_partner_id', nullable: true })
  submittedByPartnerId!: string | null;

  @Field(() => PartnerRef, { nullable: true, description: 'Who submitted the current revision (null for the customer).' })
  submittedBy(): PartnerRef | null {
    return this.submittedByPartnerId ? { id: this.submittedByPartnerId } : null;
  }

  @Field({ description: 'When it was first submitted (UTC).' })
  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;

  @Field({ description: 'When the current revision was submitted (UTC).' })
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt!: Date;
}
