import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A partner system's id for a customer; unique per system. */
@Entity({ name: 'customer_external_ids' })
export class CustomerExternalId {
  @PrimaryColumn('text')
  system!: string;

  @PrimaryColumn('text', { name: 'external_id' })
  externalId!: string;

  @Column('uuid', { name: 'customer_id' })
  customerId!: string;

  @Column('uuid', { name: 'partner_id', nullable: true })
  partnerId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
