import type { EntityManager } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { appendEvent } from '../../../../shared/eventlog/event-log';
import type { Customer } from '../entities/customer.entity';
import type { Partner } from '../entities/partner.entity';
import { PARTNER_CREATED } from '../../../../shared/eventlog/events';

export { CUSTOMER_CREATED, CUSTOMER_UPDATED } from '../../../../shared/eventlog/events';

/** Partners that may see a customer right now (owner and collaborators). */
export async function accessList(manager: EntityManager, customerId: string): Promise<string[]> {
  const rows: { partner_id: string }[] = await manager.query(`SELECT partner_id FROM accounts.customer_access WHERE customer_id = $1`, [customerId]);
  return rows.map((r) => r.partner_id);
}

/** The event carries the whole record so subscribers need no read per event. */
export async function recordCustomerEvent(manager: EntityManager, type: string, customer: Customer, actor: Identity, changed: string[] = []) {
  await appendEvent(manager, {
    type,
    source: 'accounts',
    aggregateType: 'Customer',
    aggregateId: customer.id,
    payload: { customer: { ...customer }, changed },
    visibleTo: await accessList(manager, customer.id),
    actor,
  });
}

/** Partners are directory data: every partner may see that one exists. */
export async function recordPartnerCreated(manager: EntityManager, partner: Partner, actor: Identity) {
  const { id, name, kind, tier, region, status } = partner;
  await appendEvent(manager, {
    type: PARTNER_CREATED,
    source: 'accounts',
    aggregateType: 'Partner',
    aggregateId: id,
    payload: { partner: { id, name, kind, tier, region, status } },
    visibleTo: [id],
    actor,
  });
}
