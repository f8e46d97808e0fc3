import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * handoffs' own copy of what it needs from accounts, kept from accounts' events
 * (consumers/accounts-projection.consumer.ts). Never a GraphQL type.
 */
@Entity({ name: 'partners' })
export class PartnerProjection {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text')
  kind!: string;

  @Column('text')
  tier!: string;

  @Column('text')
  region!: string;

  @Column('text')
  status!: string;
}

/** The customer as handoffs sees it. `ownerPartnerId` is authoritative here: handoffs moves it. */
@Entity({ name: 'customers' })
export class CustomerProjection {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('text')
  name!: string;

  @Column('text', { nullable: true })
  segment!: string | null;

  @Column('text', { nullable: true })
  region!: string | null;

  @Column('text', { name: 'lifecycle_stage', nullable: true })
  lifecycleStage!: string | null;

  @Column('uuid', { name: 'owner_partner_id', nullable: true })
  ownerPartnerId!: string | null;
}

/** Who may see the customer record in handoffs: OWNER, or COLLABORATOR (a previous owner). */
@Entity({ name: 'customer_access' })
export class CustomerAccessProjection {
  @PrimaryColumn('uuid', { name: 'customer_id' })
  customerId!: string;

  @PrimaryColumn('uuid', { name: 'partner_id' })
  partnerId!: string;

  @Column('text')
  kind!: 'OWNER' | 'COLLABORATOR';
}
