import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { CUSTOMER_CREATED, CUSTOMER_UPDATED, PARTNER_CREATED, type CustomerEventPayload, type PartnerEventPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';

export const ACCOUNTS_PROJECTION_CONSUMER = 'handoffs.accounts-projection';
export const ACCOUNTS_PROJECTION_TYPES = [PARTNER_CREATED, CUSTOMER_CREATED, CUSTOMER_UPDATED];

async function applyPartner(manager: EntityManager, event: HubEvent) {
  const { partner } = event.payload as unknown as PartnerEventPayload;
  await manager.query(
    `${BACKGROUND}INSERT INTO handoffs.partners (id, name, kind, tier, region, status) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, tier = EXCLUDED.tier, region = EXCLUDED.region,
       status = EXCLUDED.status, updated_at = now()`,
    [partner.id, partner.name, partner.kind, partner.tier, partner.region, partner.status ?? 'ACTIVE'],
  );
}

/**
 * Ownership is accounts' to set at creation and handoffs' to move afterwards: the owner is
 * taken from CustomerCreated (or from the first event seen for a customer), never
 * overwritten by a later CustomerUpdated, whose snapshot may predate a handoff.
 */
async function applyCustomer(manager: EntityManager, event: HubEvent) {
  const { customer } = event.payload as unknown as CustomerEventPayload;
  const inserted: unknown[] = await manager.query(
    `${BACKGROUND}INSERT INTO handoffs.customers (id, name, segment, region, lifecycle_stage, owner_partner_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, segment = EXCLUDED.segment, region = EXCLUDED.region,
       lifecycle_stage = EXCLUDED.lifecycle_stage, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [customer.id, customer.name, customer.segment, customer.region, customer.lifecycleStage, customer.ownerPartnerId ?? null],
  );
  const isNew = (inserted[0] as { inserted: boolean } | undefined)?.inserted;
  if (isNew && customer.ownerPartnerId) {
    await manager.query(`${BACKGROUND}INSERT INTO handoffs.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, 'OWNER') ON CONFLICT DO NOTHING`, [
      customer.id,
      customer.ownerPartnerId,
    ]);
  }
}

/**
 * Keeps handoffs' projection of accounts (partners: tier, kind, status; customers: name,
 * segment, region, stage, initial owner) from accounts' events. Idempotent: replaying an
 * event leaves the same rows.
 */
export function createAccountsProjectionConsumer(dataSource: DataSource, log: Logger): DurableConsumer {
  return new DurableConsumer({
    name: ACCOUNTS_PROJECTION_CONSUMER,
    dataSource,
    log,
    types: ACCOUNTS_PROJECTION_TYPES,
    batchSize: 500,
    async handle(events, manager) {
      for (const event of events) {
        if (event.type === PARTNER_CREATED) await applyPartner(manager, event);
        else await applyCustomer(manager, event);
      }
    },
  });
}
