import DataLoader from 'dataloader';
import type { DataSource } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { Customer } from '../entities/customer.entity';
import type { ExternalId } from '../entities/customer-parts';
import { Partner } from '../entities/partner.entity';
import { PERSON_COLUMNS, toPerson, type Person, type PersonRow } from '../entities/person.entity';
import { createRevenueLoaders, type RevenueLoaders } from './revenue.loaders';

export interface AccountsLoaders extends RevenueLoaders {
  /** Customers the caller may see; null for missing and for hidden alike. */
  visibleCustomer: DataLoader<string, Customer | null>;
  partner: DataLoader<string, Partner | null>;
  externalIds: DataLoader<string, ExternalId[]>;
  /** People the caller may see (its own partner's; internal: all); null for missing and hidden alike. */
  visiblePerson: DataLoader<string, Person | null>;
  /** A partner's people, oldest first; null for a partner whose people the caller may not see. */
  peopleOfPartner: DataLoader<string, Person[] | null>;
}

const byKey = <T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K) => {
  const map = new Map(rows.map((r) => [keyOf(r), r]));
  return keys.map((k) => map.get(k) ?? null);
};

/** Options for {@link createAccountsLoaders}. */
export interface AccountsLoaderOptions {
  /**
   * Applies ownership changes handoffs has committed but accounts has not yet applied (its
   * OwnershipChanged consumer). Called only when a partner misses customers, then retried once.
   */
  catchUp?: () => Promise<void>;
}

/** One loader set per request: one SQL statement per batch, rows in key order. */
export function createAccountsLoaders(db: DataSource, identity: Identity, opts: AccountsLoaderOptions = {}): AccountsLoaders {
  const internal = isInternal(identity);
  return {
    ...createRevenueLoaders(db),
    visibleCustomer: new DataLoader(async (ids) => {
      const load = (keys: readonly string[]) => {
        const qb = db.getRepository(Customer).createQueryBuilder('c').where('c.id = ANY(:ids)', { ids: keys });
        if (!internal) {
          qb.andWhere('EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = c.id AND a.partner_id = :partner)', {
            partner: identity.partnerId,
          });
        }
        return qb.getMany();
      };
      let rows = await load(ids);
      if (!internal && rows.length < ids.length && opts.catchUp) {
        // A receiver that has just accepted may ask before the OwnershipChanged is applied
        // here: catch up and retry the misses once (the deny path only; hits cost nothing).
        await opts.catchUp();
        const found = new Set(rows.map((c) => c.id));
        rows = [...rows, ...(await load(ids.filter((id) => !found.has(id))))];
      }
      return byKey(ids, rows, (c) => c.id);
    }),
    visiblePerson: new DataLoader(async (ids) => {
      const rows: PersonRow[] = internal
        ? await db.query(`SELECT ${PERSON_COLUMNS} FROM accounts.people WHERE id = ANY($1::uuid[])`, [ids])
        : await db.query(`SELECT ${PERSON_COLUMNS} FROM accounts.people WHERE id = ANY($1::uuid[]) AND partner_id = $2`, [ids, identity.partnerId ?? null]);
      return byKey(ids, rows.map(toPerson), (p) => p.id);
    }),
    peopleOfPartner: new DataLoader(async (partnerIds) => {
      const allowed = internal ? [...partnerIds] : partnerIds.filter((id) => id === identity.partnerId);
      const rows: PersonRow[] =
        allowed.length === 0
          ? []
          : await db.query(`SELECT ${PERSON_COLUMNS} FROM accounts.people WHERE partner_id = ANY($1::uuid[]) ORDER BY created_at, id`, [allowed]);
      return partnerIds.map((id) => (allowed.includes(id) ? rows.filter((r) => r.partner_id === id).map(toPerson) : null));
    }),
    partner: new DataLoader(async (ids) => {
      const rows = await db.getRepository(Partner).createQueryBuilder('p').where('p.id = ANY(:ids)', { ids }).getMany();
      return byKey(ids, rows, (p) => p.id);
    }),
    externalIds: new DataLoader(async (customerIds) => {
      const rows: { customer_id: string; system: string; external_id: string }[] = await db.query(
        `SELECT customer_id, system, external_id FROM accounts.customer_external_ids WHERE customer_id = ANY($1) ORDER BY system, external_id`,
        [customerIds],
      );
      const grouped = new Map<string, ExternalId[]>();
      for (const r of rows) {
        const list = grouped.get(r.customer_id) ?? [];
        list.push({ system: r.system, externalId: r.external_id });
        grouped.set(r.customer_id, list);
      }
      return customerIds.map((id) => grouped.get(id) ?? []);
    }),
  };
}
