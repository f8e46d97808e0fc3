import type { EntityManager } from 'typeorm';
import type { Identity } from '../../../../shared/auth/identity';
import { appendEvent, appendEvents } from '../../../../shared/eventlog/event-log';
import type { Customer } from '../entities/customer.entity';
import type { Partner } from '../entities/partner.entity';
import { CUSTOMER_CREATED, CUSTOMER_UPDATED, PARTNER_CREATED, PARTNER_UPDATED, type CommercialsSnapshot } from '../../../../shared/eventlog/events';
import { asHub } from '../../../../shared/db/tenant-context';

export { CUSTOMER_CREATED, CUSTOMER_UPDATED } from '../../../../shared/eventlog/events';

/** Partners that may see a customer right now (owner and collaborators). */
export async function accessList(manager: EntityManager, customerId: string): Promise<string[]> {
  // As the hub: the event goes to every partner with access, not only the caller, whose
  // own view of customer_access is just its grants.
  const rows: { partner_id: string }[] = await asHub(manager, () =>
    manager.query(`SELECT partner_id FROM accounts.customer_access WHERE customer_id = $1`, [customerId]),
  );
  return rows.map((r) => r.partner_id);
}

/**
 * The event carries the whole record so subscribers need no read per event, its commercial
 * figures included (null: none recorded): other subgraphs project them (handoffs' value
 * snapshots), and partners other than the owner get the payload without them (see
 * redactForPartner).
 */
export async function recordCustomerEvent(
  manager: EntityManager,
  type: string,
  customer: Customer,
  actor: Identity,
  changed: string[],
  commercials: CommercialsSnapshot | null,
) {
  await appendEvent(manager, {
    type,
    source: 'accounts',
    aggregateType: 'Customer',
    aggregateId: customer.id,
    payload: { customer: { ...customer, commercials }, changed },
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

/** A directory entry changed: the partner after, and which fields changed (`changed`). */
export async function recordPartnerUpdated(manager: EntityManager, partner: Partner, actor: Identity, changed: string[]) {
  const { id, name, kind, tier, region, status } = partner;
  await appendEvent(manager, {
    type: PARTNER_UPDATED,
    source: 'accounts',
    aggregateType: 'Partner',
    aggregateId: id,
    payload: { partner: { id, name, kind, tier, region, status }, changed },
    visibleTo: [id],
    actor,
  });
}

/**
 * Batched form of {@link recordCustomerEvent} for bulk writes (sync): one statement reads
 * every access list, one appends every event. Same payload shape, same visibility.
 */
export async function recordCustomerEvents(
  manager: EntityManager,
  items: { type: string; customer: Customer; changed?: string[]; commercials: CommercialsSnapshot | null }[],
  actor: Identity,
) {
  if (items.length === 0) return;
  // As the hub, like accessList: each event's audience is every partner with access.
  const rows: { customer_id: string; partners: string[] }[] = await asHub(manager, () =>
    manager.query(
      `SELECT customer_id, array_agg(partner_id) AS partners FROM accounts.customer_access WHERE customer_id = ANY($1::uuid[]) GROUP BY customer_id`,
      [items.map((i) => i.customer.id)],
    ),
  );
  const access = new Map(rows.map((r) => [r.customer_id, r.partners]));
  await appendEvents(
    manager,
    items.map(({ type, customer, changed, commercials }) => ({
      type,
      source: 'accounts',
      aggregateType: 'Customer',
      aggregateId: customer.id,
      payload: { customer: { ...customer, commercials }, changed: changed ?? [] },
      visibleTo: access.get(customer.id) ?? [],
      actor,
    })),
  );
}

/**
 * What of an event's payload a partner may read: CustomerCreated and CustomerUpdated carry
 * the customer's commercial figures, which only the owner at the time of the event (and
 * internal teams) may see. For anyone else they are left out, and so is "commercials" from
 * `changed`: a collaborator learns that the version moved, not what the figures are or
 * that they changed. `partnerId` null: an internal reader, who sees everything.
 */
export function redactForPartner(type: string, payload: Record<string, unknown>, partnerId: string | null): Record<string, unknown> {
  if (partnerId === null || (type !== CUSTOMER_CREATED && type !== CUSTOMER_UPDATED)) return payload;
  const customer = payload.customer as Record<string, unknown> | undefined;
  if (!customer || !('commercials' in customer) || customer.ownerPartnerId === partnerId) return payload;
  const { commercials: _hidden, ...rest } = customer;
  const changed = Array.isArray(payload.changed) ? (payload.changed as unknown[]).filter((c) => c !== 'commercials') : payload.changed;
  return { ...payload, customer: rest, changed };
}
