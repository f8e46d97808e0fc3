import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Contact, CustomerContext } from './customer-parts';
import { LifecycleStage, Region, Segment } from './enums';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'The one shared customer record every partner reads and writes.' })
@Entity({ name: 'customers' })
export class Customer {
  @Field(() => ID, { description: 'Stable id of the shared record; the same in every subgraph and event.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'The customer’s name, e.g. "Contoso Pharma".' })
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true, description: 'Normalized: lower case, no scheme, no "www.".' })
  @Column('text', { nullable: true, unique: true })
  domain!: string | null;

  @Field(() => Segment, { description: 'Its market segment; SLA policies and scorecards group by it.' })
  @Column('text')
  segment!: Segment;

  @Field(() => Region, { description: 'Its sales region; scorecards group by it.' })
  @Column('text')
  region!: Region;

  @Field(() => LifecycleStage, { description: 'Where the customer is now; a playbook’s trigger names the stages a moment moves between.' })
  @Column('text', { name: 'lifecycle_stage' })
  lifecycleStage!: LifecycleStage;

  @Field(() => [Contact], { description: 'People at the customer, in the order they were added.' })
  @Column('jsonb', { default: () => `'[]'` })
  contacts!: Contact[];

  @Field(() => CustomerContext, { description: 'What the customer already told us, so that the next owner does not ask again.' })
  @Column('jsonb', { default: () => `'{"goals":[],"painPoints":[]}'` })
  context!: CustomerContext;

  /** Projection of ownership (set at creation, then moved by handoff events); drives access. */
  @Column('uuid', { name: 'owner_partner_id', nullable: true })
  ownerPartnerId!: string | null;

  @Field(() => Int, { description: 'Increments on every change; send it back as expectedVersion.' })
  @Column('int', { default: 1 })
  version!: number;

  @Field({ description: 'When the record was created (UTC).' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When the record last changed (UTC).' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
