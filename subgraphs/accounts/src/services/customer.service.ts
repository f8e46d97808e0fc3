import type { DataSource, EntityManager } from 'typeorm';
import { isInternal, type Identity } from '../../../../shared/auth/identity';
import { idempotent } from '../../../../shared/db/idempotency';
import { badUserInput, conflict, forbidden, notFound } from '../../../../shared/errors';
import { assertId } from '../../../../shared/graphql/ids';
import { Customer } from '../entities/customer.entity';
import { AccessKind } from '../entities/enums';
import type { CreateCustomerInput, ExternalIdInput, UpdateCustomerInput } from '../resolvers/customer.inputs';
import { asHub } from '../../../../shared/db/tenant-context';
import { applyCommercials, parseCommercials, readCommercials, sameCommercials, writeCommercials, type CommercialsPatch } from './commercials';
import { CUSTOMER_CREATED, CUSTOMER_UPDATED, recordCustomerEvent } from './customer-events';
import { normalizeDomain } from './domain';

const UNIQUE_VIOLATION = '23505';

async function assertPartnerExists(manager: EntityManager, id: string, field: string) {
  const rows: unknown[] = await manager.query(`SELECT 1 FROM accounts.partners WHERE id = $1`, [id]);
  if (rows.length === 0) throw badUserInput(`${field}: no partner ${id}`, [{ field, message: 'unknown partner' }]);
}

async function assertDomainFree(manager: EntityManager, domain: string | null, selfId?: string) {
  if (!domain) return;
  // As the hub: domains are unique across every partner's customers, including ones the
  // caller may not see (the answer is the CONFLICT the unique index would give anyway).
  const rows: { id: string }[] = await asHub(manager, () =>
    manager.query(`SELECT id FROM accounts.customers WHERE domain = $1 AND id IS DISTINCT FROM $2`, [domain, selfId ?? null]),
  );
  if (rows.length > 0) throw conflict(`Another customer already has the domain "${domain}"`, { field: 'input.domain' });
}

async function insertExternalIds(manager: EntityManager, customerId: string, partnerId: string | null, ids: ExternalIdInput[]) {
  for (const e of ids) {
    const res: unknown[] = await manager.query(
      `INSERT INTO accounts.customer_external_ids (system, external_id, customer_id, partner_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (system, external_id) DO NOTHING RETURNING 1`,
      [e.system, e.externalId, customerId, partnerId],
    );
    if (res.length === 0) throw conflict(`External id ${e.system}/${e.externalId} already belongs to another customer`, { field: 'input.externalIds' });
  }
}

/** Creates a customer owned by the calling partner (or, for internal callers, by `ownerPartnerId`). */
export async function createCustomer(db: DataSource, identity: Identity, input: CreateCustomerInput, idempotencyKey?: string | null): Promise<Customer> {
  const internal = isInternal(identity);
  let owner: string | null;
  if (internal) owner = input.ownerPartnerId ? assertId(input.ownerPartnerId, 'input.ownerPartnerId') : null;
  else {
    if (input.ownerPartnerId && input.ownerPartnerId !== identity.partnerId)
      throw forbidden('A partner can only create customers it owns; leave ownerPartnerId out');
    owner = identity.partnerId ?? null;
  }
  const name = input.name.trim();
  if (!name) throw badUserInput('input.name must not be empty', [{ field: 'input.name', message: 'must not be empty' }]);
  const domain = normalizeDomain(input.domain);
  const commercials = input.commercials ? commercialsPatchOrThrow(input.commercials, 'input.commercials') : null;

  try {
    return await db.transaction(async (manager) => {
      const { id } = await idempotent(
        manager,
        { schema: 'accounts', caller: identity.partnerId ?? 'internal', operation: 'createCustomer', key: idempotencyKey, request: input },
        async () => {
          if (owner) await assertPartnerExists(manager, owner, 'input.ownerPartnerId');
          await assertDomainFree(manager, domain);
          const customer = manager.create(Customer, {
            name,
            domain,
            segment: input.segment,
            region: input.region,
            lifecycleStage: input.lifecycleStage,
            contacts: input.contacts ?? [],
            context: { goals: [], painPoints: [], ...(input.context ?? {}) },
            ownerPartnerId: owner,
          });
          await manager.save(customer);
          if (owner)
            await manager.query(`INSERT INTO accounts.customer_access (customer_id, partner_id, kind) VALUES ($1, $2, $3)`, [
              customer.id,
              owner,
              AccessKind.OWNER,
            ]);
          await insertExternalIds(manager, customer.id, owner, input.externalIds ?? []);
          const figures = commercials ? applyCommercials(null, commercials, 'update').next : null;
          if (figures)
            await writeCommercials(
              manager,
              [{ customerId: customer.id, customerVersion: customer.version, value: figures }],
              'UPDATE',
              identity.partnerId ?? null,
            );
          await recordCustomerEvent(manager, CUSTOMER_CREATED, customer, identity, figures ? ['commercials'] : [], figures);
          return customer.id;
        },
      );
      return manager.findOneByOrFail(Customer, { id });
    });
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION)
      throw conflict('The customer was created concurrently with the same domain or external id; retry to see it', {});
    throw err;
  }
}

