import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PartnerKind, PartnerStatus, PartnerTier, Region } from './enums';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A reseller, agency, service provider or internal team: anyone who can own a customer.' })
@Entity({ name: 'partners' })
export class Partner {
  @Field(() => ID, { description: 'Stable id of the partner or internal team.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'The partner’s name as shown to other partners.' })
  @Column('text')
  name!: string;

  @Field(() => PartnerKind, { description: 'What the partner is: reseller, agency, service provider or one of our internal teams.' })
  @Column('text')
  kind!: PartnerKind;

  @Field(() => PartnerTier, { description: 'Its programme tier; SLA policies can differ by tier.' })
  @Column('text')
  tier!: PartnerTier;

  @Field(() => Region, { description: 'The region it mainly serves.' })
  @Column('text')
  region!: Region;

  @Field(() => PartnerStatus, {
    description: 'ACTIVE, or SUSPENDED (it keeps its history but cannot receive handoffs: proposing one to it is BAD_USER_INPUT).',
  })
  @Column('text', { default: PartnerStatus.ACTIVE })
  status!: PartnerStatus;

  @Field({ description: 'When the partner joined the hub (UTC).' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field({ description: 'When its directory entry last changed (UTC).' })
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
