import type { Identity } from '../../../../shared/auth/identity';
import { OwnershipChangeReason } from '../entities/enums';
import type { OwnershipChange } from '../entities/ownership-change.entity';
import { OWNERSHIP_COLUMNS, toOwnershipChange, type CustomerRow } from './handoff-store';
import { ownershipEvent } from './handoff-events';
import type { NewEvent } from '../../../../shared/eventlog/event-log';
import type { Sql } from './sql';
import { oneRow } from '../../../../shared/db/rows';

/** Options for {@link transferOwnership}. */
export interface TransferOptions {
  /** The customer, locked by the caller's transaction. */
  customer: CustomerRow;
  toPartnerId: string | null;
  handoffId: string | null;
  actor: Identity | null;
  reason: OwnershipChangeReason;
  /** What the previous owner keeps (see services/access.ts, rule 3). */
  previousOwnerAccess: 'COLLABORATOR' | 'NONE';
  at?: Date;
}

/**
 * Moves ownership inside the caller's transaction: the owner, the access grants, one
 * appended history row, and the OwnershipChanged event accounts applies to its own tables.
 */
export async function transferOwnership(sql: Sql, opts: TransferOptions): Promise<{ change: OwnershipChange; event: NewEvent }> {
  const { customer, toPartnerId } = opts;
  const from = customer.ownerPartnerId;
  await sql.query(`UPDATE handoffs.customers SET owner_partner_id = $2, updated_at = now() WHERE id = $1`, [customer.id, toPartnerId]);
  if (from && from !== toPartnerId) {
    if (opts.previousOwnerAccess === 'COLLABORATOR') {
      await sql.query(
        `INSERT INTO handoffs.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')
         ON CONFLICT (customer_id, partner_id) DO UPDATE SET kind = 'COLLABORATOR'`,
        [customer.id, from],
      );
    } else {
      await sql.query(`DELETE FROM handoffs.customer_access WHERE customer_id = $1 AND partner_id = $2`, [customer.id, from]);
    }
  }
  if (toPartnerId) {
    await sql.query(
      `INSERT INTO handoffs.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')
       ON CONFLICT (customer_id, partner_id) DO UPDATE SET kind = 'OWNER'`,
      [customer.id, toPartnerId],
    );
  }
  const rows: object[] = await sql.query(
    `INSERT INTO handoffs.ownership_changes AS o (customer_id, from_partner_id, to_partner_id, handoff_id, actor_partner_id, reason, at)
     VALUES ($1, $2, $3, $4, $5, $6, COALESCE($7, now())) RETURNING ${OWNERSHIP_COLUMNS}`,
    [customer.id, from, toPartnerId, opts.handoffId, opts.actor?.partnerId ?? null, opts.reason, opts.at ?? null],
  );
  customer.ownerPartnerId = toPartnerId;
  const change = toOwnershipChange(oneRow(rows, 'INSERT INTO handoffs.ownership_changes'));
  return { change, event: ownershipEvent(change, opts.previousOwnerAccess, opts.actor) };
}
