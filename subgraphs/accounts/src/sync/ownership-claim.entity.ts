import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Recorded when a partner's sync meets a customer (by domain) that another partner owns:
 * the record is not overwritten and ownership does not move; internal teams resolve it.
 */
@ObjectType({ description: 'A partner claimed, through sync, a customer someone else holds. Internal only.' })
@Entity({ name: 'customer_ownership_claims' })
export class OwnershipClaim {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Field(() => ID)
  @Column('uuid', { name: 'claimant_partner_id' })
  claimantPartnerId!: string;

  @Field(() => ID, { nullable: true, description: 'Who owned the customer when the claim was made (null = held by us).' })
  @Column('uuid', { name: 'owner_partner_id', nullable: true })
  ownerPartnerId!: string | null;

  @Field()
  @Column('text')
  system!: string;

  @Field()
  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Field()
  @Column('text')
  status!: string;

  @Field()
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
