import type { DataSource } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import { OWNERSHIP_CHANGED, type OwnershipChangedPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';

export const OWNERSHIP_CONSUMER = 'accounts.ownership';

/**
 * handoffs moves ownership; accounts learns it from OwnershipChanged and applies it to its
 * own access tables: the new owner becomes OWNER, the previous one a COLLABORATOR (or, when
 * the payload says `previousOwnerAccess: NONE` — reclaimed after an SLA breach — loses
 * access). Idempotent: replaying an event leaves the same rows.
 */
export function createOwnershipConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return new DurableConsumer({
    name: OWNERSHIP_CONSUMER,
    dataSource,
    log,
    types: [OWNERSHIP_CHANGED],
    async handle(events, manager) {
      for (const event of events) {
        const p = event.payload as unknown as OwnershipChangedPayload;
        const found: { id: string }[] = await manager.query(`${BACKGROUND}SELECT id FROM accounts.customers WHERE id = $1 FOR UPDATE`, [p.customerId]);
        if (found.length === 0) {
          log.warn({ customerId: p.customerId, event: event.id }, 'OwnershipChanged for a customer accounts does not have; skipped');
          continue;
        }
        await manager.query(`${BACKGROUND}UPDATE accounts.customers SET owner_partner_id = $2 WHERE id = $1`, [p.customerId, p.toPartnerId]);
        if (p.fromPartnerId && p.fromPartnerId !== p.toPartnerId) {
          if (p.previousOwnerAccess === 'NONE') {
            await manager.query(`${BACKGROUND}DELETE FROM accounts.customer_access WHERE customer_id = $1 AND partner_id = $2`, [
              p.customerId,
              p.fromPartnerId,
            ]);
          } else {
            await manager.query(
              `${BACKGROUND}INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'COLLABORATOR')
               ON CONFLICT (customer_id, partner_id) DO UPDATE SET kind = 'COLLABORATOR'`,
              [p.customerId, p.fromPartnerId],
            );
          }
        }
        if (p.toPartnerId) {
          await manager.query(
            `${BACKGROUND}INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER')
             ON CONFLICT (customer_id, partner_id) DO UPDATE SET kind = 'OWNER'`,
            [p.customerId, p.toPartnerId],
          );
        }
      }
    },
  });
}
