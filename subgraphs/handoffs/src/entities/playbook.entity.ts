import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { CustomerContextPart, HandoffMoment } from './enums';
import { PlaybookField, PlaybookTaskTemplate, PlaybookTrigger } from './playbook-parts';

/** One published version of the playbook of a moment; publishing again adds a version. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'How a handoff moment is run: trigger, required data, owner, customer-facing actions, deliverables back.' })
@Entity({ name: 'playbooks' })
export class Playbook {
  @Field(() => ID, { description: 'Identifies this version.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => HandoffMoment, { description: 'The handoff moment it governs.' })
  @Column('text')
  moment!: HandoffMoment;

  @Field(() => String, { nullable: true, description: 'The name of a CUSTOM moment.' })
  @Column('text', { name: 'custom_moment', nullable: true })
  customMoment!: string | null;

  /** `moment`, or `CUSTOM:<name>`: versions count per key. */
  @Column('text', { name: 'moment_key' })
  momentKey!: string;

  @Field(() => Int, { description: '1 for the first published version of the moment, then one more per publication.' })
  @Column('int')
  version!: number;

  @Field({ description: 'Its title, e.g. "Closed-won to onboarding".' })
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true, description: 'What the playbook is for, in a few sentences.' })
  @Column('text', { nullable: true })
  description!: string | null;

  @Field(() => PlaybookTrigger, { description: 'When the moment happens.' })
  @Column('jsonb')
  trigger!: PlaybookTrigger;

  @Field(() => [PlaybookField], { description: 'What proposeHandoff must carry in `data`.' })
  @Column('jsonb', { name: 'required_fields' })
  requiredFields!: PlaybookField[];

  @Field({ description: 'Who is accountable on the receiving side, e.g. "Onboarding manager".' })
  @Column('text', { name: 'responsible_role' })
  responsibleRole!: string;

  @Field(() => [String], { description: 'What the customer experiences, in order.' })
  @Column('jsonb', { name: 'customer_facing_actions' })
  customerFacingActions!: string[];

  @Field(() => [CustomerContextPart], {
    description:
      'Which parts of a handoff’s context package the customer sees on its journey page (issueCustomerJourneyLink), so it is not asked again; empty: none.',
  })
  @Column('jsonb', { name: 'customer_visible_context', default: () => "'[]'::jsonb" })
  customerVisibleContext!: CustomerContextPart[];

  @Field(() => [PlaybookTaskTemplate], { description: 'Tasks created for the new owner on acceptance.' })
  @Column('jsonb')
  tasks!: PlaybookTaskTemplate[];

  @Field(() => [PlaybookField], { description: 'What completeHandoff must carry in `deliverables`.' })
  @Column('jsonb')
  deliverables!: PlaybookField[];

  @Field(() => String, { nullable: true, description: 'What changed from the previous version, and why.' })
  @Column('text', { name: 'change_note', nullable: true })
  changeNote!: string | null;

  @Field({ description: 'When this version was published (UTC).' })
  @Column('timestamptz', { name: 'published_at' })
  publishedAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The internal team that published it.' })
  @Column('uuid', { name: 'published_by_partner_id', nullable: true })
  publishedByPartnerId!: string | null;
}
