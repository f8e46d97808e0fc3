import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Recorded when a partner's sync meets a customer (by domain) that another partner owns:
 * the record is not overwritten and ownership does not move; internal teams resolve it.
 */
@ObjectType({ description: 'A partner claimed, through sync, a customer someone else holds. Internal only.' })
@Entity({ name: 'customer_ownership_claims' })
export class OwnershipClaim {
  @Field(() => ID, { description: 'Identifies the claim.' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID, { description: 'The customer both partners claim.' })
  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Field(() => ID, { description: 'The partner whose sync claimed a customer someone else holds.' })
  @Column('uuid', { name: 'claimant_partner_id' })
  claimantPartnerId!: string;

  @Field(() => ID, { nullable: true, description: 'Who owned the customer when the claim was made (null = held by us).' })
  @Column('uuid', { name: 'owner_partner_id', nullable: true })
  ownerPartnerId!: string | null;

  @Field({ description: 'The claimant’s system the row came from.' })
  @Column('text')
  system!: string;

  @Field({ description: 'The claimant’s id for the customer in that system.' })
  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Field({ description: 'OPEN until an internal team resolves it, then RESOLVED.' })
  @Column('text')
  status!: string;

  @Field({ description: 'When the sync row made the claim (UTC).' })
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
