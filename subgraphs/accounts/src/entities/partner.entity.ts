import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { PartnerKind, PartnerStatus, PartnerTier, Region } from './enums';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A reseller, agency, service provider or internal team: anyone who can own a customer.' })
@Entity({ name: 'partners' })
export class Partner {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field()
  @Column('text')
  name!: string;

  @Field(() => PartnerKind)
  @Column('text')
  kind!: PartnerKind;

  @Field(() => PartnerTier)
  @Column('text')
  tier!: PartnerTier;

  @Field(() => Region)
  @Column('text')
  region!: Region;

  @Field(() => PartnerStatus)
  @Column('text', { default: PartnerStatus.ACTIVE })
  status!: PartnerStatus;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Field()
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
