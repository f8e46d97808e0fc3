import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { AccessKind } from './enums';

/** Which partners may see and change a customer: its owner and its collaborators. */
@Entity({ name: 'customer_access' })
export class CustomerAccess {
  @PrimaryColumn('uuid', { name: 'customer_id' })
  customerId!: string;

  @PrimaryColumn('uuid', { name: 'partner_id' })
  partnerId!: string;

  @Column('text')
  kind!: AccessKind;

  @CreateDateColumn({ name: 'granted_at', type: 'timestamptz' })
  grantedAt!: Date;
}