/** A validated commercials input, or BAD_USER_INPUT naming every field at fault. */
function commercialsPatchOrThrow(input: Parameters<typeof parseCommercials>[0], at: string): CommercialsPatch {
  const { patch, problems } = parseCommercials(input, at);
  if (!patch) throw badUserInput(`${at} is invalid: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
  return patch;
}

function currencyChangeProblem(from: string, patch: CommercialsPatch, unrestated: string[]) {
  return badUserInput(
    `Changing the commercials' currency from ${from} to ${patch.currency} must restate every amount the record holds (send it in ${patch.currency}, or null to clear it): ${unrestated.join(', ')}`,
    unrestated.map((f) => ({ field: `input.commercials.${f}`, message: `held in ${from}: restate it in ${patch.currency} or send null` })),
  );
}

const UPDATABLE = ['name', 'domain', 'segment', 'region', 'lifecycleStage', 'contacts', 'context'] as const;

/** Applies the fields sent, only when `expectedVersion` is still current (optimistic concurrency). */
export async function updateCustomer(
  db: DataSource,
  identity: Identity,
  rawId: string,
  expectedVersion: number,
  input: UpdateCustomerInput,
): Promise<Customer> {
  const id = assertId(rawId, 'id');
  const changes: Partial<Customer> = {};
  if (input.name !== undefined && input.name !== null) {
    const name = input.name.trim();
    if (!name) throw badUserInput('input.name must not be empty', [{ field: 'input.name', message: 'must not be empty' }]);
    changes.name = name;
  }
  if (input.domain !== undefined) changes.domain = normalizeDomain(input.domain);
  for (const key of ['segment', 'region', 'lifecycleStage', 'contacts'] as const) {
    if (input[key] !== undefined && input[key] !== null) (changes as Record<string, unknown>)[key] = input[key];
  }
  if (input.context) changes.context = input.context;
  const commercials = input.commercials ? commercialsPatchOrThrow(input.commercials, 'input.commercials') : null;
  if (Object.keys(changes).length === 0 && !commercials) throw badUserInput('input has no fields to change', [{ field: 'input', message: 'empty' }]);

  try {
    return await db.transaction(async (manager) => {
      const qb = manager.getRepository(Customer).createQueryBuilder('c').setLock('pessimistic_write').where('c.id = :id', { id });
      if (!isInternal(identity)) {
        qb.andWhere('EXISTS (SELECT 1 FROM accounts.customer_access a WHERE a.customer_id = c.id AND a.partner_id = :partner)', {
          partner: identity.partnerId,
        });
      }
      const current = await qb.getOne();
      if (!current) throw notFound('Customer', id);
      if (current.version !== expectedVersion) {
        throw conflict(`Customer ${id} is at version ${current.version}, not ${expectedVersion}: re-read it, re-apply your change, and send the new version`, {
          currentVersion: current.version,
        });
      }
      if (commercials && !isInternal(identity) && current.ownerPartnerId !== identity.partnerId) {
        throw forbidden('Only the customer’s owner and internal teams may write its commercials; leave input.commercials out');
      }
      if (changes.domain !== undefined) await assertDomainFree(manager, changes.domain, id);
      const changed: string[] = UPDATABLE.filter((k) => k in changes && JSON.stringify(changes[k]) !== JSON.stringify(current[k]));
      // As the hub: the event carries the figures whoever writes (a collaborator may not
      // read them; redactForPartner keeps them from it downstream).
      const before = (await asHub(manager, () => readCommercials(manager, [id], { lock: true }))).get(id) ?? null;
      let figures = before;
      if (commercials) {
        const { next, unrestated } = applyCommercials(before, commercials, 'update');
        if (unrestated.length > 0) throw currencyChangeProblem(before!.currency, commercials, unrestated);
        if (!sameCommercials(before, next)) {
          figures = next;
          changed.push('commercials');
        }
      }
      Object.assign(current, changes, { version: current.version + 1 });
      await manager.save(current);
      if (figures !== before && figures)
        await writeCommercials(manager, [{ customerId: id, customerVersion: current.version, value: figures }], 'UPDATE', identity.partnerId ?? null);
      await recordCustomerEvent(manager, CUSTOMER_UPDATED, current, identity, changed, figures);
      return current;
    });
  } catch (err) {
    if ((err as { code?: string }).code === UNIQUE_VIOLATION) throw conflict('Another customer already has that domain', { field: 'input.domain' });
    throw err;
  }
}
