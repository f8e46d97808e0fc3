import type { DataSource, EntityManager } from 'typeorm';
import { BACKGROUND } from '../../../../shared/db/query-counter';
import { DurableConsumer } from '../../../../shared/eventlog/durable-consumer';
import type { HubEvent } from '../../../../shared/eventlog/event-log';
import { CUSTOMER_CREATED, CUSTOMER_UPDATED, PARTNER_CREATED, type CustomerEventPayload, type PartnerEventPayload } from '../../../../shared/eventlog/events';
import type { Logger } from '../../../../shared/logger';

export const ACCOUNTS_PROJECTION_CONSUMER = 'handoffs.accounts-projection';
export const ACCOUNTS_PROJECTION_TYPES = [PARTNER_CREATED, CUSTOMER_CREATED, CUSTOMER_UPDATED];

/** Partners: one upsert for the batch, the last event of each partner winning (every field is replaced). */
async function applyPartners(manager: EntityManager, events: HubEvent[]): Promise<void> {
  const byId = new Map<string, PartnerEventPayload['partner']>();
  for (const event of events) {
    const { partner } = event.payload as unknown as PartnerEventPayload;
    byId.set(partner.id.toLowerCase(), partner);
  }
  const rows = [...byId.values()].map((p) => ({ id: p.id, name: p.name, kind: p.kind, tier: p.tier, region: p.region, status: p.status ?? 'ACTIVE' }));
  await manager.query(
    `${BACKGROUND}INSERT INTO handoffs.partners (id, name, kind, tier, region, status)
     SELECT id, name, kind, tier, region, status FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, kind text, tier text, region text, status text)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, tier = EXCLUDED.tier, region = EXCLUDED.region,
       status = EXCLUDED.status, updated_at = now()`,
    [JSON.stringify(rows)],
  );
}

/**
 * Ownership is accounts' to set at creation and handoffs' to move afterwards: the owner is
 * taken from CustomerCreated (or from the first event seen for a customer), never
 * overwritten by a later CustomerUpdated, whose snapshot may predate a handoff. One upsert
 * for the batch (the first event of a customer gives the owner a new row starts with, its
 * last event the rest), then one insert of the owners' access for the rows it created.
 */
async function applyCustomers(manager: EntityManager, events: HubEvent[]): Promise<void> {
  const byId = new Map<string, { first: CustomerEventPayload['customer']; last: CustomerEventPayload['customer'] }>();
  for (const event of events) {
    const { customer } = event.payload as unknown as CustomerEventPayload;
    const key = customer.id.toLowerCase();
    const seen = byId.get(key);
    if (seen) seen.last = customer;
    else byId.set(key, { first: customer, last: customer });
  }
  const rows = [...byId.values()].map(({ first, last }) => ({
    id: first.id,
    name: last.name,
    segment: last.segment,
    region: last.region,
    lifecycle_stage: last.lifecycleStage,
    owner_partner_id: first.ownerPartnerId ?? null,
  }));
  const created: { id: string; owner_partner_id: string }[] = await manager.query(
    `${BACKGROUND}WITH upserted AS (
       INSERT INTO handoffs.customers (id, name, segment, region, lifecycle_stage, owner_partner_id)
       SELECT id, name, segment, region, lifecycle_stage, owner_partner_id
         FROM jsonb_to_recordset($1::jsonb) AS r(id uuid, name text, segment text, region text, lifecycle_stage text, owner_partner_id uuid)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, segment = EXCLUDED.segment, region = EXCLUDED.region,
         lifecycle_stage = EXCLUDED.lifecycle_stage, updated_at = now()
       RETURNING id, owner_partner_id, (xmax = 0) AS inserted)
     SELECT id, owner_partner_id FROM upserted WHERE inserted AND owner_partner_id IS NOT NULL`,
    [JSON.stringify(rows)],
  );
  if (created.length === 0) return;
  await manager.query(
    `${BACKGROUND}INSERT INTO handoffs.customer_access (customer_id, partner_id, kind)
     SELECT customer_id, partner_id, 'OWNER' FROM unnest($1::uuid[], $2::uuid[]) AS a(customer_id, partner_id) ON CONFLICT DO NOTHING`,
    [created.map((c) => c.id), created.map((c) => c.owner_partner_id)],
  );
}

/**
 * Keeps handoffs' projection of accounts (partners: tier, kind, status; customers: name,
 * segment, region, stage, initial owner) from accounts' events. Idempotent: replaying an
 * event leaves the same rows.
 */
export function createAccountsProjectionConsumer(dataSource: DataSource, log: Logger, opts: { batchSize?: number } = {}): DurableConsumer {
  return new DurableConsumer({
    name: ACCOUNTS_PROJECTION_CONSUMER,
    dataSource,
    log,
    types: ACCOUNTS_PROJECTION_TYPES,
    batchSize: opts.batchSize ?? 500,
    // Three statements a batch, however many events it holds: partners first (a customer's
    // owner is a partner), then customers and their owners' access.
    async handle(events, manager) {
      const partners = events.filter((e) => e.type === PARTNER_CREATED);
      const customers = events.filter((e) => e.type !== PARTNER_CREATED);
      if (partners.length > 0) await applyPartners(manager, partners);
      if (customers.length > 0) await applyCustomers(manager, customers);
    },
  });
}
