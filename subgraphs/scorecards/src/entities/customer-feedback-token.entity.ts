import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The server-side half of a customer's feedback link: makes the signed token single-use. */
@Entity({ name: 'customer_feedback_tokens' })
export class CustomerFeedbackTokenRow {
  @PrimaryColumn('uuid')
  id!: string;

  @Column('uuid', { name: 'handoff_id' })
  handoffId!: string;

  @Column('uuid', { name: 'issued_by_partner_id', nullable: true })
  issuedByPartnerId!: string | null;

  @Column('timestamptz', { name: 'issued_at' })
  issuedAt!: Date;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;

  /** When the journey link this token is was revoked (CustomerJourneyLinkRevoked): no feedback with it since. */
  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
