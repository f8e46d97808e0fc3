import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Contact, CustomerContext } from './customer-parts';
import { LifecycleStage, Region, Segment } from './enums';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'The one shared customer record every partner reads and writes.' })
@Entity({ name: 'customers' })
export class Customer {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => String, { nullable: true, description: 'Normalized: lower case, no scheme, no "www.".' })
  @Column('text', { nullable: true, unique: true })
  domain!: string | null;

  @Field(() => Segment)
  @Column('text')
  segment!: Segment;

  @Field(() => Region)
  @Column('text')
  region!: Region;

  @Field(() => LifecycleStage)
  @Column('text', { name: 'lifecycle_stage' })
  lifecycleStage!: LifecycleStage;

  @Field(() => [Contact])
  @Column('jsonb', { default: () => `'[]'` })
  contacts!: Contact[];

  @Field(() => CustomerContext)
  @Column('jsonb', { default: () => `'{"goals":[],"painPoints":[]}'` })
  context!: CustomerContext;

  /** Projection of ownership (set at creation, then moved by handoff events); drives access. */
  @Column('uuid', { name: 'owner_partner_id', nullable: true })
  ownerPartnerId!: string | null;

  @Field(() => Int, { description: 'Increments on every change; send it back as expectedVersion.' })
  @Column('int', { default: 1 })
  version!: number;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
