import { Customer } from '../entities/customer.entity';

/** A `accounts.customers` row as raw SQL returns it. */
export interface CustomerRow {
  id: string;
  name: string;
  domain: string | null;
  segment: string;
  region: string;
  lifecycle_stage: string;
  contacts: Customer['contacts'];
  context: Customer['context'];
  owner_partner_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export const CUSTOMER_COLUMNS = 'id, name, domain, segment, region, lifecycle_stage, contacts, context, owner_partner_id, version, created_at, updated_at';

/** The entity the rest of the subgraph (events, GraphQL) works with. */
export function customerFromRow(r: CustomerRow): Customer {
  return Object.assign(new Customer(), {
    id: r.id,
    name: r.name,
    domain: r.domain,
    segment: r.segment,
    region: r.region,
    lifecycleStage: r.lifecycle_stage,
    contacts: r.contacts,
    context: r.context,
    ownerPartnerId: r.owner_partner_id,
    version: r.version,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  });
}
